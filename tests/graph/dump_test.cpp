// `shiki dump --stage=graph`: the evaluation order graph/ computes, each
// rule after the rules it uses, and one rule's dependencies. The rules are
// declared out of order on purpose; the expected order is worked out by hand.
#include <gtest/gtest.h>

#include "interpreter/check/check.h"
#include "interpreter/graph/graph.h"
#include "interpreter/resolve/resolve.h"
#include "tests/support/inline_ruleset.h"

namespace {

using shiki::testing::InlineRuleset;

// Ids in the order declared: 額 0, 所得計 1, 二倍 2, 無関係 3.
const char* kText =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "entity 被保険者 of 世帯 field \"members\"\n"
    "input 被保険者.所得 : money field \"income\" default 0\n"
    "parameter 率 : rate\n"
    "  10% from 2025-04-01\n"
    "rule 世帯.額 : money = truncate(所得計 * 率, 100)\n"
    "rule 世帯.所得計 : money = sum(被保険者, 所得)\n"
    "rule 世帯.二倍 : money = 額 + 額\n"
    "rule 世帯.無関係 : money = 0円\n";

class GraphDump : public ::testing::Test {
 protected:
  void SetUp() override {
    shiki::diag::CaptureSink sink;
    program = shiki::resolve::run(rs.dir(), sink);
    ASSERT_TRUE(program);
    ASSERT_TRUE(shiki::check::run(*program, sink));
    order = shiki::graph::run(*program, sink);
    ASSERT_EQ(sink.error_count(), 0);
  }
  InlineRuleset rs{kText};
  std::unique_ptr<shiki::resolve::Program> program;
  std::vector<int> order;
};

// 額 needs 所得計 first; 二倍 names 額 twice but uses it once.
TEST_F(GraphDump, EvaluationOrder) {
  EXPECT_EQ(shiki::graph::dump(*program, order),
            "== evaluation order: 4 rules, each after those it uses ==\n"
            "    1  世帯.所得計\n"
            "    2  世帯.額  uses 世帯.所得計\n"
            "    3  世帯.二倍  uses 世帯.額\n"
            "    4  世帯.無関係\n");
}

TEST_F(GraphDump, OneRulesDependencies) {
  EXPECT_EQ(shiki::graph::dump(*program, order, 2),
            "== 世帯.二倍: uses 1, needs 2, used by 0 ==\n"
            "uses\n"
            "  世帯.額\n"
            "needs, in evaluation order\n"
            "    1  世帯.所得計\n"
            "    2  世帯.額\n"
            "used by\n");
  EXPECT_EQ(shiki::graph::dump(*program, order, 1),
            "== 世帯.所得計: uses 0, needs 0, used by 1 ==\n"
            "uses\n"
            "needs, in evaluation order\n"
            "used by\n"
            "  世帯.額\n");
}

}  // namespace
