// What `shiki solve` reports: per part, today's figures and revenue, the
// published figures found, the revenue they raise, the gap to the target and
// the split; as text for staff (thousands grouped, parts as staff name them)
// or as JSON for machines.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "solve_parts.h"
#include "solve_population.h"

namespace shiki::cli::solve {

// INCOME:FLAT, e.g. 50:50: the share of 所得割 against 均等割 + 平等割.
struct Ratio {
  Decimal income, flat;
};

struct PartResult {
  std::size_t part = 0;  // index in kParts
  long long target = 0;
  std::optional<Ratio> ratio;  // given with --ratio; else today's split is kept
  std::vector<Figure> figures;
  std::vector<Decimal> solved;  // the published figures, in figures' order
  Decimal rate_step, amount_step;
};

struct Report {
  int fiscal_year = 0;
  std::string ruleset;  // the ruleset's id
  std::vector<PartResult> parts;
  Sums today, solved;   // the population under today's figures and under the solved ones
  int evaluations = 0;  // population evaluations, today's included
  long milliseconds = 0;
  std::string written;  // the module folder written (--write), "" none
};

// "1,234,567"; "+3,400" / "-3,400" with `sign`.
std::string yen(long long v, bool sign = false);
// The split as "57.3 : 42.7" (income : flat), from levied figures before
// reductions and cap (docs/solve.md).
std::string split_text(const PartSums& s);

void print_text(const Report& r, std::ostream& out);
nlohmann::json to_json(const Report& r);

}  // namespace shiki::cli::solve
