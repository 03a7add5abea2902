// The types of the language. Units: money is yen; integer, decimal and rate
// are plain numbers (rate only prints as a percentage); a number literal
// takes the unit of what it meets.
#pragma once
#include <string>

namespace shiki::ast {

enum class Base : unsigned char {
  Error,    // after a reported error: accepted everywhere, so errors do not cascade
  Integer, Decimal, Rate, Money, Boolean, Date, Month, Text, Enum, None,
};

struct Type {
  Base base = Base::Error;
  int enum_id = -1;
  bool literal = false;  // an unsuffixed number literal (adopts money)

  static Type of(Base b) { return Type{b, -1, false}; }
  bool is_error() const { return base == Base::Error; }
  bool is_number() const { return base == Base::Integer || base == Base::Decimal || base == Base::Rate; }
  bool is_numeric() const { return is_number() || base == Base::Money; }
  bool same(const Type& o) const { return base == o.base && enum_id == o.enum_id; }
};

}  // namespace shiki::ast
