#include "studio/compare_view.h"

#include <algorithm>

namespace shiki::studio {
using nlohmann::json;

namespace {

long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

json largest(const std::vector<analysis::HouseholdChange>& sorted, bool increases, const analysis::Population& p,
             std::vector<std::string>& ids) {
  json out = json::array();
  for (std::size_t i = 0; i < sorted.size() && out.size() < 5; ++i) {
    const auto& x = increases ? sorted[sorted.size() - 1 - i] : sorted[i];
    if (increases ? x.delta() <= 0 : x.delta() >= 0) break;
    const std::string& id = p.records()[x.index].id;
    ids.push_back(id);
    out.push_back({{"household_id", id}, {"base", x.base}, {"new", x.next}, {"delta", x.delta()}});
  }
  return out;
}

}  // namespace

std::vector<Bin> histogram(const std::vector<analysis::HouseholdChange>& changes, int max_bins) {
  if (changes.empty()) return {};
  long long lo = changes.front().delta(), hi = lo;
  for (const auto& c : changes) lo = std::min(lo, c.delta()), hi = std::max(hi, c.delta());
  if (lo == hi) return {Bin{lo, hi, static_cast<long>(changes.size())}};
  auto fits = [&](long long w) { return floor_div(hi, w) - floor_div(lo, w) + 1 <= max_bins; };
  long long width = 1;
  for (long long scale = 1; !fits(width); scale *= 10)
    for (long long m : {1, 2, 5})
      if (!fits(width)) width = m * scale;
  const long long first = floor_div(lo, width);
  std::vector<Bin> bins;
  for (long long k = first; k <= floor_div(hi, width); ++k) bins.push_back({k * width, k * width + width - 1, 0});
  for (const auto& c : changes) ++bins[floor_div(c.delta(), width) - first].households;
  return bins;
}

long long average(long long sum, long n) {
  if (n <= 0) return 0;
  const long long m = sum < 0 ? -sum : sum;
  const long long q = (2 * m + n) / (2 * static_cast<long long>(n));
  return sum < 0 ? -q : q;
}

std::string class_label(const std::string& k) {
  if (k == "0") return "軽減なし";
  if (k.size() == 3 && k.rfind("0.", 0) == 0) return std::string(1, k[2]) + "割軽減";
  return k;
}

json comparison_view(const analysis::Comparison& c, const analysis::Population& population, std::vector<std::string>& ids) {
  json revenue = json::array();
  for (int p = 0; p < analysis::kPartCount; ++p)
    revenue.push_back({{"part", analysis::part_key(p)}, {"label", analysis::part_label_ja(p)},
                       {"base", c.base[p]}, {"new", c.next[p]}, {"delta", c.next[p] - c.base[p]}});
  json bands = json::array();
  for (std::size_t i = 0; i < c.by_band.size(); ++i) {
    const auto& g = c.by_band[i];
    bands.push_back({{"label", analysis::income_bands()[i].label_ja}, {"households", g.households},
                     {"base_average", average(g.base, g.households)}, {"new_average", average(g.next, g.households)},
                     {"delta", g.delta()}});
  }
  json classes = json::array();
  for (const auto& [k, g] : c.by_class)
    classes.push_back({{"label", class_label(k)}, {"households", g.households},
                       {"base_average", average(g.base, g.households)}, {"new_average", average(g.next, g.households)},
                       {"delta", g.delta()}});
  json bins = json::array();
  for (const auto& b : histogram(c.households_changed)) bins.push_back({{"from", b.from}, {"to", b.to}, {"households", b.households}});
  auto sorted = c.households_changed;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.delta() < b.delta(); });
  return {{"households", c.households}, {"changed", c.changed}, {"failed", c.failed},
          {"unchanged", c.households - c.changed}, {"revenue", revenue}, {"bands", bands}, {"classes", classes},
          {"distribution", bins}, {"largest_increases", largest(sorted, true, population, ids)},
          {"largest_decreases", largest(sorted, false, population, ids)}};
}

}  // namespace shiki::studio
