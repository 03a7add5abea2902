// The ruleset's `output` declarations -> household.md's output record.
// Money is written as whole-yen integers; rates and decimals as strings.
#pragma once
#include <nlohmann/json.hpp>

#include "interpreter/bytecode/program.h"
#include "interpreter/vm/vm.h"

namespace shiki::json_adapter {

// Makes instance `i` of `entity` current, with its ancestors.
void set_ancestors(const bytecode::Program& p, const vm::Household& h, vm::VM& vm, int entity, int i);

// Whether instance i of `entity` sits under instance `outer` of `outer_entity`
// (or is it, when the entities are the same): the elements of a nested array.
bool under(const bytecode::Program& p, const vm::Household& h, int entity, int i, int outer_entity, int outer);

// A money or integer output as a JSON integer; an evaluation error naming the
// output when it is fractional or past 64 bits.
std::int64_t whole_number(const bytecode::Value& v, const std::vector<std::string>& path);

nlohmann::json write_record(const bytecode::Program& p, const vm::Household& h, vm::VM& vm);

}  // namespace shiki::json_adapter
