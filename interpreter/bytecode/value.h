// The runtime value: 16 bytes, trivially copyable, copied with no
// allocation and no constructor call. A number is a 64-bit coefficient with
// its scale (value = coeff × 10^-scale); arithmetic on it is inline
// (vm/values.h, decimal/fixed.h) and widens to decimal::Decimal only when the
// 64 bits would overflow. Text points into storage that outlives the
// evaluation (the program or the household input).
#pragma once
#include <cstdint>
#include <string>
#include <type_traits>

#include "../decimal/decimal.h"
#include "../decimal/fixed.h"

namespace shiki::bytecode {

enum class Tag : std::uint8_t { None, Bool, Num, Date, Month, Enum, Text };

struct Value {
  union {
    std::int64_t coeff = 0;        // Num
    const std::string* text;       // Text
  };
  std::int32_t i = 0;              // Bool, Date (days), Month (index), Enum (case)
  Tag tag = Tag::None;
  std::uint8_t scale = 0;          // Num: places after the decimal point

  static Value fixed(decimal::fixed::Fixed f) {
    Value v;
    v.tag = Tag::Num;
    v.coeff = f.coeff;
    v.scale = static_cast<std::uint8_t>(f.scale);
    return v;
  }
  // Exact. A coefficient that needs more than 64 bits even with its trailing
  // fraction zeros dropped throws decimal::OverflowError.
  static Value number(const decimal::Decimal& d);
  static Value integer(std::int64_t n) { return fixed({n, 0}); }
  static Value boolean(bool b) { Value v; v.tag = Tag::Bool; v.i = b; return v; }
  static Value date(std::int32_t days) { Value v; v.tag = Tag::Date; v.i = days; return v; }
  static Value month(std::int32_t index) { Value v; v.tag = Tag::Month; v.i = index; return v; }
  static Value enumeration(std::int32_t c) { Value v; v.tag = Tag::Enum; v.i = c; return v; }
  static Value string(const std::string* s) { Value v; v.tag = Tag::Text; v.text = s; return v; }
  bool is_none() const { return tag == Tag::None; }
  decimal::fixed::Fixed as_fixed() const { return {coeff, scale}; }
  // The number as a Decimal: for printing and the wide path.
  decimal::Decimal num() const { return decimal::Decimal(coeff, scale); }
};

static_assert(sizeof(Value) == 16, "a Value is two machine words");
static_assert(std::is_trivially_copyable_v<Value>);

}  // namespace shiki::bytecode
