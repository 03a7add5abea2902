// The ruleset editor: one CodeMirror state per file of the ruleset folder,
// tabs to switch, and `shiki check`'s diagnostics at their place, asked for
// a moment after staff stop typing (the lint source's delay is the debounce).
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { search, searchKeymap } from "@codemirror/search";
import { call } from "./api.js";
import { el } from "./format.js";
import { shikiLanguage } from "./shiki_language.js";

const kCheckDelayMs = 400;

// CodeMirror's own words, as staff read them (search: Ctrl+F; go to line: Ctrl+Alt+G).
const phrases = EditorState.phrases.of({
  "Go to line": "行へ移動", "go": "移動", "Find": "検索", "Replace": "置換", "next": "次へ", "previous": "前へ",
  "all": "すべて", "match case": "大文字と小文字を区別", "regexp": "正規表現", "by word": "単語単位",
  "replace": "置換", "replace all": "すべて置換", "close": "閉じる",
});

// Columns count code points (as the compiler does); CodeMirror counts UTF-16 units.
function offsetOf(lineText, codePoints) {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < lineText.length; i++) offset += lineText.codePointAt(offset) > 0xffff ? 2 : 1;
  return offset;
}

export class RulesetEditor {
  constructor(parent, { onCheck, onChange }) {
    this.states = new Map();  // file name → EditorState
    this.saved = new Map();   // file name → text as saved
    this.current = null;
    this.onCheck = onCheck;
    this.onChange = onChange;
    this.lastCheck = null;
    this.view = new EditorView({ parent });
  }

  extensions() {
    return [
      lineNumbers(), history(), drawSelection(), highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle), shikiLanguage,
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]), search({ top: true }), phrases,
      lintGutter(),
      linter((view) => this.check(view), { delay: kCheckDelayMs }),
      EditorView.updateListener.of((u) => { if (u.docChanged) this.onChange(); }),
    ];
  }

  load(files) {
    this.states.clear();
    this.saved.clear();
    for (const f of files) {
      this.saved.set(f.name, f.text);
      this.states.set(f.name, EditorState.create({ doc: f.text, extensions: this.extensions() }));
    }
    this.show(this.current && this.states.has(this.current) ? this.current : files[0].name);
  }

  show(name) {
    if (this.current) this.states.set(this.current, this.view.state);
    this.current = name;
    this.view.setState(this.states.get(name));
    this.onChange();
  }

  // Every file's text, the one on screen as typed.
  files() {
    const out = {};
    for (const [name, state] of this.states) out[name] = (name === this.current ? this.view.state : state).doc.toString();
    return out;
  }

  modified(name) { return this.files()[name] !== this.saved.get(name); }

  markSaved() { for (const [name, text] of Object.entries(this.files())) this.saved.set(name, text); this.onChange(); }

  goTo(name, line, column) {
    if (name !== this.current) this.show(name);
    const l = this.view.state.doc.line(Math.min(line, this.view.state.doc.lines));
    const pos = l.from + offsetOf(l.text, (column || 1) - 1);
    this.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    this.view.focus();
  }

  recheck() { forceLinting(this.view); }

  async check(view) {
    // Checks may overlap while staff type; only the answer for the text now
    // in the editor may set the status and the list.
    const files = this.files();
    const sent = JSON.stringify(files);
    let answer;
    try {
      answer = await call("POST", "api/check", { files }, { retry: true });
    } catch (e) {
      setTimeout(() => this.recheck(), 2000);  // the server was unreachable: try again shortly
      return [];
    }
    const { ok, data } = answer;
    if (!ok || JSON.stringify(this.files()) !== sent) return [];
    this.lastCheck = data;
    this.onCheck(data);
    const doc = view.state.doc;
    const out = [];
    for (const d of data.diagnostics) {
      if (d.editable !== this.current || !d.line) continue;
      const line = doc.line(Math.min(d.line, doc.lines));
      const from = line.from + offsetOf(line.text, d.column - 1);
      let to = from + offsetOf(line.text.slice(from - line.from), d.width || 1);
      if (to <= from) to = Math.min(line.to, from + 1);
      const notes = d.notes.map((n) => "\n" + (n.file ? `${n.file}:${n.line}: ` : "") + n.message).join("");
      const fix = d.fixits.length ? `\n修正案: ${d.fixits.map((f) => f.replacement).join(" / ")}` : "";
      out.push({
        from, to,
        severity: d.severity === "error" ? "error" : "warning",
        source: d.code,
        message: d.message + notes + fix,
      });
    }
    return out;
  }
}

// The list under the editor: every diagnostic, of every file, a click away.
export function renderDiagnostics(list, data, editor) {
  list.replaceChildren();
  for (const d of data.diagnostics) {
    const where = d.file ? `${d.file}:${d.line}:${d.column}` : "";
    const item = el("li", { class: d.severity, "data-file": d.editable || "", "data-line": d.line || "" },
      el("span", { class: "where" }, where), " ",
      el("span", { class: "code" }, `${d.severity === "error" ? "エラー" : "警告"}[${d.code}]`), " ",
      el("span", { class: "message" }, d.message),
      d.notes.map((n) => el("div", { class: "diag-note" }, "注: " + (n.file ? `${n.file}:${n.line}: ` : "") + n.message)),
      d.fixits.length ? el("div", { class: "diag-note" }, "修正案: " + d.fixits.map((f) => f.replacement).join(" / ")) : null);
    if (d.editable) item.addEventListener("click", () => editor.goTo(d.editable, d.line, d.column));
    list.append(item);
  }
}
