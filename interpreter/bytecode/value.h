// The runtime value: compact, copyable without allocation. Text points into
// storage that outlives the evaluation (the program or the household input).
#pragma once
#include <cstdint>
#include <string>

#include "../decimal/decimal.h"

namespace shiki::bytecode {

enum class Tag : std::uint8_t { None, Bool, Num, Date, Month, Enum, Text };

struct Value {
  Tag tag = Tag::None;
  std::int32_t i = 0;            // Bool, Date (days), Month (index), Enum (case)
  const std::string* text = nullptr;
  decimal::Decimal num;

  static Value number(decimal::Decimal d) { Value v; v.tag = Tag::Num; v.num = d; return v; }
  static Value integer(std::int64_t n) { return number(decimal::Decimal::from_int(n)); }
  static Value boolean(bool b) { Value v; v.tag = Tag::Bool; v.i = b; return v; }
  static Value date(std::int32_t days) { Value v; v.tag = Tag::Date; v.i = days; return v; }
  static Value month(std::int32_t index) { Value v; v.tag = Tag::Month; v.i = index; return v; }
  static Value enumeration(std::int32_t c) { Value v; v.tag = Tag::Enum; v.i = c; return v; }
  static Value string(const std::string* s) { Value v; v.tag = Tag::Text; v.text = s; return v; }
  bool is_none() const { return tag == Tag::None; }
};

}  // namespace shiki::bytecode
