// The dispatch loop. Each case is short; the arithmetic lives in values.cpp
// and the built-in functions in builtins.cpp.
#include "vm.h"

#include <bit>

#include "values.h"

namespace shiki::vm {

using bytecode::Op;
using bytecode::Tag;
using bytecode::Value;
using decimal::Rounding;

VM::VM(const specialise::Program& program) : prog_(program), base_(*program.base) {
  // A fixed stack: pushing is a store and popping a decrement, with no
  // capacity checks or constructor calls on the hot path.
  stack_.resize(1 << 14);
  cur_.assign(base_.entities.size(), 0);
  memo_base_.assign(base_.entities.size(), 0);
  month_memo_base_.assign(base_.entities.size(), 0);
  first_month_ = time::make_month(program.fiscal_year, 4)->index;
  for (const auto& e : base_.entities) months_entity_.push_back(e.is_months);
  for (int e : base_.rule_entity) month_rule_.push_back(months_entity_[e]);
  for (std::size_t r = 0; r < base_.rule_entity.size(); ++r) {
    int e = base_.rule_entity[r];
    rule_slot_.push_back({e, base_.rule_slot[r], base_.entities[e].nrules});
  }
}

VM::~VM() {
  if (bytecode::WideArena::current == &wide_) bytecode::WideArena::current = nullptr;
}

void VM::start(const Household& h, bool trace) {
  hh_ = &h;
  wide_.values.clear();
  std::size_t total = 0;
  for (std::size_t e = 0; e < base_.entities.size(); ++e) {
    memo_base_[e] = total;
    total += static_cast<std::size_t>(h.count[e]) * base_.entities[e].nrules;
    cur_[e] = 0;
  }
  memo_.resize(total);
  done_.assign(total, 0);
  std::size_t months = 0;
  for (std::size_t e = 0; e < base_.entities.size(); ++e) {
    month_memo_base_[e] = months;
    months += static_cast<std::size_t>(h.count[e]) * base_.entities[e].nmonth_rules * 12;
  }
  month_memo_.resize(months);
  month_done_.assign(months, 0);
  tracing_ = trace;
  trace_.clear();
  trace_stack_.clear();
  if (trace) trace_of_memo_.assign(total, -1);
  sp_ = 0;
  chunk_stack_.clear();
  month_dep_ = alike_busy_ = false;
}

void VM::set_instance(int entity, int instance) { cur_[entity] = instance; }

int VM::trace_node(int rule, int instance) const {
  int e = base_.rule_entity[rule];
  if (base_.rule_slot[rule] < 0 || instance >= hh_->count[e]) return -1;
  std::size_t idx = memo_base_[e] + static_cast<std::size_t>(instance) * base_.entities[e].nrules + base_.rule_slot[rule];
  return idx < trace_of_memo_.size() ? trace_of_memo_[idx] : -1;
}

void VM::fail(const std::string& message) const {
  std::string where = chunk_stack_.empty() ? "" : prog_.chunks[chunk_stack_.back()].name;
  throw EvalError(message, where);
}

Value VM::run(int chunk) {
  bytecode::WideArena::current = &wide_;
  try {
    return call(chunk, 0);
  } catch (const decimal::OverflowError&) {
    fail("桁あふれ（値が大きすぎます）");
  } catch (const decimal::DivisionByZero&) {
    fail("0 で割りました");
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
}

Value VM::rule(int r) {
  int e = base_.rule_entity[r];
  int inst = cur_[e];
  std::size_t idx = memo_base_[e] + static_cast<std::size_t>(inst) * base_.entities[e].nrules + base_.rule_slot[r];
  if (tracing_ && !trace_stack_.empty()) trace_[trace_stack_.back()].rules_used.push_back({r, inst});
  if (std::uint8_t d = done_[idx]) {
    month_dep_ |= d >> 1;
    return memo_[idx];
  }
  const bool outer = month_dep_;
  month_dep_ = false;
  if (tracing_) {
    trace_.push_back({r, inst, {}, {}, {}, {}, {}, {}, {}});
    trace_stack_.push_back(static_cast<int>(trace_.size() - 1));
    trace_of_memo_[idx] = trace_stack_.back();
  }
  Value v = call(base_.rule_chunk[r], 0);
  if (tracing_) {
    trace_[trace_stack_.back()].value = v;
    trace_stack_.pop_back();
  }
  memo_[idx] = v;
  // A months rule keeps whether it depends on which month it is; a rule of
  // any other entity does not depend on the current month at all.
  if (month_rule_[r]) {
    done_[idx] = 1 + month_dep_;
    month_dep_ |= outer;
  } else {
    done_[idx] = 1;
    month_dep_ = outer;
  }
  return v;
}

// The parent's `alike when` rule, for the current parent instance. Not
// while that rule is itself being evaluated: it must not lean on itself.
bool VM::months_alike(int e) {
  if (every_month_ || alike_busy_) return false;
  alike_busy_ = true;
  Value v = rule(base_.entities[e].alike_rule);
  alike_busy_ = false;
  return v.tag == Tag::Bool && v.i;
}

// A rule with arguments, recorded as its own trace node under the caller.
Value VM::traced_call(int r, int nargs) {
  std::string args;
  for (int i = nargs; i > 0; --i) args += (args.empty() ? "" : ", ") + describe(stack_[sp_ - i]);
  trace_.push_back({r, cur_[base_.rule_entity[r]], {}, {}, {}, {}, args, {}, {}});
  int id = static_cast<int>(trace_.size() - 1);
  if (!trace_stack_.empty()) trace_[trace_stack_.back()].calls.push_back(id);
  trace_stack_.push_back(id);
  Value v = call(base_.rule_chunk[r], nargs);
  trace_[id].value = v;
  trace_stack_.pop_back();
  return v;
}

// A rule of one month argument, memoised per (instance, month of the year);
// a month outside the fiscal year is computed each time.
Value VM::month_call(int r) {
  const Value& arg = stack_[sp_ - 1];
  int k = arg.tag == Tag::Month ? arg.i - first_month_ : -1;
  if (k < 0 || k >= 12) return call(base_.rule_chunk[r], 1);
  int e = base_.rule_entity[r];
  std::size_t idx = month_memo_base_[e] +
                    (static_cast<std::size_t>(cur_[e]) * base_.entities[e].nmonth_rules + base_.rule_month_slot[r]) * 12 + k;
  if (month_done_[idx]) {
    --sp_;
    return month_memo_[idx];
  }
  Value v = call(base_.rule_chunk[r], 1);
  month_memo_[idx] = v;
  month_done_[idx] = 1;
  return v;
}

// as_of(d, T(…)): the chunk of table t's version in force on date d.
int VM::table_version_at(int t, const Value& d) const {
  if (d.tag != Tag::Date) fail("as_of の日付がありません");
  int chunk = -1;
  for (const auto& [from, c] : base_.tables[t].versions)
    if (!from || from->days <= d.i) chunk = c;
  if (chunk < 0)
    fail("表「" + base_.tables[t].name + "」には " + time::to_string(time::Date{d.i}) + " に効力のある行がありません");
  return chunk;
}

Value VM::call(int chunk_id, int nargs) {
  const bytecode::Chunk& chunk = prog_.chunks[chunk_id];
  if (sp_ + chunk.nlocals + 256 > stack_.size()) fail("規則の入れ子が深すぎます");
  chunk_stack_.push_back(chunk_id);
  const std::size_t base = sp_ - nargs;
  sp_ = base + chunk.nlocals;
  const bytecode::Instr* code = chunk.code.data();
  std::size_t pc = 0;
  Value* const st = stack_.data();
  auto pop = [&]() -> Value& { return st[--sp_]; };
  auto top = [&]() -> Value& { return st[sp_ - 1]; };
  auto push = [&](const Value& v) { st[sp_++] = v; };
  auto local = [&](int l) -> Value& { return st[base + l]; };
  auto truth = [&](const Value& v) {
    if (v.tag != Tag::Bool) fail("値がありません（真偽値が必要です）");
    return v.i != 0;
  };
  for (;;) {
    const bytecode::Instr& in = code[pc++];
    switch (in.op) {
      case Op::CONST: push(prog_.constants[in.a]); break;
      case Op::PARAM:
        fail("パラメータ「" + base_.params[in.a].name + "」には " + std::to_string(prog_.fiscal_year) + " 年度の値がありません");
      case Op::INPUT: {
        const auto& e = base_.entities[in.a];
        push(hh_->inputs[in.a][static_cast<std::size_t>(cur_[in.a]) * e.ninputs + in.b]);
        if (tracing_ && !trace_stack_.empty())
          trace_[trace_stack_.back()].inputs_used.push_back({base_.entity_inputs[in.a][in.b], cur_[in.a]});
        break;
      }
      case Op::RULE: {
        // Most reads find the value memoised: that path inline, without a call.
        if (!tracing_) {
          const RuleSlot& rs = rule_slot_[in.a];
          std::size_t idx = memo_base_[rs.entity] + static_cast<std::size_t>(cur_[rs.entity]) * rs.stride + rs.slot;
          if (std::uint8_t d = done_[idx]) {
            month_dep_ |= d >> 1;
            push(memo_[idx]);
            break;
          }
        }
        Value v = rule(in.a);
        push(v);
        break;
      }
      case Op::CALL: {
        if (tracing_) {
          Value v = traced_call(in.a, in.b);
          push(v);
          break;
        }
        if (in.b == 1 && base_.rule_month_slot[in.a] >= 0) {
          Value v = month_call(in.a);
          push(v);
          break;
        }
        Value v = call(base_.rule_chunk[in.a], in.b);
        if (month_rule_[in.a]) month_dep_ = true;
        push(v);
        break;
      }
      case Op::TABLE:
        fail("表「" + base_.tables[in.a].name + "」には " + std::to_string(prog_.fiscal_year) + " 年度の行がありません");
      case Op::TABLE_AT: { Value v = call(table_version_at(in.a, pop()), in.b); push(v); break; }
      case Op::CHUNK: { Value v = call(in.a, in.b); push(v); break; }
      case Op::MONTH:
        if (!in.b) month_dep_ = true;
        push(Value::month(first_month_ + cur_[in.a]));
        break;
      case Op::BUILTIN: { Value v = builtin(in.a, in.b); push(v); break; }
      case Op::LOCAL: push(local(in.a)); break;
      case Op::SET_LOCAL: local(in.a) = pop(); break;
      case Op::POP: --sp_; break;
      case Op::NEG:
      {
        if (top().tag != Tag::Num) fail("値がありません");
        decimal::fixed::Fixed r;
        top() = top().is_fixed() && decimal::fixed::negate(top().as_fixed(), r) ? Value::fixed(r) : Value::number(-top().num());
        break;
      }
      case Op::NOT: top() = Value::boolean(!truth(top())); break;
      case Op::ADD: { Value b = pop(); top() = add(top(), b); break; }
      case Op::SUB: { Value b = pop(); top() = sub(top(), b); break; }
      case Op::MUL: { Value b = pop(); top() = mul(top(), b); break; }
      case Op::DIV: { Value b = pop(); top() = div(top(), b); break; }
      case Op::DIV_ROUND: {
        Value b = pop();
        if (top().tag != Tag::Num || b.tag != Tag::Num) fail("値がありません");
        top() = Value::number(decimal::Decimal::divide_round(top().num(), b.num(), in.b, static_cast<Rounding>(in.a)));
        break;
      }
      case Op::ROUND: {
        if (top().tag != Tag::Num) fail("値がありません");
        decimal::fixed::Fixed r;
        const auto mode = static_cast<Rounding>(in.a);
        top() = top().is_fixed() && decimal::fixed::round(top().as_fixed(), in.b, mode, r) ? Value::fixed(r)
                                                                      : Value::number(top().num().round(in.b, mode));
        break;
      }
      case Op::EQ: { Value b = pop(); top() = Value::boolean(equal(top(), b)); break; }
      case Op::NE: { Value b = pop(); top() = Value::boolean(!equal(top(), b)); break; }
      case Op::LT: { Value b = pop(); top() = Value::boolean(compare(top(), b) < 0); break; }
      case Op::LE: { Value b = pop(); top() = Value::boolean(compare(top(), b) <= 0); break; }
      case Op::GT: { Value b = pop(); top() = Value::boolean(compare(top(), b) > 0); break; }
      case Op::GE: { Value b = pop(); top() = Value::boolean(compare(top(), b) >= 0); break; }
      case Op::JUMP: pc += in.a; break;
      case Op::JUMP_IF_NOT: if (!truth(pop())) pc += in.a; break;
      case Op::AND_JUMP: if (!truth(top())) pc += in.a; else --sp_; break;
      case Op::OR_JUMP: if (truth(top())) pc += in.a; else --sp_; break;
      case Op::FOR: {
        int parent = base_.entities[in.a].parent;
        const auto& begin = hh_->child_begin[in.a];
        int b = begin[cur_[parent]], end = begin[cur_[parent] + 1];
        local(in.b).i = end;
        local(in.b + 1).i = cur_[in.a];
        if (b < end) cur_[in.a] = b;
        push(Value::boolean(b < end));
        break;
      }
      case Op::FOR_EARLIER: {
        if (months_entity_[in.a]) month_dep_ = true;
        int parent = base_.entities[in.a].parent;
        int b = hh_->child_begin[in.a][cur_[parent]], end = cur_[in.a];
        local(in.b).i = end;
        local(in.b + 1).i = cur_[in.a];
        if (b < end) cur_[in.a] = b;
        push(Value::boolean(b < end));
        break;
      }
      case Op::FOR_ALIKE: {
        Value& mode = local(in.b + 2);
        local(in.b + 3) = Value::boolean(month_dep_);
        if (mode.i == 0) mode.i = months_alike(in.a) ? 1 + in.c : 3;
        month_dep_ = false;
        int parent = base_.entities[in.a].parent;
        const auto& begin = hh_->child_begin[in.a];
        int b = begin[cur_[parent]], end = begin[cur_[parent] + 1];
        if (mode.i != 3 && b < end) end = b + 1;
        local(in.b).i = end;
        local(in.b + 1).i = cur_[in.a];
        if (b < end) cur_[in.a] = b;
        push(Value::boolean(b < end));
        break;
      }
      case Op::ALIKE_END: {
        Value& mode = local(in.b + 2);
        const bool depends = month_dep_;
        // A value over all the months does not depend on the current one.
        month_dep_ = local(in.b + 3).i != 0;
        if (mode.i == 3) break;
        if (depends) {  // the first month is not every month: again, in full
          mode.i = 3;
          pc += in.c;
          break;
        }
        if (mode.i == 2) {
          int parent = base_.entities[in.a].parent;
          const auto& begin = hh_->child_begin[in.a];
          Value& acc = local(in.b - 1);
          acc = mul(acc, Value::integer(begin[cur_[parent] + 1] - begin[cur_[parent]]));
        }
        break;
      }
      case Op::NEXT:
        if (++cur_[in.a] < local(in.b).i) pc += in.c;
        else cur_[in.a] = local(in.b + 1).i;
        break;
      case Op::ACC_MAX: case Op::ACC_MIN: {
        Value v = pop();
        Value& acc = local(in.a);
        if (acc.is_none() || (in.op == Op::ACC_MAX ? compare(v, acc) > 0 : compare(v, acc) < 0)) acc = v;
        break;
      }
      case Op::EXC_SET: if (truth(pop())) local(in.a).i |= 1 << in.b; break;
      case Op::EXC_PICK: {
        const auto& table = base_.exceptions[in.b];
        auto applicable = static_cast<std::uint64_t>(static_cast<std::uint32_t>(local(in.a).i));
        std::uint64_t beaten = 0;
        for (std::size_t i = 0; i < table.beats.size(); ++i)
          if (applicable >> i & 1) beaten |= table.beats[i];
        std::uint64_t winners = applicable & ~beaten;
        if (std::popcount(winners) > 1) {
          int first = std::countr_zero(winners);
          int second = std::countr_zero(winners & (winners - 1));
          fail("例外「" + table.labels[first] + "」と「" + table.labels[second] +
               "」が両方当てはまり、どちらが優先するか書かれていません（over で順位を書きます）");
        }
        int winner = winners ? std::countr_zero(winners) : -1;
        if (tracing_ && !trace_stack_.empty()) {
          auto& node = trace_[trace_stack_.back()];
          node.exception = winner < 0 ? "default" : table.labels[winner];
          if (winner >= 0) node.exception_source = table.sources[winner];
        }
        push(Value::enumeration(winner));
        break;
      }
      case Op::JUMP_IF_IS:
        if (top().tag == Tag::None) fail("値がありません");
        if (top().i == in.a) { --sp_; pc += in.b; }
        break;
      case Op::NONEMPTY: if (top().is_none()) fail("集計する対象がありません（max/min）"); break;
      case Op::NO_ROW:
        if (in.a < 0) fail("match に当てはまる場合がありません");
        fail("表「" + base_.tables[in.a].name + "」に " + describe(local(0)) + " に当てはまる行がありません");
      case Op::RETURN: {
        Value v = pop();
        sp_ = base;
        chunk_stack_.pop_back();
        return v;
      }
    }
  }
}

}  // namespace shiki::vm
