#include "adapters/ledger/typed_household.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "interpreter/bytecode/program.h"

namespace shiki::ledger {

using bytecode::Value;

namespace {

const time::Date kEarliestDate = *time::parse_date("1900-01-01");

// The conversions of the JSON reader (adapters/json/household_reader.cpp),
// for the scalars a column holds: a yen amount or integer from an integer
// column; a decimal, date, month, text or enum case from a string; a boolean.
// Anything else would be an error record there, so here it is `false`.
bool from_integer(std::int64_t v, const bytecode::InputLayout& in, Value& out) {
  if (in.type != ast::Base::Money && in.type != ast::Base::Integer) return false;
  out = Value::integer(v);
  return true;
}

bool from_boolean(bool b, const bytecode::InputLayout& in, Value& out) {
  if (in.type != ast::Base::Boolean) return false;
  out = Value::boolean(b);
  return true;
}

bool from_string(std::string_view s, const bytecode::InputLayout& in, const bytecode::Program& p,
                 engine::Household& h, Value& out) {
  switch (in.type) {
    case ast::Base::Decimal: case ast::Base::Rate: {
      std::optional<decimal::Decimal> d;
      try {
        d = decimal::Decimal::parse(s);
      } catch (const decimal::OverflowError&) {
        return false;
      }
      auto f = d ? decimal::fixed::narrow(*d) : std::nullopt;
      if (!f) return false;
      out = Value::fixed(*f);
      return true;
    }
    case ast::Base::Date: {
      auto d = time::parse_date(s);
      if (!d || *d < kEarliestDate) return false;
      out = Value::date(d->days);
      return true;
    }
    case ast::Base::Month: {
      auto m = time::parse_month(s);
      if (!m) return false;
      out = Value::month(m->index);
      return true;
    }
    case ast::Base::Text:
      h.texts.emplace_back(s);
      out = Value::string(&h.texts.back());
      return true;
    case ast::Base::Enum: {
      const auto& cases = p.enum_cases[in.enum_id];
      for (std::size_t c = 0; c < cases.size(); ++c)
        if (cases[c] == s) {
          out = Value::enumeration(static_cast<int>(c));
          return true;
        }
      return false;
    }
    default: return false;
  }
}

// A JSON scalar of a json/jsonb column, as the JSON reader takes it.
bool from_json(const nlohmann::json& v, const bytecode::InputLayout& in, const bytecode::Program& p,
               engine::Household& h, Value& out) {
  if (v.is_boolean()) return from_boolean(v.get<bool>(), in, out);
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return false;
  if (v.is_number_integer()) return from_integer(v.get<std::int64_t>(), in, out);
  if (v.is_string()) return from_string(v.get_ref<const std::string&>(), in, p, h, out);
  return false;
}

std::string_view text_of(const pqxx::field& f) { return {f.c_str(), f.size()}; }

std::string joined(const std::vector<std::string>& path) {
  std::string s;
  for (const auto& seg : path) s += (s.empty() ? "" : ".") + seg;
  return s;
}

}  // namespace

// How one entity's instances are filled from the rows of one source.
struct TypedHouseholds::Plan {
  struct Child {
    enum Kind { None, Months, Derived, Rows, Json } kind = None;
    int entity = -1;
    int plan = -1;         // Rows: the plan of the members or the list
    int column = -1;       // Json: the column holding the field's JSON
  };
  int entity = -1;
  std::string source;                       // "members", "lists.members[].nhi_periods", for messages
  const std::vector<ColumnShape>* shape = nullptr;
  std::vector<int> slot_column;             // per input slot: the column, -1 none
  std::vector<Child> children;              // the entity's children, in entity order
  int list = -1;                            // a list: its index in HouseholdRows::lists
  bool per_member = false;
  int person_column = -1;                   // a per-member list: its person_id key
  std::size_t limit = 0;                    // entries allowed (InputLimits) under one parent
  std::vector<Mapping::List> lists_here;    // the lists whose field is under this entity
};

TypedHouseholds::TypedHouseholds(const engine::Schema& schema, const Shapes& shapes, const Mapping& mapping,
                                 const engine::EvalOptions& options)
    : p_(*schema.program), schema_(schema), options_(options), json_(*schema.program) {
  make_plans(shapes, mapping);
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    Plan& plan = *plans_[i];
    if (plan.entity < 0) {
      if (i >= 2 && !options.ignore_unknown_fields)
        refuse(fmt::format("mapping {}: no entity of the ruleset reads the field", plan.source));
      continue;
    }
    plan_entity(plan, plan.entity, *plan.shape, i == 0);
  }
  for (std::size_t c = 0; c < shapes.member.size(); ++c)
    if (shapes.member[c].path == std::vector<std::string>{"person_id"}) person_id_column_ = static_cast<int>(c);
  if (person_id_column_ < 0 || shapes.member[person_id_column_].kind != ColumnKind::Text)
    refuse("members: person_id is not a text column");
  if (fiscal_year_column_ < 0 || shapes.household[fiscal_year_column_].kind != ColumnKind::Integer)
    refuse("households: fiscal_year is not an integer column");
  if (household_id_column_ < 0 || shapes.household[household_id_column_].kind != ColumnKind::Text)
    refuse("households: household_id is not a text column");
}

