// Checking calls of the built-in functions (dates, ages, rounding, …).
#include "checker.h"

namespace shiki::check {

using ast::Base;
using ast::Expr;
using ast::ExprKind;
using ast::RefKind;
using ast::Type;
using diag::Code;

Type Checker::builtin(Expr& e, Scope& s, Builtin b) {
  e.ref = RefKind::Builtin;
  e.id = static_cast<int>(b);
  auto arity = [&](std::size_t n) {
    if (e.kids.size() == n) return true;
    sink_.report({Code::E0108, e.loc, {e.text, std::to_string(n)}, {}});
    return false;
  };
  const Type I = Type::of(Base::Integer), D = Type::of(Base::Date), M = Type::of(Base::Month);
  auto fixed = [&](std::vector<Type> want, Type result) {
    if (!arity(want.size())) return Type{};
    for (std::size_t i = 0; i < want.size(); ++i) expect(want[i], *e.kids[i], s);
    return result;
  };
  switch (b) {
    case Builtin::Age: return fixed({D, D}, I);
    case Builtin::Attains: return fixed({D, I}, D);
    case Builtin::MonthOf: return fixed({D}, M);
    case Builtin::FirstDay: case Builtin::LastDay: return fixed({M}, D);
    case Builtin::MakeMonth: return fixed({I, I}, M);
    case Builtin::MakeDate: return fixed({I, I, I}, D);
    case Builtin::MonthNumber: return fixed({M}, I);
    case Builtin::MonthsBetween: return fixed({M, M}, I);
    case Builtin::NextBusinessDay: return fixed({D}, D);
    case Builtin::PeriodEnd: return fixed({D, I}, D);
    case Builtin::StartsWith: return fixed({Type::of(Base::Text), Type::of(Base::Text)}, Type::of(Base::Boolean));
    case Builtin::Year: {
      if (!arity(1)) return {};
      Type t = expr(*e.kids[0], s);
      if (!t.is_error() && t.base != Base::Date && t.base != Base::Month)
        sink_.report({Code::E0201, e.kids[0]->loc, {"date / month", type_name(t, p_)}, {}});
      return I;
    }
    case Builtin::Present: {
      if (!arity(1)) return {};
      expr(*e.kids[0], s);
      return Type::of(Base::Boolean);
    }
    case Builtin::Abs: {
      if (!arity(1)) return {};
      Type t = expr(*e.kids[0], s);
      if (!t.is_error() && !t.is_numeric()) {
        sink_.report({Code::E0201, e.kids[0]->loc, {"money / decimal", type_name(t, p_)}, {}});
        return {};
      }
      return t;
    }
    case Builtin::Min: case Builtin::Max: {
      if (!arity(2)) return {};
      Type a = expr(*e.kids[0], s), c = expr(*e.kids[1], s);
      if (a.is_error() || c.is_error()) return {};
      if (assignable(a, c) && !a.literal) return a;
      if (assignable(c, a)) return c;
      sink_.report({Code::E0201, e.kids[1]->loc, {type_name(a, p_), type_name(c, p_)}, {}});
      return {};
    }
    case Builtin::Truncate: case Builtin::RoundUp: case Builtin::RoundHalfUp: case Builtin::RoundHalfEven: {
      if (!arity(2)) return {};
      Expr& x = *e.kids[0];
      Type t = expr(x, s, /*under_rounding=*/true);
      if (x.kind == ExprKind::Binary && x.text == "/") x.aux = 1;  // compiled as one exact divide-and-round
      auto unit = number_value(*e.kids[1]);
      int exp = 0;
      bool ok = unit && !unit->is_negative() && !unit->is_zero();
      if (ok) {
        // A power of ten has coefficient 10^k at some scale: strip zeros and expect 1.
        auto c = unit->coefficient();
        int sc = unit->scale();
        while (c % 10 == 0) { c /= 10; --sc; }
        ok = c == 1;
        exp = -sc;
      }
      if (!ok) {
        sink_.report({Code::E0207, e.kids[1]->loc, {e.kids[1]->text}, {{{}, "100（100円未満）, 1（1円未満）, 0.01 などを書きます"}}});
        return {};
      }
      e.aux = exp;
      e.kids[1]->type = Type::of(Base::Integer);
      if (!t.is_error() && !t.is_numeric()) {
        sink_.report({Code::E0201, x.loc, {"money / decimal", type_name(t, p_)}, {}});
        return {};
      }
      if (t.literal) t.literal = false;
      return t;
    }
    default: return {};
  }
}

}  // namespace shiki::check
