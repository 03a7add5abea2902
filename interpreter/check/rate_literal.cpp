// A bare number where a rate is expected: `7.62` is 762%, which no
// ordinance means. Staff copy rates from tables that print "7.62%" or just
// "7.62" under a "%" heading, so the unit must be written.
#include "checker.h"

namespace shiki::check {

using ast::Base;
using ast::Expr;
using ast::ExprKind;

namespace {
// The literal itself, or the literal under a minus sign.
const Expr* bare_number(const Expr& e) {
  if (e.kind == ExprKind::Number) return &e;
  if (e.kind == ExprKind::Negate && !e.kids.empty() && e.kids[0]->kind == ExprKind::Number) return e.kids[0].get();
  return nullptr;
}
}  // namespace

bool Checker::bare_rate(const ast::Type& want, const Expr& e) {
  if (want.base != Base::Rate) return false;
  const Expr* lit = bare_number(e);
  if (!lit) return false;
  auto v = number_value(*lit);
  // Zero is zero in every unit: `default 0` needs no sign.
  if (!v || v->is_zero()) return false;
  auto as_percent = *v * decimal::Decimal::from_int(100);
  diag::Diagnostic d{diag::Code::E0210, lit->loc, {lit->text},
                     {{{}, lit->text + " は " + as_percent.to_string() + "% と読めます。" + lit->text +
                               "% のつもりなら % を付けます"}}};
  d.fixits.push_back({lit->loc, lit->text + "%"});
  sink_.report(std::move(d));
  return true;
}

}  // namespace shiki::check
