// Arithmetic and comparison on runtime values (internal to vm/). The common
// case (two numbers whose 64-bit coefficients do not overflow) is inline;
// everything else (dates, months, text, the wide path, errors) is in
// values.cpp.
#pragma once
#include "../bytecode/value.h"

namespace shiki::vm {

// Each throws std::invalid_argument (with a message for staff) when a value
// is missing or the kinds do not fit; decimal::OverflowError on overflow.
bytecode::Value add_slow(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value sub_slow(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value mul_slow(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value div(const bytecode::Value& a, const bytecode::Value& b);
int compare_slow(const bytecode::Value& a, const bytecode::Value& b);

inline bool both_numbers(const bytecode::Value& a, const bytecode::Value& b) {
  return a.tag == bytecode::Tag::Num && b.tag == bytecode::Tag::Num;
}

inline bytecode::Value add(const bytecode::Value& a, const bytecode::Value& b) {
  decimal::fixed::Fixed r;
  if (both_numbers(a, b) && decimal::fixed::add(a.as_fixed(), b.as_fixed(), r)) return bytecode::Value::fixed(r);
  return add_slow(a, b);
}

inline bytecode::Value sub(const bytecode::Value& a, const bytecode::Value& b) {
  decimal::fixed::Fixed r;
  if (both_numbers(a, b) && decimal::fixed::sub(a.as_fixed(), b.as_fixed(), r)) return bytecode::Value::fixed(r);
  return sub_slow(a, b);
}

inline bytecode::Value mul(const bytecode::Value& a, const bytecode::Value& b) {
  decimal::fixed::Fixed r;
  if (both_numbers(a, b) && decimal::fixed::mul(a.as_fixed(), b.as_fixed(), r)) return bytecode::Value::fixed(r);
  return mul_slow(a, b);
}

inline int compare(const bytecode::Value& a, const bytecode::Value& b) {
  int c;
  if (both_numbers(a, b) && decimal::fixed::compare(a.as_fixed(), b.as_fixed(), c)) return c;
  if (a.tag == b.tag && a.tag != bytecode::Tag::Num && a.tag != bytecode::Tag::Text &&
      a.tag != bytecode::Tag::None)
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  return compare_slow(a, b);
}

inline bool equal(const bytecode::Value& a, const bytecode::Value& b) { return compare(a, b) == 0; }

}  // namespace shiki::vm
