#include "analysis/assess.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace shiki::analysis {

const char* part_key(int part) {
  static const char* const kKeys[] = {"medical", "support", "care", "child", "total"};
  return kKeys[part];
}

const char* part_label_ja(int part) {
  static const char* const kLabels[] = {"医療分", "支援金分", "介護分", "子ども分", "合計"};
  return kLabels[part];
}

Figures figures_of(const engine::Outcome& outcome) {
  Figures f;
  if (!outcome.ok) return f;
  const auto premium = outcome.record.find("premium");
  if (premium == outcome.record.end() || !premium->is_object()) return f;
  f.ok = true;
  f.annual[kTotal] = premium->value("annual", 0LL);
  for (int p = kMedical; p < kTotal; ++p)
    if (auto part = premium->find(part_key(p)); part != premium->end() && part->is_object())
      f.annual[p] = part->value("annual", 0LL);
  f.statutory_reduction = premium->value("statutory_reduction", std::string("0"));
  return f;
}

Assessment assess(const engine::Ruleset& ruleset, const Population& population, int fiscal_year, int jobs) {
  Assessment a;
  a.ruleset_hash = ruleset.info().hash;
  const auto& records = population.records();
  a.households.resize(records.size());
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<int>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, records.size() / 256)));
  engine::EvalOptions options;
  options.fiscal_year = fiscal_year;
  // Contiguous slices, one evaluator each: every thread writes only its own
  // slice of the result, so nothing is shared but the immutable ruleset.
  auto work = [&](std::size_t from, std::size_t to) {
    auto evaluator = ruleset.evaluator();
    for (std::size_t i = from; i < to; ++i) {
      const auto& r = records[i];
      if (r.band < 0 || r.fiscal_year != fiscal_year) continue;
      // The engine turns a bad household into an error record; anything it
      // still throws is that household's failure, not the whole run's.
      try {
        a.households[i] = figures_of(evaluator->evaluate_text(r.text, options, r.line));
      } catch (const std::exception&) {
        a.households[i] = Figures{};
      }
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = records.size(), slice = (n + jobs - 1) / std::max(jobs, 1);
  for (int j = 1; j < jobs; ++j) threads.emplace_back(work, std::min(n, j * slice), std::min(n, (j + 1) * slice));
  work(0, std::min(n, slice));
  for (auto& t : threads) t.join();
  return a;
}

}  // namespace shiki::analysis
