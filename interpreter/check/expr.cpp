// Type and unit checking of expressions; resolution of the names in them.
#include <map>

#include "checker.h"
#include "../decimal/fixed.h"

namespace shiki::check {

using ast::Base;
using ast::Expr;
using ast::ExprKind;
using ast::RefKind;
using ast::Type;
using diag::Code;

namespace {
const std::map<std::string, Builtin> kValues = {
    {"fiscal_year", Builtin::FiscalYear},
    {"fiscal_year_start", Builtin::FiscalYearStart},
    {"fiscal_year_end", Builtin::FiscalYearEnd}};
const std::map<std::string, Builtin> kFunctions = {
    {"age", Builtin::Age}, {"attains", Builtin::Attains}, {"month_of", Builtin::MonthOf},
    {"first_day", Builtin::FirstDay}, {"last_day", Builtin::LastDay}, {"month", Builtin::MakeMonth},
    {"date", Builtin::MakeDate}, {"year", Builtin::Year}, {"month_number", Builtin::MonthNumber},
    {"months_between", Builtin::MonthsBetween}, {"min", Builtin::Min}, {"max", Builtin::Max},
    {"abs", Builtin::Abs}, {"present", Builtin::Present}, {"next_business_day", Builtin::NextBusinessDay},
    {"period_end", Builtin::PeriodEnd}, {"starts_with", Builtin::StartsWith},
    {"truncate", Builtin::Truncate}, {"round_up", Builtin::RoundUp},
    {"round_half_up", Builtin::RoundHalfUp}, {"round_half_even", Builtin::RoundHalfEven}};
const std::map<std::string, Aggregate> kAggregates = {
    {"sum", Aggregate::Sum}, {"count", Aggregate::Count}, {"any", Aggregate::Any},
    {"all", Aggregate::All}, {"max", Aggregate::Max}, {"min", Aggregate::Min}};

Type num_join(const Type& a, const Type& b) {
  Type t = Type::of(a.base == Base::Integer && b.base == Base::Integer ? Base::Integer
                    : (a.base == Base::Rate || b.base == Base::Rate) ? Base::Rate : Base::Decimal);
  if (a.base == Base::Decimal || b.base == Base::Decimal) t.base = Base::Decimal;
  if (a.base == Base::Integer && b.base == Base::Integer) t.base = Base::Integer;
  t.literal = a.literal && b.literal;
  return t;
}
}  // namespace

const char* type_name(const Type& t, const resolve::Program& p) {
  switch (t.base) {
    case Base::Integer: return "integer";
    case Base::Decimal: return "decimal";
    case Base::Rate: return "rate";
    case Base::Money: return "money";
    case Base::Boolean: return "boolean";
    case Base::Date: return "date";
    case Base::Month: return "month";
    case Base::Text: return "text";
    case Base::None: return "none";
    case Base::Enum: return t.enum_id >= 0 ? p.enums[t.enum_id].decl->name.c_str() : "enum";
    case Base::Error: return "?";
  }
  return "?";
}

std::optional<decimal::Decimal> Checker::number_value(const Expr& e) {
  if (e.kind == ExprKind::Negate && !e.kids.empty()) {
    auto v = number_value(*e.kids[0]);
    if (v) return -*v;
    return v;
  }
  std::string t = e.text;
  if (e.kind == ExprKind::Percent || e.kind == ExprKind::Yen) {
    t = e.kind == ExprKind::Percent ? t.substr(0, t.size() - 1) : t.substr(0, t.size() - 3);  // 円 is 3 bytes
  } else if (e.kind != ExprKind::Number) {
    return std::nullopt;
  }
  try {
    auto v = decimal::Decimal::parse(t);
    if (v && e.kind == ExprKind::Percent) v = decimal::Decimal::divide_exact(*v, decimal::Decimal::from_int(100));
    // The VM holds a number in a 64-bit coefficient (bytecode/value.h): a
    // literal that needs more is refused here rather than at run time.
    if (v && !decimal::fixed::narrow(*v)) return std::nullopt;
    return v;
  } catch (const decimal::OverflowError&) {
    return std::nullopt;
  }
}

bool Checker::assignable(const Type& want, const Type& got) const {
  if (want.is_error() || got.is_error() || got.base == Base::None) return true;
  if (want.same(got)) return true;
  if (want.is_number() && got.is_number()) return want.base != Base::Integer || got.base == Base::Integer;
  if (want.base == Base::Money && got.is_number() && got.literal) return true;
  return false;
}

void Checker::expect(const Type& want, Expr& e, Scope& s) {
  Type got = expr(e, s);
  if (bare_rate(want, e)) return;
  if (!assignable(want, got))
    sink_.report({Code::E0201, e.loc, {type_name(want, p_), type_name(got, p_)}, {}});
}

std::vector<int> Checker::visible_chain(const Scope& s) const {
  std::vector<int> out;
  auto add_chain = [&](int e) {
    for (; e >= 0; e = p_.entities[e].parent)
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  for (auto it = s.aggregated.rbegin(); it != s.aggregated.rend(); ++it) add_chain(*it);
  add_chain(s.entity);
  return out;
}

bool Checker::visible(int entity, const Scope& s) const {
  auto chain = visible_chain(s);
  return std::find(chain.begin(), chain.end(), entity) != chain.end();
}

Type Checker::expr(Expr& e, Scope& s, bool under_rounding) {
  Type t;
  switch (e.kind) {
    case ExprKind::Number: case ExprKind::Percent: case ExprKind::Yen: case ExprKind::Date:
    case ExprKind::Month: case ExprKind::String: case ExprKind::Bool: case ExprKind::None:
      t = literal(e, s);
      break;
    case ExprKind::Name: t = name(e, s); break;
    case ExprKind::Call: t = call(e, s); break;
    case ExprKind::Negate: {
      t = expr(*e.kids[0], s);
      if (!t.is_error() && !t.is_numeric()) {
        sink_.report({Code::E0201, e.kids[0]->loc, {"money / decimal", type_name(t, p_)}, {}});
        t = {};
      }
      break;
    }
    case ExprKind::Not: expect(Type::of(Base::Boolean), *e.kids[0], s); t = Type::of(Base::Boolean); break;
    case ExprKind::Binary: t = binary(e, s, under_rounding); break;
    case ExprKind::If: {
      expect(Type::of(Base::Boolean), *e.kids[0], s);
      Type a = expr(*e.kids[1], s), b = expr(*e.kids[2], s);
      if (assignable(a, b)) t = a.literal && !b.literal ? b : a;
      else if (assignable(b, a)) t = b;
      else {
        sink_.report({Code::E0201, e.kids[2]->loc, {type_name(a, p_), type_name(b, p_)}, {}});
        t = {};
      }
      if (a.is_number() && b.is_number()) t = num_join(a, b);
      break;
    }
    case ExprKind::Let: {
      if (s.constant) { sink_.report({Code::E0208, e.loc, {}, {}}); return e.type = {}; }
      Type v = expr(*e.kids[0], s);
      e.id = s.next_local++;
      s.max_locals = std::max(s.max_locals, s.next_local);
      s.locals.push_back({e.text, v, e.id});
      t = expr(*e.kids[1], s);
      s.locals.pop_back();
      --s.next_local;
      break;
    }
    case ExprKind::Match: t = match(e, s); break;
  }
  e.type = t;
  return t;
}

Type Checker::literal(Expr& e, Scope&) {
  switch (e.kind) {
    case ExprKind::Number: case ExprKind::Percent: case ExprKind::Yen: {
      auto v = number_value(e);
      if (!v) {
        sink_.report({Code::E0209, e.loc, {e.text}, {}});
        return {};
      }
      if (e.kind == ExprKind::Percent) return Type::of(Base::Rate);
      if (e.kind == ExprKind::Yen) return Type::of(Base::Money);
      return {v->is_integer() ? Base::Integer : Base::Decimal, -1, true};
    }
    case ExprKind::Date:
      if (!time::parse_date(e.text)) { sink_.report({Code::E0209, e.loc, {e.text}, {}}); return {}; }
      return Type::of(Base::Date);
    case ExprKind::Month:
      if (!time::parse_month(e.text)) { sink_.report({Code::E0209, e.loc, {e.text}, {}}); return {}; }
      return Type::of(Base::Month);
    case ExprKind::String: return Type::of(Base::Text);
    case ExprKind::Bool: return Type::of(Base::Boolean);
    default: return Type::of(Base::None);
  }
}

void Checker::unknown(Expr& e, const Scope& s) {
  std::vector<std::string> names;
  for (const auto& l : s.locals) names.push_back(l.name);
  for (int ent : visible_chain(s)) {
    for (int i : p_.entities[ent].inputs) names.push_back(p_.inputs[i].decl->name);
    for (const auto& [key, id] : p_.rule_by_name)
      if (key.first == ent) names.push_back(key.second);
  }
  for (const auto& [n, _] : p_.param_by_name) names.push_back(n);
  for (const auto& [n, _] : p_.table_by_name) names.push_back(n);
  for (const auto& [n, _] : kValues) names.push_back(n);
  for (const auto& [n, _] : kFunctions) names.push_back(n);
  diag::Diagnostic d{Code::E0101, e.loc, {e.text}, {}};
  if (auto best = diag::did_you_mean(e.text, names); !best.empty())
    d.notes.push_back({{}, "もしかして「" + best + "」"});
  else
    d.notes.push_back({{}, "規則・入力・パラメータの名前を確かめます。別の実体の規則は集計（sum など）の中で使えます"});
  sink_.report(d);
}

Type Checker::name(Expr& e, Scope& s) {
  for (auto it = s.locals.rbegin(); it != s.locals.rend(); ++it)
    if (it->name == e.text) {
      e.ref = RefKind::Local;
      e.id = it->index;
      return it->type;
    }
  auto chain = visible_chain(s);
  auto try_entity = [&](int ent, const std::string& n) -> std::optional<Type> {
    if (auto it = p_.input_by_name.find({ent, n}); it != p_.input_by_name.end()) {
      if (s.constant) return std::nullopt;
      e.ref = RefKind::Input;
      e.id = it->second;
      e.entity = ent;
      return p_.inputs[it->second].type;
    }
    if (auto it = p_.rule_by_name.find({ent, n}); it != p_.rule_by_name.end()) {
      const auto& r = p_.rules[it->second];
      if (s.constant || !r.params.empty()) return std::nullopt;
      e.ref = RefKind::Rule;
      e.id = it->second;
      e.entity = ent;
      if (s.uses) s.uses->push_back(it->second);
      return r.type;
    }
    if (p_.entities[ent].is_months && p_.entities[ent].decl->month_name == n) {
      e.ref = RefKind::MonthOfEntity;
      e.entity = ent;
      return Type::of(Base::Month);
    }
    return std::nullopt;
  };
  if (auto dot = e.text.find('.'); dot != std::string::npos) {
    auto it = p_.entity_by_name.find(e.text.substr(0, dot));
    if (it != p_.entity_by_name.end()) {
      if (std::find(chain.begin(), chain.end(), it->second) == chain.end()) {
        sink_.report({Code::E0109, e.loc, {e.text}, {{{}, "他の実体の値は sum(被保険者 where …, …) のように集計して使います"}}});
        return {};
      }
      if (auto t = try_entity(it->second, e.text.substr(dot + 1))) return *t;
    }
  }
  for (int ent : chain)
    if (auto t = try_entity(ent, e.text)) return *t;
  if (auto it = p_.param_by_name.find(e.text); it != p_.param_by_name.end()) {
    e.ref = RefKind::Param;
    e.id = it->second;
    return p_.params[it->second].type;
  }
  if (auto it = kValues.find(e.text); it != kValues.end() && !s.constant) {
    e.ref = RefKind::Builtin;
    e.id = static_cast<int>(it->second);
    return Type::of(it->second == Builtin::FiscalYear ? Base::Integer : Base::Date);
  }
  for (std::size_t i = 0; i < p_.enums.size(); ++i) {
    const auto& cases = p_.enums[i].decl->cases;
    if (auto it = std::find(cases.begin(), cases.end(), e.text); it != cases.end()) {
      e.ref = RefKind::EnumCase;
      e.id = static_cast<int>(it - cases.begin());
      return {Base::Enum, static_cast<int>(i), false};
    }
  }
  // A name of another entity's rule or input gets its own advice.
  for (const auto& [key, id] : p_.rule_by_name)
    if (key.second == e.text && !s.constant) {
      sink_.report({Code::E0109, e.loc, {e.text}, {{{}, "「" + p_.rules[id].display + "」は別の実体の規則です。sum や any で集計して使います"}}});
      return {};
    }
  for (const auto& [key, id] : p_.input_by_name)
    if (key.second == e.text && !s.constant) {
      sink_.report({Code::E0109, e.loc, {e.text}, {{{}, "「" + p_.inputs[id].display + "」は別の実体の入力です。sum や any で集計して使います"}}});
      return {};
    }
  if (s.constant) {
    sink_.report({Code::E0208, e.loc, {}, {}});
    return {};
  }
  unknown(e, s);
  return {};
}

Type Checker::unit_error(Expr& e, const Type& a, const Type& b) {
  diag::Diagnostic d{Code::E0203, e.loc, {type_name(a, p_), e.text, type_name(b, p_)}, {}};
  if (a.base == Base::Money && b.base == Base::Money && e.text == "*")
    d.notes.push_back({{}, "率を掛けるなら rate 型の値を使います（例: 医療分.所得割率）"});
  else if (a.base == Base::Money || b.base == Base::Money)
    d.notes.push_back({{}, "金額には金額を足します。数を金額にするには 1円 を掛けます"});
  sink_.report(d);
  return {};
}

Type Checker::binary(Expr& e, Scope& s, bool under_rounding) {
  const std::string& op = e.text;
  if (op == "and" || op == "or") {
    expect(Type::of(Base::Boolean), *e.kids[0], s);
    expect(Type::of(Base::Boolean), *e.kids[1], s);
    return Type::of(Base::Boolean);
  }
  Type a = expr(*e.kids[0], s), b = expr(*e.kids[1], s);
  if (a.is_error() || b.is_error()) return {};
  // 所得割率 <= 7.62 or 軽減割合 + 0.5: the bare number meets a rate.
  if (op != "*" && op != "/" && (bare_rate(a, *e.kids[1]) || bare_rate(b, *e.kids[0]))) return {};
  bool am = a.base == Base::Money, bm = b.base == Base::Money;
  if (op == "<" || op == "<=" || op == ">" || op == ">=" || op == "=" || op == "!=") {
    bool ok = a.same(b) || (a.is_number() && b.is_number()) || (am && b.literal) || (bm && a.literal);
    if (ok && (a.base == Base::Boolean || a.base == Base::Enum || a.base == Base::Text) && op != "=" && op != "!=")
      ok = false;
    if (!ok) return unit_error(e, a, b);
    return Type::of(Base::Boolean);
  }
  if (op == "+" || op == "-") {
    if (am && bm) return Type::of(Base::Money);
    if ((am && b.literal) || (bm && a.literal)) return Type::of(Base::Money);
    if ((a.base == Base::Date || a.base == Base::Month) && b.base == Base::Integer) return a;
    if (a.base == Base::Date && b.base == Base::Date && op == "-") return Type::of(Base::Integer);
    if (a.is_number() && b.is_number()) return num_join(a, b);
    return unit_error(e, a, b);
  }
  if (op == "*") {
    if (am && bm) return unit_error(e, a, b);
    if ((am && b.is_number()) || (bm && a.is_number())) return Type::of(Base::Money);
    if (a.is_number() && b.is_number()) return num_join(a, b);
    return unit_error(e, a, b);
  }
  // Division: exact only when the divisor is a literal with a finite
  // reciprocal; otherwise the rounding must be written around it.
  if (!under_rounding) {
    auto v = number_value(*e.kids[1]);
    bool terminates = v && !v->is_zero() && decimal::Decimal::divide_exact(decimal::Decimal::from_int(1), *v);
    if (!terminates) {
      sink_.report({Code::E0206, e.loc, {},
                    {{{}, "truncate(" + std::string("…") + " / …, 1) のように、丸めの中で割ります"}}});
      return {};
    }
  }
  if (am && bm) return Type::of(Base::Decimal);
  if (am && b.is_number()) return Type::of(Base::Money);
  if (a.is_number() && b.is_number()) {
    Type t = num_join(a, b);
    if (t.base == Base::Integer) t.base = Base::Decimal;
    return t;
  }
  return unit_error(e, a, b);
}

Type Checker::match(Expr& e, Scope& s) {
  Type subject = expr(*e.kids[0], s);
  if (subject.is_error()) return {};
  if (subject.base != Base::Enum) {
    sink_.report({Code::E0201, e.kids[0]->loc, {"enum", type_name(subject, p_)}, {}});
    return {};
  }
  const auto& cases = p_.enums[subject.enum_id].decl->cases;
  std::vector<bool> covered(cases.size());
  bool wildcard = false, rejected_arm = false;
  Type result;
  bool first = true;
  for (std::size_t i = 0; i < e.arm_names.size(); ++i) {
    const auto& n = e.arm_names[i];
    if (n == "_") wildcard = true;
    else if (auto it = std::find(cases.begin(), cases.end(), n); it != cases.end()) covered[it - cases.begin()] = true;
    else {
      sink_.report({Code::E0205, e.arm_locs[i], {n, p_.enums[subject.enum_id].decl->name}, {}});
      rejected_arm = true;  // the missing case is most likely this arm misspelt: one diagnostic
    }
    Type t = expr(*e.kids[i + 1], s);
    if (first) result = t, first = false;
    else if (assignable(result, t)) { if (result.literal && !t.literal) result = t; }
    else if (assignable(t, result)) result = t;
    else sink_.report({Code::E0201, e.kids[i + 1]->loc, {type_name(result, p_), type_name(t, p_)}, {}});
  }
  if (!wildcard && !rejected_arm)
    for (std::size_t c = 0; c < cases.size(); ++c)
      if (!covered[c]) {
        sink_.report({Code::E0204, e.loc, {cases[c]}, {{{}, "「" + cases[c] + " => …」を書くか、_ => … で残りをまとめます"}}});
        break;
      }
  return result;
}

Type Checker::call(Expr& e, Scope& s) {
  if (s.constant) {
    sink_.report({Code::E0208, e.loc, {}, {}});
    return {};
  }
  if (auto ag = kAggregates.find(e.text); ag != kAggregates.end() && !e.kids.empty() &&
      e.kids[0]->kind == ExprKind::Name) {
    if (auto ent = p_.entity_by_name.find(e.kids[0]->text); ent != p_.entity_by_name.end())
      return aggregate(e, s, ag->second, ent->second);
  }
  if (e.filter) {
    sink_.report({Code::E0106, e.kids[0]->loc, {e.kids[0]->text}, {{{}, "where は実体の集計（sum(被保険者 where …, …)）に書きます"}}});
    return {};
  }
  if (e.text == "as_of") return table_as_of(e, s);
  if (auto b = kFunctions.find(e.text); b != kFunctions.end()) return builtin(e, s, b->second);
  auto args = [&](const std::vector<Type>& want, const std::string& shown) {
    if (want.size() != e.kids.size()) {
      sink_.report({Code::E0108, e.loc, {shown, std::to_string(want.size())}, {}});
      return false;
    }
    for (std::size_t i = 0; i < want.size(); ++i) expect(want[i], *e.kids[i], s);
    return true;
  };
  if (auto t = p_.table_by_name.find(e.text); t != p_.table_by_name.end()) {
    e.ref = RefKind::Table;
    e.id = t->second;
    if (!args(p_.tables[t->second].params, e.text)) return {};
    return p_.tables[t->second].type;
  }
  for (int ent : visible_chain(s)) {
    std::string n = e.text;
    if (auto dot = n.find('.'); dot != std::string::npos && n.substr(0, dot) == p_.entities[ent].decl->name)
      n = n.substr(dot + 1);
    if (auto r = p_.rule_by_name.find({ent, n}); r != p_.rule_by_name.end() && !p_.rules[r->second].params.empty()) {
      e.ref = RefKind::Rule;
      e.id = r->second;
      e.entity = ent;
      if (s.uses) s.uses->push_back(r->second);
      if (!args(p_.rules[r->second].params, e.text)) return {};
      return p_.rules[r->second].type;
    }
  }
  unknown(e, s);
  return {};
}

// as_of(d, T(args)): a table of another year's rules (the income of an
// earlier year, judged by the deductions of that year), not the fiscal year's.
Type Checker::table_as_of(Expr& e, Scope& s) {
  const Expr* call = e.kids.size() == 2 ? e.kids[1].get() : nullptr;
  if (!call || call->kind != ExprKind::Call || !p_.table_by_name.count(call->text)) {
    sink_.report({Code::E0801, e.loc, {}, {{{}, "as_of(date(年分 + 1, 4, 1), 給与所得表(給与収入)) のように書きます"}}});
    return {};
  }
  expect(Type::of(Base::Date), *e.kids[0], s);
  Type t = expr(*e.kids[1], s);
  e.ref = RefKind::TableAsOf;
  e.id = e.kids[1]->id;
  return t;
}

Type Checker::aggregate(Expr& e, Scope& s, Aggregate a, int entity) {
  e.ref = RefKind::Aggregate;
  e.entity = entity;
  e.aux = static_cast<int>(a);
  auto chain = visible_chain(s);
  const auto& ent = p_.entities[entity];
  bool in_chain = std::find(chain.begin(), chain.end(), entity) != chain.end();
  // `earlier E` is the one aggregation over an entity whose instance is
  // current: the instances before it (in record or key order).
  if (e.earlier && !in_chain) {
    sink_.report({Code::E0804, e.kids[0]->loc, {ent.decl->name}, {}});
    return {};
  }
  if (in_chain && !e.earlier) {
    sink_.report({Code::E0402, e.kids[0]->loc, {ent.decl->name}, {}});
    return {};
  }
  if (ent.parent < 0 || std::find(chain.begin(), chain.end(), ent.parent) == chain.end()) {
    sink_.report({Code::E0109, e.kids[0]->loc, {ent.decl->name}, {}});
    return {};
  }
  bool needs_value = a == Aggregate::Sum || a == Aggregate::Max || a == Aggregate::Min;
  std::size_t want = needs_value ? 2 : (a == Aggregate::Count ? 1 : 0);
  if ((want && e.kids.size() != want) || (!want && (e.kids.size() < 1 || e.kids.size() > 2))) {
    sink_.report({Code::E0108, e.loc, {e.text, std::to_string(needs_value ? 2 : 1)}, {}});
    return {};
  }
  s.aggregated.push_back(entity);
  // What an earlier instance computes is no dependency of the current one's
  // value on itself: the recursion ends at the first instance.
  std::vector<int>* uses = s.uses;
  if (e.earlier) s.uses = nullptr;
  if (e.filter) expect(Type::of(Base::Boolean), *e.filter, s);
  Type value;
  if (e.kids.size() > 1) value = expr(*e.kids[1], s);
  s.uses = uses;
  s.aggregated.pop_back();
  switch (a) {
    case Aggregate::Count: return Type::of(Base::Integer);
    case Aggregate::Any: case Aggregate::All:
      if (e.kids.size() > 1 && !assignable(Type::of(Base::Boolean), value))
        sink_.report({Code::E0201, e.kids[1]->loc, {"boolean", type_name(value, p_)}, {}});
      return Type::of(Base::Boolean);
    default:
      if (!value.is_error() && !value.is_numeric() && a == Aggregate::Sum) {
        sink_.report({Code::E0201, e.kids[1]->loc, {"money / decimal", type_name(value, p_)}, {}});
        return {};
      }
      if (value.literal && value.is_number()) value.literal = false;
      return value;
  }
}

}  // namespace shiki::check
