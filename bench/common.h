// Shared set-up of the benchmarks: the Matsudo ruleset, compiled once, and a
// generated population (tools/population.h) in the contract's full shape.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"
#include "population.h"

namespace shiki::bench {

// rulesets/matsudo of this source tree, or $SHIKI_RULESET.
inline std::filesystem::path ruleset_dir() {
  if (const char* p = std::getenv("SHIKI_RULESET")) return p;
  return std::filesystem::path(SHIKI_SOURCE_DIR) / "rulesets" / "matsudo";
}

// How many households the evaluation benchmarks use: $SHIKI_BENCH_HOUSEHOLDS, default 100,000.
inline std::size_t population_size() {
  if (const char* p = std::getenv("SHIKI_BENCH_HOUSEHOLDS")) return std::strtoull(p, nullptr, 10);
  return 100000;
}

inline constexpr int kFiscalYear = 2026;
inline constexpr std::uint64_t kSeed = 1;

// The compiled ruleset, shared by every benchmark and thread; exits on a diagnostic.
inline std::shared_ptr<const engine::Ruleset> matsudo() {
  static std::shared_ptr<const engine::Ruleset> rs = [] {
    diag::TextSink sink(std::cerr);
    auto r = engine::Ruleset::load(ruleset_dir(), sink);
    if (!r) {
      std::cerr << "bench: cannot compile " << ruleset_dir() << "\n";
      std::exit(1);
    }
    return r;
  }();
  return rs;
}

// The population as JSON Lines lines (every field of household.md, as the
// ledger sends them), generated once: `gen_population --count N --seed 1
// --year 2026 --full`.
inline const std::vector<std::string>& population() {
  static const std::vector<std::string> lines = [] {
    population::Generator gen({kSeed, kFiscalYear, true});
    std::vector<std::string> v(population_size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = gen.household(i);
    return v;
  }();
  return lines;
}

}  // namespace shiki::bench
