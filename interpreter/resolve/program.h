// resolve::Program: every declaration of a ruleset and the modules it
// imports, after imports and overrides, indexed by name. check/ annotates
// its expressions in place; compile/ reads it.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../ast/ast.h"

namespace shiki::resolve {

struct EntityInfo {
  const ast::Entity* decl;
  int parent = -1;
  bool is_months = false;
  int alike_rule = -1;      // months: the rule of `alike when` (filled by check/)
  std::vector<int> inputs;  // input ids, in slot order
  std::vector<int> rules;   // memoised rule ids (no arguments), in slot order
  std::vector<int> children;
};

struct InputInfo {
  const ast::Input* decl;
  int entity;
  int slot;                 // index within the entity's inputs
  ast::Type type;
  std::string display;      // 被保険者.給与収入
};

struct RuleInfo {
  const ast::Rule* decl;
  int entity;
  int slot = -1;            // memo slot within the entity; -1 for rules with arguments
  ast::Type type;
  std::vector<ast::Type> params;
  std::string display;      // 世帯.医療分.所得割額
  std::string module;
  std::vector<std::uint64_t> beats;  // per exception: the exceptions it wins over (transitively)
  std::vector<int> uses;    // rules its body refers to (filled by check/)
};

struct ParamInfo {
  const ast::Parameter* decl;  // the one in force (the last override)
  ast::Type type;
  std::string module;
  const ast::Parameter* first = nullptr;  // the first declaration (national): `set by ordinance`
  std::string first_module;
};

struct TableInfo {
  const ast::Table* decl;
  ast::Type type;
  std::vector<ast::Type> params;
  std::string module;
};

struct EnumInfo {
  const ast::Enum* decl;
};

struct Program {
  std::vector<std::unique_ptr<ast::Module>> modules;  // owned, imports first; the root is modules.back()
  std::vector<std::unique_ptr<ast::Parameter>> amended;  // a parameter merged with its amendments
  std::string id;
  std::string hash;  // "sha256:…" over the files of every module used
  std::vector<EntityInfo> entities;
  std::vector<InputInfo> inputs;
  std::vector<RuleInfo> rules;
  std::vector<ParamInfo> params;
  std::vector<TableInfo> tables;
  std::vector<EnumInfo> enums;
  std::vector<const ast::Output*> outputs;
  std::vector<const ast::Check*> checks;
  std::vector<time::Date> holidays;
  int first_year = 0, last_year = -1;
  int root_entity = -1, months_entity = -1;

  std::map<std::string, int> entity_by_name, param_by_name, table_by_name, enum_by_name;
  std::map<std::pair<int, std::string>, int> input_by_name, rule_by_name;  // (entity, name)
};

}  // namespace shiki::resolve
