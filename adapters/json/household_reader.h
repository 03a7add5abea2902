// JSON (household.md's input record) -> vm::Household, driven by the
// ruleset's `input` and `entity` declarations: the adapter knows no field
// names of its own beyond household_id and fiscal_year.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "interpreter/bytecode/program.h"
#include "interpreter/engine/engine.h"
#include "interpreter/vm/household.h"

namespace shiki::json_adapter {

struct FieldError {
  std::string field;    // members[1].birth_date
  std::string message;
};

class HouseholdReader {
 public:
  explicit HouseholdReader(const bytecode::Program& program);
  // Fills `out`; on a bad record returns the first error (the field and why).
  // Arrays (and keyed objects) of instances longer than `limits` allow are an
  // error naming them, also for records that did not come through
  // parse_strict (the ledger's, the API's).
  std::optional<FieldError> read(const nlohmann::json& record, vm::Household& out, bool ignore_unknown,
                                 const engine::InputLimits& limits = {}) const;
  // The instances of child entity `child` under the instance being read, from
  // its field's value (an array, or an object for a keyed entity; not null),
  // `field` naming it in an error: for an adapter that holds one field as
  // JSON (a jsonb column of the ledger) and reads the rest itself.
  std::optional<FieldError> read_instances(const nlohmann::json& items, int child, const std::string& field,
                                           vm::Household& out, bool ignore_unknown,
                                           const engine::InputLimits& limits) const;
  // "members[1]" for instance 1 of the member entity, "" for the root.
  std::string instance_path(const vm::Household& h, int entity, int instance) const;

 private:
  struct Node {  // the declared shape of one entity's JSON object
    std::map<std::string, Node> children;
    int input = -1;         // a leaf: input id
    int child_entity = -1;  // an array of instances of this entity
  };
  std::optional<FieldError> read_instance(const nlohmann::json& obj, int entity, const std::string& where,
                                          vm::Household& out, bool ignore_unknown, const engine::InputLimits& limits,
                                          const std::string* key = nullptr) const;
  std::optional<FieldError> read_children(const nlohmann::json& obj, int entity, const std::string& where,
                                          vm::Household& out, bool ignore_unknown,
                                          const engine::InputLimits& limits) const;
  std::optional<FieldError> read_field_instances(const nlohmann::json& obj, int child, const std::string& where,
                                                 vm::Household& out, bool ignore_unknown,
                                                 const engine::InputLimits& limits) const;
  std::optional<FieldError> check_shape(const nlohmann::json& obj, const Node& node, const std::string& where,
                                        bool ignore_unknown) const;

  const bytecode::Program& p_;
  std::vector<Node> shapes_;  // per entity
};

}  // namespace shiki::json_adapter
