#include "explain.h"
#include "rule_outputs.h"

#include <functional>
#include <set>
#include <sstream>

namespace shiki::explain {

namespace {

// Staff read rates as percentages: 0.0762 is shown as 7.62%.
std::string shown(const vm::VM& vm, const bytecode::Value& v, ast::Base type) {
  if (type == ast::Base::Rate && v.tag == bytecode::Tag::Num)
    return (v.num() * decimal::Decimal::from_int(100)).to_string() + "%";
  return vm.describe(v);
}

std::string show(const vm::VM& vm, const bytecode::Value& v, int rule) {
  return shown(vm, v, vm.program().base->rule_types[rule]);
}

// The parameters a rule's own code reads, with the version in force for the
// year and its citation: the figures behind a rule are cited too.
std::vector<std::string> parameters_of(const vm::VM& vm, int rule, bool as_text) {
  const auto& p = *vm.program().base;
  std::vector<std::string> out;
  std::set<int> seen;
  time::Date on = time::fiscal_year_start(vm.program().fiscal_year);
  for (const auto& in : p.chunks[p.rule_chunk[rule]].code) {
    if (in.op != bytecode::Op::PARAM || !seen.insert(in.a).second) continue;
    const auto& pv = p.params[in.a];
    for (std::size_t k = pv.versions.size(); k-- > 0;)
      if (pv.versions[k].first <= on) {
        out.push_back(pv.name + " = " + (as_text ? shown(vm, pv.versions[k].second, pv.type) : vm.describe(pv.versions[k].second)) + " (" +
                      time::to_string(pv.versions[k].first) + "〜)" +
                      (pv.sources[k].empty() ? "" : "    [" + pv.sources[k] + "]"));
        break;
      }
  }
  return out;
}

std::string where(const bytecode::Program& p, int rule) {
  const auto* f = p.rule_files[rule];
  return (f ? f->path() : std::string("?")) + ":" + std::to_string(p.rule_lines[rule]);
}

std::string label(const bytecode::Program& p, int rule, int inst, const InstanceNamer& name) {
  std::string n = name(p.rule_entity[rule], inst);
  return p.rule_names[rule] + (n.empty() ? "" : " [" + n + "]");
}

}  // namespace

nlohmann::json to_json(const vm::VM& vm, const vm::Household& h, const InstanceNamer& name) {
  const auto& p = *vm.program().base;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& node : vm.trace()) {
    nlohmann::json j;
    j["rule"] = p.rule_names[node.rule];
    j["instance"] = name(p.rule_entity[node.rule], node.instance);
    j["value"] = vm.describe(node.value);  // JSON keeps the contract's decimal strings ("0.7")
    if (!p.rule_sources[node.rule].empty()) j["source"] = p.rule_sources[node.rule];
    j["defined_at"] = where(p, node.rule);
    if (auto params = parameters_of(vm, node.rule, false); !params.empty()) j["parameters"] = params;
    if (!node.args.empty()) j["arguments"] = node.args;
    if (!node.exception.empty()) j["exception"] = node.exception;
    if (!node.exception_source.empty()) j["exception_source"] = node.exception_source;
    if (!node.calls.empty()) j["calls"] = node.calls;
    auto& uses = j["uses"] = nlohmann::json::array();
    for (auto [r, i] : node.rules_used) uses.push_back(label(p, r, i, name));
    auto& inputs = j["inputs"] = nlohmann::json::array();
    for (auto [in, i] : node.inputs_used) {
      const auto& layout = p.inputs[in];
      const auto& v = h.inputs[layout.entity][static_cast<std::size_t>(i) * p.entities[layout.entity].ninputs + layout.slot];
      std::string n = name(layout.entity, i);
      inputs.push_back({{"input", layout.name + (n.empty() ? "" : " [" + n + "]")}, {"value", vm.describe(v)}});
    }
    out.push_back(std::move(j));
  }
  return out;
}

std::string to_text(const vm::VM& vm, const vm::Household& h, const InstanceNamer& name) {
  const auto& p = *vm.program().base;
  const auto& trace = vm.trace();
  std::set<int> used;
  for (const auto& n : trace) {
    for (auto [r, i] : n.rules_used) used.insert(vm.trace_node(r, i));
    used.insert(n.calls.begin(), n.calls.end());
  }
  std::set<int> shown;
  std::ostringstream out;
  std::function<void(int, const std::string&)> print = [&](int id, const std::string& indent) {
    const auto& n = trace[id];
    out << indent << label(p, n.rule, n.instance, name);
    if (!n.args.empty()) out << "(" << n.args << ")";
    out << " = " << show(vm, n.value, n.rule);
    if (!n.exception.empty()) out << "  ← " << (n.exception == "default" ? "原則 (default)" : "例外「" + n.exception + "」") +
                                     (n.exception_source.empty() ? "" : " [" + n.exception_source + "]");
    if (!p.rule_sources[n.rule].empty()) out << "    [" << p.rule_sources[n.rule] << "]";
    out << "  (" << where(p, n.rule) << ")\n";
    if (!shown.insert(id).second) return;
    for (const auto& param : parameters_of(vm, n.rule, true)) out << indent << "  · パラメータ " << param << "\n";
    std::set<std::pair<int, int>> seen_inputs;
    for (auto [in, i] : n.inputs_used) {
      if (!seen_inputs.insert({in, i}).second) continue;
      const auto& layout = p.inputs[in];
      const auto& v = h.inputs[layout.entity][static_cast<std::size_t>(i) * p.entities[layout.entity].ninputs + layout.slot];
      std::string nm = name(layout.entity, i);
      out << indent << "  · 入力 " << layout.name << (nm.empty() ? "" : " [" + nm + "]") << " = " << vm.describe(v) << "\n";
    }
    for (int call : n.calls) print(call, indent + "  ");
    std::set<std::pair<int, int>> seen_rules;
    for (auto [r, i] : n.rules_used) {
      if (!seen_rules.insert({r, i}).second) continue;
      int child = vm.trace_node(r, i);
      if (child < 0) continue;
      if (shown.count(child)) {
        out << indent << "  ├ " << label(p, r, i, name) << " = " << show(vm, trace[child].value, r) << "  (上記)\n";
        continue;
      }
      print(child, indent + "  ");
    }
  };
  // Staff read the explanation figure by figure: each output of the
  // household that is a rule comes first, with the tree of what made it.
  for (const auto& [f, rule, node] : rule_outputs(vm)) {
    std::string path;
    for (const auto& seg : f->path) path += (path.empty() ? "" : ".") + seg;
    out << "■ " << path << " = " << show(vm, trace[node].value, rule) << "\n";
    if (shown.count(node)) {
      out << "  （" << p.rule_names[rule] << "、上記）\n";
      continue;
    }
    print(node, "  ");
  }
  for (std::size_t id = 0; id < trace.size(); ++id)
    if (!used.count(static_cast<int>(id)) && !shown.count(static_cast<int>(id))) print(static_cast<int>(id), "");
  return out.str();
}

}  // namespace shiki::explain
