// `shiki dump --stage=resolved`: each declaration as resolve/ leaves it for
// the checker (a part's copy under its own name, an override in force with
// its module, an amended citation), with where it came from. The expected
// text is the ruleset below, read by hand.
#include <gtest/gtest.h>

#include "interpreter/resolve/resolve.h"
#include "tests/support/inline_ruleset.h"

namespace {

using shiki::testing::InlineRuleset;

// The rule of the block is on line 9: 乙分's copy reads 乙分.率.
const char* kCity =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "entity 被保険者 of 世帯 field \"members\"\n"
    "input 被保険者.所得 : money field \"income\" default 0\n"
    "parameter 甲分.率 : rate  10% from 2025-04-01\n"
    "parameter 乙分.率 : rate  8% from 2025-04-01 source \"条例 第3条\"\n"
    "rule 世帯.所得計 : money = sum(被保険者, 所得)\n"
    "part 甲分, 乙分 as 分 {\n"
    "  rule 世帯.分.額 : money source \"条例 第2条\" = truncate(所得計 * 分.率, 100)\n"
    "}\n";

std::unique_ptr<shiki::resolve::Program> resolved(const InlineRuleset& rs) {
  shiki::diag::CaptureSink sink;
  auto p = shiki::resolve::run(rs.dir(), sink);
  EXPECT_TRUE(p);
  EXPECT_EQ(sink.error_count(), 0);
  return p;
}

int rule_named(const shiki::resolve::Program& p, const std::string& name) {
  for (std::size_t r = 0; r < p.rules.size(); ++r)
    if (p.rules[r].display == name) return static_cast<int>(r);
  ADD_FAILURE() << "no rule " << name;
  return -1;
}

TEST(ResolvedDump, PartCopyUnderItsOwnName) {
  InlineRuleset rs(kCity);
  auto p = resolved(rs);
  ASSERT_TRUE(p);
  EXPECT_EQ(shiki::resolve::dump(*p, rule_named(*p, "世帯.乙分.額")),
            "rule 世帯.乙分.額 : money\n"
            "  entity 世帯  module t  at " + rs.file() + ":9\n"
            "  source \"条例 第2条\"\n"
            "  =\n"
            "    call truncate\n"
            "      *\n"
            "        所得計\n"
            "        乙分.率\n"
            "      100\n");
}

TEST(ResolvedDump, WholeProgramHasItsLayout) {
  InlineRuleset rs(kCity);
  auto p = resolved(rs);
  ASSERT_TRUE(p);
  std::string text = shiki::resolve::dump(*p);
  std::string after_hash = text.substr(text.find('\n') + 1);
  EXPECT_EQ(after_hash.substr(0, after_hash.find("\n\n-- parameters")),
            "fiscal_years 2025 to 2026\n"
            "module t  " + rs.dir().string() + "  1 file\n"
            "\n"
            "entity 世帯  inputs 0, memoised rules 3\n"
            "entity 被保険者 of 世帯 field \"members\"  inputs 1, memoised rules 0\n"
            "input 被保険者.所得 : money field \"income\"  slot 0  at " + rs.file() + ":4");
  EXPECT_NE(text.find("-- parameters (2) --\n"
                      "parameter 甲分.率 : rate\n"
                      "  module t  at " + rs.file() + ":5\n"
                      "  from 2025-04-01\n"
                      "    10%\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("-- rules (3) --\n"
                      "rule 世帯.所得計 : money\n"),
            std::string::npos) << text;
}

// An override is the declaration in force, named with the module that made
// it; an amendment's citation is joined to the imported rule's.
TEST(ResolvedDump, OverrideAndAmendment) {
  InlineRuleset rs("import base\n"
                   "override parameter 率 : rate\n"
                   "  7% from 2025-04-01\n"
                   "amend rule 世帯.額 source \"市条例 第5条\"\n",
                   "city");
  rs.sibling("base",
             "fiscal_years 2025 to 2025\n"
             "entity 世帯\n"
             "parameter 率 : rate set by ordinance\n"
             "rule 世帯.額 : money source \"法 第1条\" = truncate(1000円 * 率, 1)\n");
  auto p = resolved(rs);
  ASSERT_TRUE(p);
  std::string text = shiki::resolve::dump(*p);
  EXPECT_NE(text.find("override parameter 率 : rate\n"
                      "  module city  at " + rs.file() + ":2  (declared in base, set by ordinance)\n"
                      "  from 2025-04-01\n"
                      "    7%\n"),
            std::string::npos) << text;
  std::string base_file = (rs.dir().parent_path() / "base" / "main.shiki").string();
  EXPECT_EQ(shiki::resolve::dump(*p, rule_named(*p, "世帯.額")),
            "rule 世帯.額 : money\n"
            "  entity 世帯  module base  at " + base_file + ":4\n"
            "  source \"法 第1条; 市条例 第5条\"\n"
            "  =\n"
            "    call truncate\n"
            "      *\n"
            "        1000円\n"
            "        率\n"
            "      1\n");
}

}  // namespace
