// The comparison as the studio draws it: revenue by part, the distribution
// of the change per household (bins of whole yen), the average premium by
// income band before and after, the reduction classes and the largest
// changes. Every figure is computed here, in integers; the page only draws.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/compare.h"

namespace shiki::studio {

struct Bin {
  long long from, to;  // inclusive, yen
  long households;
};

// At most `max_bins` bins of a width of 1, 2 or 5 × 10^k yen, aligned on
// multiples of the width, covering every change.
std::vector<Bin> histogram(const std::vector<analysis::HouseholdChange>& changes, int max_bins = 24);
// sum / n rounded half away from zero, in whole yen.
long long average(long long sum, long n);
// "0.7" → "7割軽減"; "0" → "軽減なし".
std::string class_label(const std::string& statutory_reduction);

// The answer of POST /studio/api/compare. `ids` gets the households it
// names (the largest changes), for the audit log.
nlohmann::json comparison_view(const analysis::Comparison& c, const analysis::Population& population,
                               std::vector<std::string>& ids);

}  // namespace shiki::studio
