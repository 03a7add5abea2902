// `shiki golden DIR`: run every golden case below DIR.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.h"
#include "golden_case.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace shiki::cli {

namespace fs = std::filesystem;

namespace {

struct GoldenArgs {
  std::string dir, rulesets = "rulesets";
  bool update = false;
};

int run_golden(const GoldenArgs& args) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(args.dir)) files.push_back(args.dir);
  else
    for (auto it = fs::recursive_directory_iterator(args.dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
      if (it->path().extension() == ".case") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "no .case files under " << args.dir << "\n";
    return 1;
  }
  std::map<std::string, std::shared_ptr<const engine::Ruleset>> rulesets;
  std::map<std::string, std::unique_ptr<engine::Evaluator>> evaluators;
  int passed = 0, failed = 0, pending = 0;
  for (const auto& f : files) {
    GoldenCase c = read_case(f);
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
    auto out = evaluators[c.ruleset]->evaluate_text(c.input, {}, 1);
    if (!c.pending.empty()) {
      // A pending case still runs: once it passes, the `pending` line must go,
      // so a case can never stay skipped after the engine computes it.
      bool all = std::all_of(c.expectations.begin(), c.expectations.end(), [&](const Expectation& e) {
        return same_value(e.value, value_at(out.record, e.path));
      });
      if (all) fail("passes now: remove its `pending` line");
      else ++pending;
      continue;
    }
    bool ok = true, changed = false;
    for (const auto& e : c.expectations) {
      auto actual = value_at(out.record, e.path);
      if (same_value(e.value, actual)) continue;
      if (args.update) {
        auto& l = c.lines[e.line];
        l = l.substr(0, l.find(" = ") + 3) + (actual ? *actual : "absent");
        changed = true;
        continue;
      }
      if (ok) std::cout << "FAIL " << f.string() << "\n";
      ok = false;
      std::cout << "  " << e.path << ": expected " << e.value << ", got " << (actual ? *actual : "absent") << "\n";
    }
    if (!ok && out.record.contains("error")) std::cout << "  (evaluation error: " << out.record["error"].dump() << ")\n";
    if (changed) {
      std::ofstream o(f);
      for (const auto& l : c.lines) o << l << "\n";
      std::cout << "updated " << f.string() << "\n";
    }
    ok ? ++passed : ++failed;
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
