#include "household_reader.h"

#include <sstream>

namespace shiki::json_adapter {

using bytecode::Value;
using nlohmann::json;

namespace {

const time::Date kEarliestDate = *time::parse_date("1900-01-01");

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
// integers; decimals come as strings so that nothing passes through binary
// floating point.
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
    case Base::Decimal: case Base::Rate: {
      if (!v.is_string()) return "not a decimal string (write it as \"0.5\"): " + v.dump();
      auto d = decimal::Decimal::parse(v.get<std::string>());
      if (!d) return "not a decimal: " + v.dump();
      out = Value::number(*d);
      return std::nullopt;
    }
    case Base::Boolean:
      if (!v.is_boolean()) return "not a boolean: " + v.dump();
      out = Value::boolean(v.get<bool>());
      return std::nullopt;
    case Base::Date: {
      auto d = v.is_string() ? time::parse_date(v.get<std::string>()) : std::nullopt;
      if (!d) return "not a date: " + v.dump();
      // No one insured today was born, or joined, before 1900: such a date
      // is a typing or conversion mistake (a year 0019 for 2019).
      if (*d < kEarliestDate) return "before 1900-01-01, not a plausible date: " + v.dump();
      out = Value::date(d->days);
      return std::nullopt;
    }
    case Base::Month: {
      auto m = v.is_string() ? time::parse_month(v.get<std::string>()) : std::nullopt;
      if (!m) return "not a month (YYYY-MM): " + v.dump();
      out = Value::month(m->index);
      return std::nullopt;
    }
    case Base::Text:
      if (!v.is_string()) return "not a string: " + v.dump();
      h.texts.push_back(v.get<std::string>());
      out = Value::string(&h.texts.back());
      return std::nullopt;
    case Base::Enum: {
      const auto& cases = p.enum_cases[in.enum_id];
      if (v.is_string())
        for (std::size_t c = 0; c < cases.size(); ++c)
          if (cases[c] == v.get<std::string>()) { out = Value::enumeration(static_cast<int>(c)); return std::nullopt; }
      return "not one of the allowed values: " + v.dump();
    }
    default: return "unsupported input type";
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
    if (p.entities[e].parent >= 0 && !p.entities[e].is_months)
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
                                                         const engine::InputLimits& limits) const {
  const auto& layout = p_.entities[entity];
  if (!obj.is_object()) return FieldError{where, "not an object: " + kind_of(obj)};
  if (auto e = check_shape(obj, shapes_[entity], where, ignore_unknown)) return e;
  int inst = h.count[entity]++;
  auto& values = h.inputs[entity];
  values.resize(static_cast<std::size_t>(h.count[entity]) * layout.ninputs);
  for (int slot = 0; slot < layout.ninputs; ++slot) {
    const auto& in = p_.inputs[p_.entity_inputs[entity][slot]];
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
    Value& out = values[static_cast<std::size_t>(inst) * layout.ninputs + slot];
    if (!v || v->is_null()) {
      if (in.default_value) out = *in.default_value;
      else if (in.optional) out = Value{};
      else return FieldError{field(), "missing required field"};
      continue;
    }
    if (auto msg = convert(*v, in, p_, h, out)) return FieldError{field(), *msg};
    if (in.nonnegative && out.tag == bytecode::Tag::Num && out.num.is_negative())
      return FieldError{field(), "must not be negative: " + v->dump()};
  }
  for (std::size_t c = 0; c < p_.entities.size(); ++c) {
    const auto& child = p_.entities[c];
    if (child.parent != entity) continue;
    auto& begin = h.child_begin[c];
    if (begin.empty()) begin.push_back(0);
    if (child.is_months) {
      h.count[c] += 12;
      h.inputs[c].resize(static_cast<std::size_t>(h.count[c]) * child.ninputs);
    } else {
      std::string field = join(where, child.field);
      auto it = obj.find(child.field);
      if (it == obj.end() || it->is_null()) return FieldError{field, "missing required field"};
      const json& arr = *it;
      if (!arr.is_array()) return FieldError{field, "not an array: " + kind_of(arr)};
      if (const auto max = limits.items_for(child.field); arr.size() > max)
        return FieldError{field, "more than " + std::to_string(max) + " entries (the limit for " + child.field + ")"};
      for (std::size_t i = 0; i < arr.size(); ++i)
        if (auto e = read_instance(arr[i], static_cast<int>(c), field + "[" + std::to_string(i) + "]", h, ignore_unknown,
                                   limits))
          return e;
    }
    begin.push_back(h.count[c]);
  }
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
  return join(prefix, layout.field) + "[" + std::to_string(instance - begin[parent]) + "]";
}

}  // namespace shiki::json_adapter
