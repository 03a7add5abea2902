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

#include "analysis/solve/run.h"

namespace shiki::cli::solve {

// The report is the command's; what it reports is the library's.
using namespace shiki::analysis::solve;

struct Report {
  int fiscal_year = 0;
  std::string ruleset;  // the ruleset's id
  std::vector<PartResult> parts;
  Sums today, solved;   // the population under today's figures and under the solved ones
  int evaluations = 0;  // population evaluations, today's included
  long milliseconds = 0;
  std::string written;  // the module folder written (--write), "" none
};

// The split as "57.3 : 42.7" (income : flat), from levied figures before
// reductions and cap (docs/solve.md).
std::string split_text(const PartSums& s);

void print_text(const Report& r, std::ostream& out);
nlohmann::json to_json(const Report& r);

}  // namespace shiki::cli::solve
