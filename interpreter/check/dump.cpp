// `shiki dump --stage=checked`: what check/ wrote into the AST (Expr::type,
// ref, id, entity, aux) as a note on each expression's line:
//   name 医療分.年額  : money -> rule 世帯.医療分.年額
#include "../resolve/resolve.h"
#include "check.h"

namespace shiki::check {

namespace {

using ast::RefKind;

bool is_rounding(int builtin) {
  return builtin >= static_cast<int>(Builtin::Truncate) && builtin <= static_cast<int>(Builtin::RoundHalfEven);
}

// What a name (or call) refers to; "" for operators and literals.
std::string referent(const ast::Expr& e, const resolve::Program& p) {
  switch (e.ref) {
    case RefKind::Local: return "local " + std::to_string(e.id);
    case RefKind::Input: return "input " + p.inputs[e.id].display;
    case RefKind::Rule: return "rule " + p.rules[e.id].display;
    case RefKind::Param: return "parameter " + p.params[e.id].decl->name;
    case RefKind::Table: return "table " + p.tables[e.id].decl->name;
    case RefKind::TableAsOf: return "table " + p.tables[e.id].decl->name + " in force on the date";
    case RefKind::Builtin:
      return "builtin " + e.text + (is_rounding(e.id) ? " to a multiple of 10^" + std::to_string(e.aux) : "");
    case RefKind::MonthOfEntity: return "the month of " + p.entities[e.entity].decl->name;
    case RefKind::EnumCase: return "enum " + p.enums[e.type.enum_id].decl->name + ", case " + std::to_string(e.id);
    case RefKind::Aggregate: return e.text + " over " + p.entities[e.entity].decl->name;
    case RefKind::Unresolved: break;
  }
  if (e.kind == ast::ExprKind::Let) return "binds local " + std::to_string(e.id);
  if (e.kind == ast::ExprKind::Binary && e.text == "/" && e.aux == 1) return "divided and rounded in one step";
  return "";
}

// ": money -> rule 世帯.所得計"; "" for what the checker did not type (the
// entity named by an aggregation).
std::string note(const ast::Expr& e, const resolve::Program& p) {
  std::string r = referent(e, p);
  if (e.type.is_error() && r.empty()) return "";
  std::string out = std::string(": ") + type_name(e.type, p);
  if (e.type.literal) out += " (unsuffixed)";
  return r.empty() ? out : out + " -> " + r;
}

// The rules a rule's body refers to (check/ keeps them once each, by id).
std::string uses(const resolve::Program& p, int rule) {
  std::string out;
  for (int u : p.rules[rule].uses) out += (out.empty() ? "uses " : ", ") + p.rules[u].display;
  return out;
}

}  // namespace

std::string dump(const resolve::Program& p, int rule) {
  resolve::DumpNotes notes{[&p](const ast::Expr& e) { return note(e, p); },
                           [&p](int r) { return uses(p, r); }};
  return resolve::dump(p, rule, notes);
}

}  // namespace shiki::check
