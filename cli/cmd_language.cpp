// eval, explain, dis (and check, cmd_check.cpp; dump, cmd_dump.cpp): the commands policy staff use on a ruleset.
#include <fstream>
#include <iostream>
#include <thread>

#include "adapters/json/household_reader.h"
#include "commands.h"
#include "interpreter/engine/engine.h"
#include "interpreter/engine/pipeline.h"
#include "jsonl.h"
#include "interpreter/time/time.h"

namespace shiki::cli {

namespace {

int dis(const std::string& dir, const std::string& rule) {
  diag::TextSink sink(std::cerr);
  auto program = engine::build(dir, sink);
  if (!program) return 1;
  bool found = false;
  for (const auto& c : program->chunks)
    if (rule.empty() || c.name == rule || c.name.find(rule) != std::string::npos) {
      std::cout << bytecode::disassemble(*program, c) << "\n";
      found = true;
    }
  if (!found) {
    std::cerr << "no rule named " << rule << "\n";
    return 1;
  }
  return 0;
}

int explain(const std::string& dir, int year, const std::string& file, const std::string& household, bool full) {
  diag::TextSink sink(std::cerr);
  auto ruleset = engine::Ruleset::load(dir, sink);
  if (!ruleset) return 1;
  auto ev = ruleset->evaluator();
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    return 1;
  }
  std::string line;
  int n = 0;
  bool any = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!household.empty() && (!j.is_object() || j.value("household_id", "") != household)) continue;
    if (j.is_object() && year && j.value("fiscal_year", 0) != year) continue;
    any = true;
    std::cout << explain_text(*ruleset, j, n, full);
    if (!household.empty()) break;
  }
  if (!any) {
    std::cerr << "no household " << household << " for fiscal year " << year << " in " << file << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void register_language_commands(CLI::App& app) {
  register_check_command(app);

  auto* e = app.add_subcommand("eval", "世帯を評価します (households as JSON Lines in, results out)");
  static EvalArgs eval_args;
  e->add_option("--ruleset", eval_args.ruleset, "ruleset folder")->required();
  e->add_option("--year", eval_args.year, "fiscal year; a household of another year gets an error record")->required();
  e->add_option("--jobs", eval_args.jobs, "worker threads")->default_val(1);
  e->add_option("--date", eval_args.date, "evaluation date YYYY-MM-DD for records without evaluation_date")
      ->check([](const std::string& d) { return time::parse_date(d) ? std::string() : "not a date (YYYY-MM-DD): " + d; });
  e->add_flag("--explain", eval_args.explain, "add the trace of every figure");
  e->add_flag("--ignore-unknown-fields", eval_args.ignore_unknown, "accept fields the ruleset does not declare");
  e->add_flag("--every-month", eval_args.every_month,
              "compute all twelve months even where `alike when` says they are alike (to check that the figures agree)");
  e->add_option("file", eval_args.file, "JSON Lines file, or - for standard input")->default_val("-");
  e->callback([] { std::exit(run_eval(eval_args)); });

  auto* x = app.add_subcommand("explain", "一世帯の計算の説明 (a summary; --full: the tree with sources)");
  static std::string x_dir, x_file, x_household;
  static int x_year = 0;
  static bool x_full = false;
  x->add_flag("--full", x_full, "every figure, with what it used and its source");
  x->add_option("--ruleset", x_dir, "ruleset folder")->required();
  x->add_option("--year", x_year, "fiscal year")->required();
  x->add_option("--household", x_household, "household_id (default: every household)");
  x->add_option("file", x_file, "JSON Lines file")->required();
  x->callback([] { std::exit(explain(x_dir, x_year, x_file, x_household, x_full)); });

  auto* d = app.add_subcommand("dis", "バイトコードを表示します (disassemble)");
  static std::string d_dir, d_rule;
  d->add_option("--ruleset", d_dir, "ruleset folder")->required();
  d->add_option("rule", d_rule, "rule name (default: every chunk)");
  d->callback([] { std::exit(dis(d_dir, d_rule)); });

  register_dump_command(app);
}

}  // namespace shiki::cli
