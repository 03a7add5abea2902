#include "analysis/solve/population.h"

#include <charconv>
#include <fstream>
#include <string_view>
#include <thread>

#include "analysis/solve/parts.h"

namespace shiki::analysis::solve {

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

// The part sums read straight from a record's text (EvalOptions::
// record_as_text, the bytes `shiki eval` writes: compact JSON, keys in
// order), which spares building the record as a JSON tree and reading it
// back, a fifth of an evaluation's time. Each part is a flat object of
// integers under "premium". false when the text is not in that shape; the
// caller then parses it whole.
bool add_record_text(Sums& to, std::string_view text) {
  std::size_t premium = text.find("\"premium\":{");
  if (premium == std::string_view::npos) return false;
  std::array<PartSums, 4> found{};
  for (std::size_t p = 0; p < kParts.size(); ++p) {
    std::string key = std::string("\"") + kParts[p].id + "\":{";
    std::size_t at = text.find(key, premium);
    if (at == std::string_view::npos) continue;  // 子ども分 before FY2026
    auto& s = found[p];
    const std::pair<std::string_view, long long*> slots[] = {
        {"income_levy", &s.income_levy}, {"per_capita", &s.per_capita}, {"per_household", &s.per_household},
        {"reduction", &s.reduction},     {"over_cap", &s.over_cap},     {"annual", &s.annual}};
    for (std::size_t i = at + key.size(); i < text.size() && text[i] != '}';) {
      std::size_t name_end = text.find('"', i + 1);
      if (text[i] != '"' || name_end == std::string_view::npos || text[name_end + 1] != ':') return false;
      std::string_view name = text.substr(i + 1, name_end - i - 1);
      long long value = 0;
      auto [end, ec] = std::from_chars(text.data() + name_end + 2, text.data() + text.size(), value);
      if (ec != std::errc()) return false;
      for (const auto& [field, slot] : slots)
        if (field == name) *slot = value;
      i = end - text.data();
      if (i < text.size() && text[i] == ',') ++i;
    }
    if (s.over_cap > 0) s.capped_annual = s.annual;
  }
  Sums one;
  one.parts = found;
  one.assessed = 1;
  add(to, one);
  return true;
}

void add_outcome(Sums& to, const engine::Outcome& out) {
  if (out.text.empty()) add_record(to, out.record);
  else if (!add_record_text(to, out.text)) add_record(to, json::parse(out.text));
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

Population Population::of_lines(std::vector<std::string> text, std::vector<int> lines) {
  Population p;
  p.text_ = std::move(text);
  p.text_lines_ = std::move(lines);
  return p;
}

Sums Population::evaluate_today(const engine::Ruleset& ruleset, const engine::EvalOptions& options, int jobs) {
  std::vector<json> parsed(text_.size());
  std::vector<char> ok(text_.size());
  engine::EvalOptions as_text = options;
  as_text.record_as_text = true;
  Sums total = in_parallel(text_.size(), jobs, [&](Sums& sums, std::size_t begin, std::size_t end) {
    auto evaluator = ruleset.evaluator();
    for (std::size_t i = begin; i < end; ++i) {
      auto out = evaluator->evaluate_text(text_[i], as_text, text_lines_[i]);
      if (!out.ok) {
        add_failure(sums, out);
        continue;
      }
      add_outcome(sums, out);
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
  engine::EvalOptions as_text = options;
  as_text.record_as_text = true;
  Sums total = in_parallel(households_.size(), jobs, [&](Sums& sums, std::size_t begin, std::size_t end) {
    auto evaluator = ruleset.evaluator();
    for (std::size_t i = begin; i < end; ++i) {
      auto out = evaluator->evaluate(households_[i], as_text, lines_[i]);
      if (out.ok) add_outcome(sums, out);
      else add_failure(sums, out);
    }
  });
  total.failed += failed_today_;
  if (total.first_error.empty()) total.first_error = first_error_today_;
  return total;
}

}  // namespace shiki::analysis::solve
