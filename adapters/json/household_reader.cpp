#include "household_reader.h"

#include <sstream>

#include "input_value.h"

namespace shiki::json_adapter {

using bytecode::Value;
using nlohmann::json;

namespace {

std::string join(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

std::string kind_of(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a fraction";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

// A JSON value as the input's type. Money and integers must be JSON
// integers; the types written as strings convert as input_value.h says.
std::optional<std::string> convert(const json& v, const bytecode::InputLayout& in,
                                   const bytecode::Program& p, vm::Household& h, Value& out) {
  using ast::Base;
  switch (in.type) {
    case Base::Money: case Base::Integer:
      // nlohmann keeps integers above INT64_MAX as unsigned; they are too
      // large, not (as a cast would make them) negative.
      if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        return "too large: " + v.dump();
      if (v.is_number_integer()) { out = Value::integer(v.get<std::int64_t>()); return std::nullopt; }
      return (in.type == Base::Money ? "not a yen amount (an integer is needed): " : "not an integer: ") + v.dump();
    case Base::Boolean:
      if (!v.is_boolean()) return "not a boolean: " + v.dump();
      out = Value::boolean(v.get<bool>());
      return std::nullopt;
    default:
      if (!written_as_string(in.type)) return "unsupported input type";
      if (!v.is_string()) return std::string(not_a_string(in.type)) + v.dump();
      if (auto why = from_string(v.get_ref<const std::string&>(), in, p, h, out)) return std::string(*why) + v.dump();
      return std::nullopt;
  }
}

}  // namespace

HouseholdReader::HouseholdReader(const bytecode::Program& p) : p_(p), shapes_(p.entities.size()) {
  for (std::size_t i = 0; i < p.inputs.size(); ++i) {
    Node* n = &shapes_[p.inputs[i].entity];
    for (const auto& seg : p.inputs[i].path) n = &n->children[seg];
    n->input = static_cast<int>(i);
  }
  for (std::size_t e = 0; e < p.entities.size(); ++e)
    if (p.entities[e].parent >= 0 && p.entities[e].kind == ast::EntityKind::Record)
      shapes_[p.entities[e].parent].children[p.entities[e].field].child_entity = static_cast<int>(e);
  // The engine reads fiscal_year itself to pick the year's program.
  shapes_[p.root_entity].children["fiscal_year"];
}

std::optional<FieldError> HouseholdReader::check_shape(const json& obj, const Node& node, const std::string& where,
                                                       bool ignore_unknown) const {
  if (!obj.is_object()) return FieldError{where, "not an object: " + kind_of(obj)};
  for (const auto& [key, value] : obj.items()) {
    auto it = node.children.find(key);
    if (it == node.children.end()) {
      if (ignore_unknown) continue;
      return FieldError{join(where, key), "unknown field"};
    }
    if (!it->second.children.empty() && !value.is_null() && !value.is_object())
      return FieldError{join(where, key), "not an object: " + kind_of(value)};
    if (!it->second.children.empty() && value.is_object())
      if (auto e = check_shape(value, it->second, join(where, key), ignore_unknown)) return e;
  }
  return std::nullopt;
}

std::optional<FieldError> HouseholdReader::read_instance(const json& obj, int entity, const std::string& where,
                                                         vm::Household& h, bool ignore_unknown,
                                                         const engine::InputLimits& limits,
                                                         const std::string* key) const {
  const auto& layout = p_.entities[entity];
  if (!obj.is_object()) return FieldError{where, "not an object: " + kind_of(obj)};
  if (auto e = check_shape(obj, shapes_[entity], where, ignore_unknown)) return e;
  int inst = h.count[entity]++;
  auto& values = h.inputs[entity];
  values.resize(static_cast<std::size_t>(h.count[entity]) * layout.ninputs);
  for (int slot = 0; slot < layout.ninputs; ++slot) {
    const auto& in = p_.inputs[p_.entity_inputs[entity][slot]];
    Value& out = values[static_cast<std::size_t>(inst) * layout.ninputs + slot];
    if (in.is_key) {
      if (auto msg = from_key(key ? *key : std::string(), in, h, out)) return FieldError{where, *msg};
      continue;
    }
    const json* v = &obj;
    for (const auto& seg : in.path) {
      auto it = v->is_object() ? v->find(seg) : v->end();
      if (it == v->end()) { v = nullptr; break; }
      v = &*it;
    }
    // The field's path is spelled out only for an error: most households have none.
    auto field = [&] {
      std::string f = where;
      for (const auto& seg : in.path) f = join(f, seg);
      return f;
    };
    if (!v || v->is_null()) {
      if (in.default_value) out = *in.default_value;
      else if (in.optional) out = Value{};
      else return FieldError{field(), "missing required field"};
      continue;
    }
    if (auto msg = convert(*v, in, p_, h, out)) return FieldError{field(), *msg};
    if (in.nonnegative && out.tag == bytecode::Tag::Num && out.coeff < 0)
      return FieldError{field(), "must not be negative: " + v->dump()};
  }
  return read_children(obj, entity, where, h, ignore_unknown, limits);
}

// The instances of every child entity of `entity` in `obj`: an array (or,
// for a keyed entity, an object) under the child's field; the months entity
// has twelve. An optional child's absent or null field has none.
std::optional<FieldError> HouseholdReader::read_children(const json& obj, int entity, const std::string& where,
                                                         vm::Household& h, bool ignore_unknown,
                                                         const engine::InputLimits& limits) const {
  for (std::size_t c = 0; c < p_.entities.size(); ++c) {
    const auto& child = p_.entities[c];
    if (child.parent != entity) continue;
    auto& begin = h.child_begin[c];
    if (begin.empty()) begin.push_back(0);
    if (child.is_months) {
      h.count[c] += 12;
      h.inputs[c].resize(static_cast<std::size_t>(h.count[c]) * child.ninputs);
    } else if (child.kind != ast::EntityKind::Record) {
      // Group and days entities are built by the VM from what was read.
    } else if (auto e = read_field_instances(obj, static_cast<int>(c), where, h, ignore_unknown, limits)) {
      return e;
    }
    begin.push_back(h.count[c]);
  }
  return std::nullopt;
}

std::optional<FieldError> HouseholdReader::read_field_instances(const json& obj, int c, const std::string& where,
                                                                vm::Household& h, bool ignore_unknown,
                                                                const engine::InputLimits& limits) const {
  const auto& child = p_.entities[c];
  std::string field = join(where, child.field);
  auto it = obj.find(child.field);
  if (it == obj.end() || it->is_null()) {
    if (child.optional) return std::nullopt;
    return FieldError{field, "missing required field"};
  }
  return read_instances(*it, c, field, h, ignore_unknown, limits);
}

std::optional<FieldError> HouseholdReader::read_instances(const json& items, int c, const std::string& field,
                                                          vm::Household& h, bool ignore_unknown,
                                                          const engine::InputLimits& limits) const {
  const auto& child = p_.entities[c];
  if ((items.is_array() || items.is_object()) && items.size() > limits.items_for(child.field))
    return FieldError{field, "more than " + std::to_string(limits.items_for(child.field)) + " entries (the limit for " +
                                 child.field + ")"};
  if (child.keyed) {
    if (!items.is_object()) return FieldError{field, "not an object: " + kind_of(items)};
    for (const auto& [key, value] : items.items())
      if (auto e = read_instance(value, c, join(field, key), h, ignore_unknown, limits, &key)) return e;
    return std::nullopt;
  }
  if (!items.is_array()) return FieldError{field, "not an array: " + kind_of(items)};
  for (std::size_t i = 0; i < items.size(); ++i)
    if (auto e = read_instance(items[i], c, field + "[" + std::to_string(i) + "]", h, ignore_unknown, limits)) return e;
  return std::nullopt;
}

std::optional<FieldError> HouseholdReader::read(const json& record, vm::Household& h, bool ignore_unknown,
                                                const engine::InputLimits& limits) const {
  h.reset(p_.entities.size());
  if (!record.is_object()) return FieldError{"", "not a JSON object"};
  if (auto it = record.find("household_id"); it != record.end() && it->is_string()) h.id = it->get<std::string>();
  return read_instance(record, p_.root_entity, "", h, ignore_unknown, limits);
}

std::string HouseholdReader::instance_path(const vm::Household& h, int entity, int instance) const {
  const auto& layout = p_.entities[entity];
  if (layout.parent < 0) return "";
  if (layout.is_months && h.fiscal_year)
    return time::to_string(time::add_months(*time::make_month(h.fiscal_year, 4), instance % 12));
  int parent = h.parent_of(entity, instance);
  const auto& begin = h.child_begin[entity];
  std::string prefix = instance_path(h, layout.parent, parent);
  if (layout.field.empty()) return join(prefix, layout.name) + "[" + std::to_string(instance - begin[parent]) + "]";
  if (layout.keyed && layout.key_slot >= 0) {
    const Value& key = h.inputs[entity][static_cast<std::size_t>(instance) * layout.ninputs + layout.key_slot];
    return join(join(prefix, layout.field), key.tag == bytecode::Tag::Text ? *key.text : std::to_string(key.num().to_int64()));
  }
  return join(prefix, layout.field) + "[" + std::to_string(instance - begin[parent]) + "]";
}

}  // namespace shiki::json_adapter
