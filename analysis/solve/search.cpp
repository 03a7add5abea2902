#include "analysis/solve/search.h"

#include <cstdlib>

namespace shiki::analysis::solve {

namespace {

using decimal::Rounding;

constexpr int kPlaces = 9;     // k is carried to 10^-9
constexpr int kMaxSteps = 60;  // a bisection of [0, 1000] to 10^-9 needs 40
const Decimal kTwo = Decimal::from_int(2);
const Decimal kFour = Decimal::from_int(4);
// The bracket is narrow enough at a ten-thousandth of k: the figures then
// move by a ten-thousandth (2.7 yen of a 27,000-yen 均等割, 0.0008% of a
// 7.62% rate), a tenth of a published step or less. The revenue itself may
// not get closer: households alike in all but income cross a 100-yen line
// together, so it jumps by thousands of yen at one k.
const Decimal kRelativeWidth{1, 4};

Decimal yen(long long v) { return Decimal::from_int(v); }

Decimal divide(const Decimal& a, const Decimal& b) {
  return Decimal::divide_round(a, b, -kPlaces, Rounding::kHalfEven);
}

}  // namespace

Search::Search(long long target, long long tolerance) : target_(target), tolerance_(tolerance) {
  points_.push_back(lo_);
  best_ = lo_;
  if (std::llabs(target_) <= tolerance_) state_ = State::kConverged;
}

// k where the curve through the latest points meets the target: inverse
// quadratic interpolation through three with distinct revenues, else the
// secant through two.
std::optional<Decimal> Search::interpolate() const {
  std::vector<Point> use;
  for (auto it = points_.rbegin(); it != points_.rend() && use.size() < 3; ++it) {
    bool distinct = true;
    for (const auto& u : use) distinct &= u.r != it->r;
    if (distinct) use.push_back(*it);
  }
  if (use.size() < 2) return std::nullopt;
  if (use.size() == 2)
    return use[0].k + divide(yen(target_ - use[0].r) * (use[0].k - use[1].k), yen(use[0].r - use[1].r));
  Decimal k;
  for (std::size_t i = 0; i < 3; ++i) {
    Decimal term = use[i].k, den = Decimal::from_int(1);
    for (std::size_t j = 0; j < 3; ++j)
      if (j != i) term = term * yen(target_ - use[j].r), den = den * yen(use[i].r - use[j].r);
    k = k + Decimal::divide_round(term, den, -12, Rounding::kHalfEven);
  }
  return k.round(-kPlaces, Rounding::kHalfEven);
}

// Inside the bracket: the interpolated step, if it stays inside and is
// under half the step before last (Brent's test that it converges), else
// bisection; a step that leaves the bracket becomes regula falsi.
std::optional<Decimal> Search::inside_bracket(const std::optional<Decimal>& candidate) {
  const Point& hi = *hi_;
  Decimal width = hi.k - lo_.k;
  if (width <= hi.k * kRelativeWidth) return std::nullopt;
  auto inside = [&](const std::optional<Decimal>& k) { return k && lo_.k < *k && *k < hi.k; };
  auto size = [](const Decimal& d) { return d.is_negative() ? -d : d; };
  std::size_t n = points_.size();
  std::optional<Decimal> k = candidate;
  if (!inside(k)) k = lo_.k + divide(yen(target_ - lo_.r) * width, yen(hi.r - lo_.r));
  bool converging = n < 3 || size(*k - points_[n - 1].k) * kTwo < size(points_[n - 2].k - points_[n - 3].k);
  if (inside(k) && converging) return k;
  Decimal mid = divide(lo_.k + hi.k, kTwo);
  return inside(mid) ? std::optional<Decimal>(mid) : std::nullopt;
}

// Still below the target: forward, at most four times as far as the
// highest factor below it, at least twice when the revenue stopped growing
// (every household at its cap).
std::optional<Decimal> Search::forward(const std::optional<Decimal>& candidate) {
  Decimal base = lo_.k.is_zero() ? Decimal::from_int(1) : lo_.k;
  Decimal k = candidate && lo_.k < *candidate ? *candidate : base * kTwo;
  if (k > base * kFour) k = base * kFour;
  if (k > kMaxFactor) {
    state_ = State::kUnreachable;
    return std::nullopt;
  }
  return k;
}

std::optional<Decimal> Search::next() {
  if (state_ != State::kSearching) return std::nullopt;
  if (++steps_ > kMaxSteps) {
    state_ = State::kConverged;  // the nearest point found stands
    return std::nullopt;
  }
  std::optional<Decimal> candidate = points_.size() == 1 ? Decimal::from_int(1) : interpolate();
  if (hint_ && lo_.k < *hint_ && (!hi_ || *hint_ < hi_->k)) candidate = hint_;
  hint_.reset();
  if (!hi_) return forward(candidate);
  candidate = inside_bracket(candidate);
  if (!candidate) settle();
  return candidate;
}

std::optional<std::pair<Decimal, Decimal>> Search::bracket() const {
  if (!hi_) return std::nullopt;
  return std::make_pair(lo_.k, hi_->k);
}

void Search::settle() {
  if (hi_) best_ = std::llabs(hi_->r - target_) <= std::llabs(lo_.r - target_) ? *hi_ : lo_;
  state_ = State::kConverged;
}

void Search::record(const Decimal& k, long long revenue) {
  Point p{k, revenue};
  points_.push_back(p);
  if (revenue > highest_) highest_ = revenue;
  if (std::llabs(revenue - target_) < std::llabs(best_.r - target_)) best_ = p;
  if (revenue >= target_) {
    if (!hi_ || k < hi_->k) hi_ = p;
  } else if (k > lo_.k) {
    lo_ = p;
  }
  if (std::llabs(revenue - target_) <= tolerance_) state_ = State::kConverged;
}

}  // namespace shiki::analysis::solve
