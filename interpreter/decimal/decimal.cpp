// Two paths per operation. The fast path stays in the fixed 128-bit checked
// coefficient, so +, -, * and comparison never touch the heap; when it
// overflows, the operation is redone exactly in an unbounded cpp_int and the
// result is fitted back (dropping trailing zeros only as far as needed), which
// throws OverflowError only when the exact value truly has no representation.
#include "interpreter/decimal/decimal.h"

#include <algorithm>
#include <array>
#include <limits>
#include <type_traits>

namespace shiki::decimal {
namespace {

using Coeff = Decimal::Coeff;
using Wide = boost::multiprecision::cpp_int;

// 10^38 is the largest power of ten below the coefficient's 2^128 − 1.
constexpr int kMaxPow = 38;
constexpr Coeff kMaxCoeff = std::numeric_limits<Coeff>::max();

constexpr std::array<Coeff, kMaxPow + 1> make_pow10() {
  std::array<Coeff, kMaxPow + 1> t{};
  Coeff p = 1;
  for (int i = 0; i <= kMaxPow; ++i) {
    t[i] = p;
    if (i < kMaxPow) p *= 10;
  }
  return t;
}
constexpr auto kPow10 = make_pow10();

// kHeadroom[d]: the largest magnitude that survives × 10^d, so comparison can
// tell an unalignable operand is the larger one without widening.
constexpr std::array<Coeff, kMaxScale + 1> make_headroom() {
  std::array<Coeff, kMaxScale + 1> t{};
  for (int i = 0; i <= kMaxScale; ++i) t[i] = kMaxCoeff / kPow10[i];
  return t;
}
constexpr auto kHeadroom = make_headroom();

// Units finer than this or coarser than that give the same answer as the
// bound itself (see divide_round), so clamping keeps the wide path bounded.
constexpr int kMinUsefulExp = -(kMaxScale + 40);
constexpr int kMaxUsefulExp = kMaxScale + 40;

[[noreturn]] void overflow(const char* op) {
  throw OverflowError(std::string("decimal overflow in ") + op);
}

Wide wide_pow10(int n) { return boost::multiprecision::pow(Wide(10), static_cast<unsigned>(n)); }

// In the Coeff instantiation a power past 10^38 is an overflow like any
// other, so the caller falls back to the wide path.
template <class T>
T pow10(int n) {
  if constexpr (std::is_same_v<T, Coeff>) {
    if (n > kMaxPow) throw std::overflow_error("power of ten");
    return kPow10[n];
  } else {
    return wide_pow10(n);
  }
}

// c · 10^-scale as a Decimal. Trailing zeros are dropped only while the scale
// or the magnitude is out of range, so an in-range result keeps its scale.
Decimal fit(Wide c, int scale, const char* op) {
  if (c == 0) return Decimal(Coeff(0), std::clamp(scale, 0, kMaxScale));
  const Wide max = kMaxCoeff;
  while (scale > 0 && (scale > kMaxScale || abs(c) > max) && c % 10 == 0) {
    c /= 10;
    --scale;
  }
  if (scale < 0) {
    if (scale < -kMaxPow - 1) overflow(op);
    c *= wide_pow10(-scale);
    scale = 0;
  }
  if (scale > kMaxScale || abs(c) > max) overflow(op);
  return Decimal(static_cast<Coeff>(c), scale);
}

// n / d rounded to an integer. Truncating division first, then a step away
// from zero when the mode and the remainder ask for it.
template <class T>
T round_quotient(const T& n, const T& d, Rounding mode) {
  T q, r;
  boost::multiprecision::divide_qr(n, d, q, r);
  if (r == 0 || mode == Rounding::kTruncate) return q;
  bool away = true;
  if (mode != Rounding::kUp) {
    const T ar = abs(r);
    const T rest = abs(d) - ar;  // compared with ar instead of 2·ar, which could overflow
    away = ar > rest || (ar == rest && (mode == Rounding::kHalfUp || q % 2 != 0));
  }
  if (away) {
    if ((n < 0) != (d < 0)) {
      q -= 1;
    } else {
      q += 1;
    }
  }
  return q;
}

// round(A·10^-sa / (B·10^-sb), 10^exp) as a coefficient at scale −exp.
template <class T>
T divide_round_coeff(const T& a, int sa, const T& b, int sb, int exp, Rounding mode) {
  const int k = sb - sa - exp;
  if (k >= 0) return round_quotient<T>(a * pow10<T>(k), b, mode);
  return round_quotient<T>(a, b * pow10<T>(-k), mode);
}

// The quotient's digits when they terminate: after removing common factors
// the divisor must be 2^x·5^y, and 10^max(x,y) / divisor turns it into a
// power of ten.
template <class T>
std::optional<std::pair<T, int>> exact_quotient(T a, T b, int scale) {
  if (b < 0) {
    a = -a;
    b = -b;
  }
  const T g = gcd(abs(a), b);
  a /= g;
  b /= g;
  T rest = b;
  int twos = 0, fives = 0;
  while (rest % 2 == 0) {
    rest /= 2;
    ++twos;
  }
  while (rest % 5 == 0) {
    rest /= 5;
    ++fives;
  }
  if (rest != 1) return std::nullopt;
  const int k = std::max(twos, fives);
  T c = a * (pow10<T>(k) / b);
  scale += k;
  // The fewest places, as to_string would write it: 1.0 / 1 is 1.
  while (scale > 0 && c % 10 == 0) {
    c /= 10;
    --scale;
  }
  return std::pair<T, int>{c, scale};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A run of digits where each '_' sits between two digits.
bool valid_digits(std::string_view s) {
  if (s.empty() || !is_digit(s.front()) || !is_digit(s.back())) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_digit(s[i])) continue;
    if (s[i] != '_' || !is_digit(s[i + 1])) return false;  // s.back() is a digit
  }
  return true;
}

// Digits of `whole` then `frac` as a coefficient, leaving off the last `drop`
// digits of `frac` (all zeros). Throws std::overflow_error when too wide.
Coeff accumulate(std::string_view whole, std::string_view frac, int drop) {
  Coeff c = 0;
  for (char ch : whole) {
    if (ch != '_') c = c * 10 + (ch - '0');
  }
  int keep = 0;
  for (char ch : frac) keep += is_digit(ch) ? 1 : 0;
  keep -= drop;
  for (char ch : frac) {
    if (ch == '_') continue;
    if (keep-- == 0) break;
    c = c * 10 + (ch - '0');
  }
  return c;
}

}  // namespace

