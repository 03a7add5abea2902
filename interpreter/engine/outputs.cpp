#include "outputs.h"

namespace shiki::engine {

using bytecode::Tag;
using bytecode::Value;

bool under(const bytecode::Program& p, const vm::Household& h, int entity, int i, int outer_entity, int outer) {
  for (int e = entity; e >= 0; e = p.entities[e].parent) {
    if (e == outer_entity) return i == outer;
    if (p.entities[e].parent < 0) break;
    i = h.parent_of(e, i);
  }
  return false;
}

std::int64_t whole_number(const Value& v, const std::vector<std::string>& path) {
  auto where = [&] {
    std::string field;
    for (const auto& seg : path) field += (field.empty() ? "" : ".") + seg;
    return "output " + field;
  };
  if (v.scale == 0) return v.coeff;
  const auto d = v.num();
  if (!d.is_integer())
    throw vm::EvalError("金額が円単位になっていません（" + d.to_string() + "）: 丸めを書きます", where());
  try {
    return d.to_int64();
  } catch (const decimal::OverflowError&) {  // a wide number: exact in the VM, past a JSON integer
    throw vm::EvalError("桁あふれ: 出力の金額 " + d.to_string() + " が大きすぎます", where());
  }
}

namespace {

class Walk {
 public:
  Walk(const bytecode::Program& p, const OutputLayout& layout, const vm::Household& h, vm::VM& vm, Result& r)
      : p_(p), layout_(layout), h_(h), vm_(vm), r_(r) {}

  void run() {
    r_.clear(p_.outputs.size());
    for (std::size_t b = 0; b < p_.outputs.size(); ++b) {
      const auto& block = p_.outputs[b];
      if (block.given >= 0) {
        vm_.set_ancestors(h_, p_.root_entity, 0);
        r_.given[b] = holds(block.given);
      }
      if (!block.into.empty()) continue;
      vm_.set_ancestors(h_, block.entity, 0);
      if (block.when >= 0 && !holds(block.when)) continue;
      r_.top[b] = element(static_cast<int>(b), 0);
    }
    visit(0);
  }

 private:
  bool holds(int chunk) {
    Value v = vm_.run(chunk);
    return v.tag == Tag::Bool && v.i;
  }

  // The fields of one element of block b, in fill order.
  int element(int b, int instance) {
    const auto& block = p_.outputs[b];
    r_.elements.push_back({b, instance, static_cast<std::uint32_t>(r_.values.size())});
    for (int n : layout_.fill_order[b]) {
      const auto& f = block.fields[layout_.nodes[n].field];
      const bool shown = f.when < 0 || holds(f.when);
      Value v = shown ? vm_.run(f.value) : Value{};
      // Money and integers are written as whole numbers: a fraction is the
      // ruleset's mistake, reported here, where the figure is evaluated.
      if (v.tag == Tag::Num && (f.type.base == ast::Base::Money || f.type.base == ast::Base::Integer)) {
        whole_number(v, f.path);
      }
      r_.values.push_back(v);
      r_.present.push_back(shown);
    }
    return static_cast<int>(r_.elements.size() - 1);
  }

  // The arrays below `node`, in the order a writer meets them.
  void visit(int node) {
    const auto& n = layout_.nodes[node];
    if (n.field >= 0 || node == layout_.ruleset_leaf) return;
    if (n.arrays.empty()) {
      for (const auto& [key, child] : n.children) visit(child);
      return;
    }
    for (int b : n.arrays) {
      if (!r_.given[b]) continue;
      const auto& block = p_.outputs[b];
      const int outer_entity = block.outer >= 0 ? p_.outputs[block.outer].entity : -1;
      const int outer = outer_entity >= 0 ? vm_.instance(outer_entity) : -1;
      const std::size_t run = r_.runs.size();
      r_.runs.push_back(0);
      for (int i = 0; i < h_.count[block.entity]; ++i) {
        if (outer_entity >= 0 && !under(p_, h_, block.entity, i, outer_entity, outer)) continue;
        vm_.set_ancestors(h_, block.entity, i);
        if (block.when >= 0 && !holds(block.when)) continue;
        element(b, i);
        ++r_.runs[run];
        visit(layout_.element_root[b]);
      }
    }
  }

  const bytecode::Program& p_;
  const OutputLayout& layout_;
  const vm::Household& h_;
  vm::VM& vm_;
  Result& r_;
};

}  // namespace

void evaluate_outputs(const bytecode::Program& p, const OutputLayout& layout, const vm::Household& h, vm::VM& vm,
                      Result& result) {
  Walk(p, layout, h, vm, result).run();
}

}  // namespace shiki::engine
