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
  if (!v.num.is_integer())
    throw vm::EvalError("金額が円単位になっていません（" + v.num.to_string() + "）: 丸めを書きます", where());
  try {
    return v.num.to_int64();
  } catch (const decimal::OverflowError&) {
    throw vm::EvalError("桁あふれ: 出力の金額 " + v.num.to_string() + " が大きすぎます", where());
  }
}

namespace {

json to_json(const bytecode::Program& p, const Value& v, const ast::Type& type, const std::vector<std::string>& path) {
  switch (v.tag) {
    case Tag::None: return nullptr;
    case Tag::Bool: return v.i != 0;
    case Tag::Num:
      if (type.base == ast::Base::Money || type.base == ast::Base::Integer) return whole_number(v, path);
      return v.num.to_string();
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

json write_record(const bytecode::Program& p, const vm::Household& h, vm::VM& vm) {
  json out = json::object();
  for (const auto& b : p.outputs) {
    if (b.into.empty()) {
      set_ancestors(p, h, vm, b.entity, 0);
      if (b.when >= 0) {
        Value w = vm.run(b.when);
        if (w.tag != Tag::Bool || !w.i) continue;
      }
      write_fields(p, vm, b, out);
      continue;
    }
    if (b.given >= 0) {
      set_ancestors(p, h, vm, p.root_entity, 0);
      Value g = vm.run(b.given);
      if (g.tag != Tag::Bool || !g.i) continue;
    }
    json& arr = at_path(out, b.into);
    if (!arr.is_array()) arr = json::array();
    for (int i = 0; i < h.count[b.entity]; ++i) {
      set_ancestors(p, h, vm, b.entity, i);
      if (b.when >= 0) {
        Value w = vm.run(b.when);
        if (w.tag != Tag::Bool || !w.i) continue;
      }
      json item = json::object();
      write_fields(p, vm, b, item);
      arr.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace shiki::json_adapter
