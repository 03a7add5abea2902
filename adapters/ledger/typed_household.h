// Ledger rows -> the engine's typed household, with no JSON on the way: the
// mapping's columns are matched once per run to the ruleset's `input` and
// `entity` declarations (household.md field paths), and each household's
// rows fill a vm::Household directly. A household the fast path cannot vouch
// for (a NULL where a value is required, a value of the wrong type, a list
// over its limit) is left to the JSON reader, so that its error record names
// the same field with the same message as before (docs/ledger.md).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "adapters/json/household_reader.h"
#include "adapters/ledger/household_reader.h"
#include "interpreter/engine/engine.h"

namespace shiki::ledger {

class TypedHouseholds {
 public:
  TypedHouseholds(const engine::Schema& schema, const Shapes& shapes, const Mapping& mapping,
                  const engine::EvalOptions& options);
  ~TypedHouseholds();
  // Fills `h` from one household's rows; false when the household is to take
  // the JSON path (to_household_json and the engine's JSON door).
  bool fill(const HouseholdRows& rows, engine::Household& h) const;
  // Why every household takes the JSON path ("" when none does): a column the
  // ruleset does not declare, a list of a field it does not read, …
  const std::string& always_json() const { return always_json_; }

 private:
  struct Plan;
  struct Source;
  bool fill_instance(const Plan& plan, const pqxx::row& row, const HouseholdRows& rows, engine::Household& h) const;
  bool fill_children(const Plan& plan, const pqxx::row& row, const HouseholdRows& rows, engine::Household& h) const;
  void make_plans(const Shapes& shapes, const Mapping& mapping);
  void plan_entity(Plan& plan, int entity, const std::vector<ColumnShape>& shape, bool root);
  void plan_column(Plan& plan, int entity, const std::vector<ColumnShape>& shape, int c, bool root,
                   std::vector<int>& json_column);
  void plan_children(Plan& plan, int entity, bool root, const std::vector<int>& json_column);
  bool is_known(int entity, bool root, const std::string& key) const;
  static bool is_list(const Plan& plan, bool root, const std::string& key);
  void refuse(std::string why);

  const bytecode::Program& p_;
  const engine::Schema& schema_;
  const engine::EvalOptions& options_;
  json_adapter::HouseholdReader json_;  // for a jsonb column that holds instances (income_by_year)
  std::vector<std::unique_ptr<Plan>> plans_;  // [0] households, [1] members, then the lists
  int fiscal_year_column_ = -1, household_id_column_ = -1, person_id_column_ = -1;
  std::string always_json_;
};

}  // namespace shiki::ledger
