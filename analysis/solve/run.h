// The rates of premium parts that raise target revenues over a population:
// the search `shiki solve` and the studio's solver form both run. Every
// candidate is a small city module that imports the ruleset and amends the
// parts' figures from 1 April of the year; the engine compiles and
// evaluates it like any ruleset, so the module of the published figures is
// the one whose revenue is reported (docs/solve.md).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/solve/parts.h"
#include "analysis/solve/population.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace shiki::analysis::solve {

// INCOME:FLAT, e.g. 50:50: the share of 所得割 against 均等割 + 平等割.
struct Ratio {
  Decimal income, flat;
};

struct PartResult {
  std::size_t part = 0;  // index in kParts
  long long target = 0;
  std::optional<Ratio> ratio;  // asked for; else today's split is kept
  std::vector<Figure> figures;
  std::vector<Decimal> solved;  // the published figures, in figures' order
  Decimal rate_step, amount_step;
};

// Why no rates were found: the ruleset, the population or a folder could
// not be used (kCannotRun), or scaling the figures cannot reach the target
// (kUnreachable). `shiki solve` turns the kind into its exit status.
struct Error {
  enum class Kind { kCannotRun, kUnreachable } kind;
  std::string message;
};

struct Setup {
  std::filesystem::path ruleset;  // the folder candidates import; its siblings are the modules it imports
  std::string id;                 // the ruleset's id ("matsudo")
  std::string population_name;    // named when none of it is assessed
  int fiscal_year = 0;
  int jobs = 2;
  std::optional<Decimal> rate_step, amount_step;  // as the user gave them; else as docs/solve.md says
  diag::Sink* sink = nullptr;     // where a candidate that does not compile says why
};

struct Outcome {
  Sums today, solved;   // the population under today's figures and under the published ones
  int evaluations = 0;  // population evaluations, today's included
  std::string module;   // the text of rates.shiki, the module of the published figures
};

// `today` is the ruleset compiled from `setup.ruleset`. Each part needs its
// target, ratio and figures_of(part); run fills in today's figures, the
// steps and the solved figures. The published module is written as
// `out_dir`/rates.shiki (a temporary folder when `out_dir` is empty).
// Throws Error.
Outcome run(const Setup& setup, const engine::Ruleset& today, Population& population, std::vector<PartResult>& parts,
            const std::filesystem::path& out_dir = {});

}  // namespace shiki::analysis::solve
