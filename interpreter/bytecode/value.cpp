#include "value.h"

namespace shiki::bytecode {

Value Value::number(const decimal::Decimal& d) {
  auto f = decimal::fixed::narrow(d);
  if (!f) throw decimal::OverflowError("桁あふれ: " + d.to_string());
  return fixed(*f);
}

}  // namespace shiki::bytecode
