// `shiki dump --stage=checked`: the resolved print with what check/ wrote
// into each expression (its type; what a name is) and each rule's uses.
// The expected text is the ruleset below, typed by hand.
#include <gtest/gtest.h>

#include "interpreter/check/check.h"
#include "interpreter/resolve/resolve.h"
#include "tests/support/inline_ruleset.h"

namespace {

using shiki::testing::InlineRuleset;

const char* kText =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "entity 被保険者 of 世帯 field \"members\"\n"
    "input 被保険者.所得 : money field \"income\" default 0\n"
    "parameter 率 : rate\n"
    "  10% from 2025-04-01\n"
    "rule 世帯.額 : money source \"条例 第2条\" = truncate(所得計 * 率, 100)\n"
    "rule 世帯.所得計 : money = sum(被保険者 where 所得 > 0, 所得)\n"
    "rule 世帯.二倍 : money = let x = 額 in x * 2\n";

class CheckedDump : public ::testing::Test {
 protected:
  void SetUp() override {
    shiki::diag::CaptureSink sink;
    program = shiki::resolve::run(rs.dir(), sink);
    ASSERT_TRUE(program);
    ASSERT_TRUE(shiki::check::run(*program, sink));
    ASSERT_EQ(sink.error_count(), 0);
  }
  // Rules are numbered in the order declared.
  std::string rule(int id) { return shiki::check::dump(*program, id); }

  InlineRuleset rs{kText};
  std::unique_ptr<shiki::resolve::Program> program;
};

TEST_F(CheckedDump, NamesResolvedToRuleParameterAndRounding) {
  EXPECT_EQ(rule(0),
            "rule 世帯.額 : money\n"
            "  entity 世帯  module t  at " + rs.file() + ":7\n"
            "  uses 世帯.所得計\n"
            "  source \"条例 第2条\"\n"
            "  =\n"
            "    call truncate  : money -> builtin truncate to a multiple of 10^2\n"
            "      *  : money\n"
            "        所得計  : money -> rule 世帯.所得計\n"
            "        率  : rate -> parameter 率\n"
            "      100  : integer\n");
}

// The aggregation's entity is no expression of its own: no note.
TEST_F(CheckedDump, AggregationOverMembersReadsTheirInput) {
  EXPECT_EQ(rule(1),
            "rule 世帯.所得計 : money\n"
            "  entity 世帯  module t  at " + rs.file() + ":8\n"
            "  =\n"
            "    call sum  : money -> sum over 被保険者\n"
            "      被保険者\n"
            "      where\n"
            "        >  : boolean\n"
            "          所得  : money -> input 被保険者.所得\n"
            "          0  : integer (unsuffixed)\n"
            "      所得  : money -> input 被保険者.所得\n");
}

TEST_F(CheckedDump, LetBindsALocal) {
  EXPECT_EQ(rule(2),
            "rule 世帯.二倍 : money\n"
            "  entity 世帯  module t  at " + rs.file() + ":9\n"
            "  uses 世帯.額\n"
            "  =\n"
            "    let x  : money -> binds local 0\n"
            "      額  : money -> rule 世帯.額\n"
            "      *  : money\n"
            "        x  : money -> local 0\n"
            "        2  : integer (unsuffixed)\n");
}

}  // namespace
