#include "value.h"

namespace shiki::bytecode {

thread_local WideArena* WideArena::current = nullptr;

Value Value::number(const decimal::Decimal& d) {
  if (auto f = decimal::fixed::narrow(d)) return fixed(*f);
  if (!WideArena::current) throw decimal::OverflowError("桁あふれ: " + d.to_string());
  Value v;
  v.tag = Tag::Num;
  v.scale = kWide;
  v.wide = &WideArena::current->values.emplace_back(d);
  return v;
}

}  // namespace shiki::bytecode
