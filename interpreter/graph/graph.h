// Stage 4: the dependency graph of rules. A cycle is a compile error naming
// every rule on it; otherwise rules get an order in which each comes after
// what it uses (the compiler and `shiki dump` follow it).
#pragma once
#include "../diag/diag.h"
#include "../resolve/program.h"

namespace shiki::graph {

// Rule ids, dependencies first; empty after reporting a cycle.
std::vector<int> run(const resolve::Program& p, diag::Sink& sink);

// `shiki dump --stage=graph` (graph/dump.cpp): `order`, as run() returned
// it, one rule a line with the rules it uses; or, for the rule with id
// `rule` >= 0, the rules it uses, every rule it needs in evaluation order,
// and the rules that use it.
std::string dump(const resolve::Program& p, const std::vector<int>& order, int rule = -1);

}  // namespace shiki::graph
