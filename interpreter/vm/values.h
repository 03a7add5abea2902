// Arithmetic and comparison on runtime values (internal to vm/).
#pragma once
#include "../bytecode/value.h"

namespace shiki::vm {

// Each throws std::invalid_argument (with a message for staff) when a value
// is missing or the kinds do not fit; decimal::OverflowError on overflow.
bytecode::Value add(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value sub(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value mul(const bytecode::Value& a, const bytecode::Value& b);
bytecode::Value div(const bytecode::Value& a, const bytecode::Value& b);
int compare(const bytecode::Value& a, const bytecode::Value& b);
bool equal(const bytecode::Value& a, const bytecode::Value& b);

}  // namespace shiki::vm
