// Highlighting for .shiki files: comments, strings, keywords, figures with
// their units (27_000円, 7.62%) and dates. Names stay plain: they are the
// statute's words.
import { StreamLanguage } from "@codemirror/language";

const keywords = new Set(("amend and as by check days default earlier else entity enum exception false field " +
  "fiscal_years from given group holidays if import in input into key keyed let match message months none " +
  "nonnegative not of optional or ordinance output over override parameter part require rule set source table " +
  "then to true unconfirmed when where").split(" "));

export const shikiLanguage = StreamLanguage.define({
  name: "shiki",
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^\d{4}-\d{2}-\d{2}/)) return "atom";
    if (stream.match(/^\d[\d_]*(?:\.\d+)?(?:円|%)?/)) return "number";
    const word = stream.match(/^[A-Za-z_]+/);
    if (word) return keywords.has(word[0]) ? "keyword" : null;
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});
