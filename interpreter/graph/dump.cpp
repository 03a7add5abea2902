// `shiki dump --stage=graph`: the order in which rules can be evaluated,
// each after what it uses (graph.h), and one rule's dependencies.
#include <algorithm>
#include <cstdio>

#include "graph.h"

namespace shiki::graph {

namespace {

std::string names(const resolve::Program& p, const std::vector<int>& rules) {
  std::string out;
  for (int r : rules) out += (out.empty() ? "" : ", ") + p.rules[r].display;
  return out;
}

// "  37  世帯.年額": a rule and its place in the evaluation order (from 1).
std::string numbered(const resolve::Program& p, std::size_t position, int rule) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%5zu  ", position + 1);
  return buf + p.rules[rule].display;
}

// RuleInfo::uses holds each rule a body names once, by id (check/).
std::string one_rule(const resolve::Program& p, const std::vector<int>& order, int rule) {
  std::vector<bool> needed(p.rules.size());
  std::vector<int> todo = p.rules[rule].uses;
  while (!todo.empty()) {
    int r = todo.back();
    todo.pop_back();
    if (needed[r]) continue;
    needed[r] = true;
    for (int u : p.rules[r].uses) todo.push_back(u);
  }
  const std::vector<int>& uses = p.rules[rule].uses;
  std::vector<int> used_by;
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    const auto& d = p.rules[r].uses;
    if (std::find(d.begin(), d.end(), rule) != d.end()) used_by.push_back(static_cast<int>(r));
  }
  std::string out = "== " + p.rules[rule].display + ": uses " + std::to_string(uses.size()) + ", needs " +
                    std::to_string(std::count(needed.begin(), needed.end(), true)) + ", used by " +
                    std::to_string(used_by.size()) + " ==\n";
  out += "uses\n";
  for (int u : uses) out += "  " + p.rules[u].display + "\n";
  out += "needs, in evaluation order\n";
  for (std::size_t i = 0; i < order.size(); ++i)
    if (needed[order[i]]) out += numbered(p, i, order[i]) + "\n";
  out += "used by\n";
  for (int u : used_by) out += "  " + p.rules[u].display + "\n";
  return out;
}

}  // namespace

std::string dump(const resolve::Program& p, const std::vector<int>& order, int rule) {
  if (rule >= 0) return one_rule(p, order, rule);
  std::string out = "== evaluation order: " + std::to_string(order.size()) + " rules, each after those it uses ==\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& uses = p.rules[order[i]].uses;
    out += numbered(p, i, order[i]) + (uses.empty() ? "" : "  uses " + names(p, uses)) + "\n";
  }
  return out;
}

}  // namespace shiki::graph
