#include "uses.h"

#include <climits>

#include "check.h"

namespace shiki::check {

namespace {

using ast::Expr;
using ast::ExprKind;

// The first fiscal year a condition `fiscal_year >= N` (or `> N`) lets
// through; INT_MIN for any other condition.
int from_year(const Expr* cond) {
  if (!cond || cond->kind != ExprKind::Binary || cond->kids.size() != 2) return INT_MIN;
  const Expr& a = *cond->kids[0];
  const Expr& b = *cond->kids[1];
  if (a.ref != ast::RefKind::Builtin || a.id != static_cast<int>(Builtin::FiscalYear) || b.kind != ExprKind::Number)
    return INT_MIN;
  int n = 0;
  try {
    n = std::stoi(b.text);
  } catch (...) {
    return INT_MIN;
  }
  if (cond->text == ">=") return n;
  if (cond->text == ">") return n + 1;
  return INT_MIN;
}

class Walker {
 public:
  explicit Walker(const resolve::Program& p) {
    u.params.resize(p.params.size());
    u.rules.resize(p.rules.size());
    u.inputs.resize(p.inputs.size());
    u.tables.resize(p.tables.size());
    u.param_from.assign(p.params.size(), INT_MAX);
    u.rule_from.assign(p.rules.size(), INT_MAX);
    u.table_from.assign(p.tables.size(), INT_MAX);
  }
  Uses u;
  int from = INT_MIN;  // the first fiscal year in which the walked expression is evaluated

  void operator()(const Expr* e) {
    if (!e) return;
    auto mark = [&](std::vector<source::Location>& v, std::vector<int>* years) {
      if (e->id < 0 || e->id >= static_cast<int>(v.size())) return;
      if (!v[e->id].valid()) v[e->id] = e->loc;
      if (years) (*years)[e->id] = std::min((*years)[e->id], from);
    };
    switch (e->ref) {
      case ast::RefKind::Param: mark(u.params, &u.param_from); break;
      case ast::RefKind::Rule: mark(u.rules, &u.rule_from); break;
      case ast::RefKind::Input: mark(u.inputs, nullptr); break;
      case ast::RefKind::Table: mark(u.tables, &u.table_from); break;
      case ast::RefKind::Builtin:
        if (e->kind == ExprKind::Call && e->id == static_cast<int>(Builtin::NextBusinessDay))
          u.next_business_day = true;
        break;
      default: break;
    }
    // `if fiscal_year >= 2026 then 子ども分.年額 else 0`: the branch runs from 2026.
    if (e->kind == ExprKind::If && e->kids.size() == 3) {
      (*this)(e->kids[0].get());
      guarded(from_year(e->kids[0].get()), e->kids[1].get());
      (*this)(e->kids[2].get());
      return;
    }
    for (const auto& k : e->kids) (*this)(k.get());
    (*this)(e->filter.get());
  }

  // A rule read by the VM itself (`alike when`), every year.
  void mark_rule(int id, const source::Location& loc) {
    if (!u.rules[id].valid()) u.rules[id] = loc;
    u.rule_from[id] = INT_MIN;
  }

  void guarded(int year, const Expr* e) {
    int saved = from;
    from = std::max(from, year);
    (*this)(e);
    from = saved;
  }
};

// Outputs and checks, and the expressions that build group and days
// entities (evaluated before anything else, every year).
void walk_outputs(const resolve::Program& p, Walker& w) {
  for (const auto& e : p.entities) {
    w(e.decl->filter.get());
    for (const auto& k : e.decl->keys) w(k.get());
    w(e.decl->first.get());
    w(e.decl->last.get());
    if (e.alike_rule >= 0) w.mark_rule(e.alike_rule, e.decl->alike_loc);
  }
  for (const auto* o : p.outputs) {
    w(o->given.get());
    w(o->when.get());
    int block = from_year(o->when.get());
    for (const auto& f : o->fields) {
      w(f.when.get());
      w.guarded(std::max(block, from_year(f.when.get())), f.value.get());
    }
  }
  for (const auto* c : p.checks) w(c->require.get());
}

}  // namespace

// Demand-driven, as evaluation is: what the outputs and checks use, and
// what the rules and tables they use use in turn, each from the first
// fiscal year in which it can be reached (an output `when fiscal_year >=
// 2026` reaches its rules from FY2026). What no output reaches is not
// evaluated, so its parameters need no value.
Uses uses_of(const resolve::Program& p) {
  Walker w(p);
  walk_outputs(p, w);
  std::vector<int> rule_done(p.rules.size(), INT_MAX), table_done(p.tables.size(), INT_MAX);
  for (bool more = true; more;) {
    more = false;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      if (w.u.rule_from[i] >= rule_done[i]) continue;
      rule_done[i] = w.from = w.u.rule_from[i];
      more = true;
      w(p.rules[i].decl->body.get());
      for (const auto& x : p.rules[i].decl->exceptions) {
        w(x.cond.get());
        w(x.value.get());
      }
    }
    for (std::size_t i = 0; i < p.tables.size(); ++i) {
      if (w.u.table_from[i] >= table_done[i]) continue;
      table_done[i] = w.from = w.u.table_from[i];
      more = true;
      for (const auto& v : p.tables[i].decl->versions)
        for (const auto& row : v.rows) w(row.value.get());
    }
  }
  return w.u;
}

}  // namespace shiki::check
