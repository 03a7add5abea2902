#include "record_writer.h"

#include <algorithm>

namespace shiki::json_adapter {

using bytecode::Tag;
using bytecode::Value;
using nlohmann::json;

void set_ancestors(const bytecode::Program& p, const vm::Household& h, vm::VM& vm, int entity, int i) {
  for (int e = entity; e >= 0; e = p.entities[e].parent) {
    vm.set_instance(e, i);
    if (p.entities[e].parent < 0) break;
    i = h.parent_of(e, i);
  }
}

std::int64_t whole_number(const Value& v, const std::vector<std::string>& path) {
  auto where = [&] {
    std::string field;
    for (const auto& seg : path) field += (field.empty() ? "" : ".") + seg;
    return "output " + field;
  };
  if (v.scale == 0) return v.coeff;
  // A 64-bit coefficient divided by 10^scale always fits: only a fraction fails.
  const auto d = v.num();
  if (!d.is_integer())
    throw vm::EvalError("金額が円単位になっていません（" + d.to_string() + "）: 丸めを書きます", where());
  return d.to_int64();
}

namespace {

json to_json(const bytecode::Program& p, const Value& v, const ast::Type& type, const std::vector<std::string>& path) {
  switch (v.tag) {
    case Tag::None: return nullptr;
    case Tag::Bool: return v.i != 0;
    case Tag::Num:
      if (type.base == ast::Base::Money || type.base == ast::Base::Integer) return whole_number(v, path);
      return v.num().to_string();
    case Tag::Date: return time::to_string(time::Date{v.i});
    case Tag::Month: return time::to_string(time::Month{v.i});
    case Tag::Enum:
      if (type.base == ast::Base::Enum && type.enum_id >= 0) return p.enum_cases[type.enum_id][v.i];
      return v.i;
    case Tag::Text: return *v.text;
  }
  return nullptr;
}

json& at_path(json& root, const std::vector<std::string>& path) {
  json* node = &root;
  for (const auto& seg : path) node = &(*node)[seg];
  return *node;
}

void write_fields(const bytecode::Program& p, vm::VM& vm, const bytecode::OutputBlock& b, json& target) {
  for (const auto& f : b.fields) {
    if (f.when >= 0) {
      Value w = vm.run(f.when);
      if (w.tag != Tag::Bool || !w.i) continue;
    }
    at_path(target, f.path) = to_json(p, vm.run(f.value), f.type, f.path);
  }
}

}  // namespace

bool under(const bytecode::Program& p, const vm::Household& h, int entity, int i, int outer_entity, int outer) {
  for (int e = entity; e >= 0; e = p.entities[e].parent) {
    if (e == outer_entity) return i == outer;
    if (p.entities[e].parent < 0) break;
    i = h.parent_of(e, i);
  }
  return false;
}

namespace {

bool holds(vm::VM& vm, int chunk) {
  if (chunk < 0) return true;
  Value v = vm.run(chunk);
  return v.tag == Tag::Bool && v.i;
}

// One element per instance of block b's entity (under the outer element's
// instance, for a nested array), each with the arrays nested in it.
void write_elements(const bytecode::Program& p, const vm::Household& h, vm::VM& vm, int block, json& arr,
                    int outer_entity, int outer) {
  const auto& b = p.outputs[block];
  if (!arr.is_array()) arr = json::array();
  for (int i = 0; i < h.count[b.entity]; ++i) {
    if (outer_entity >= 0 && !under(p, h, b.entity, i, outer_entity, outer)) continue;
    set_ancestors(p, h, vm, b.entity, i);
    if (!holds(vm, b.when)) continue;
    json item = json::object();
    write_fields(p, vm, b, item);
    for (std::size_t n = 0; n < p.outputs.size(); ++n) {
      if (p.outputs[n].outer != block) continue;
      set_ancestors(p, h, vm, p.root_entity, 0);
      if (!holds(vm, p.outputs[n].given)) continue;
      write_elements(p, h, vm, static_cast<int>(n), at_path(item, p.outputs[n].into), b.entity, i);
    }
    arr.push_back(std::move(item));
  }
}

}  // namespace

json write_record(const bytecode::Program& p, const vm::Household& h, vm::VM& vm) {
  json out = json::object();
  for (std::size_t k = 0; k < p.outputs.size(); ++k) {
    const auto& b = p.outputs[k];
    if (b.outer >= 0) continue;  // written inside its outer block's elements
    if (b.into.empty()) {
      set_ancestors(p, h, vm, b.entity, 0);
      if (holds(vm, b.when)) write_fields(p, vm, b, out);
      continue;
    }
    set_ancestors(p, h, vm, p.root_entity, 0);
    if (!holds(vm, b.given)) continue;
    write_elements(p, h, vm, static_cast<int>(k), at_path(out, b.into), -1, -1);
  }
  return out;
}

}  // namespace shiki::json_adapter
