// A population assessed under one ruleset: for each household, the annual
// premium by part and its statutory reduction class, computed on several
// threads (one evaluator each) and kept in population order, so that two
// assessments can be compared household by household.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "analysis/population.h"
#include "interpreter/engine/engine.h"

namespace shiki::analysis {

// The parts of the premium, in the order of the output record, and the total.
enum Part { kMedical, kSupport, kCare, kChild, kTotal, kPartCount };
// "medical", "support", "care", "child", "total": the record's keys.
const char* part_key(int part);
// "医療分", "支援金分", "介護分", "子ども分", "合計": as staff read them.
const char* part_label_ja(int part);

struct Figures {
  bool ok = false;  // assessed; false for an error record or a line of another year
  std::array<long long, kPartCount> annual{};
  std::string statutory_reduction = "0";  // "0.7", as the record gives it
};

struct Assessment {
  std::string ruleset_hash;
  std::vector<Figures> households;  // one per population record, same order
};

// Households whose fiscal_year is not `fiscal_year`, and lines that are not
// household objects, are not evaluated (ok = false). `jobs` threads; 0 means
// one per core.
Assessment assess(const engine::Ruleset& ruleset, const Population& population, int fiscal_year, int jobs = 0);

// The figures of one output record (an error record gives ok = false).
Figures figures_of(const engine::Outcome& outcome);

}  // namespace shiki::analysis
