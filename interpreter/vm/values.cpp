#include "values.h"

#include <stdexcept>

namespace shiki::vm {

using bytecode::Tag;
using bytecode::Value;
using decimal::Decimal;

namespace {
[[noreturn]] void missing() { throw std::invalid_argument("値がありません（入力が省略されています）"); }
[[noreturn]] void mismatch() { throw std::invalid_argument("値の種類が合いません"); }
void present(const Value& a, const Value& b) {
  if (a.is_none() || b.is_none()) missing();
}
std::int32_t small_int(const Value& v) {
  if (v.tag != Tag::Num) mismatch();
  std::int64_t n = v.num().to_int64();
  if (n < INT32_MIN || n > INT32_MAX) throw decimal::OverflowError("date arithmetic out of range");
  return static_cast<std::int32_t>(n);
}
}  // namespace

// The wide path: the same exact sum in 128 bits, narrowed back if it fits.
Value add_slow(const Value& a, const Value& b) {
  present(a, b);
  if (a.tag == Tag::Num && b.tag == Tag::Num) return Value::number(a.num() + b.num());
  if (a.tag == Tag::Date) return Value::date(a.i + small_int(b));
  if (a.tag == Tag::Month) return Value::month(a.i + small_int(b));
  mismatch();
}

Value sub_slow(const Value& a, const Value& b) {
  present(a, b);
  if (a.tag == Tag::Num && b.tag == Tag::Num) return Value::number(a.num() - b.num());
  if (a.tag == Tag::Date && b.tag == Tag::Date) return Value::integer(a.i - b.i);
  if (a.tag == Tag::Date) return Value::date(a.i - small_int(b));
  if (a.tag == Tag::Month) return Value::month(a.i - small_int(b));
  mismatch();
}

Value mul_slow(const Value& a, const Value& b) {
  present(a, b);
  if (a.tag != Tag::Num || b.tag != Tag::Num) mismatch();
  return Value::number(a.num() * b.num());
}

Value div(const Value& a, const Value& b) {
  present(a, b);
  if (a.tag != Tag::Num || b.tag != Tag::Num) mismatch();
  auto q = Decimal::divide_exact(a.num(), b.num());
  if (!q) throw std::invalid_argument("割り切れません（丸めが必要です）");
  return Value::number(*q);
}

int compare_slow(const Value& a, const Value& b) {
  present(a, b);
  if (a.tag == Tag::Num && b.tag == Tag::Num) {
    auto c = a.num() <=> b.num();
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.tag != b.tag) mismatch();
  if (a.tag == Tag::Text) {
    int c = a.text->compare(*b.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
}

}  // namespace shiki::vm
