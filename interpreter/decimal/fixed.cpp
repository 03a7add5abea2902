#include "fixed.h"

namespace shiki::decimal::fixed {

std::optional<Fixed> narrow(const Decimal& d) {
  static const Decimal::Coeff kMin = INT64_MIN, kMax = INT64_MAX;
  Decimal::Coeff c = d.coefficient();
  int scale = d.scale();
  while ((c < kMin || c > kMax) && scale > 0 && c % 10 == 0) {
    c /= 10;
    --scale;
  }
  if (c < kMin || c > kMax) return std::nullopt;
  return Fixed{static_cast<std::int64_t>(c), scale};
}

}  // namespace shiki::decimal::fixed
