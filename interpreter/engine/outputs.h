// Evaluates the output record's figures into a Result: the only place the
// VM is driven for outputs on the streaming path. The walk is OutputLayout's,
// the order every writer reads the Result in.
#pragma once
#include "../vm/vm.h"
#include "output_layout.h"
#include "result.h"

namespace shiki::engine {

// Whether instance i of `entity` sits under instance `outer` of `outer_entity`
// (or is it, when the entities are the same): the elements of a nested array.
bool under(const bytecode::Program& p, const vm::Household& h, int entity, int i, int outer_entity, int outer);

// A money or integer output as a whole number; an evaluation error naming the
// output when it is fractional.
std::int64_t whole_number(const bytecode::Value& v, const std::vector<std::string>& path);

// Throws vm::EvalError as the VM does (the output being evaluated).
void evaluate_outputs(const bytecode::Program& p, const OutputLayout& layout, const vm::Household& h, vm::VM& vm,
                      Result& result);

}  // namespace shiki::engine
