// The 64-bit fast path (decimal/fixed.h) against exact rationals: whenever
// it answers, the answer is the exact value at Decimal's scale; when it
// declines (returns false), the exact result truly needs the wide path.
// Values are drawn near the edges (tiny, yen-sized, near 2^63) so that both
// outcomes occur.
#include "interpreter/decimal/fixed.h"

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <limits>
#include <random>

namespace shiki::decimal::fixed {
namespace {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

constexpr Rounding kModes[] = {Rounding::kTruncate, Rounding::kUp, Rounding::kHalfUp, Rounding::kHalfEven};

cpp_rational rat(Fixed f) {
  cpp_int den = 1;
  for (int i = 0; i < f.scale; ++i) den *= 10;
  return cpp_rational(cpp_int(f.coeff), den);
}

// The coefficient at `scale` of an exact value, when it is one.
bool fits(const cpp_rational& v, int scale, std::int64_t& coeff) {
  cpp_rational scaled = v;
  for (int i = 0; i < scale; ++i) scaled *= 10;
  if (denominator(scaled) != 1) return false;
  const cpp_int n = numerator(scaled);
  if (n < std::numeric_limits<std::int64_t>::min() || n > std::numeric_limits<std::int64_t>::max()) return false;
  coeff = static_cast<std::int64_t>(n);
  return true;
}

struct Gen {
  std::mt19937_64 rng{20261204};
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  Fixed value() {
    std::int64_t c = 0;
    switch (uniform(0, 3)) {
      case 0: c = uniform(-1000, 1000); break;                                     // small
      case 1: c = static_cast<std::int64_t>(rng() % 10'000'000'000ULL); break;     // yen-sized
      case 2: c = static_cast<std::int64_t>(rng() >> 1); break;                    // near the edge
      default: c = std::numeric_limits<std::int64_t>::min() + uniform(0, 5); break;
    }
    if (uniform(0, 1)) c = c == std::numeric_limits<std::int64_t>::min() ? c : -c;
    return {c, uniform(0, 1) ? uniform(0, 4) : uniform(0, kMaxScale)};
  }
};

// Rounding to a multiple of 10^exp, as decimal.h defines the modes.
cpp_rational round_to(const cpp_rational& v, int exp, Rounding mode) {
  cpp_rational unit = 1;
  for (int i = 0; i < (exp < 0 ? -exp : exp); ++i) unit = exp < 0 ? cpp_rational(unit / 10) : cpp_rational(unit * 10);
  const cpp_rational q = v / unit;
  cpp_int t = numerator(q) / denominator(q);  // toward zero
  const cpp_rational rest = q - cpp_rational(t);
  const int sign = rest < 0 ? -1 : 1;
  const cpp_rational twice = cpp_rational(rest < 0 ? cpp_rational(-rest) : rest) * 2;
  bool up = false;
  switch (mode) {
    case Rounding::kTruncate: break;
    case Rounding::kUp: up = rest != 0; break;
    case Rounding::kHalfUp: up = twice >= 1; break;
    case Rounding::kHalfEven: up = twice > 1 || (twice == 1 && (t & 1) != 0); break;
  }
  if (up && rest != 0) t += sign;
  return cpp_rational(t) * unit;
}

TEST(FixedDifferential, AgainstExactRationals) {
  Gen gen;
  int answered = 0, declined = 0;
  for (int i = 0; i < 20000; ++i) {
    const Fixed a = gen.value(), b = gen.value();
    const cpp_rational ra = rat(a), rb = rat(b);
    const int wider = std::max(a.scale, b.scale);
    struct Case { const char* op; bool ok; Fixed r; cpp_rational want; int scale; };
    Fixed r1{}, r2{}, r3{};
    const Case cases[] = {{"+", add(a, b, r1), r1, ra + rb, wider},
                          {"-", sub(a, b, r2), r2, ra - rb, wider},
                          {"*", mul(a, b, r3), r3, ra * rb, a.scale + b.scale}};
    for (const auto& c : cases) {
      std::int64_t coeff = 0;
      if (c.ok) {
        ++answered;
        ASSERT_EQ(c.r.scale, c.scale) << c.op;
        ASSERT_EQ(rat(c.r), c.want) << a.coeff << "e-" << a.scale << " " << c.op << " " << b.coeff << "e-" << b.scale;
      } else {
        ++declined;
        // Declining is right only when something does not fit 64 bits at
        // the result's scale: the result, or (for + and -) an operand
        // brought to it; or the scale is past kMaxScale.
        const bool operand_too_wide = c.op[0] != '*' && (!fits(ra, c.scale, coeff) || !fits(rb, c.scale, coeff));
        ASSERT_TRUE(c.scale > kMaxScale || !fits(c.want, c.scale, coeff) || operand_too_wide)
            << a.coeff << "e-" << a.scale << " " << c.op << " " << b.coeff << "e-" << b.scale;
      }
    }
    int order = 0;
    if (compare(a, b, order)) ASSERT_EQ(order, ra < rb ? -1 : ra > rb ? 1 : 0);
    const int exp = gen.uniform(-a.scale - 2, 6);
    for (Rounding mode : kModes) {
      Fixed r{};
      if (!round(a, exp, mode, r)) continue;
      if (exp <= -a.scale) {
        ASSERT_EQ(r.coeff, a.coeff);
        ASSERT_EQ(r.scale, a.scale);
      } else {
        ASSERT_EQ(r.scale, std::max(0, -exp));
        ASSERT_EQ(rat(r), round_to(ra, exp, mode)) << a.coeff << "e-" << a.scale << " to 10^" << exp;
      }
    }
  }
  // Both outcomes were exercised, or the test proves nothing.
  EXPECT_GT(answered, 10000);
  EXPECT_GT(declined, 1000);
}

TEST(FixedNarrow, DropsTrailingZerosOnlyWhenNeeded) {
  // 10^19 at scale 2 (10^17) needs 65 bits; one trailing zero dropped gives
  // 10^18 at scale 1, which fits. A 20-digit integer fits no way.
  const Decimal big(Decimal::Coeff("10000000000000000000"), 2);
  auto f = narrow(big);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->coeff, 1'000'000'000'000'000'000LL);
  EXPECT_EQ(f->scale, 1);
  EXPECT_FALSE(narrow(Decimal(Decimal::Coeff("92233720368547758071"), 0)));
  auto small = narrow(Decimal(Decimal::Coeff(1234), 2));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->coeff, 1234);
  EXPECT_EQ(small->scale, 2);
}

}  // namespace
}  // namespace shiki::decimal::fixed
