#include "record_writer.h"

#include <algorithm>

namespace shiki::json_adapter {

using bytecode::Tag;
using bytecode::Value;
using nlohmann::json;

void set_ancestors(const bytecode::Program& p, const vm::Household& h, vm::VM& vm, int entity, int i) {
  for (int e = entity; e >= 0; e = p.entities[e].parent) {
    vm.set_instance(e, i);
    int parent = p.entities[e].parent;
    if (parent < 0) break;
    const auto& begin = h.child_begin[e];
    i = static_cast<int>(std::upper_bound(begin.begin(), begin.end(), i) - begin.begin()) - 1;
  }
}

namespace {

json to_json(const bytecode::Program& p, const Value& v, const ast::Type& type, const std::string& field) {
  switch (v.tag) {
    case Tag::None: return nullptr;
    case Tag::Bool: return v.i != 0;
    case Tag::Num:
      if (type.base == ast::Base::Money || type.base == ast::Base::Integer) {
        if (!v.num.is_integer())
          throw vm::EvalError("金額が円単位になっていません（" + v.num.to_string() + "）: 丸めを書きます", "output " + field);
        try {
          return v.num.to_int64();
        } catch (const decimal::OverflowError&) {
          throw vm::EvalError("桁あふれ: 出力の金額 " + v.num.to_string() + " が大きすぎます", "output " + field);
        }
      }
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
    std::string name;
    for (const auto& s : f.path) name += (name.empty() ? "" : ".") + s;
    at_path(target, f.path) = to_json(p, vm.run(f.value), f.type, name);
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
