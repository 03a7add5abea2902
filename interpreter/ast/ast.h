// The syntax of a module as the parser read it: names still unresolved,
// types still unchecked. Later stages annotate expressions in place
// (Expr::type, Expr::ref) rather than copying the tree.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../source/source.h"
#include "../time/time.h"
#include "type.h"

namespace shiki::ast {

using source::Location;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  Number, Percent, Yen, Date, Month, String, Bool, None,  // literals: `text` holds the spelling
  Name,       // text = dotted name
  Call,       // text = dotted name; args in kids; filter of the first argument in `filter`
  Negate, Not, Binary,  // text = operator
  If, Let,    // Let: text = variable, kids = {value, body}
  Match,      // kids[0] = subject, kids[1..] = arm values, arm_names parallel to kids[1..]
};

// What a name in an expression turned out to be (filled by check/).
enum class RefKind {
  Unresolved, Local, Input, Rule, Param, Table, Builtin, MonthOfEntity, EnumCase, Aggregate,
  TableAsOf,  // as_of(d, T(args)): table T in the version in force on d (id = the table)
};

struct Expr {
  ExprKind kind;
  Location loc;
  std::string text;
  std::vector<ExprPtr> kids;
  ExprPtr filter;                  // Call: `where` of the first argument
  bool earlier = false;            // Call: `earlier E`: the instances of E before the current one
  std::vector<std::string> arm_names;
  std::vector<Location> arm_locs;
  // Filled by check/.
  Type type;
  RefKind ref = RefKind::Unresolved;
  int id = -1;      // index of the local, input, rule, param, table, builtin or enum case
  int entity = -1;  // entity of an input, rule, month or aggregation
  int aux = 0;      // a rounding's power of ten; an aggregation's kind
};

struct Citation {
  std::string text;  // "" when none
};

struct TypeName {
  std::string name;
  Location loc;
};

struct ParamVersion {
  ExprPtr value;
  time::Date from;
  Location loc;
  Citation source;
  std::string unconfirmed;  // why the figure is not settled; "" when it is
};

struct Parameter {
  std::string name;
  TypeName type;
  Citation source;
  std::vector<ParamVersion> versions;
  bool is_override = false;
  bool set_by_ordinance = false;  // the statute leaves it to each city
  Location loc;
};

struct TableRow {
  bool lo_closed = true, hi_closed = true;
  ExprPtr lo, hi;  // nullptr = unbounded
  ExprPtr value;
  Location loc;
};

struct TableVersion {
  std::optional<time::Date> from;  // nullopt: one version for every year
  Citation source;
  std::vector<TableRow> rows;
  Location loc;
};

struct Formal {
  std::string name;
  TypeName type;
  Location loc;
};

struct Table {
  std::string name;
  std::vector<Formal> params;
  TypeName type;
  Citation source;
  std::vector<TableVersion> versions;
  bool is_override = false;
  Location loc;
};

struct ExceptionClause {
  std::string label;
  std::vector<std::string> over;
  std::vector<Location> over_locs;
  ExprPtr cond, value;
  Citation source;
  Location loc;
};

struct Rule {
  std::string entity;  // first segment of the declared name
  std::string name;    // the rest: 医療分.所得割額
  std::vector<Formal> params;
  TypeName type;
  Citation source;
  ExprPtr body;        // a plain rule; or the default of an exception rule
  std::vector<ExceptionClause> exceptions;
  bool has_exceptions = false;
  bool is_override = false;
  std::string unconfirmed;  // why the rule is not settled; "" when it is
  Location loc;
};

// `amend parameter` / `amend rule`: part of an imported declaration changed
// without restating it. A version without a value marks or cites the
// version of that date.
struct Amendment {
  bool is_rule = false;
  std::string name;                   // as written: 医療分.所得割率, 世帯.所得割の端数処理
  std::vector<ParamVersion> versions; // a parameter's; value == nullptr: mark only
  Citation source;                    // a rule's
  std::string unconfirmed;            // a rule's
  Location loc;
};

// How an entity's instances come about.
enum class EntityKind {
  Record,   // the root, or read from a JSON array / keyed object (`field`)
  Months,   // the twelve months of the fiscal year
  Group,    // one per distinct key of another entity's instances (`group … by …`)
  Days,     // one per day of a span (`days … to … as …`)
};

struct Entity {
  std::string name;
  std::string parent;   // "" for the root
  EntityKind kind = EntityKind::Record;
  std::string field;    // JSON array holding the instances
  std::string month_name;  // non-empty for the months of the fiscal year
  // Months: `alike when R`, R a boolean rule of the parent: when it holds,
  // the months are alike (docs/language.md, "Months that are alike").
  std::string alike;
  Location alike_loc;
  bool optional = false;   // an absent or null array (object) has no instances
  bool keyed = false;      // `field` names an object: one instance per key
  // Group: the grouped entity, its filter and one expression per key (each key
  // is also a key input of this entity, declared in the same order).
  std::string source;
  Location source_loc;
  ExprPtr filter;
  std::vector<ExprPtr> keys;
  // Days: the first and last day (inclusive); the day is the key input.
  ExprPtr first, last;
  Location loc;
};

struct Enum {
  std::string name;
  std::vector<std::string> cases;
  Location loc;
};

struct Input {
  std::string entity, name;
  TypeName type;
  std::string field;
  bool optional = false, nonnegative = false;
  bool is_key = false;      // the key of a keyed entity's instance (no field)
  ExprPtr default_value;
  Location loc;
};

struct OutputField {
  std::string path;
  ExprPtr value, when;
  Location loc;
};

struct Output {
  std::string entity;
  std::string into;
  ExprPtr given;   // whether the array `into` is written at all (root scope)
  ExprPtr when;
  std::vector<OutputField> fields;
  Location loc;
};

struct Check {
  std::string entity, field, message;
  ExprPtr require;
  Location loc;
};

struct Holidays {
  std::vector<time::Date> dates;
  Citation source;
  Location loc;
};

struct Import {
  std::string module;
  std::string path;  // `from "…"`: the module's folder; empty: the sibling folder named `module`
  Location loc;
};

// `part 医療分, 支援金分 as 分 { rule … }`: rules stated once for several
// parts; resolve/ copies them per part (resolve/parts.cpp).
struct PartBlock {
  std::vector<std::string> names;  // the parts
  std::string placeholder;         // 分
  std::vector<Rule> rules;
  Location loc;
};

// One .shiki file.
struct File {
  std::shared_ptr<const source::SourceFile> source;
  std::vector<Import> imports;
  std::vector<Entity> entities;
  std::vector<Enum> enums;
  std::vector<Input> inputs;
  std::vector<Parameter> parameters;
  std::vector<Table> tables;
  std::vector<Rule> rules;
  std::vector<Output> outputs;
  std::vector<Check> checks;
  std::vector<Holidays> holidays;
  std::vector<Amendment> amendments;
  std::vector<PartBlock> parts;
  std::optional<std::pair<int, int>> fiscal_years;
  Location fiscal_years_loc;
};

// A module: every .shiki file of one folder.
struct Module {
  std::string name;
  std::string dir;
  std::vector<File> files;
};

}  // namespace shiki::ast
