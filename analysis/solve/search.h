// The search for one part's scale factor k: the part's figures are today's
// times k (times the split's factor on each side), and its revenue R(k) over
// the population is what the engine says. R(0) = 0 and R never falls as k
// grows (reductions and caps only slow it), so the root is bracketed from
// below from the start. Inverse quadratic interpolation through the three
// latest points follows the bend the caps give R, and reaches the root in a
// few evaluations; a step that would leave the bracket is replaced by
// regula falsi, and one that stops shrinking by bisection (Brent's
// safeguards), so R's jumps (the 100-yen rounding of each household's
// premium) cannot stall it.
#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "interpreter/decimal/decimal.h"

namespace shiki::analysis::solve {

using decimal::Decimal;

class Search {
 public:
  // Close enough: |R(k) − target| ≤ tolerance yen, or the bracket around
  // the target narrower than a ten-thousandth of k.
  Search(long long target, long long tolerance);

  // A better first step than the secant's, from what the caller knows of
  // the revenue's shape; used once, if it lies where the root can be.
  void hint(const Decimal& k) { hint_ = k; }

  // The next factor to evaluate; nullopt once converged or unreachable.
  std::optional<Decimal> next();
  void record(const Decimal& k, long long revenue);

  // The factors below and at-or-above the target, once both are known.
  std::optional<std::pair<Decimal, Decimal>> bracket() const;
  // Stops the search at the end of the bracket nearest the target: the
  // caller has found that every factor inside gives the same published
  // figures, so a narrower bracket would change nothing.
  void settle();

  bool converged() const { return state_ == State::kConverged; }
  bool unreachable() const { return state_ == State::kUnreachable; }
  // The evaluated factor whose revenue is nearest the target.
  const Decimal& best_k() const { return best_.k; }
  long long best_revenue() const { return best_.r; }
  long long highest_revenue() const { return highest_; }

  // Beyond this factor of today's figures the search stops: the target is
  // out of reach (caps bound each household's premium).
  static inline const Decimal kMaxFactor = Decimal::from_int(1000);

 private:
  struct Point {
    Decimal k;
    long long r = 0;
  };
  enum class State { kSearching, kConverged, kUnreachable };

  std::optional<Decimal> interpolate() const;
  std::optional<Decimal> inside_bracket(const std::optional<Decimal>& candidate);
  std::optional<Decimal> forward(const std::optional<Decimal>& candidate);

  long long target_, tolerance_;
  std::vector<Point> points_;  // as evaluated, (0, 0) first
  Point lo_;                   // the highest k known below the target; (0, 0) at first
  std::optional<Point> hi_;    // the lowest k known at or above it
  Point best_;
  std::optional<Decimal> hint_;
  long long highest_ = 0;
  int steps_ = 0;
  State state_ = State::kSearching;
};

}  // namespace shiki::analysis::solve