const char* rounding_name(Rounding mode) {
  switch (mode) {
    case Rounding::kTruncate: return "TRUNC";
    case Rounding::kUp: return "UP";
    case Rounding::kHalfUp: return "HALF_UP";
    case Rounding::kHalfEven: return "HALF_EVEN";
  }
  return "?";
}

Decimal::Decimal(Coeff coefficient, int scale) : coeff_(coefficient), scale_(scale) {
  if (scale >= 0 && scale <= kMaxScale) return;
  if (scale < 0 && scale >= -kMaxPow) {
    try {
      coeff_ = coefficient * kPow10[-scale];
      scale_ = 0;
      return;
    } catch (const std::overflow_error&) {
      overflow("scale");
    }
  }
  *this = fit(Wide(coefficient), scale, "scale");
}

Decimal Decimal::from_int(std::int64_t v) { return Decimal(Coeff(v), 0); }

std::optional<Decimal> Decimal::parse(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!valid_digits(whole) || (dot != std::string_view::npos && !valid_digits(frac))) return std::nullopt;

  int digits = 0, zeros = 0;
  for (char ch : frac) {
    if (ch == '_') continue;
    ++digits;
    zeros = ch == '0' ? zeros + 1 : 0;
  }
  // Keep the written scale when it fits; otherwise the trailing zeros go.
  for (int drop : {0, zeros}) {
    if (digits - drop > kMaxScale) continue;
    try {
      const Coeff c = accumulate(whole, frac, drop);
      return Decimal(negative ? Coeff(-c) : c, digits - drop);
    } catch (const std::overflow_error&) {
    }
  }
  overflow("parse");
}

std::string Decimal::to_string() const {
  if (coeff_ == 0) return "0";
  std::string digits = abs(coeff_).str();
  int scale = scale_;
  while (scale > 0 && digits.back() == '0') {
    digits.pop_back();
    --scale;
  }
  if (scale > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  if (coeff_ < 0) digits.insert(0, 1, '-');
  return digits;
}

Decimal Decimal::operator-() const {
  // Signed magnitude: negation is exact for every coefficient.
  Decimal r = *this;
  r.coeff_ = -coeff_;
  return r;
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale_, b.scale_);
  try {
    if (a.scale_ == b.scale_) return Decimal(a.coeff_ + b.coeff_, scale);
    if (a.scale_ < b.scale_) return Decimal(a.coeff_ * kPow10[scale - a.scale_] + b.coeff_, scale);
    return Decimal(a.coeff_ + b.coeff_ * kPow10[scale - b.scale_], scale);
  } catch (const std::overflow_error&) {
  }
  const Wide sum = Wide(a.coeff_) * wide_pow10(scale - a.scale_) + Wide(b.coeff_) * wide_pow10(scale - b.scale_);
  return fit(sum, scale, "+");
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + -b; }