TypedHouseholds::~TypedHouseholds() = default;

// Which entity each source fills: the root, the child named "members", and
// per list the child (of the root or of the members) of its field.
void TypedHouseholds::make_plans(const Shapes& shapes, const Mapping& mapping) {
  auto child_named = [&](int parent, const std::string& field) {
    for (std::size_t e = 0; e < p_.entities.size(); ++e) {
      const auto& l = p_.entities[e];
      if (l.parent == parent && l.kind == ast::EntityKind::Record && !l.is_months && l.field == field)
        return static_cast<int>(e);
    }
    return -1;
  };
  const int root = p_.root_entity;
  const int members = child_named(root, "members");
  plans_.push_back(std::make_unique<Plan>());
  plans_.push_back(std::make_unique<Plan>());
  plans_[0]->entity = root;
  plans_[0]->source = "households";
  plans_[0]->shape = &shapes.household;
  plans_[1]->entity = members;
  plans_[1]->source = "members";
  plans_[1]->shape = &shapes.member;
  plans_[1]->limit = options_.limits.items_for("members");
  if (members < 0) refuse("the ruleset declares no entity of the field \"members\"");
  for (std::size_t i = 0; i < mapping.lists.size(); ++i) {
    const auto& l = mapping.lists[i];
    auto plan = std::make_unique<Plan>();
    plan->source = "lists." + (l.per_member ? "members[]." : std::string()) + l.field;
    plan->shape = &shapes.lists[i];
    plan->list = static_cast<int>(i);
    plan->per_member = l.per_member;
    plan->limit = options_.limits.items_for(l.field);
    plan->entity = l.per_member ? (members >= 0 ? child_named(members, l.field) : -1) : child_named(root, l.field);
    for (std::size_t c = 0; c < plan->shape->size(); ++c)
      if ((*plan->shape)[c].key && (*plan->shape)[c].path == std::vector<std::string>{"person_id"})
        plan->person_column = static_cast<int>(c);
    (l.per_member ? *plans_[1] : *plans_[0]).lists_here.push_back(l);
    plans_.push_back(std::move(plan));
  }
}

void TypedHouseholds::refuse(std::string why) {
  if (always_json_.empty()) always_json_ = std::move(why);
}

// Whether the JSON record holds `key` at the level of `entity`: an input's
// first name, a child entity's field, fiscal_year at the root.
bool TypedHouseholds::is_known(int entity, bool root, const std::string& key) const {
  if (root && key == "fiscal_year") return true;
  for (int id : p_.entity_inputs[entity])
    if (!p_.inputs[id].path.empty() && p_.inputs[id].path.front() == key) return true;
  return std::any_of(p_.entities.begin(), p_.entities.end(), [&](const bytecode::EntityLayout& l) {
    return l.parent == entity && l.kind == ast::EntityKind::Record && l.field == key;
  });
}

// The record's lists (and "members" at the root) replace a column of their name.
bool TypedHouseholds::is_list(const Plan& plan, bool root, const std::string& key) {
  if (root && key == "members") return true;
  return std::any_of(plan.lists_here.begin(), plan.lists_here.end(), [&](auto& l) { return l.field == key; });
}

