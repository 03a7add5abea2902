#include "jsonl.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <thread>

#include "interpreter/diag/diag.h"

namespace shiki::cli {

std::string explain_text(const engine::Ruleset& rs, const nlohmann::json& household, int line, bool full) {
  auto ev = rs.evaluator();
  engine::EvalOptions opt;
  opt.explain_text = true;
  opt.explain_full = full;
  auto out = ev->evaluate(household, opt, line);
  std::string id = household.is_object() ? household.value("household_id", "") : "";
  std::string head = "== " + id + " ==\n";
  if (!out.ok) return head + "error: " + out.record.dump() + "\n";
  return head + out.text + "\n";
}

int run_eval(const EvalArgs& args) {
  diag::TextSink sink(std::cerr);
  auto ruleset = engine::Ruleset::load(args.ruleset, sink);
  if (!ruleset) return 1;
  const auto& years = ruleset->info().fiscal_years;
  if (std::find(years.begin(), years.end(), args.year) == years.end()) {
    std::cerr << "fiscal year " << args.year << " is not covered by ruleset " << ruleset->info().id << " ("
              << years.front() << "–" << years.back() << ")\n";
    return 1;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (args.file != "-") {
    file.open(args.file);
    if (!file) {
      std::cerr << "cannot read " << args.file << "\n";
      return 1;
    }
    in = &file;
  }
  int jobs = std::max(1, args.jobs);
  std::vector<std::unique_ptr<engine::Evaluator>> evaluators;
  for (int i = 0; i < jobs; ++i) evaluators.push_back(ruleset->evaluator());
  engine::EvalOptions opt;
  opt.explain = args.explain;
  opt.ignore_unknown_fields = args.ignore_unknown;
  opt.every_month = args.every_month;
  opt.record_as_text = true;
  opt.fiscal_year = args.year;  // a record of another year is an error record, not assessed as its own year
  opt.evaluation_date = args.date;
  // Households are read in batches; each batch is evaluated by every worker
  // on interleaved lines and written in input order.
  constexpr std::size_t kBatch = 8192;
  std::vector<std::string> lines;
  std::vector<std::string> results;
  std::vector<char> failed;
  int line_no = 0;
  bool any_failed = false;
  std::string line;
  for (bool more = true; more;) {
    lines.clear();
    while (lines.size() < kBatch && (more = static_cast<bool>(std::getline(*in, line))))
      lines.push_back(line);
    results.assign(lines.size(), {});
    failed.assign(lines.size(), 0);
    auto work = [&](int w) {
      for (std::size_t i = w; i < lines.size(); i += jobs) {
        if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
        auto out = evaluators[w]->evaluate_text(lines[i], opt, line_no + static_cast<int>(i) + 1);
        results[i] = out.ok && !out.text.empty() ? std::move(out.text) : out.record.dump();
        failed[i] = !out.ok;
      }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < jobs; ++w) threads.emplace_back(work, w);
    work(0);
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (results[i].empty()) continue;
      std::cout << results[i] << '\n';
      any_failed |= failed[i] != 0;
    }
    line_no += static_cast<int>(lines.size());
  }
  std::cout.flush();
  return any_failed ? 3 : 0;
}

}  // namespace shiki::cli
