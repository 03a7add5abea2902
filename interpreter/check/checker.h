// Internal to check/: the expression checker and its scope.
#pragma once
#include <optional>

#include "../decimal/decimal.h"
#include "check.h"

namespace shiki::check {

struct Local {
  std::string name;
  ast::Type type;
  int index;
};

// What an expression may see: the entity of its rule, the entities of the
// aggregations around it, its arguments and `let` variables.
struct Scope {
  int entity = -1;
  std::vector<int> aggregated;
  std::vector<Local> locals;
  int next_local = 0;
  int max_locals = 0;
  bool constant = false;     // parameter values, table bounds, defaults
  std::vector<int>* uses = nullptr;  // rules referred to, for the dependency graph
};

class Checker {
 public:
  Checker(resolve::Program& p, diag::Sink& sink) : p_(p), sink_(sink) {}

  ast::Type expr(ast::Expr& e, Scope& s, bool under_rounding = false);
  // Reports E0201/E0202 unless `actual` fits `want`.
  bool assignable(const ast::Type& want, const ast::Type& actual) const;
  void expect(const ast::Type& want, ast::Expr& e, Scope& s);
  // The exact value of a literal (or negated literal); nullopt otherwise.
  static std::optional<decimal::Decimal> number_value(const ast::Expr& e);
  bool visible(int entity, const Scope& s) const;
  // Reports E0210 (and returns true) for a bare number where a rate is wanted.
  bool bare_rate(const ast::Type& want, const ast::Expr& e);

  resolve::Program& p_;
  diag::Sink& sink_;

 private:
  ast::Type literal(ast::Expr& e, Scope& s);
  ast::Type name(ast::Expr& e, Scope& s);
  ast::Type call(ast::Expr& e, Scope& s);
  ast::Type table_as_of(ast::Expr& e, Scope& s);
  ast::Type builtin(ast::Expr& e, Scope& s, Builtin b);
  ast::Type aggregate(ast::Expr& e, Scope& s, Aggregate a, int entity);
  ast::Type binary(ast::Expr& e, Scope& s, bool under_rounding);
  ast::Type match(ast::Expr& e, Scope& s);
  ast::Type unit_error(ast::Expr& e, const ast::Type& a, const ast::Type& b);
  std::vector<int> visible_chain(const Scope& s) const;
  void unknown(ast::Expr& e, const Scope& s);
};

}  // namespace shiki::check