// Matches the source's columns to the entity's inputs (by household.md path)
// and its child entities to the rows of lists, to jsonb columns, or to none.
void TypedHouseholds::plan_entity(Plan& plan, int entity, const std::vector<ColumnShape>& shape, bool root) {
  const auto& layout = p_.entities[entity];
  if (layout.keyed) return refuse(fmt::format("{}: the ruleset reads it as a keyed object", plan.source));
  for (int id : p_.entity_inputs[entity])
    if (p_.inputs[id].is_key) return refuse(fmt::format("{}: the ruleset reads a key", plan.source));
  plan.slot_column.assign(layout.ninputs, -1);
  std::vector<int> json_column(p_.entities.size(), -1);
  for (std::size_t c = 0; c < shape.size(); ++c)
    if (!shape[c].key) plan_column(plan, entity, shape, static_cast<int>(c), root, json_column);
  for (const auto& l : plan.lists_here)
    if (!is_known(entity, root, l.field) && !options_.ignore_unknown_fields)
      refuse(fmt::format("lists.{}: no input of the ruleset", l.field));
  plan_children(plan, entity, root, json_column);
}

void TypedHouseholds::plan_column(Plan& plan, int entity, const std::vector<ColumnShape>& shape, int c, bool root,
                                  std::vector<int>& json_column) {
  const auto& path = shape[c].path;
  const bool fiscal_year = root && path == std::vector<std::string>{"fiscal_year"};
  if (fiscal_year) fiscal_year_column_ = c;
  if (root && path == std::vector<std::string>{"household_id"}) household_id_column_ = c;
  if (is_list(plan, root, path.front())) return;
  const auto& slots = p_.entity_inputs[entity];
  for (std::size_t slot = 0; slot < slots.size(); ++slot) {
    if (p_.inputs[slots[slot]].path != path) continue;
    if (plan.slot_column[slot] >= 0) refuse(fmt::format("{}: two columns \"{}\"", plan.source, joined(path)));
    plan.slot_column[slot] = c;
    return;
  }
  if (fiscal_year) return;
  for (std::size_t e = 0; e < p_.entities.size(); ++e) {
    const auto& l = p_.entities[e];
    if (l.parent != entity || l.kind != ast::EntityKind::Record || l.is_months || l.field != path.front()) continue;
    if (path.size() == 1 && shape[c].kind == ColumnKind::Json && json_column[e] < 0) json_column[e] = c;
    else refuse(fmt::format("{}: column \"{}\" is not the JSON of the field's entries", plan.source, joined(path)));
    return;
  }
  // An unknown field the record would carry is an error record for every
  // household, unless unknown fields are passed (a key unknown at this level
  // is then skipped whole).
  if (options_.ignore_unknown_fields && !is_known(entity, root, path.front())) return;
  refuse(fmt::format("{}: column \"{}\" is no input of the ruleset", plan.source, joined(path)));
}

void TypedHouseholds::plan_children(Plan& plan, int entity, bool root, const std::vector<int>& json_column) {
  for (std::size_t e = 0; e < p_.entities.size(); ++e) {
    const auto& l = p_.entities[e];
    if (l.parent != entity) continue;
    Plan::Child child;
    child.entity = static_cast<int>(e);
    if (l.is_months) {
      child.kind = Plan::Child::Months;
    } else if (l.kind != ast::EntityKind::Record) {
      child.kind = Plan::Child::Derived;
    } else if (root && l.field == "members") {
      child.kind = Plan::Child::Rows;
      child.plan = 1;
    } else if (is_list(plan, root, l.field)) {
      child.kind = Plan::Child::Rows;
      for (std::size_t i = 2; i < plans_.size(); ++i)
        if (plans_[i]->entity == static_cast<int>(e) && plans_[i]->per_member == !root)
          child.plan = static_cast<int>(i);
    } else if (json_column[e] >= 0) {
      child.kind = Plan::Child::Json;
      child.column = json_column[e];
    } else if (!l.optional) {
      refuse(fmt::format("{}: nothing in the mapping fills the required field \"{}\"", plan.source, l.field));
    }
    plan.children.push_back(child);
  }
}

bool TypedHouseholds::fill(const HouseholdRows& rows, engine::Household& h) const {
  if (!always_json_.empty()) return false;
  h.reset(p_.entities.size());
  const pqxx::row& row = rows.household.front();
  // The engine's checks before a record is read: the year is given, asked
  // for and covered.
  const pqxx::field fy_field = row[fiscal_year_column_];
  if (fy_field.is_null()) return false;
  std::int64_t fy = 0;
  std::from_chars(fy_field.c_str(), fy_field.c_str() + fy_field.size(), fy);
  if (fy < p_.first_year || fy > p_.last_year) return false;
  if (options_.fiscal_year != 0 && fy != options_.fiscal_year) return false;
  h.id.assign(text_of(row[household_id_column_]));
  try {
    if (!fill_instance(*plans_[0], row, rows, h)) return false;
  } catch (const std::exception&) {
    return false;  // the JSON path meets the same and answers for it
  }
  // The run's evaluation date stands in for a household without its own.
  if (!options_.evaluation_date.empty() && schema_.evaluation_date_slot >= 0) {
    auto& own = h.inputs[p_.root_entity][schema_.evaluation_date_slot];
    if (own.is_none())
      if (auto d = time::parse_date(options_.evaluation_date)) own = Value::date(d->days);
  }
  h.fiscal_year = static_cast<int>(fy);
  return true;
}

