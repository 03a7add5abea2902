#include "interpreter/decimal/decimal.h"

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdlib>
#include <new>
#include <limits>
#include <random>
#include <string>
#include <vector>

// Counts heap allocations so the hot-path test can assert there are none.
static int g_allocations = 0;
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace shiki::decimal {
namespace {

using Coeff = Decimal::Coeff;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

const Coeff kMax = std::numeric_limits<Coeff>::max();
constexpr Rounding kModes[] = {Rounding::kTruncate, Rounding::kUp, Rounding::kHalfUp, Rounding::kHalfEven};

Decimal D(std::string_view text) {
  auto d = Decimal::parse(text);
  if (!d) throw std::invalid_argument("bad test literal " + std::string(text));
  return *d;
}

// ---------------------------------------------------------------- examples

TEST(DecimalParse, AcceptsAndKeepsWrittenScale) {
  struct Case {
    const char* text;
    const char* coeff;
    int scale;
  };
  const Case cases[] = {
      {"0", "0", 0},         {"12", "12", 0},       {"-0.50", "-50", 2},    {"1_000", "1000", 0},
      {"0.1", "1", 1},       {"-0", "0", 0},        {"007", "7", 0},        {"1_2.3_4", "1234", 2},
      {"0.000_001", "1", 6}, {"3.14159", "314159", 5},
      {"340282366920938463463374607431768211455", "340282366920938463463374607431768211455", 0},
      {"0.000000000000000000000000000001", "1", 30},
      // Too many places as written, but the zeros can go.
      {"1.0000000000000000000000000000000000000000", "1", 0},
      {"12345678901234567890123456789.000000000000", "12345678901234567890123456789", 0},
  };
  for (const Case& c : cases) {
    auto d = Decimal::parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(d->coefficient().str(), c.coeff) << c.text;
    EXPECT_EQ(d->scale(), c.scale) << c.text;
  }
}

TEST(DecimalParse, RejectsNonNumbers) {
  for (const char* text : {"", "-", ".", "-.", ".5", "5.", "+1", "1e5", "1E5", "1__0", "_1", "1_", "1_.5", "1._5",
                           "0x10", " 1", "1 ", "--1", "1.2.3", "1,000", "１", "-_1", "nan", "1.5-"}) {
    EXPECT_FALSE(Decimal::parse(text).has_value()) << '"' << text << '"';
  }
}

TEST(DecimalParse, OutOfRangeThrows) {
  EXPECT_THROW(Decimal::parse("340282366920938463463374607431768211456"), OverflowError);
  EXPECT_THROW(Decimal::parse("0.0000000000000000000000000000001"), OverflowError);
  EXPECT_THROW(Decimal::parse("3402823669209384634633746074317682114.56"), OverflowError);
}

TEST(DecimalToString, ShortestExactText) {
  EXPECT_EQ(D("0.70").to_string(), "0.7");
  EXPECT_EQ(D("12.000").to_string(), "12");
  EXPECT_EQ(D("0.000").to_string(), "0");
  EXPECT_EQ(D("-0.5").to_string(), "-0.5");
  EXPECT_EQ(D("-0.05").to_string(), "-0.05");
  EXPECT_EQ(D("1_000_000").to_string(), "1000000");
  EXPECT_EQ(Decimal(Coeff(5), 30).to_string(), "0.000000000000000000000000000005");
  EXPECT_EQ(Decimal(Coeff(-12), -3).to_string(), "-12000");
}

TEST(DecimalArith, ExactTenths) {
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  EXPECT_EQ((D("0.1") + D("0.2")).scale(), 1);
  EXPECT_EQ((D("1.5") - D("0.25")).to_string(), "1.25");
  EXPECT_EQ((D("1.50") * D("0.3")).scale(), 3);
  EXPECT_EQ((D("1.50") * D("0.3")).to_string(), "0.45");
  EXPECT_EQ((-D("2.5")).to_string(), "-2.5");
  EXPECT_EQ((D("123456") * D("0.0762")).to_string(), "9407.3472");
}

TEST(DecimalCompare, AcrossScales) {
  EXPECT_EQ(D("0.5"), D("0.50000"));
  EXPECT_LT(D("0.49"), D("0.5"));
  EXPECT_GT(D("-0.49"), D("-0.5"));
  EXPECT_EQ(D("1") <=> D("1.000"), std::strong_ordering::equal);
  // Aligning the first would overflow; it must still compare correctly.
  const Decimal big(kMax, 0), tiny(Coeff(1), 30), neg_big(-kMax, 0);
  EXPECT_GT(big, tiny);
  EXPECT_LT(tiny, big);
  EXPECT_LT(neg_big, tiny);
  EXPECT_GT(tiny, neg_big);
  EXPECT_NE(big, Decimal(kMax, 30));
}

TEST(DecimalRound, AllModes) {
  struct Case {
    const char* value;
    int exp;
    const char* trunc;
    const char* up;
    const char* half_up;
    const char* half_even;
  };
  const Case cases[] = {
      {"2.5", 0, "2", "3", "3", "2"},          {"3.5", 0, "3", "4", "4", "4"},
      {"-2.5", 0, "-2", "-3", "-3", "-2"},     {"-3.5", 0, "-3", "-4", "-4", "-4"},
      {"2.4999", 0, "2", "3", "2", "2"},       {"-2.5001", 0, "-2", "-3", "-3", "-3"},
      {"12345", 2, "12300", "12400", "12300", "12300"},
      {"12350", 2, "12300", "12400", "12400", "12400"},
      {"12250", 2, "12200", "12300", "12300", "12200"},
      {"1.005", -2, "1", "1.01", "1.01", "1"}, {"0.125", -2, "0.12", "0.13", "0.13", "0.12"},
      {"7", 0, "7", "7", "7", "7"},            {"0.3", 3, "0", "1000", "0", "0"},
      {"-499", 3, "0", "-1000", "0", "0"},     {"-500", 3, "0", "-1000", "-1000", "0"},
  };
  for (const Case& c : cases) {
    const Decimal v = D(c.value);
    EXPECT_EQ(v.round(c.exp, Rounding::kTruncate).to_string(), c.trunc) << c.value;
    EXPECT_EQ(v.round(c.exp, Rounding::kUp).to_string(), c.up) << c.value;
    EXPECT_EQ(v.round(c.exp, Rounding::kHalfUp).to_string(), c.half_up) << c.value;
    EXPECT_EQ(v.round(c.exp, Rounding::kHalfEven).to_string(), c.half_even) << c.value;
  }
  EXPECT_EQ(D("1.5").round(-3, Rounding::kUp).scale(), 1);
  EXPECT_EQ(D("1.5678").round(-2, Rounding::kUp).scale(), 2);
  EXPECT_EQ(D("15678").round(2, Rounding::kUp).scale(), 0);
}

TEST(DecimalDivide, Exact) {
  EXPECT_FALSE(Decimal::divide_exact(D("1"), D("3")).has_value());
  EXPECT_FALSE(Decimal::divide_exact(D("1"), D("12")).has_value());
  EXPECT_EQ(Decimal::divide_exact(D("1"), D("8"))->to_string(), "0.125");
  EXPECT_EQ(Decimal::divide_exact(D("-10"), D("4"))->to_string(), "-2.5");
  EXPECT_EQ(Decimal::divide_exact(D("0.3"), D("0.03"))->to_string(), "10");
  EXPECT_EQ(Decimal::divide_exact(D("36"), D("12"))->to_string(), "3");
  EXPECT_EQ(Decimal::divide_exact(D("0"), D("7"))->to_string(), "0");
  EXPECT_EQ(Decimal::divide_exact(D("1.000"), D("0.5"))->scale(), 0);
  EXPECT_EQ(Decimal::divide_exact(D("0.30"), D("4"))->scale(), 3);
  EXPECT_THROW(Decimal::divide_exact(D("1"), D("0.000")), DivisionByZero);
  // Terminates, but needs 31 places.
  EXPECT_THROW(Decimal::divide_exact(D("1"), Decimal(Coeff(2147483648LL), 0)), OverflowError);
}

TEST(DecimalDivide, Round) {
  EXPECT_EQ(Decimal::divide_round(D("1"), D("3"), -2, Rounding::kTruncate).to_string(), "0.33");
  EXPECT_EQ(Decimal::divide_round(D("-1"), D("3"), -2, Rounding::kUp).to_string(), "-0.34");
  EXPECT_EQ(Decimal::divide_round(D("2"), D("3"), 0, Rounding::kHalfEven).to_string(), "1");
  EXPECT_EQ(Decimal::divide_round(D("5"), D("2"), 0, Rounding::kHalfEven).to_string(), "2");
  EXPECT_EQ(Decimal::divide_round(D("5"), D("-2"), 0, Rounding::kHalfUp).to_string(), "-3");
  // Annual 52,000 yen spread over 12 months, truncated to 100 yen.
  EXPECT_EQ(Decimal::divide_round(D("52000"), D("12"), 2, Rounding::kTruncate).to_string(), "4300");
  // Rounded to 10^-40 the quotient is exact, so its 40 places shrink to fit.
  EXPECT_EQ(Decimal::divide_round(D("1"), D("4"), -40, Rounding::kHalfUp).scale(), 30);
  EXPECT_THROW(Decimal::divide_round(D("1"), D("3"), -40, Rounding::kHalfUp), OverflowError);
  EXPECT_THROW(Decimal::divide_round(D("1"), D("0"), 0, Rounding::kHalfUp), DivisionByZero);
  EXPECT_EQ(Decimal::divide_round(D("1"), D("3"), 1000, Rounding::kHalfUp).to_string(), "0");
  // a / b = 10^-30 + about 10^-61: the remainder vanishes at 10^-60 but not
  // at 10^-62, nor at any finer unit (the clamp at 10^-70 must keep that).
  const Decimal a(Coeff("10000000000000000000000000000002"), 30), b(Coeff("10000000000000000000000000000001"), 0);
  const Decimal tiny(Coeff(1), 30);
  EXPECT_EQ(Decimal::divide_round(a, b, -60, Rounding::kTruncate), tiny);
  EXPECT_THROW(Decimal::divide_round(a, b, -62, Rounding::kTruncate), OverflowError);
  EXPECT_THROW(Decimal::divide_round(a, b, -1000, Rounding::kTruncate), OverflowError);
  EXPECT_EQ(Decimal::divide_round(a, b, -60, Rounding::kHalfEven), tiny);
  EXPECT_EQ(Decimal::divide_round(D("1"), D("4"), -1000, Rounding::kHalfUp).to_string(), "0.25");
  EXPECT_THROW(Decimal::divide_round(D("1"), D("3"), 1000, Rounding::kUp), OverflowError);
  EXPECT_THROW(Decimal::divide_round(D("1"), D("3"), -1000, Rounding::kUp), OverflowError);
}

TEST(DecimalOverflow, Throws) {
  const Decimal max(kMax, 0), ulp(Coeff(1), 0);
  EXPECT_THROW(max + ulp, OverflowError);
  EXPECT_THROW(-max - ulp, OverflowError);
  EXPECT_THROW(max * D("1.1"), OverflowError);
  EXPECT_THROW(D("10") * Decimal(kMax / 5, 0), OverflowError);
  EXPECT_THROW(Decimal(kMax, 1) + Decimal(Coeff(1), 30), OverflowError);
  EXPECT_THROW(Decimal(Coeff(1), 20) * Decimal(Coeff(1), 11), OverflowError);
  EXPECT_THROW(Decimal(Coeff(1), 31), OverflowError);
  EXPECT_THROW(Decimal(Coeff(1), -39), OverflowError);
  EXPECT_THROW(max.round(1, Rounding::kUp), OverflowError);
  EXPECT_THROW(D("1").round(39, Rounding::kUp), OverflowError);
  EXPECT_THROW(Decimal::divide_round(max, D("0.1"), 0, Rounding::kTruncate), OverflowError);
  EXPECT_THROW(D("9223372036854775808").to_int64(), OverflowError);
  EXPECT_THROW(D("1.5").to_int64(), OverflowError);
  // Near the edge but representable: these must not throw.
  EXPECT_EQ((max - ulp + ulp).coefficient(), kMax);
  EXPECT_EQ((Decimal(Coeff(10), 20) * Decimal(Coeff(10), 11)).to_string(), "0." + std::string(28, '0') + "1");
  EXPECT_EQ(Decimal(Coeff(10), 31).scale(), 30);
  EXPECT_EQ((Decimal(kMax - 5, 0) * D("1.0")).coefficient(), kMax - 5);
  EXPECT_EQ(D("1").round(39, Rounding::kHalfUp).to_string(), "0");
}

TEST(DecimalHotPath, DoesNotAllocate) {
  const Decimal income = D("3456789"), rate = D("0.0762"), per_capita = D("27000"), half = D("0.5");
  const Decimal months = D("12"), small = D("0.000001");
  const int before = g_allocations;
  Decimal x = income * rate;                          // scales 0 + 4
  x = x + per_capita * half - small;                  // aligned across scales
  x = x.round(2, Rounding::kTruncate);                // 100 yen
  x = x + x.round(-2, Rounding::kHalfEven);
  x = Decimal::divide_round(x, months, 0, Rounding::kHalfUp);
  const bool ordered = small < income && x != income && (x <=> half) == std::strong_ordering::greater;
  const int allocations = g_allocations - before;
  EXPECT_EQ(allocations, 0);
  EXPECT_TRUE(ordered);
  // 263,407.3218 + 13,500 − 0.000001 → 276,900 (100 yen), doubled, ÷ 12.
  EXPECT_EQ(x.to_string(), "46150");
}

TEST(DecimalInt, Conversions) {
  EXPECT_EQ(D("-9223372036854775808").to_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(D("1200.00").to_int64(), 1200);
  EXPECT_TRUE(D("3.000").is_integer());
  EXPECT_FALSE(D("3.001").is_integer());
  EXPECT_EQ(Decimal::from_int(-42).to_string(), "-42");
  EXPECT_STREQ(rounding_name(Rounding::kHalfEven), "HALF_EVEN");
  EXPECT_STREQ(rounding_name(Rounding::kTruncate), "TRUNC");
}

// ------------------------------------------------------------ differential
// The oracle shares nothing with the library: exact rationals, rounding by
// floor and fraction instead of truncating division, and representability
// decided from the value alone.

const cpp_int kMaxWide = cpp_int(kMax);

cpp_int pow10(int n) { return boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(n)); }
cpp_rational rat(const Decimal& d) { return cpp_rational(cpp_int(d.coefficient()), pow10(d.scale())); }

// The fewest places that write x exactly, or -1 when none do.
int min_scale(const cpp_rational& x) {
  cpp_int den = denominator(x);
  int twos = 0, fives = 0;
  for (; den % 2 == 0; den /= 2) ++twos;
  for (; den % 5 == 0; den /= 5) ++fives;
  return den == 1 ? std::max(twos, fives) : -1;
}

struct Expected {
  bool overflow = false;
  cpp_int coeff;
  int scale = 0;
};

// x at its natural scale, with fewer places only where kMaxScale or the
// coefficient's width force it.
Expected represent(const cpp_rational& x, int natural) {
  const int s0 = min_scale(x);
  int s = std::min(natural, kMaxScale);
  if (s < s0) return Expected{true, 0, 0};
  cpp_int c = numerator(cpp_rational(x * pow10(s)));
  for (; abs(c) > kMaxWide && s > s0; --s) c /= 10;
  return Expected{abs(c) > kMaxWide, c, s};
}

cpp_rational round_to(const cpp_rational& x, int exp, Rounding mode, int& ties) {
  const cpp_rational unit = exp >= 0 ? cpp_rational(pow10(exp)) : cpp_rational(cpp_int(1), pow10(-exp));
  const cpp_rational t = x / unit;
  const cpp_int p = numerator(t), q = denominator(t);
  cpp_int floor = p / q;
  if (p % q != 0 && p < 0) floor -= 1;
  const cpp_rational twice_frac = (t - floor) * 2;  // in [0, 2)
  const bool exact = twice_frac == 0;
  const bool tie = twice_frac == 1;
  ties += tie ? 1 : 0;
  bool up = false;  // toward +infinity from the floor
  switch (mode) {
    case Rounding::kTruncate: up = !exact && t < 0; break;
    case Rounding::kUp: up = !exact && t > 0; break;
    case Rounding::kHalfUp: up = twice_frac > 1 || (tie && t > 0); break;
    case Rounding::kHalfEven: up = twice_frac > 1 || (tie && floor % 2 != 0); break;
  }
  return (floor + (up ? 1 : 0)) * unit;
}

std::string oracle_text(const cpp_rational& x) {
  const cpp_int n = abs(numerator(x)), d = denominator(x);
  std::string s = (numerator(x) < 0 ? "-" : "") + cpp_int(n / d).str();
  cpp_int r = n % d;
  if (r != 0) s += '.';
  for (; r != 0; r %= d) {
    r *= 10;
    s += static_cast<char>('0' + cpp_int(r / d).convert_to<int>());
  }
  return s;
}

class Gen {
 public:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  Decimal value() {
    Coeff c = 0;
    int scale = uniform(0, kMaxScale);
    switch (uniform(0, 11)) {
      case 0:
      case 1: c = uniform(-1000, 1000), scale = uniform(0, 4); break;
      case 2:
      case 3: c = digits(uniform(1, 18)), scale = uniform(0, 12); break;
      case 4:
      case 5: c = digits(uniform(1, 38)); break;
      case 6: c = Coeff(uniform(1, 99)) * power(uniform(0, 36)); break;
      case 7: c = kMax - uniform(0, 1000); break;
      case 8: c = kMax / power(uniform(0, 38)) - uniform(0, 3); break;
      case 9: c = digits(uniform(19, 38)), scale = uniform(20, kMaxScale); break;
      default: {  // ends in 5, 50 or 500: a tie when those digits are rounded off
        const int k = uniform(1, 3);
        c = digits(uniform(0, 20)) * power(k) + 5 * power(k - 1);
        break;
      }
    }
    return Decimal(uniform(0, 1) ? Coeff(-c) : c, scale);
  }

  Decimal divisor() {
    static const char* const kSmall[] = {"1",  "2",   "3",    "4",     "5",   "6",   "7",    "8",     "12", "16",
                                         "25", "0.5", "0.04", "1.2",   "365", "366", "1000", "0.001", "0"};
    if (uniform(0, 1)) return value();
    const Decimal d = D(kSmall[uniform(0, std::size(kSmall) - 1)]);
    return uniform(0, 1) ? -d : d;
  }

  int exp() {
    static constexpr int kFar[] = {-1000, -100, -71, -70, -69, 38, 39, 40, 68, 69, 70, 71, 100, 1000};
    if (uniform(0, 19) == 0) return kFar[uniform(0, std::size(kFar) - 1)];
    return uniform(-34, 40);
  }

  // The coefficient's digits as written with its scale, '_' here and there.
  std::string written(const Decimal& d) {
    std::string digits = abs(d.coefficient()).str();
    const auto scale = static_cast<std::size_t>(d.scale());
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    std::string out = d.is_negative() ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i == digits.size() - scale) {
        out += '.';
      } else if (i > 0 && uniform(0, 5) == 0) {
        out += '_';
      }
      out += digits[i];
    }
    return out;
  }

 private:
  Coeff digits(int n) {
    Coeff c = 0;
    for (int i = 0; i < n; ++i) c = c * 10 + uniform(0, 9);
    return c;
  }
  static Coeff power(int n) {
    Coeff p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
  }
  std::mt19937_64 rng_{20260401};
};

