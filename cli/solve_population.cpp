#include "solve_population.h"

#include <fstream>
#include <thread>

#include "solve_parts.h"

namespace shiki::cli::solve {

namespace {

using nlohmann::json;

long long yen_at(const json& part, const char* field) {
  auto it = part.find(field);
  return it != part.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

void add(Sums& to, const Sums& from) {
  for (std::size_t p = 0; p < to.parts.size(); ++p) {
    PartSums& a = to.parts[p];
    const PartSums& b = from.parts[p];
    a.income_levy += b.income_levy, a.per_capita += b.per_capita, a.per_household += b.per_household;
    a.reduction += b.reduction, a.over_cap += b.over_cap, a.annual += b.annual;
    a.capped_annual += b.capped_annual;
  }
  to.assessed += from.assessed, to.failed += from.failed;
  if (to.first_error.empty()) to.first_error = from.first_error;
}

void add_record(Sums& to, const json& record) {
  const json& premium = record.at("premium");
  for (std::size_t p = 0; p < kParts.size(); ++p) {
    auto it = premium.find(kParts[p].id);
    if (it == premium.end()) continue;  // 子ども分 before FY2026
    auto& s = to.parts[p];
    s.income_levy += yen_at(*it, "income_levy"), s.per_capita += yen_at(*it, "per_capita");
    s.per_household += yen_at(*it, "per_household"), s.reduction += yen_at(*it, "reduction");
    long long over_cap = yen_at(*it, "over_cap"), annual = yen_at(*it, "annual");
    s.over_cap += over_cap, s.annual += annual;
    if (over_cap > 0) s.capped_annual += annual;
  }
  ++to.assessed;
}

void add_failure(Sums& to, const engine::Outcome& out) {
  if (!to.failed++) to.first_error = out.record.dump();
}

// Runs `work(worker, begin, end)` on `jobs` threads over contiguous slices
// of `n` households, each worker summing into its own Sums.
template <class Work>
Sums in_parallel(std::size_t n, int jobs, Work work) {
  jobs = std::max(1, jobs);
  std::vector<Sums> partial(jobs);
  auto run = [&](int w) { work(partial[w], n * w / jobs, n * (w + 1) / jobs); };
  std::vector<std::thread> threads;
  for (int w = 1; w < jobs; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  Sums total;
  for (const auto& s : partial) add(total, s);
  return total;
}

}  // namespace

std::optional<Population> Population::read(const std::filesystem::path& file, std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cannot read " + file.string();
    return std::nullopt;
  }
  Population p;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    p.text_.push_back(std::move(line));
    p.text_lines_.push_back(n);
  }
  return p;
}

Sums Population::evaluate_today(const engine::Ruleset& ruleset, const engine::EvalOptions& options, int jobs) {
  std::vector<json> parsed(text_.size());
  std::vector<char> ok(text_.size());
  Sums total = in_parallel(text_.size(), jobs, [&](Sums& sums, std::size_t begin, std::size_t end) {
    auto evaluator = ruleset.evaluator();
    for (std::size_t i = begin; i < end; ++i) {
      auto out = evaluator->evaluate_text(text_[i], options, text_lines_[i]);
      if (!out.ok) {
        add_failure(sums, out);
        continue;
      }
      add_record(sums, out.record);
      parsed[i] = json::parse(text_[i]);
      ok[i] = 1;
    }
  });
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (ok[i]) {
      households_.push_back(std::move(parsed[i]));
      lines_.push_back(text_lines_[i]);
    }
  failed_today_ = total.failed;
  first_error_today_ = total.first_error;
  text_.clear(), text_.shrink_to_fit(), text_lines_.clear();
  return total;
}

Sums Population::evaluate(const engine::Ruleset& ruleset, const engine::EvalOptions& options, int jobs) const {
  Sums total = in_parallel(households_.size(), jobs, [&](Sums& sums, std::size_t begin, std::size_t end) {
    auto evaluator = ruleset.evaluator();
    for (std::size_t i = begin; i < end; ++i) {
      auto out = evaluator->evaluate(households_[i], options, lines_[i]);
      if (out.ok) add_record(sums, out.record);
      else add_failure(sums, out);
    }
  });
  total.failed += failed_today_;
  if (total.first_error.empty()) total.first_error = first_error_today_;
  return total;
}

}  // namespace shiki::cli::solve
