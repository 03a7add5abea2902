// The population `shiki solve` raises its target over: JSON Lines households
// read once, then evaluated under each candidate ruleset on several threads,
// summing each part's figures.
#pragma once
#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/engine/engine.h"

namespace shiki::analysis::solve {

// One part's figures summed over the assessed households, in yen, as the
// output record of household.md names them (premium.<part>.…).
struct PartSums {
  long long income_levy = 0, per_capita = 0, per_household = 0, reduction = 0, over_cap = 0, annual = 0;
  long long capped_annual = 0;  // Σ annual of the households at the part's cap (over_cap > 0)
};

struct Sums {
  std::array<PartSums, 4> parts;  // medical, support, care, child (parts.h, kParts order)
  long assessed = 0, failed = 0;
  std::string first_error;        // the first error record, to show when nothing was assessed
};

class Population {
 public:
  // Reads the lines of `file`; nullopt with `error` set when it cannot be read.
  static std::optional<Population> read(const std::filesystem::path& file, std::string& error);
  // Lines already in memory (the studio's population), each with its line number.
  static Population of_lines(std::vector<std::string> text, std::vector<int> lines);

  // Every household under today's ruleset, read from its text as `shiki
  // eval` reads it (strictly: a key given twice, an array over its limit are
  // error records). The households assessed are kept, parsed, for
  // `evaluate`; the others are counted as failed in every later sum, so
  // that every candidate is judged on the same households.
  Sums evaluate_today(const engine::Ruleset& ruleset, const engine::EvalOptions& options, int jobs);
  // The households kept under `ruleset`, on `jobs` threads, one evaluator each.
  Sums evaluate(const engine::Ruleset& ruleset, const engine::EvalOptions& options, int jobs) const;

  std::size_t size() const { return households_.size(); }
  const nlohmann::json& household(std::size_t i) const { return households_[i]; }
  int line_of(std::size_t i) const { return lines_[i]; }

 private:
  std::vector<std::string> text_;  // until evaluate_today
  std::vector<int> text_lines_;
  std::vector<nlohmann::json> households_;
  std::vector<int> lines_;         // 1-based line numbers, for error records
  long failed_today_ = 0;
  std::string first_error_today_;
};

}  // namespace shiki::analysis::solve