struct Tally {
  int ops = 0, overflows = 0, ties = 0, inexact = 0;
};

template <class Op>
void check(const Expected& want, Op op, const char* what, const Decimal& a, const Decimal& b, Tally& tally) {
  ++tally.ops;
  tally.overflows += want.overflow ? 1 : 0;
  const auto context = [&] {
    return std::string(what) + " on " + a.to_string() + " (scale " + std::to_string(a.scale()) + "), " +
           b.to_string() + " (scale " + std::to_string(b.scale()) + ")";
  };
  try {
    const Decimal got = op();
    if (want.overflow) {
      ADD_FAILURE() << context() << ": want overflow, got " << got.to_string();
    } else if (cpp_int(got.coefficient()) != want.coeff || got.scale() != want.scale) {
      ADD_FAILURE() << context() << ": got " << got.coefficient() << "e-" << got.scale() << ", want " << want.coeff
                    << "e-" << want.scale;
    }
  } catch (const OverflowError&) {
    if (!want.overflow) {
      ADD_FAILURE() << context() << ": unexpected overflow, want " << want.coeff << "e-" << want.scale;
    }
  }
}

void check_division(const Decimal& a, const Decimal& c, Gen& gen, Tally& tally) {
  if (c.is_zero()) {
    EXPECT_THROW(Decimal::divide_exact(a, c), DivisionByZero);
    EXPECT_THROW(Decimal::divide_round(a, c, 0, Rounding::kHalfUp), DivisionByZero);
    tally.ops += 2;
    return;
  }
  const cpp_rational q = rat(a) / rat(c);
  const int places = min_scale(q);
  tally.inexact += places < 0 ? 1 : 0;
  // Only the value is promised here, not the scale.
  const Expected want = places < 0 ? Expected{} : represent(q, kMaxScale);
  const auto context = [&] { return "divide_exact " + a.to_string() + " / " + c.to_string(); };
  ++tally.ops;
  tally.overflows += want.overflow ? 1 : 0;
  try {
    const std::optional<Decimal> got = Decimal::divide_exact(a, c);
    if (places < 0) {
      EXPECT_FALSE(got.has_value()) << context();
    } else {
      EXPECT_FALSE(want.overflow) << context() << ": want overflow";
      EXPECT_TRUE(got && rat(*got) == q && got->scale() == std::max(places, 0)) << context();
    }
  } catch (const OverflowError&) {
    EXPECT_TRUE(places >= 0 && want.overflow) << context() << ": unexpected overflow";
  }
  const int exp = gen.exp();
  const Rounding mode = kModes[gen.uniform(0, 3)];
  check(represent(round_to(q, exp, mode, tally.ties), std::max(0, -exp)),
        [&] { return Decimal::divide_round(a, c, exp, mode); }, rounding_name(mode), a, c, tally);
}

