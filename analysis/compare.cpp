#include "analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>

namespace shiki::analysis {
namespace {

std::string yen(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

}  // namespace

Comparison compare(const Population& population, const Assessment& base, const Assessment& next) {
  Comparison c;
  c.by_band.resize(income_bands().size());
  const auto& records = population.records();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Figures& b = base.households[i];
    const Figures& n = next.households[i];
    if (!b.ok || !n.ok) {
      ++c.failed;
      continue;
    }
    ++c.households;
    for (int p = 0; p < kPartCount; ++p) c.base[p] += b.annual[p], c.next[p] += n.annual[p];
    const long long before = b.annual[kTotal], after = n.annual[kTotal];
    if (before != after) ++c.changed;
    for (GroupChange* g : {&c.by_band[records[i].band], &c.by_class[b.statutory_reduction]})
      ++g->households, g->base += before, g->next += after;
    c.households_changed.push_back({i, before, after});
  }
  return c;
}

nlohmann::json to_json(const Comparison& c) {
  using nlohmann::json;
  json revenue = {{"base", json::object()}, {"new", json::object()}, {"delta", json::object()}};
  for (int p = 0; p < kPartCount; ++p) {
    revenue["base"][part_key(p)] = c.base[p];
    revenue["new"][part_key(p)] = c.next[p];
    revenue["delta"][part_key(p)] = c.next[p] - c.base[p];
  }
  json bands = json::object(), classes = json::object();
  for (std::size_t i = 0; i < c.by_band.size(); ++i)
    if (c.by_band[i].households)
      bands[income_bands()[i].key] = {{"households", c.by_band[i].households}, {"delta", c.by_band[i].delta()}};
  for (const auto& [k, g] : c.by_class) classes[k] = {{"households", g.households}, {"delta", g.delta()}};
  return {{"households", c.households}, {"changed", c.changed}, {"failed", c.failed},
          {"revenue", revenue}, {"by_income_band", bands}, {"by_statutory_reduction", classes}};
}

void print_text(const Comparison& c, const Population& population, std::ostream& out) {
  out << fmt::format("{} households assessed under both, {} changed, {} failed under either\n", c.households,
                     c.changed, c.failed);
  out << fmt::format("{:<10}{:>18}{:>18}{:>16}\n", "revenue", "base", "new", "difference");
  for (int p = 0; p < kPartCount; ++p)
    out << fmt::format("{:<10}{:>18}{:>18}{:>16}\n", part_key(p), yen(c.base[p]), yen(c.next[p]),
                       yen(c.next[p] - c.base[p]));
  out << "by declared income:\n";
  for (std::size_t i = 0; i < c.by_band.size(); ++i)
    if (c.by_band[i].households)
      out << fmt::format("  {:<24}{:>8} households  {:>14} yen\n", income_bands()[i].key, c.by_band[i].households,
                         yen(c.by_band[i].delta()));
  out << "by statutory reduction:\n";
  for (const auto& [k, g] : c.by_class)
    out << fmt::format("  {:<24}{:>8} households  {:>14} yen\n", k, g.households, yen(g.delta()));
  auto rows = c.households_changed;
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.delta() < b.delta(); });
  auto id = [&](const HouseholdChange& r) { return population.records()[r.index].id; };
  out << "largest decreases:\n";
  for (std::size_t i = 0; i < rows.size() && i < 5 && rows[i].next < rows[i].base; ++i)
    out << fmt::format("  {:<12}{:>12} → {:>12}  ({})\n", id(rows[i]), yen(rows[i].base), yen(rows[i].next),
                       yen(rows[i].delta()));
  out << "largest increases:\n";
  for (std::size_t i = 0; i < rows.size() && i < 5 && rows[rows.size() - 1 - i].delta() > 0; ++i) {
    const auto& x = rows[rows.size() - 1 - i];
    out << fmt::format("  {:<12}{:>12} → {:>12}  (+{})\n", id(x), yen(x.base), yen(x.next), yen(x.delta()));
  }
}

}  // namespace shiki::analysis
