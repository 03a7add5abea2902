// `shiki golden DIR`: run every golden case below DIR.
#include <fstream>
#include <iostream>
#include <map>

#include "analysis/golden_case.h"
#include "commands.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace shiki::cli {

namespace fs = std::filesystem;

namespace {

struct GoldenArgs {
  std::string dir, rulesets = "rulesets";
  bool update = false;
};

// --update: the expected values that differ are rewritten in place.
void update_case(analysis::GoldenCase& c, const analysis::CaseRun& run) {
  for (const auto& m : run.mismatches) {
    auto& l = c.lines[m.expectation->line];
    l = l.substr(0, l.find(" = ") + 3) + (m.actual ? *m.actual : "absent");
  }
  std::ofstream o(c.file);
  for (const auto& l : c.lines) o << l << "\n";
  std::cout << "updated " << c.file.string() << "\n";
}

int run_golden(const GoldenArgs& args) {
  const auto files = analysis::case_files(args.dir);
  if (files.empty()) {
    std::cerr << "no .case files under " << args.dir << "\n";
    return 1;
  }
  std::map<std::string, std::shared_ptr<const engine::Ruleset>> rulesets;
  std::map<std::string, std::unique_ptr<engine::Evaluator>> evaluators;
  int passed = 0, failed = 0, pending = 0;
  for (const auto& f : files) {
    analysis::GoldenCase c = analysis::read_case(f);
    auto fail = [&](const std::string& what) {
      std::cout << "FAIL " << f.string() << ": " << what << "\n";
      ++failed;
    };
    if (!c.error.empty()) { fail(c.error); continue; }
    if (!rulesets.count(c.ruleset)) {
      diag::TextSink sink(std::cerr);
      rulesets[c.ruleset] = engine::Ruleset::load(fs::path(args.rulesets) / c.ruleset, sink);
      if (rulesets[c.ruleset]) evaluators[c.ruleset] = rulesets[c.ruleset]->evaluator();
    }
    if (!rulesets[c.ruleset]) { fail("ruleset " + c.ruleset + " does not compile"); continue; }
    const auto run = analysis::run_case(c, *evaluators[c.ruleset]);
    using V = analysis::CaseRun::Verdict;
    if (run.verdict == V::kPendingPasses) { fail("passes now: remove its `pending` line"); continue; }
    if (run.verdict == V::kPending) { ++pending; continue; }
    if (run.verdict == V::kFailed && args.update) {
      update_case(c, run);
      ++passed;
      continue;
    }
    if (run.verdict == V::kPassed) { ++passed; continue; }
    std::cout << "FAIL " << f.string() << "\n";
    for (const auto& m : run.mismatches)
      std::cout << "  " << m.expectation->path << ": expected " << m.expectation->value << ", got "
                << (m.actual ? *m.actual : "absent") << "\n";
    if (!run.evaluation_error.empty()) std::cout << "  (evaluation error: " << run.evaluation_error << ")\n";
    ++failed;
  }
  if (pending) std::cout << pending << " pending: cases of what the rulesets do not compute yet\n";
  std::cout << passed << " passed, " << failed << " failed";
  if (pending) std::cout << ", " << pending << " skipped";
  std::cout << "\n";
  return failed ? 1 : 0;
}

}  // namespace

void register_golden_commands(CLI::App& app) {
  auto* g = app.add_subcommand("golden", "ゴールデンケースを実行します (run golden cases)");
  static GoldenArgs args;
  g->add_option("dir", args.dir, "folder of .case files (or one file)")->required();
  g->add_option("--rulesets", args.rulesets, "folder holding the rulesets named by the cases")->default_val("rulesets");
  g->add_flag("--update", args.update, "rewrite the expected values that differ (never in CI)");
  g->callback([] { std::exit(run_golden(args)); });
}

}  // namespace shiki::cli
