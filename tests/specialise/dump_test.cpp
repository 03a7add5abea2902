// `shiki dump --stage=plan`: the bytecode of one fiscal year. The parameter
// becomes the constant of the version in force on 1 April, appended after
// the base program's constants and named with its version.
#include <gtest/gtest.h>

#include "interpreter/engine/pipeline.h"
#include "interpreter/specialise/specialise.h"
#include "tests/support/inline_ruleset.h"

namespace {

using shiki::testing::InlineRuleset;

const char* kText =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "input 世帯.所得 : money field \"income\" default 0\n"
    "parameter 率 : rate\n"
    "  10% from 2025-04-01\n"
    "  12% from 2026-04-01 source \"条例 第3条\"\n"
    "rule 世帯.額 : money source \"条例 第2条\" = truncate(所得 * 率, 100)\n";

class PlanDump : public ::testing::Test {
 protected:
  void SetUp() override {
    shiki::diag::CaptureSink sink;
    program = shiki::engine::build(rs.dir(), sink);
    ASSERT_TRUE(program);
  }
  // The plan's listing of 世帯.額 (rule 0): the year's rate is constant k.
  std::string expected(int year, const std::string& rate, const std::string& from) {
    std::string k = std::to_string(program->constants.size());
    return "== plan FY" + std::to_string(year) + " of t: 1 chunk, 5 instructions; 1 PARAM -> CONST, "
           "0 PARAM left (no version in force) ==\n"
           "== 世帯.額  " + rs.file() + " ==\n"
           "0000    7 INPUT        0 0    ; 世帯.所得\n"
           "0001    | CONST        " + k + "    ; " + rate + "  率 from " + from + "\n"
           "0002    | MUL         \n"
           "0003    | ROUND        0 2    ; TRUNC 10^2\n"
           "0004    | RETURN      \n";
  }
  InlineRuleset rs{kText};
  std::shared_ptr<const shiki::bytecode::Program> program;
};

TEST_F(PlanDump, ParameterFoldedForEachYear) {
  EXPECT_EQ(shiki::specialise::dump(*shiki::specialise::run(program, 2025), 0), expected(2025, "0.1", "2025-04-01"));
  EXPECT_EQ(shiki::specialise::dump(*shiki::specialise::run(program, 2026), 0), expected(2026, "0.12", "2026-04-01"));
}

// The base program is untouched: `shiki dis` still shows the PARAM.
TEST_F(PlanDump, BaseKeepsTheParameter) {
  auto plan = shiki::specialise::run(program, 2026);
  EXPECT_NE(shiki::bytecode::disassemble(*program, program->chunks[0]).find("PARAM        0    ; 率\n"),
            std::string::npos);
}

}  // namespace
