#include "solve_report.h"

#include <fmt/format.h>

namespace shiki::cli::solve {

namespace {

using nlohmann::json;

long long flat_of(const PartSums& s) { return s.per_capita + s.per_household; }

// The income share in tenths of a percent, half up, in integers.
long long income_tenths(const PartSums& s) {
  long long all = s.income_levy + flat_of(s);
  return all == 0 ? 0 : (s.income_levy * 2000 + all) / (2 * all);
}

std::string tenths(long long t) { return std::to_string(t / 10) + "." + std::to_string(t % 10); }

std::string ratio_text(const Ratio& r) { return r.income.to_string() + " : " + r.flat.to_string(); }

std::string step_text(const PartResult& p) {
  return "所得割率 " + shown(p.rate_step, true) + ", amounts " + shown(p.amount_step, false) + " yen";
}

void print_part(const Report& r, const PartResult& p, std::ostream& out) {
  const Part& part = kParts[p.part];
  const PartSums &today = r.today.parts[p.part], &solved = r.solved.parts[p.part];
  out << fmt::format("\n{} ({}): target {} yen\n", part.staff, part.id, yen(p.target));
  out << fmt::format("  {:<28}{:>16}{:>16}\n", "", "today", "solved");
  for (std::size_t i = 0; i < p.figures.size(); ++i) {
    const Figure& f = p.figures[i];
    out << fmt::format("  {:<28}{:>16}{:>16}\n", f.label, shown(f.today, f.is_rate), shown(p.solved[i], f.is_rate));
  }
  out << fmt::format("  {:<28}{:>16}{:>16}\n", "revenue", yen(today.annual), yen(solved.annual));
  out << fmt::format("  {:<28}{:>16}{:>16}\n", "gap to target", "", yen(solved.annual - p.target, true));
  out << fmt::format("  {:<28}{:>16}{:>16}  ({})\n", "split 所得割 : 均等割・平等割", split_text(today),
                     split_text(solved), p.ratio ? "asked " + ratio_text(*p.ratio) : std::string("kept"));
  out << "  steps: " << step_text(p) << "\n";
}

json figures_json(const std::vector<Figure>& figures, const std::vector<Decimal>& values) {
  json out = json::object();
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const Decimal& v = values[i];
    // As the contract writes them: rates as decimal strings, money as yen.
    if (figures[i].is_rate) out[figures[i].parameter] = v.to_string();
    else if (v.is_integer()) out[figures[i].parameter] = v.to_int64();
    else out[figures[i].parameter] = v.to_string();
  }
  return out;
}

json sums_json(const PartSums& s) {
  return {{"revenue", s.annual},         {"income_levy", s.income_levy}, {"per_capita", s.per_capita},
          {"per_household", s.per_household}, {"reduction", s.reduction}, {"over_cap", s.over_cap}};
}

}  // namespace

std::string split_text(const PartSums& s) {
  long long t = income_tenths(s);
  return tenths(t) + " : " + tenths(1000 - t);
}

void print_text(const Report& r, std::ostream& out) {
  out << fmt::format("shiki solve: {}, FY{}, {} households assessed ({} with an error record); {} evaluations in "
                     "{}.{} s\n",
                     r.ruleset, r.fiscal_year, yen(r.solved.assessed), yen(r.solved.failed), r.evaluations,
                     r.milliseconds / 1000, r.milliseconds % 1000 / 100);
  for (const auto& p : r.parts) print_part(r, p, out);
  if (!r.written.empty()) out << "\nwritten: " << r.written << "\n";
}

json to_json(const Report& r) {
  json parts = json::object();
  for (const auto& p : r.parts) {
    std::vector<Decimal> today;
    for (const auto& f : p.figures) today.push_back(f.today);
    const PartSums &t = r.today.parts[p.part], &s = r.solved.parts[p.part];
    json split = {{"today", split_text(t)}, {"solved", split_text(s)},
                  {"asked", p.ratio ? json(ratio_text(*p.ratio)) : json(nullptr)}};
    parts[kParts[p.part].id] = {
        {"part", kParts[p.part].staff}, {"target", p.target},   {"revenue", s.annual},
        {"gap", s.annual - p.target},   {"figures", figures_json(p.figures, p.solved)},
        {"today", {{"figures", figures_json(p.figures, today)}, {"sums", sums_json(t)}}},
        {"sums", sums_json(s)},         {"split", split},
        {"steps", {{"rate", p.rate_step.to_string()}, {"amount", p.amount_step.to_string()}}}};
  }
  return {{"ruleset", r.ruleset},
          {"fiscal_year", r.fiscal_year},
          {"households", r.solved.assessed},
          {"failed", r.solved.failed},
          {"evaluations", r.evaluations},
          {"milliseconds", r.milliseconds},
          {"written", r.written.empty() ? json(nullptr) : json(r.written)},
          {"parts", parts}};
}

}  // namespace shiki::cli::solve
