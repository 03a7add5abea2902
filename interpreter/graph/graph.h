// Stage 4: the dependency graph of rules. A cycle is a compile error naming
// every rule on it; otherwise rules get an order in which each comes after
// what it uses (the compiler and `shiki dump` follow it).
#pragma once
#include "../diag/diag.h"
#include "../resolve/program.h"

namespace shiki::graph {

// Rule ids, dependencies first; empty after reporting a cycle.
std::vector<int> run(const resolve::Program& p, diag::Sink& sink);

}  // namespace shiki::graph
