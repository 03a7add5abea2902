// The ruleset's `output` declarations -> household.md's output record.
// Money is written as whole-yen integers; rates and decimals as strings.
#pragma once
#include <nlohmann/json.hpp>

#include "interpreter/bytecode/program.h"
#include "interpreter/vm/vm.h"

namespace shiki::json_adapter {

// Makes instance `i` of `entity` current, with its ancestors.
void set_ancestors(const bytecode::Program& p, const vm::Household& h, vm::VM& vm, int entity, int i);

nlohmann::json write_record(const bytecode::Program& p, const vm::Household& h, vm::VM& vm);

}  // namespace shiki::json_adapter