TEST(DecimalDifferential, AgainstExactRationals) {
  constexpr int kIterations = 12000;
  Gen gen;
  Tally tally;
  for (int i = 0; i < kIterations && !::testing::Test::HasFailure(); ++i) {
    const Decimal a = gen.value(), b = gen.value();
    const cpp_rational ra = rat(a), rb = rat(b);
    const int wider = std::max(a.scale(), b.scale());
    check(represent(ra + rb, wider), [&] { return a + b; }, "+", a, b, tally);
    check(represent(ra - rb, wider), [&] { return a - b; }, "-", a, b, tally);
    check(represent(ra * rb, a.scale() + b.scale()), [&] { return a * b; }, "*", a, b, tally);
    check_division(a, gen.divisor(), gen, tally);

    // Often just above the value's own places, where ties live.
    const int exp = gen.uniform(0, 2) == 0 ? gen.uniform(1, 3) - a.scale() : gen.exp();
    for (Rounding mode : kModes) {
      const Expected want = exp <= -a.scale()
                                ? Expected{false, cpp_int(a.coefficient()), a.scale()}
                                : represent(round_to(ra, exp, mode, tally.ties), std::max(0, -exp));
      check(want, [&] { return a.round(exp, mode); }, rounding_name(mode), a, Decimal::from_int(exp), tally);
    }

    const int order = ra < rb ? -1 : ra > rb ? 1 : 0;
    EXPECT_EQ(a <=> b, order <=> 0) << a.to_string() << " <=> " << b.to_string();
    EXPECT_EQ(a == b, order == 0);
    const Decimal shifted(a.coefficient(), a.scale() == 0 ? 0 : a.scale() - 1);
    const cpp_rational rs = rat(shifted);
    EXPECT_EQ(a <=> shifted, (ra < rs ? -1 : ra > rs ? 1 : 0) <=> 0) << a.to_string() << " <=> " << shifted.to_string();
    tally.ops += 3;

    const std::string text = a.to_string();
    ASSERT_EQ(text, oracle_text(ra));
    const auto back = Decimal::parse(text);
    ASSERT_TRUE(back && *back == a && back->scale() == std::max(min_scale(ra), 0)) << text;
    const std::string as_written = gen.written(a);
    const auto same = Decimal::parse(as_written);
    ASSERT_TRUE(same && same->coefficient() == a.coefficient() && same->scale() == a.scale()) << as_written;
    tally.ops += 2;
  }
  EXPECT_GE(tally.ops, 100000);
  // The generator must reach the cases that matter, or the test proves little.
  EXPECT_GE(tally.overflows, 2000);
  EXPECT_GE(tally.ties, 1000);
  EXPECT_GE(tally.inexact, 1000);
  std::printf("differential: %d ops, %d overflows, %d ties, %d non-terminating\n", tally.ops, tally.overflows,
              tally.ties, tally.inexact);
}

}  // namespace
}  // namespace shiki::decimal
