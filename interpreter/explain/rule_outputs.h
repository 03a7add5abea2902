// The figures both explanations start from (internal to explain/): each
// output of the household itself (not an array's) whose value is one rule
// the VM evaluated, in the order the outputs are declared.
#pragma once
#include <vector>

#include "../vm/vm.h"

namespace shiki::explain {

struct RuleOutput {
  const bytecode::OutputField* field;
  int rule;
  int node;  // the rule's trace node
};

inline std::vector<RuleOutput> rule_outputs(const vm::VM& vm) {
  std::vector<RuleOutput> out;
  for (const auto& block : vm.program().base->outputs) {
    if (!block.into.empty()) continue;
    for (const auto& f : block.fields) {
      const auto& code = vm.program().chunks[f.value].code;
      if (code.empty() || code[0].op != bytecode::Op::RULE) continue;
      int node = vm.trace_node(code[0].a, 0);
      if (node >= 0) out.push_back({&f, code[0].a, node});
    }
  }
  return out;
}

}  // namespace shiki::explain
