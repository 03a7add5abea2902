// What the outputs and checks use, directly or through the rules and
// tables they use (what evaluation can reach), after names are resolved.
// Read by the ordinance check (every parameter in use needs a value each
// year) and by the warnings (what nothing uses).
#pragma once
#include <vector>

#include "../resolve/program.h"

namespace shiki::check {

struct Uses {
  // The first place each is used, or an invalid location when nothing uses it.
  std::vector<source::Location> params, rules, inputs, tables;
  // The first fiscal year in which each can be reached (INT_MIN: every
  // year; INT_MAX: never): an output `when fiscal_year >= 2026` and
  // `if fiscal_year >= 2026 then …` reach what they guard from 2026 only.
  std::vector<int> param_from, rule_from, table_from;
  bool next_business_day = false;
};

Uses uses_of(const resolve::Program& p);

}  // namespace shiki::check