Decimal operator*(const Decimal& a, const Decimal& b) {
  const int scale = a.scale_ + b.scale_;
  if (scale <= kMaxScale) {
    try {
      return Decimal(a.coeff_ * b.coeff_, scale);
    } catch (const std::overflow_error&) {
    }
  }
  return fit(Wide(a.coeff_) * Wide(b.coeff_), scale, "*");
}

std::optional<Decimal> Decimal::divide_exact(const Decimal& a, const Decimal& b) {
  if (b.is_zero()) throw DivisionByZero("division by zero");
  const int scale = a.scale_ - b.scale_;
  try {
    const auto q = exact_quotient<Coeff>(a.coeff_, b.coeff_, scale);
    if (!q) return std::nullopt;
    return Decimal(q->first, q->second);
  } catch (const std::overflow_error&) {
  }
  const auto q = exact_quotient<Wide>(Wide(a.coeff_), Wide(b.coeff_), scale);
  if (!q) return std::nullopt;
  return fit(q->first, q->second, "/");
}

// Why the clamp is exact. |a/b| < 10^69, so for exp >= 70 every mode gives 0
// except kUp on a nonzero value, which overflows either way. Below: if a/b is
// not a multiple of 10^-kMaxScale, its distance to the nearest one is at
// least 1/(|B|·10^30) > 10^-69, more than the rounding error at exp <= -70, so
// the rounded value is representable exactly when a/b itself is.
Decimal Decimal::divide_round(const Decimal& a, const Decimal& b, int exp, Rounding mode) {
  if (b.is_zero()) throw DivisionByZero("division by zero");
  exp = std::clamp(exp, kMinUsefulExp, kMaxUsefulExp);
  try {
    return Decimal(divide_round_coeff<Coeff>(a.coeff_, a.scale_, b.coeff_, b.scale_, exp, mode), -exp);
  } catch (const std::overflow_error&) {
  }
  const Wide q = divide_round_coeff<Wide>(Wide(a.coeff_), a.scale_, Wide(b.coeff_), b.scale_, exp, mode);
  return fit(q, -exp, "/");
}

Decimal Decimal::round(int exp, Rounding mode) const {
  // Already a multiple of the unit: nothing to do, and the scale is kept.
  if (exp <= -scale_) return *this;
  exp = std::min(exp, kMaxUsefulExp);
  const int digits = scale_ + exp;
  if (digits <= kMaxPow) {
    try {
      return Decimal(round_quotient<Coeff>(coeff_, kPow10[digits], mode), -exp);
    } catch (const std::overflow_error&) {
    }
  }
  return divide_round(*this, Decimal(1, 0), exp, mode);
}

bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  auto order = [](const Coeff& x, const Coeff& y) {
    if (x < y) return std::strong_ordering::less;
    if (x > y) return std::strong_ordering::greater;
    return std::strong_ordering::equal;
  };
  if (a.scale_ == b.scale_) return order(a.coeff_, b.coeff_);
  const bool a_coarser = a.scale_ < b.scale_;
  const Decimal& lo = a_coarser ? a : b;
  const Decimal& hi = a_coarser ? b : a;
  const int d = hi.scale_ - lo.scale_;
  std::strong_ordering lo_vs_hi = std::strong_ordering::equal;
  if (abs(lo.coeff_) > kHeadroom[d]) {
    // Aligned it would exceed every coefficient, so its sign decides.
    lo_vs_hi = lo.coeff_ > 0 ? std::strong_ordering::greater : std::strong_ordering::less;
  } else {
    lo_vs_hi = order(lo.coeff_ * kPow10[d], hi.coeff_);
  }
  return a_coarser ? lo_vs_hi : 0 <=> lo_vs_hi;
}

bool Decimal::is_integer() const { return scale_ == 0 || coeff_ % kPow10[scale_] == 0; }

std::int64_t Decimal::to_int64() const {
  if (!is_integer()) throw OverflowError("not an integer: " + to_string());
  const Coeff v = coeff_ / kPow10[scale_];
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min()) {
    overflow("to_int64");
  }
  return v.convert_to<std::int64_t>();
}

}  // namespace shiki::decimal
