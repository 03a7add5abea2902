// A reform over a population: two assessments of the same households (the
// ruleset in force and an edited one) compared household by household.
// `shiki diff` prints it; the studio draws it.
#pragma once
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/assess.h"
#include "analysis/population.h"

namespace shiki::analysis {

struct GroupChange {
  long households = 0;
  long long base = 0, next = 0;  // Σ annual premium before and after
  long long delta() const { return next - base; }
};

struct HouseholdChange {
  std::size_t index;  // into the population
  long long base, next;
  long long delta() const { return next - base; }
};

struct Comparison {
  long households = 0;  // assessed under both
  long changed = 0, failed = 0;
  std::array<long long, kPartCount> base{}, next{};  // revenue by part
  std::vector<GroupChange> by_band;                  // one per income_bands() entry
  std::map<std::string, GroupChange> by_class;       // by the base's statutory reduction
  std::vector<HouseholdChange> households_changed;   // every household assessed under both, in order
};

Comparison compare(const Population& population, const Assessment& base, const Assessment& next);

// `shiki diff --format json`.
nlohmann::json to_json(const Comparison& c);
// `shiki diff`: the revenue table, the bands and classes, the largest changes.
void print_text(const Comparison& c, const Population& population, std::ostream& out);

}  // namespace shiki::analysis
