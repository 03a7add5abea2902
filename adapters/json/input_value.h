// One input value from its JSON spelling, as the ruleset's declaration
// types it. The strict reader (household_reader.cpp) and the fast reader
// (fast_reader.cpp) both convert through here, so a value both accept is
// the same value.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "interpreter/bytecode/program.h"
#include "interpreter/vm/household.h"

namespace shiki::json_adapter {

// Decimals, rates, dates, months, texts and enums are written as JSON
// strings (money and integers as JSON integers, booleans as booleans).
bool written_as_string(ast::Base type);

// What the strict reader says of a value of another JSON type given for
// such an input ("not a date: "), before the value itself.
std::string_view not_a_string(ast::Base type);

// The string `s` as the input's value in `out`, a text kept in the
// household's own storage; or why it is refused ("before 1900-01-01, not a
// plausible date: "), before the value itself.
std::optional<std::string_view> from_string(std::string_view s, const bytecode::InputLayout& in,
                                            const bytecode::Program& p, vm::Household& h, bytecode::Value& out);

// The key of a keyed entity's instance ("2024" of income_by_year) as the
// key input's type; or the whole message when it is refused.
std::optional<std::string> from_key(std::string_view key, const bytecode::InputLayout& in, vm::Household& h,
                                    bytecode::Value& out);

}  // namespace shiki::json_adapter
