// The fast path of exact decimals: a 64-bit coefficient and its scale
// (value = coeff × 10^-scale), with the compiler's checked builtins. Every
// function returns false instead of overflowing; the caller then widens to
// Decimal (Boost's checked 128-bit integer) and gets the same exact result,
// or an OverflowError there. Nothing here ever wraps.
#pragma once
#include <cstdint>
#include <optional>

#include "decimal.h"

namespace shiki::decimal::fixed {

inline constexpr std::int64_t kPow10[19] = {
    1LL, 10LL, 100LL, 1'000LL, 10'000LL, 100'000LL, 1'000'000LL, 10'000'000LL, 100'000'000LL,
    1'000'000'000LL, 10'000'000'000LL, 100'000'000'000LL, 1'000'000'000'000LL, 10'000'000'000'000LL,
    100'000'000'000'000LL, 1'000'000'000'000'000LL, 10'000'000'000'000'000LL,
    100'000'000'000'000'000LL, 1'000'000'000'000'000'000LL};

struct Fixed {
  std::int64_t coeff;
  int scale;
};

// Both coefficients brought to the larger scale.
inline bool align(Fixed& a, Fixed& b) {
  if (a.scale == b.scale) return true;
  Fixed& lo = a.scale < b.scale ? a : b;
  const int d = (a.scale < b.scale ? b.scale : a.scale) - lo.scale;
  if (d > 18 || __builtin_mul_overflow(lo.coeff, kPow10[d], &lo.coeff)) return false;
  lo.scale += d;
  return true;
}

// The scale of a sum is the larger of the two (Decimal's rule).
inline bool add(Fixed a, Fixed b, Fixed& r) {
  if (!align(a, b)) return false;
  r.scale = a.scale;
  return !__builtin_add_overflow(a.coeff, b.coeff, &r.coeff);
}

inline bool sub(Fixed a, Fixed b, Fixed& r) {
  if (!align(a, b)) return false;
  r.scale = a.scale;
  return !__builtin_sub_overflow(a.coeff, b.coeff, &r.coeff);
}

// The scale of a product is the sum of the two (Decimal's rule).
inline bool mul(Fixed a, Fixed b, Fixed& r) {
  r.scale = a.scale + b.scale;
  return r.scale <= kMaxScale && !__builtin_mul_overflow(a.coeff, b.coeff, &r.coeff);
}

// A Decimal as a Fixed: exact, trailing fraction zeros dropped if that is
// what makes the coefficient fit; nullopt when it needs more than 64 bits.
std::optional<Fixed> narrow(const Decimal& d);

inline bool negate(Fixed a, Fixed& r) {
  r.scale = a.scale;
  return !__builtin_sub_overflow(std::int64_t{0}, a.coeff, &r.coeff);
}

// -1, 0 or 1 in `out`.
inline bool compare(Fixed a, Fixed b, int& out) {
  if (!align(a, b)) return false;
  out = a.coeff < b.coeff ? -1 : a.coeff > b.coeff ? 1 : 0;
  return true;
}

// Decimal::round on the fast path: to a multiple of 10^exp, the result's
// scale max(0, -exp); a unit no coarser than the last place keeps the value.
inline bool round(Fixed a, int exp, Rounding mode, Fixed& r) {
  if (exp <= -a.scale) {
    r = a;
    return true;
  }
  const int digits = a.scale + exp;
  if (digits > 18 || exp > 18) return false;
  const std::int64_t p = kPow10[digits];
  std::int64_t q = a.coeff / p;
  const std::int64_t rem = a.coeff % p;
  const std::int64_t twice = rem < 0 ? -2 * rem : 2 * rem;  // |rem| < p <= 10^18: no overflow
  const std::int64_t away = a.coeff < 0 ? -1 : 1;
  bool up = false;
  switch (mode) {
    case Rounding::kTruncate: break;
    case Rounding::kUp: up = rem != 0; break;
    case Rounding::kHalfUp: up = twice >= p; break;
    case Rounding::kHalfEven: up = twice > p || (twice == p && (q & 1) != 0); break;
  }
  if (up) q += away;  // |q| <= |coeff| / 10: no overflow
  if (exp > 0) {
    r.scale = 0;
    return !__builtin_mul_overflow(q, kPow10[exp], &r.coeff);
  }
  r.scale = -exp;
  r.coeff = q;
  return true;
}

}  // namespace shiki::decimal::fixed