bool TypedHouseholds::fill_instance(const Plan& plan, const pqxx::row& row, const HouseholdRows& rows,
                                    engine::Household& h) const {
  const int e = plan.entity;
  const int n = p_.entities[e].ninputs;
  const int inst = h.count[e]++;
  auto& values = h.inputs[e];
  values.resize(static_cast<std::size_t>(h.count[e]) * n);
  const auto& slots = p_.entity_inputs[e];
  for (int slot = 0; slot < n; ++slot) {
    const auto& in = p_.inputs[slots[slot]];
    Value& out = values[static_cast<std::size_t>(inst) * n + slot];
    const int c = plan.slot_column[slot];
    const pqxx::field f = row[c < 0 ? 0 : c];
    bool ok = false, missing = c < 0 || f.is_null();
    if (!missing) {
      switch ((*plan.shape)[c].kind) {
        case ColumnKind::Boolean: ok = from_boolean(f.c_str()[0] == 't', in, out); break;
        case ColumnKind::Integer: {
          std::int64_t v = 0;
          std::from_chars(f.c_str(), f.c_str() + f.size(), v);
          ok = from_integer(v, in, out);
          break;
        }
        case ColumnKind::Decimal: case ColumnKind::Text: case ColumnKind::Date:
          ok = from_string(text_of(f), in, p_, h, out);
          break;
        case ColumnKind::Json: {
          auto v = nlohmann::json::parse(f.c_str(), f.c_str() + f.size());
          missing = v.is_null();
          ok = !missing && from_json(v, in, p_, h, out);
          break;
        }
      }
    }
    if (missing) {
      if (in.default_value) out = *in.default_value;
      else if (in.optional) out = Value{};
      else return false;
      continue;
    }
    if (!ok || (in.nonnegative && out.tag == bytecode::Tag::Num && out.coeff < 0)) return false;
  }
  return fill_children(plan, row, rows, h);
}

// As the JSON reader: each child entity in declaration order, its instances
// under this one contiguous, child_begin closed after each parent instance.
bool TypedHouseholds::fill_children(const Plan& plan, const pqxx::row& row, const HouseholdRows& rows,
                                    engine::Household& h) const {
  for (const auto& child : plan.children) {
    const int c = child.entity;
    auto& begin = h.child_begin[c];
    if (begin.empty()) begin.push_back(0);
    switch (child.kind) {
      case Plan::Child::None: case Plan::Child::Derived: break;
      case Plan::Child::Months:
        h.count[c] += 12;
        h.inputs[c].resize(static_cast<std::size_t>(h.count[c]) * p_.entities[c].ninputs);
        break;
      case Plan::Child::Rows: {
        const Plan& sub = *plans_[child.plan];
        const auto& source = sub.list < 0 ? rows.members : rows.lists[sub.list];
        if (!sub.per_member) {
          if (source.size() > sub.limit) return false;
          for (const auto& r : source)
            if (!fill_instance(sub, r, rows, h)) return false;
          break;
        }
        // A member's entries are the rows of its person_id.
        const std::string_view person = text_of(row[person_id_column_]);
        std::size_t taken = 0;
        for (const auto& r : source) {
          if (text_of(r[sub.person_column]) != person) continue;
          if (++taken > sub.limit || !fill_instance(sub, r, rows, h)) return false;
        }
        break;
      }
      case Plan::Child::Json: {
        const pqxx::field f = row[child.column];
        auto items = f.is_null() ? nlohmann::json() : nlohmann::json::parse(f.c_str(), f.c_str() + f.size());
        if (items.is_null()) {
          if (!p_.entities[c].optional) return false;
          break;
        }
        if (json_.read_instances(items, c, p_.entities[c].field, h, options_.ignore_unknown_fields, options_.limits))
          return false;
        break;
      }
    }
    begin.push_back(h.count[c]);
  }
  return true;
}

}  // namespace shiki::ledger
