// The solver form's server side on the Matsudo ruleset and the sample
// population: today's revenue gives back today's figures, the answer is in
// the ruleset's own spelling, a target the caps cannot reach and a part
// that does not exist are said in words, and nothing is written.
#include <gtest/gtest.h>

#include "ruleset_copy.h"
#include "studio/solver.h"
#include "studio/workspace.h"

namespace shiki::studio {
namespace {
namespace fs = std::filesystem;

class StudioSolver : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = copy_rulesets("shiki-studio-solver-test");
    const fs::path src = SHIKI_SOURCE_DIR;
    ws_ = std::make_unique<Workspace>(WorkspaceOptions{dir_ / "rulesets/matsudo", dir_ / "golden",
                                                       src / "samples/matsudo-fy2026.jsonl", 0, 2});
  }
  void TearDown() override { fs::remove_all(dir_); }

  SolveAnswer solve(std::vector<SolveTarget> targets) {
    const auto saved = ws_->saved();
    return studio::solve(SolveRequest{ws_->ruleset_dir(), saved->files, saved->ruleset.get(), &ws_->population(),
                                      ws_->fiscal_year(), std::move(targets)});
  }
  long long today(int part) const {
    long long sum = 0;
    for (const auto& h : ws_->saved()->assessment.households)
      if (h.ok) sum += h.annual[part];
    return sum;
  }
  std::vector<fs::path> listing() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(StudioSolver, TodaysRevenueGivesTodaysFigures) {
  ASSERT_TRUE(solver_available());
  const auto before = listing();
  const long long revenue = today(analysis::kMedical);
  const auto a = solve({{"medical", revenue, ""}});
  ASSERT_TRUE(a.ok) << a.message;
  const auto& r = a.result;
  ASSERT_GE(r["parameters"].size(), 2u);
  for (const auto& p : r["parameters"]) EXPECT_EQ(p["value"], p["before"]) << p.dump();
  EXPECT_EQ(r["parameters"][0]["name"], "医療分.所得割率");
  EXPECT_EQ(r["revenue"]["medical"].get<long long>(), revenue);
  EXPECT_EQ(r["parts"]["medical"]["gap"].get<long long>(), 0);
  EXPECT_EQ(listing(), before) << "solving writes nothing";
}

TEST_F(StudioSolver, MoreRevenueRaisesTheFiguresWithinTheRounding) {
  const long long target = today(analysis::kMedical) * 103 / 100;
  const auto a = solve({{"医療分", target, "50:50"}});
  ASSERT_TRUE(a.ok) << a.message;
  const auto& medical = a.result["parts"]["medical"];
  EXPECT_EQ(medical["gap"].get<long long>(), medical["revenue"].get<long long>() - target);
  EXPECT_LT(std::llabs(medical["gap"].get<long long>()), target / 200);
  for (const auto& p : a.result["parameters"]) {
    const std::string v = p["value"];
    EXPECT_TRUE(v.ends_with("%") || v.ends_with("円")) << v;
  }
}

TEST_F(StudioSolver, SaysWhyWhenNoFiguresCanBeFound) {
  auto a = solve({{"medical", 1'000'000'000'000'000, ""}});
  EXPECT_FALSE(a.ok);
  EXPECT_TRUE(a.message.starts_with("この目標額に届く料率はありません")) << a.message;
  a = solve({{"dental", 1000, ""}});
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.message, "区分「dental」はありません");
  a = solve({{"medical", 1000, "half"}});
  EXPECT_FALSE(a.ok);
}

}  // namespace
}  // namespace shiki::studio
