// Every diagnostic code, case by case (Wren's and Clang -verify's habit):
// each folder here is a ruleset with the expectation written on the
// offending line,
//
//   = 所得割算定基礎額 * 均等割額   # expect: error[E0203]
//
// and this runner compiles the folder and asserts that the compiler reports
// exactly those codes at exactly those lines: one mistake, one diagnostic,
// no cascade. `# expect-unlocated: error[CODE]` (on any line) is a
// diagnostic without a place in the source. A folder holding no .shiki file
// of its own is a set of modules; its `city` subfolder is compiled (it
// imports its siblings). A few cases also pin the whole rendered text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "interpreter/diag/diag.h"
#include "interpreter/engine/pipeline.h"

namespace {

namespace fs = std::filesystem;
using shiki::diag::CaptureSink;
using shiki::diag::Diagnostic;

const fs::path kDir = SHIKI_DIAG_DIR;
const fs::path kDocs = SHIKI_DOCS_DIR;

// A diagnostic as the tests compare it: the file (by name inside the case
// folder), the line (0: no place) and the code.
struct Seen {
  std::string file;
  int line;
  std::string code;
  auto operator<=>(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Seen& s) {
  return out << s.file << ":" << s.line << ": " << (s.code[0] == 'W' ? "warning" : "error") << "[" << s.code << "]";
}

bool has_own_sources(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".shiki") return true;
  return false;
}

// The module a case compiles: the folder, or its `city` module.
fs::path module_of(const fs::path& case_dir) {
  return has_own_sources(case_dir) ? case_dir : case_dir / "city";
}

std::string inside_case(const fs::path& file, const fs::path& case_dir) {
  return fs::weakly_canonical(file).lexically_relative(fs::weakly_canonical(case_dir)).generic_string();
}

std::vector<Seen> expectations(const fs::path& case_dir) {
  static const std::regex kExpect(R"(#\s*expect(-unlocated)?:(.*)$)");
  static const std::regex kCode(R"((?:error|warning)\[([EW][0-9]{4})\])");
  std::vector<Seen> out;
  for (const auto& e : fs::recursive_directory_iterator(case_dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".shiki") continue;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (!std::regex_search(line, m, kExpect)) continue;
      bool unlocated = m[1].matched;
      std::string rest = m[2];
      for (std::sregex_iterator it(rest.begin(), rest.end(), kCode), end; it != end; ++it)
        out.push_back(unlocated ? Seen{"", 0, (*it)[1]} : Seen{inside_case(e.path(), case_dir), n, (*it)[1]});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Keeps every diagnostic like CaptureSink, and also what needs the source
// text (the file's name, the rendered text) at the moment it is reported:
// the SourceFile a Location points to belongs to the compiled program, which
// a failed build has already freed when build() returns (BUGS.md, bug 1).
class RecordingSink : public CaptureSink {
 public:
  explicit RecordingSink(fs::path case_dir) : case_dir_(std::move(case_dir)) {}
  std::vector<Seen> seen;
  std::string text;

  std::vector<Seen> sorted() const {
    auto out = seen;
    std::sort(out.begin(), out.end());
    return out;
  }
  // The rendered text with the case folder's absolute prefix removed, so
  // that expectations read `case.shiki:8:5: error[…]`.
  std::string relative_text() const {
    std::string out = text;
    std::string prefix = case_dir_.string() + "/";
    for (std::size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
    return out;
  }

 protected:
  void emit(const Diagnostic& d) override {
    CaptureSink::emit(d);
    const char* code = shiki::diag::info(d.code).code;
    if (d.location.valid()) seen.push_back({inside_case(d.location.file->path(), case_dir_), d.location.line, code});
    else seen.push_back({"", 0, code});
    std::ostringstream out;
    shiki::diag::render_text(d, out);
    text += out.str();
  }

 private:
  fs::path case_dir_;
};

std::vector<std::string> case_names() {
  static const std::regex kName(R"([EW][0-9]{4}_[A-Za-z0-9_]+)");
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.is_directory() && std::regex_match(e.path().filename().string(), kName))
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class Case : public ::testing::TestWithParam<std::string> {};

// A case of an error (E…) compares the errors and must not compile; a case
// of a warning (W…) compares the warnings and must compile.
TEST_P(Case, ReportsExactlyTheExpectedDiagnostics) {
  fs::path dir = kDir / GetParam();
  auto want = expectations(dir);
  ASSERT_FALSE(want.empty()) << "a case without an `# expect:` comment: " << dir;
  RecordingSink sink(dir);
  auto program = shiki::engine::build(module_of(dir), sink);
  char kind = GetParam()[0];
  if (kind == 'E') EXPECT_EQ(program, nullptr) << "the ruleset compiled although it has an error";
  else EXPECT_NE(program, nullptr) << "a warning case must compile:\n" << sink.text;
  std::vector<Seen> seen;
  for (const auto& s : sink.sorted())
    if (s.code[0] == kind) seen.push_back(s);
  EXPECT_EQ(seen, want) << "what the compiler said:\n" << sink.text;
  // The case is named after its code: the first such diagnostic must be that one.
  auto first = std::find_if(sink.diagnostics.begin(), sink.diagnostics.end(),
                            [&](const Diagnostic& d) { return shiki::diag::info(d.code).code[0] == kind; });
  ASSERT_NE(first, sink.diagnostics.end());
  EXPECT_EQ(GetParam().substr(0, 5), shiki::diag::info(first->code).code);
}

INSTANTIATE_TEST_SUITE_P(Cases, Case, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// ---- every code has a case and a page -------------------------------------

TEST(Coverage, EveryCodeHasACase) {
  auto names = case_names();
  for (auto code : shiki::diag::all_codes()) {
    std::string c = shiki::diag::info(code).code;
    if (c == "E0002") continue;  // a folder that cannot be read: FileUnreadable below
    bool found = std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.rfind(c + "_", 0) == 0; });
    EXPECT_TRUE(found) << "no case folder " << c << "_… in " << kDir;
  }
}

TEST(Coverage, EveryCodeHasADocPageListedInTheIndex) {
  std::ifstream index(kDocs / "README.md");
  ASSERT_TRUE(index) << "missing " << kDocs / "README.md";
  std::stringstream ss;
  ss << index.rdbuf();
  for (auto code : shiki::diag::all_codes()) {
    std::string c = shiki::diag::info(code).code;
    fs::path page = kDocs / (c + ".md");
    EXPECT_TRUE(fs::exists(page)) << "missing " << page;
    EXPECT_NE(ss.str().find("(" + c + ".md)"), std::string::npos) << c << " is not linked from README.md";
  }
}

// ---- cases that need no folder ---------------------------------------------

TEST(FileUnreadable, AFolderThatDoesNotExistIsE0002) {
  RecordingSink sink(kDir);
  auto program = shiki::engine::build(kDir / "no_such_ruleset", sink);
  EXPECT_EQ(program, nullptr);
  ASSERT_EQ(sink.diagnostics.size(), 1u) << sink.text;
  const auto& d = sink.diagnostics[0];
  EXPECT_STREQ(shiki::diag::info(d.code).code, "E0002");
  EXPECT_FALSE(d.location.valid());
  EXPECT_EQ(d.message(), "ファイルを読めません: " + (kDir / "no_such_ruleset").string());
  EXPECT_EQ(d.english_message(), "cannot read file: " + (kDir / "no_such_ruleset").string());
}

// BUGS.md, bug 1: the diagnostics a CaptureSink keeps point into the source
// files of the build, which a failed build has freed when it returns; the
// HTTP adapter's loader renders them at that point. Run in a child process
// so that a crash fails this test only.
TEST(CaptureSinkAfterBuild, DiagnosticsCanBeRenderedAfterBuildReturns) {
  EXPECT_EXIT(
      {
        CaptureSink sink;
        shiki::engine::build(kDir / "E0203_money_times_money", sink);
        std::ostringstream out;
        for (const auto& d : sink.diagnostics) shiki::diag::render_text(d, out);
        bool right = out.str().find("case.shiki:8:5: error[E0203]") != std::string::npos &&
                     out.str().find("  8 |   = 所得割算定基礎額 * 均等割額") != std::string::npos;
        std::exit(right ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// ---- messages: the Japanese text with the user's own names -----------------

struct Message {
  std::string case_name;
  std::string japanese;
};

void PrintTo(const Message& m, std::ostream* out) { *out << m.case_name; }

class Messages : public ::testing::TestWithParam<Message> {};

TEST_P(Messages, FirstDiagnosticSays) {
  fs::path dir = kDir / GetParam().case_name;
  RecordingSink sink(dir);
  shiki::engine::build(module_of(dir), sink);
  ASSERT_FALSE(sink.diagnostics.empty());
  EXPECT_EQ(sink.diagnostics.front().message(), GetParam().japanese) << sink.text;
}

const Message kMessages[] = {
    {"E0001_missing_expression", "構文が正しくありません: 「rule」"},
    {"E0001_bad_character", "構文が正しくありません: 「＠」"},
    {"E0101_did_you_mean", "「所得割算定基額」という名前はありません"},
    {"E0102_duplicate_rule", "「世帯.平等割額」は既に定義されています"},
    {"E0103_override_missing", "上書きする「医療分.平等割額」が取り込んだモジュールにありません"},
    {"E0104_missing_override", "「医療分.均等割額」は取り込んだモジュールで定義済みです。変えるなら override と書きます"},
    {"E0105_unknown_module", "モジュール「nationl」が見つかりません"},
    {"E0106_unknown_entity_in_rule", "「世帯主」という実体はありません"},
    {"E0107_unknown_type", "「mony」という型はありません"},
    {"E0108_builtin_arity", "「age」の引数は 2 個です"},
    {"E0108_table_arity", "「給与所得」の引数は 1 個です"},
    {"E0109_other_entity", "「所得」はこの実体からは見えません"},
    {"E0201_condition_not_boolean", "型が合いません: boolean が必要ですが money です"},
    {"E0202_rule_result", "規則「世帯.所得割額」の型は money ですが、式は date です"},
    {"E0203_money_times_money", "単位が合いません: money * money はできません"},
    {"E0203_money_plus_rate", "単位が合いません: money + rate はできません"},
    {"E0204_missing_case", "match に「オ」の場合がありません"},
    {"E0205_unknown_case", "「エ」は列挙 区分 の値ではありません"},
    {"E0206_divide_by_twelve", "割り切れないことがある割り算には丸めが必要です"},
    {"E0207_rounding_unit", "丸めの単位は 10 のべき乗の定数です: 50"},
    {"E0208_parameter_from_input", "ここには定数が必要です"},
    {"E0209_bad_date", "値が正しくありません: 2025-02-30"},
    {"E0301_table_gap", "表「給与所得」の 1620000 と 1627999 の間が抜けています"},
    {"E0302_table_overlap", "表「給与所得」の行が 551000 で重なっています"},
    {"E0303_parameter_dates", "「医療分.均等割額」の適用日が順に並んでいません"},
    {"E0304_unknown_exception", "例外「弐割」はこの規則にありません"},
    {"E0305_exception_cycle", "例外の優先順位が循環しています: 二割"},
    {"E0401_rule_cycle", "規則が循環しています: 世帯.年額 → 世帯.月額 → 世帯.年額"},
    {"E0402_nested_aggregation", "「被保険者」の集計の中で同じ実体を集計できません"},
    {"E0501_output_twice", "出力「premium.annual」が二度定義されています"},
    {"E0003_full_width_number", "全角の「２７，０００円」は使えません"},
    {"E0004_yen_sign", "金額の書き方が違います: ¥27000"},
    {"E0004_thousands_commas", "金額の書き方が違います: 27,000円"},
    {"E0005_era_date", "日付は 2026-04-01 の形で書きます: 令和8年4月1日"},
    {"E0005_slashed_date", "日付は 2026-04-01 の形で書きます: 2026/4/1"},
    {"E0103_override_did_you_mean", "上書きする「医療分.被保険者均等額」が取り込んだモジュールにありません"},
    {"E0210_rate_without_percent", "率には % を付けます: 7.62"},
    {"E0306_fiscal_years_reversed", "年度の範囲が逆です: 2026 to 2023"},
};

INSTANTIATE_TEST_SUITE_P(Codes, Messages, ::testing::ValuesIn(kMessages),
                         [](const ::testing::TestParamInfo<Message>& i) { return i.param.case_name; });

// ---- the whole rendered text -------------------------------------------------

std::string render_case(const std::string& name) {
  fs::path dir = kDir / name;
  RecordingSink sink(dir);
  shiki::engine::build(module_of(dir), sink);
  return sink.relative_text();
}

// The caret starts under the first operand and spans the whole product; each
// full-width character takes two columns.
TEST(Rendered, UnitMismatchCaretUnderFullWidthText) {
  EXPECT_EQ(render_case("E0203_money_times_money"),
            "case.shiki:8:5: error[E0203]: 単位が合いません: money * money はできません\n"
            "  8 |   = 所得割算定基礎額 * 均等割額   # expect: error[E0203]\n"
            "    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            "note: 率を掛けるなら rate 型の値を使います（例: 医療分.所得割率）\n");
}

TEST(Rendered, UnknownNameWithDidYouMean) {
  EXPECT_EQ(render_case("E0101_did_you_mean"),
            "case.shiki:8:5: error[E0101]: 「所得割算定基額」という名前はありません\n"
            "  8 |   = 所得割算定基額 * 医療分.所得割率   # expect: error[E0101]\n"
            "    |     ^^^^^^^^^^^^^^\n"
            "note: もしかして「所得割算定基礎額」\n");
}

// A note that points elsewhere carries its own place and source line.
TEST(Rendered, TableOverlapPointsAtTheEarlierRow) {
  EXPECT_EQ(render_case("E0302_table_overlap"),
            "case.shiki:6:3: error[E0302]: 表「給与所得」の行が 551000 で重なっています\n"
            "  6 |   [551_000, ..]    => R - 550_000   # expect: error[E0302]\n"
            "    |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            "note: case.shiki:5:3: 重なっている行\n"
            "  5 |   [0, 551_000]     => 0\n"
            "    |   ^^^^^^^^^^^^^^^^^^^^^\n");
}

TEST(Rendered, RuleCycleNamesBothEnds) {
  EXPECT_EQ(render_case("E0401_rule_cycle"),
            "case.shiki:5:6: error[E0401]: 規則が循環しています: 世帯.年額 → 世帯.月額 → 世帯.年額\n"
            "  5 | rule 世帯.年額 : money = 月額 * 12   # expect: error[E0401]\n"
            "    |      ^^^^^^^^^\n"
            "note: case.shiki:6:6: 「世帯.月額」がここにあります\n"
            "  6 | rule 世帯.月額 : money = truncate(年額 / 12, 1)\n"
            "    |      ^^^^^^^^^\n"
            "note: どれか一つの規則が、循環の中の規則を使わずに求まるように書き直します\n");
}

// The column counts characters (27), the caret counts display columns: ＠
// is full-width, so two carets, after 34 columns.
TEST(Rendered, SyntaxErrorUnderTheUnexpectedToken) {
  EXPECT_EQ(render_case("E0001_bad_character"),
            "case.shiki:2:27: error[E0001]: 構文が正しくありません: 「＠」\n"
            "  2 | rule 世帯.所得割額 : money = 所得 ＠ 2   # expect: error[E0001]\n"
            "    |                                   ^^\n"
            "note: ここに書けるもの: {<EOF>, 'part', 'fiscal_years', 'entity', 'enum', 'input', 'parameter', "
            "'amend', 'rule', 'table', 'output', 'check', 'holidays', 'override'}\n");
}

TEST(Rendered, ParameterDatesOutOfOrder) {
  EXPECT_EQ(render_case("E0303_parameter_dates"),
            "case.shiki:6:16: error[E0303]: 「医療分.均等割額」の適用日が順に並んでいません\n"
            "  6 |   21_000円 from 2024-04-01   # expect: error[E0303]\n"
            "    |                 ^^^^^^^^^^\n"
            "note: case.shiki:5:16: この日付より後の日付を書きます\n"
            "  5 |   27_000円 from 2026-04-01\n"
            "    |                 ^^^^^^^^^^\n");
}

// ---- fix-its: the half-width form under the caret ------------------------

TEST(Rendered, FullWidthNumberShowsTheHalfWidthForm) {
  EXPECT_EQ(render_case("E0003_full_width_number"),
            "case.shiki:5:3: error[E0003]: 全角の「２７，０００円」は使えません\n"
            "  5 |   ２７，０００円 from 2026-04-01   # expect: error[E0003]\n"
            "    |   ^^^^^^^^^^^^^^\n"
            "    |   27_000円\n"
            "note: 数は半角で書きます。桁の区切りは _ です\n");
}

TEST(Rendered, EraDateShowsTheIsoDate) {
  EXPECT_EQ(render_case("E0005_era_date"),
            "case.shiki:5:16: error[E0005]: 日付は 2026-04-01 の形で書きます: 令和8年4月1日\n"
            "  5 |   27_000円 from 令和8年4月1日   # expect: error[E0005]\n"
            "    |                 ^^^^^^^^^^^^^\n"
            "    |                 2026-04-01\n"
            "note: 和暦は西暦の日付にします\n");
}

TEST(Rendered, RateWithoutPercentShowsThePercent) {
  EXPECT_EQ(render_case("E0210_rate_without_percent"),
            "case.shiki:5:3: error[E0210]: 率には % を付けます: 7.62\n"
            "  5 |   7.62 from 2026-04-01   # expect: error[E0210]\n"
            "    |   ^^^^\n"
            "    |   7.62%\n"
            "note: 7.62 は 762% と読めます。7.62% のつもりなら % を付けます\n");
}

TEST(Rendered, MisspeltOverrideSuggestsTheImportedName) {
  std::string text = render_case("E0103_override_did_you_mean");
  EXPECT_NE(text.find("note: もしかして「医療分.被保険者均等割額」"), std::string::npos) << text;
  EXPECT_EQ(text.find("override を消す"), std::string::npos) << text;
}

// shiki check --format json: one object with the place, the message, the
// notes and the fix-its.
TEST(Rendered, JsonCarriesCodeSeverityPlaceNotesAndFixIts) {
  fs::path dir = kDir / "E0210_rate_without_percent";
  class JsonSink : public CaptureSink {
   public:
    std::string text;
   protected:
    void emit(const Diagnostic& d) override {
      std::ostringstream out;
      shiki::diag::render_json(d, out);
      text += out.str();
    }
  } js;
  shiki::engine::build(module_of(dir), js);
  std::string file = (dir / "case.shiki").string();
  EXPECT_EQ(js.text, "{\"code\": \"E0210\", \"severity\": \"error\", \"file\": \"" + file +
                         "\", \"line\": 5, \"column\": 3, \"width\": 4, \"message\": \"率には % を付けます: 7.62\", "
                         "\"message_en\": \"a rate is written with %: 7.62\", \"notes\": [{\"file\": null, \"line\": null, "
                         "\"column\": null, \"width\": null, \"message\": \"7.62 は 762% と読めます。7.62% のつもりなら % を付けます\"}], "
                         "\"fixits\": [{\"file\": \"" + file + "\", \"line\": 5, \"column\": 3, \"width\": 4, "
                         "\"replacement\": \"7.62%\"}]}");
}

TEST(Rendered, ThousandsCommasShowUnderscores) {
  std::string text = render_case("E0004_thousands_commas");
  EXPECT_NE(text.find("    |   27_000円\n"), std::string::npos) << text;
}

}  // namespace
