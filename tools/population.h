// A deterministic, seeded generator of Matsudo-like NHI households in the
// input shape of ../shared/domain/household.md, for demos, tests and
// benchmarks (tools/gen_population, bench/).
//
// Household i depends only on (seed, fiscal year, i): the same arguments give
// the same bytes on every machine (no std:: distributions, whose results are
// implementation-defined), and any slice of a population can be generated on
// its own.
#pragma once
#include <cstdint>
#include <string>

namespace shiki::population {

struct Options {
  std::uint64_t seed = 1;
  int fiscal_year = 2026;
  // false: omit null and zero/false fields that the contract lets default
  // (compact; the bundled sample). true: every field of household.md, nulls
  // included, as the ledger sends a record.
  bool full = false;
};

class Generator {
 public:
  explicit Generator(Options options) : options_(options) {}
  // Household `index` (0-based) as one JSON Lines line, without the newline.
  // Its household_id is "H" + 7 digits of index + 1; person ids are unique
  // within the population ("P" + 9 digits).
  std::string household(std::uint64_t index) const;
  const Options& options() const { return options_; }

 private:
  Options options_;
};

}  // namespace shiki::population
