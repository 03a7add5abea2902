// Expressions to bytecode.
#include "../check/checker.h"
#include "emitter.h"

namespace shiki::compile {

using ast::ExprKind;
using ast::RefKind;
using bytecode::Op;
using bytecode::Value;
using check::Aggregate;
using check::Builtin;

Value literal_value(const ast::Expr& e, bytecode::Program& out) {
  switch (e.kind) {
    case ExprKind::Number: case ExprKind::Percent: case ExprKind::Yen: case ExprKind::Negate: {
      auto v = check::Checker::number_value(e);
      // The checker refused a literal past 64 bits (E0209): this is a fixed value.
      auto f = v ? decimal::fixed::narrow(*v) : std::nullopt;
      return f ? Value::fixed(*f) : Value{};
    }
    case ExprKind::Date: return Value::date(time::parse_date(e.text)->days);
    case ExprKind::Month: return Value::month(time::parse_month(e.text)->index);
    case ExprKind::Bool: return Value::boolean(e.text == "true");
    case ExprKind::String:
      out.strings.push_back(std::make_unique<std::string>(e.text));
      return Value::string(out.strings.back().get());
    default: return Value{};
  }
}

void Emitter::emit(Op op, int a, int b, int c, int line) {
  chunk_.code.push_back({op, a, b, c});
  chunk_.lines.push_back(line ? line : line_);
}

void Emitter::patch(int at) {
  auto& in = chunk_.code[at];
  int off = here() - (at + 1);
  if (in.op == Op::JUMP_IF_IS) in.b = off;
  else if (in.op == Op::NEXT || in.op == Op::ALIKE_END) in.c = off;
  else in.a = off;
}

int Emitter::constant(const Value& v) {
  out_.constants.push_back(v);
  return static_cast<int>(out_.constants.size() - 1);
}

void Emitter::expr(const ast::Expr& e) {
  line_ = e.loc.line;
  switch (e.kind) {
    case ExprKind::Number: case ExprKind::Percent: case ExprKind::Yen: case ExprKind::Date:
    case ExprKind::Month: case ExprKind::String: case ExprKind::Bool: case ExprKind::None:
      emit(Op::CONST, constant(literal_value(e, out_)));
      return;
    case ExprKind::Name:
      switch (e.ref) {
        case RefKind::Local:
          emit(Op::LOCAL, e.id < static_cast<int>(let_slot_.size()) && let_slot_[e.id] >= 0 ? let_slot_[e.id] : e.id);
          return;
        case RefKind::Input: emit(Op::INPUT, e.entity, src_.inputs[e.id].slot); return;
        case RefKind::Rule: emit(Op::RULE, e.id); return;
        case RefKind::Param: emit(Op::PARAM, e.id); return;
        case RefKind::Builtin: emit(Op::BUILTIN, e.id, 0); return;
        case RefKind::MonthOfEntity: emit(Op::MONTH, e.entity); return;
        case RefKind::EnumCase: emit(Op::CONST, constant(Value::enumeration(e.id))); return;
        default: emit(Op::CONST, constant(Value{})); return;
      }
    case ExprKind::Call: call(e); return;
    case ExprKind::Negate: expr(*e.kids[0]); emit(Op::NEG); return;
    case ExprKind::Not: expr(*e.kids[0]); emit(Op::NOT); return;
    case ExprKind::Binary: binary(e); return;
    case ExprKind::If: {
      expr(*e.kids[0]);
      int to_else = here();
      emit(Op::JUMP_IF_NOT);
      expr(*e.kids[1]);
      int to_end = here();
      emit(Op::JUMP);
      patch(to_else);
      expr(*e.kids[2]);
      patch(to_end);
      return;
    }
    case ExprKind::Let: {
      expr(*e.kids[0]);
      int slot = alloc_local();
      if (static_cast<int>(let_slot_.size()) <= e.id) let_slot_.resize(e.id + 1, -1);
      int saved = let_slot_[e.id];
      let_slot_[e.id] = slot;
      emit(Op::SET_LOCAL, slot);
      expr(*e.kids[1]);
      let_slot_[e.id] = saved;
      return;
    }
    case ExprKind::Match: match(e); return;
  }
}

void Emitter::binary(const ast::Expr& e) {
  const std::string& op = e.text;
  if (op == "and" || op == "or") {
    expr(*e.kids[0]);
    int jump = here();
    emit(op == "and" ? Op::AND_JUMP : Op::OR_JUMP);
    expr(*e.kids[1]);
    patch(jump);
    return;
  }
  expr(*e.kids[0]);
  expr(*e.kids[1]);
  line_ = e.loc.line;
  static const std::pair<const char*, Op> kOps[] = {
      {"+", Op::ADD}, {"-", Op::SUB}, {"*", Op::MUL}, {"/", Op::DIV}, {"=", Op::EQ}, {"!=", Op::NE},
      {"<", Op::LT}, {"<=", Op::LE}, {">", Op::GT}, {">=", Op::GE}};
  for (auto [name, code] : kOps)
    if (op == name) emit(code);
}

void Emitter::match(const ast::Expr& e) {
  expr(*e.kids[0]);
  const auto& cases = src_.enums[e.kids[0]->type.enum_id].decl->cases;
  std::vector<int> to_arm(e.arm_names.size(), -1);
  int wildcard = -1;
  for (std::size_t i = 0; i < e.arm_names.size(); ++i) {
    if (e.arm_names[i] == "_") { wildcard = static_cast<int>(i); continue; }
    int c = static_cast<int>(std::find(cases.begin(), cases.end(), e.arm_names[i]) - cases.begin());
    to_arm[i] = here();
    emit(Op::JUMP_IF_IS, c);
  }
  emit(Op::POP);
  int to_wild = -1;
  if (wildcard >= 0) { to_wild = here(); emit(Op::JUMP); }
  else emit(Op::NO_ROW, -1);
  std::vector<int> to_end;
  for (std::size_t i = 0; i < e.arm_names.size(); ++i) {
    if (static_cast<int>(i) == wildcard) patch(to_wild);
    else patch(to_arm[i]);
    expr(*e.kids[i + 1]);
    to_end.push_back(here());
    emit(Op::JUMP);
  }
  for (int j : to_end) patch(j);
}

void Emitter::call(const ast::Expr& e) {
  if (e.ref == RefKind::Aggregate) return aggregate(e);
  if (e.ref == RefKind::Builtin) {
    auto b = static_cast<Builtin>(e.id);
    if (b >= Builtin::Truncate) {
      int mode = static_cast<int>(b) - static_cast<int>(Builtin::Truncate);
      const auto& x = *e.kids[0];
      if (x.kind == ExprKind::Binary && x.aux == 1) {
        expr(*x.kids[0]);
        expr(*x.kids[1]);
        line_ = e.loc.line;
        emit(Op::DIV_ROUND, mode, e.aux);
      } else {
        expr(x);
        line_ = e.loc.line;
        emit(Op::ROUND, mode, e.aux);
      }
      return;
    }
    for (const auto& k : e.kids) expr(*k);
    line_ = e.loc.line;
    emit(Op::BUILTIN, e.id, static_cast<int>(e.kids.size()));
    return;
  }
  if (e.ref == RefKind::TableAsOf) {
    const auto& call = *e.kids[1];
    for (const auto& k : call.kids) expr(*k);
    expr(*e.kids[0]);
    line_ = e.loc.line;
    emit(Op::TABLE_AT, e.id, static_cast<int>(call.kids.size()));
    return;
  }
  for (const auto& k : e.kids) {
    // 賦課対象(当月): the month handed to a member's rule. Under `alike when`
    // the member's rules are the same in every month, so the value does not
    // depend on which month it is (vm.cpp, FOR_ALIKE).
    if (e.ref == RefKind::Rule && k->kind == ExprKind::Name && k->ref == RefKind::MonthOfEntity &&
        !in_line_of(src_.rules[e.id].entity, k->entity)) {
      line_ = k->loc.line;
      emit(Op::MONTH, k->entity, 1);
      continue;
    }
    expr(*k);
  }
  line_ = e.loc.line;
  if (e.ref == RefKind::Table) emit(Op::TABLE, e.id, static_cast<int>(e.kids.size()));
  else emit(Op::CALL, e.id, static_cast<int>(e.kids.size()));
}

// Whether `entity` is `months` or one of its ancestors: a rule of such an
// entity, handed the month, may depend on which month it is.
bool Emitter::in_line_of(int entity, int months) const {
  for (int e = months; e >= 0; e = src_.entities[e].parent)
    if (e == entity) return true;
  return false;
}

void Emitter::aggregate(const ast::Expr& e) {
  auto kind = static_cast<Aggregate>(e.aux);
  int acc = alloc_local();
  int loop = alloc_local();
  alloc_local();  // the saved instance
  // Months that may be alike (`alike when`): the loop may run over the first
  // month only; two more locals: the mode and the saved dependence flag.
  const bool alike = !e.earlier && src_.entities[e.entity].decl->kind == ast::EntityKind::Months &&
                     src_.entities[e.entity].alike_rule >= 0;
  int start = -1;
  if (alike) {
    int mode = alloc_local();
    alloc_local();
    emit(Op::CONST, constant(Value::integer(0)));
    emit(Op::SET_LOCAL, mode);
    start = here();
  }
  Value init = kind == Aggregate::Sum || kind == Aggregate::Count ? Value::integer(0)
             : kind == Aggregate::Any ? Value::boolean(false)
             : kind == Aggregate::All ? Value::boolean(true) : Value{};
  if (kind == Aggregate::Sum && e.type.base == ast::Base::Money) init = Value::integer(0);
  emit(Op::CONST, constant(init));
  emit(Op::SET_LOCAL, acc);
  const bool scaled = kind == Aggregate::Sum || kind == Aggregate::Count;
  if (alike) emit(Op::FOR_ALIKE, e.entity, loop, scaled ? 1 : 0);
  else emit(e.earlier ? Op::FOR_EARLIER : Op::FOR, e.entity, loop);
  int to_end = here();
  emit(Op::JUMP_IF_NOT);
  int body = here();
  std::vector<int> to_next;
  auto skip_unless = [&](const ast::Expr& cond, bool negate) {
    expr(cond);
    if (negate) emit(Op::NOT);
    to_next.push_back(here());
    emit(Op::JUMP_IF_NOT);
  };
  if (e.filter) skip_unless(*e.filter, false);
  const ast::Expr* value = e.kids.size() > 1 ? e.kids[1].get() : nullptr;
  switch (kind) {
    case Aggregate::Sum:
      emit(Op::LOCAL, acc);
      expr(*value);
      emit(Op::ADD);
      emit(Op::SET_LOCAL, acc);
      break;
    case Aggregate::Count:
      emit(Op::LOCAL, acc);
      emit(Op::CONST, constant(Value::integer(1)));
      emit(Op::ADD);
      emit(Op::SET_LOCAL, acc);
      break;
    case Aggregate::Any:
      if (value) skip_unless(*value, false);
      emit(Op::CONST, constant(Value::boolean(true)));
      emit(Op::SET_LOCAL, acc);
      break;
    case Aggregate::All:
      if (value) skip_unless(*value, true);
      else if (e.filter) {  // all(E where c): every instance satisfies c
        chunk_.code.pop_back(); chunk_.lines.pop_back();
        to_next.pop_back();
        emit(Op::NOT);
        to_next.push_back(here());
        emit(Op::JUMP_IF_NOT);
      }
      emit(Op::CONST, constant(Value::boolean(false)));
      emit(Op::SET_LOCAL, acc);
      break;
    case Aggregate::Max: case Aggregate::Min:
      expr(*value);
      emit(kind == Aggregate::Max ? Op::ACC_MAX : Op::ACC_MIN, acc);
      break;
  }
  for (int j : to_next) patch(j);
  int next = here();
  emit(Op::NEXT, e.entity, loop, body - (next + 1));
  patch(to_end);
  if (alike) emit(Op::ALIKE_END, e.entity, loop, start - (here() + 1));
  emit(Op::LOCAL, acc);
  if (kind == Aggregate::Max || kind == Aggregate::Min) emit(Op::NONEMPTY);
}

void Emitter::exceptions(const resolve::RuleInfo& rule) {
  const auto& d = *rule.decl;
  int mask = alloc_local();
  emit(Op::CONST, constant(Value::integer(0)));
  emit(Op::SET_LOCAL, mask);
  for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
    expr(*d.exceptions[i].cond);
    emit(Op::EXC_SET, mask, static_cast<int>(i));
  }
  bytecode::ExceptionTable table{rule.display, {}, {}, rule.beats};
  for (const auto& x : d.exceptions) {
    table.labels.push_back(x.label);
    table.sources.push_back(x.source.text);
  }
  out_.exceptions.push_back(std::move(table));
  line_ = d.loc.line;
  emit(Op::EXC_PICK, mask, static_cast<int>(out_.exceptions.size() - 1));
  std::vector<int> to_case;
  for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
    to_case.push_back(here());
    emit(Op::JUMP_IF_IS, static_cast<int>(i));
  }
  emit(Op::POP);
  expr(*d.body);
  std::vector<int> to_end{here()};
  emit(Op::JUMP);
  for (std::size_t i = 0; i < d.exceptions.size(); ++i) {
    patch(to_case[i]);
    expr(*d.exceptions[i].value);
    to_end.push_back(here());
    emit(Op::JUMP);
  }
  for (int j : to_end) patch(j);
}

}  // namespace shiki::compile
