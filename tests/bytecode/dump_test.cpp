// `shiki dump --stage=bytecode`: the disassembler of `shiki dis` on a rule
// of a ruleset written here. The listing is compiled by hand from the rule
// (compile/expr.cpp): the rule it uses, the parameter, the product, one
// rounding to 10^2 by truncation; 100 is the rounding's operand, no constant.
#include <gtest/gtest.h>

#include "interpreter/engine/pipeline.h"
#include "tests/support/inline_ruleset.h"

namespace {

using shiki::testing::InlineRuleset;

// Rule ids in the order declared: 額 0, 所得計 1; parameter 率 0.
const char* kText =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "entity 被保険者 of 世帯 field \"members\"\n"
    "input 被保険者.所得 : money field \"income\" default 0\n"
    "parameter 率 : rate\n"
    "  10% from 2025-04-01\n"
    "rule 世帯.額 : money source \"条例 第2条\"\n"
    "  = truncate(所得計 * 率, 100)\n"
    "rule 世帯.所得計 : money source \"条例 第1条\" = sum(被保険者, 所得)\n";

TEST(BytecodeDump, RuleChunk) {
  InlineRuleset rs(kText);
  shiki::diag::CaptureSink sink;
  auto program = shiki::engine::build(rs.dir(), sink);
  ASSERT_TRUE(program);
  const auto& chunk = program->chunks[program->rule_chunk[0]];
  EXPECT_EQ(shiki::bytecode::disassemble(*program, chunk),
            "== 世帯.額  " + rs.file() + " ==\n"
            "0000    8 RULE         1    ; 世帯.所得計\n"
            "0001    | PARAM        0    ; 率\n"
            "0002    | MUL         \n"
            "0003    | ROUND        0 2    ; TRUNC 10^2\n"
            "0004    | RETURN      \n");
}

}  // namespace
