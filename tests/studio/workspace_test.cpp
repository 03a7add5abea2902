// The studio's server side without a browser: the comparison's bins and
// averages, and saving (refused when it does not compile, when a golden case
// moves, or when the files changed since; written otherwise).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ruleset_copy.h"
#include "studio/compare_view.h"
#include "studio/workspace.h"

namespace shiki::studio {
namespace {
namespace fs = std::filesystem;

std::vector<analysis::HouseholdChange> changes(std::initializer_list<long long> deltas) {
  std::vector<analysis::HouseholdChange> out;
  std::size_t i = 0;
  for (long long d : deltas) out.push_back({i++, 1000, 1000 + d});
  return out;
}

TEST(StudioCompare, BinsAreRoundAndCoverEveryChange) {
  auto bins = histogram(changes({-450, 0, 0, 120, 3400}), 24);
  ASSERT_FALSE(bins.empty());
  EXPECT_EQ(bins.front().from, -600);  // width 200: -450 falls in [-600, -401]
  EXPECT_EQ(bins.front().to - bins.front().from + 1, 200);
  long total = 0;
  for (const auto& b : bins) total += b.households;
  EXPECT_EQ(total, 5);
  EXPECT_LE(bins.size(), 24u);
  EXPECT_EQ(histogram(changes({0, 0}), 24).size(), 1u);
}

TEST(StudioCompare, AveragesRoundHalfAwayFromZeroInWholeYen) {
  EXPECT_EQ(average(5, 2), 3);
  EXPECT_EQ(average(-5, 2), -3);
  EXPECT_EQ(average(4, 3), 1);
  EXPECT_EQ(average(7, 0), 0);
  EXPECT_EQ(class_label("0.7"), "7割軽減");
  EXPECT_EQ(class_label("0"), "軽減なし");
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class StudioSave : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = copy_rulesets("shiki-studio-test");
    const fs::path src = SHIKI_SOURCE_DIR;
    fs::copy(src / "golden/matsudo/fy2026", dir_ / "golden/fy2026", fs::copy_options::recursive);
    ws_ = std::make_unique<Workspace>(WorkspaceOptions{dir_ / "rulesets/matsudo", dir_ / "golden",
                                                       src / "samples/matsudo-fy2026.jsonl", 0, 2});
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path file(const std::string& name) const { return dir_ / "rulesets/matsudo" / name; }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(StudioSave, WritesOnlyWhatCompilesAndKeepsTheGoldenCases) {
  ASSERT_EQ(ws_->fiscal_year(), 2026);
  const auto saved = ws_->saved();
  const std::string original = saved->files.at("unconfirmed.shiki");

  Files broken = saved->files;
  broken["unconfirmed.shiki"].replace(broken["unconfirmed.shiki"].find("7.62% from 2026"), 5, "7.62");
  EXPECT_EQ(ws_->save(broken, saved->digest).status, SaveOutcome::Status::kDoesNotCompile);

  Files reform = saved->files;
  reform["unconfirmed.shiki"].replace(reform["unconfirmed.shiki"].find("  27_000円 from 2026"), 8, "  28_000");
  const auto moved = ws_->save(reform, saved->digest);
  EXPECT_EQ(moved.status, SaveOutcome::Status::kGoldenMoved);
  EXPECT_FALSE(moved.moved.empty());
  EXPECT_GT(moved.cases_run, static_cast<int>(moved.moved.size()));
  EXPECT_EQ(slurp(file("unconfirmed.shiki")), original);

  EXPECT_EQ(ws_->save(saved->files, saved->digest).status, SaveOutcome::Status::kUnchanged);
  Files comment = saved->files;
  comment["unconfirmed.shiki"] = "# a note\n" + original;
  EXPECT_EQ(ws_->save(comment, "not-the-digest").status, SaveOutcome::Status::kConflict);
  const auto ok = ws_->save(comment, saved->digest);
  EXPECT_EQ(ok.status, SaveOutcome::Status::kSaved);
  EXPECT_EQ(ok.written, std::vector<std::string>{"unconfirmed.shiki"});
  EXPECT_EQ(slurp(file("unconfirmed.shiki")), "# a note\n" + original);
  EXPECT_NE(ws_->saved()->digest, saved->digest);
  for (const auto& e : fs::directory_iterator(dir_ / "rulesets/matsudo"))
    EXPECT_EQ(e.path().filename().string().find(".saving"), std::string::npos) << "a temporary file was left";

  // Changed on disk behind the studio's back: the next save is refused.
  std::ofstream(file("matsudo.shiki"), std::ios::app) << "# edited by hand\n";
  Files again = ws_->saved()->files;
  again["unconfirmed.shiki"] += "# another note\n";
  EXPECT_EQ(ws_->save(again, ws_->saved()->digest).status, SaveOutcome::Status::kConflict);
}

TEST_F(StudioSave, ADraftsDiagnosticsNameTheEditorsFile) {
  Files broken = ws_->saved()->files;
  const auto at = broken["unconfirmed.shiki"].find("7.62% from 2026");
  broken["unconfirmed.shiki"].replace(at, 5, "7.62");
  const auto draft = ws_->draft(broken);
  ASSERT_TRUE(draft);
  EXPECT_FALSE(draft->ruleset);
  ASSERT_EQ(draft->errors, 1);
  const auto& d = draft->diagnostics[0];
  EXPECT_EQ(d["code"], "E0210");
  EXPECT_EQ(d["file"], "matsudo/unconfirmed.shiki");
  EXPECT_EQ(d["editable"], "unconfirmed.shiki");
  const auto text = broken["unconfirmed.shiki"];
  EXPECT_EQ(d["line"].get<long>(), std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
  Files other = ws_->saved()->files;
  other["../escape.shiki"] = "x";
  EXPECT_FALSE(ws_->draft(other)) << "only the folder's own files";
}

}  // namespace
}  // namespace shiki::studio
