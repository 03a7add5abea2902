// Explanations: every figure the VM evaluated, with the rule that produced
// it, what it used, and the rule's legal source. JSON for the ledger and the
// API, text for staff (`shiki explain`).
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "../vm/vm.h"

namespace shiki::explain {

// `instance_name(entity, instance)` names an instance ("members[1]").
using InstanceNamer = std::function<std::string(int entity, int instance)>;

nlohmann::json to_json(const vm::VM& vm, const vm::Household& h, const InstanceNamer& name);
std::string to_text(const vm::VM& vm, const vm::Household& h, const InstanceNamer& name);
// The summary for the counter (explain/summary.cpp): each group of output
// figures as one line of arithmetic, the deciding exceptions, the list
// outputs of `record` (the installments). `to_text` is the whole tree.
std::string summary(const vm::VM& vm, const nlohmann::json& record, const InstanceNamer& name);

}  // namespace shiki::explain
