// Exact decimal numbers: a checked 128-bit coefficient and a power-of-ten
// scale (value = coefficient × 10^-scale). No binary floating point anywhere.
// Overflow never wraps: it throws OverflowError, which the VM turns into an
// evaluation error naming the rule and the household.
#pragma once
#include <boost/multiprecision/cpp_int.hpp>
#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace shiki::decimal {

struct OverflowError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct DivisionByZero : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How a value is brought to a multiple of a unit 10^exp.
//   kTruncate  切り捨て: toward zero
//   kUp        切り上げ: away from zero
//   kHalfUp    四捨五入: nearest, halves away from zero
//   kHalfEven  銀行丸め: nearest, halves to the even multiple
enum class Rounding : std::uint8_t { kTruncate, kUp, kHalfUp, kHalfEven };
const char* rounding_name(Rounding);  // "TRUNC" "UP" "HALF_UP" "HALF_EVEN"

// Largest scale a value may carry; past it an operation overflows.
inline constexpr int kMaxScale = 30;

class Decimal {
 public:
  using Coeff = boost::multiprecision::checked_int128_t;

  constexpr Decimal() = default;
  // A scale outside 0..kMaxScale is brought into range exactly (negative:
  // the coefficient is multiplied up) or throws OverflowError.
  Decimal(Coeff coefficient, int scale);
  static Decimal from_int(std::int64_t v);

  // "12", "-0.50", "1_000" (underscores between digits allowed). Exact;
  // nullopt when the text is not a decimal number. Accepted: an optional
  // '-', digits, then optionally '.' and digits; each '_' must sit between
  // two digits. Rejected: '+', exponents, ".5", "5.", spaces, empty text.
  // The written scale is kept ("0.50" has scale 2) unless it cannot be, in
  // which case the trailing fraction zeros are dropped; a well-formed
  // number that still does not fit throws OverflowError.
  static std::optional<Decimal> parse(std::string_view text);
  // Shortest exact text: trailing fraction zeros dropped ("0.7", "12", "0").
  std::string to_string() const;

  Decimal operator-() const;
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);

  // Results keep their natural scale (max of the operands' for + and -,
  // the sum for *, max(0, −exp) for rounding) and drop trailing zeros only
  // when that scale exceeds kMaxScale or the coefficient would not fit.
  //
  // a / b when the quotient has a finite decimal expansion, else nullopt;
  // OverflowError when it terminates but does not fit (more than kMaxScale
  // places, or too large). The result has the fewest places that write it
  // (a quotient has no natural scale).
  static std::optional<Decimal> divide_exact(const Decimal& a, const Decimal& b);
  // a / b rounded to a multiple of 10^exp (exact; no intermediate rounding).
  static Decimal divide_round(const Decimal& a, const Decimal& b, int exp, Rounding mode);
  // This value rounded to a multiple of 10^exp: exp 2 = hundreds of yen,
  // 0 = whole yen, -2 = hundredths. A unit no coarser than the value's own
  // last place (exp <= -scale) returns the value as it is, scale included.
  Decimal round(int exp, Rounding mode) const;

  // By value across scales: 0.5 == 0.50.
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

  bool is_zero() const { return coeff_ == 0; }
  bool is_negative() const { return coeff_ < 0; }
  bool is_integer() const;
  // The integral value; throws OverflowError if not an integer or too large.
  std::int64_t to_int64() const;
  const Coeff& coefficient() const { return coeff_; }
  int scale() const { return scale_; }

 private:
  Coeff coeff_ = 0;
  int scale_ = 0;
};

}  // namespace shiki::decimal
