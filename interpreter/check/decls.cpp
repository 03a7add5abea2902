// Checking declarations: parameters, tables, rules, outputs, checks.
#include <algorithm>
#include <map>

#include "../resolve/resolve.h"
#include "checker.h"

namespace shiki::check {

using ast::Base;
using ast::Type;
using decimal::Decimal;
using diag::Code;

namespace {

struct Bound {
  std::optional<Decimal> value;  // nullopt: unbounded
  bool closed;
};

struct Interval {
  Bound lo, hi;
  const ast::TableRow* row;
};

std::string show(const std::optional<Decimal>& v) { return v ? v->to_string() : ".."; }

void check_rows(Checker& c, const ast::Table& t, const ast::TableVersion& v, bool integer_domain) {
  std::vector<Interval> rows;
  for (const auto& r : v.rows) {
    Interval iv{{std::nullopt, r.lo_closed}, {std::nullopt, r.hi_closed}, &r};
    for (auto [expr, bound] : {std::pair{r.lo.get(), &iv.lo}, std::pair{r.hi.get(), &iv.hi}}) {
      if (!expr) continue;
      bound->value = Checker::number_value(*expr);
      if (!bound->value) {
        c.sink_.report({Code::E0208, expr->loc, {}, {{{}, "行の境目には数を書きます"}}});
        return;
      }
    }
    // On whole numbers (yen, integers) "[a, b]" is "[a, b+1)": normalise.
    if (integer_domain) {
      if (iv.lo.value && !iv.lo.closed) iv.lo = {*iv.lo.value + Decimal::from_int(1), true};
      if (iv.hi.value && iv.hi.closed) iv.hi = {*iv.hi.value + Decimal::from_int(1), false};
    }
    rows.push_back(iv);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Interval& a, const Interval& b) {
    if (!a.lo.value || !b.lo.value) return !a.lo.value && b.lo.value;
    return *a.lo.value < *b.lo.value;
  });
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto &prev = rows[i - 1], &next = rows[i];
    auto overlap = [&](const std::string& at) {
      c.sink_.report({Code::E0302, next.row->loc, {t.name, at}, {{prev.row->loc, "重なっている行"}}});
    };
    if (!prev.hi.value || !next.lo.value) { overlap(show(next.lo.value)); return; }
    const Decimal &h = *prev.hi.value, &l = *next.lo.value;
    bool gap = h < l || (h == l && !prev.hi.closed && !next.lo.closed);
    bool over = h > l || (h == l && prev.hi.closed && next.lo.closed);
    if (gap) {
      std::string to = integer_domain ? (l - Decimal::from_int(1)).to_string() : l.to_string();
      c.sink_.report({Code::E0301, next.row->loc, {t.name, (integer_domain ? h : h).to_string(), to},
                      {{prev.row->loc, "前の行"}, {{}, "前の行の終わりと次の行の始まりをつなげます"}}});
      return;
    }
    if (over) { overlap(l.to_string()); return; }
  }
}

void check_versions_in_order(Checker& c, const std::string& name,
                             const std::vector<std::pair<time::Date, source::Location>>& dates) {
  for (std::size_t i = 1; i < dates.size(); ++i)
    if (!(dates[i - 1].first < dates[i].first)) {
      c.sink_.report({Code::E0303, dates[i].second, {name},
                      {{dates[i - 1].second, "この日付より後の日付を書きます"}}});
      return;
    }
}

void check_params(Checker& c) {
  for (auto& info : c.p_.params) {
    const auto& d = *info.decl;
    info.type = resolve::type_of(c.p_, d.type, c.sink_);
    std::vector<std::pair<time::Date, source::Location>> dates;
    for (const auto& v : d.versions) {
      dates.push_back({v.from, v.loc});
      Scope s;
      s.constant = true;
      c.expect(info.type, *v.value, s);
    }
    check_versions_in_order(c, d.name, dates);
  }
}

void check_tables(Checker& c) {
  for (auto& info : c.p_.tables) {
    const auto& d = *info.decl;
    info.type = resolve::type_of(c.p_, d.type, c.sink_);
    Scope s;
    for (const auto& f : d.params) {
      Type t = resolve::type_of(c.p_, f.type, c.sink_);
      info.params.push_back(t);
      s.locals.push_back({f.name, t, s.next_local++});
    }
    s.max_locals = s.next_local;
    std::vector<std::pair<time::Date, source::Location>> dates;
    for (const auto& v : d.versions)
      if (v.from) dates.push_back({*v.from, v.loc});
    check_versions_in_order(c, d.name, dates);
    bool integer_domain = !info.params.empty() &&
                          (info.params[0].base == Base::Money || info.params[0].base == Base::Integer);
    for (const auto& v : d.versions) {
      int before = c.sink_.error_count();
      for (const auto& r : v.rows) c.expect(info.type, *r.value, s);
      if (c.sink_.error_count() == before) check_rows(c, d, v, integer_domain);
    }
  }
}

void check_exceptions(Checker& c, resolve::RuleInfo& info) {
  const auto& ex = info.decl->exceptions;
  if (ex.size() > 64) return;
  std::vector<std::uint64_t> beats(ex.size());
  for (std::size_t i = 0; i < ex.size(); ++i)
    for (std::size_t k = 0; k < ex[i].over.size(); ++k) {
      auto it = std::find_if(ex.begin(), ex.end(), [&](auto& e) { return e.label == ex[i].over[k]; });
      if (it == ex.end()) c.sink_.report({Code::E0304, ex[i].over_locs[k], {ex[i].over[k]}, {}});
      else beats[i] |= std::uint64_t{1} << (it - ex.begin());
    }
  // Transitive closure: winning over X also wins over what X wins over.
  for (std::size_t round = 0; round < ex.size(); ++round)
    for (std::size_t i = 0; i < ex.size(); ++i)
      for (std::size_t j = 0; j < ex.size(); ++j)
        if (beats[i] >> j & 1) beats[i] |= beats[j];
  for (std::size_t i = 0; i < ex.size(); ++i)
    if (beats[i] >> i & 1) {
      c.sink_.report({Code::E0305, ex[i].loc, {ex[i].label}, {}});
      return;
    }
  info.beats = beats;
}

void check_rules(Checker& c) {
  for (auto& info : c.p_.rules) {
    info.type = resolve::type_of(c.p_, info.decl->type, c.sink_);
    for (const auto& f : info.decl->params) info.params.push_back(resolve::type_of(c.p_, f.type, c.sink_));
  }
  for (auto& info : c.p_.rules) {
    const auto& d = *info.decl;
    Scope s;
    s.entity = info.entity;
    s.uses = &info.uses;
    for (std::size_t i = 0; i < d.params.size(); ++i) s.locals.push_back({d.params[i].name, info.params[i], s.next_local++});
    s.max_locals = s.next_local;
    auto result = [&](ast::Expr& e) {
      Type t = c.expr(e, s);
      if (c.bare_rate(info.type, e)) return;
      if (!c.assignable(info.type, t))
        c.sink_.report({Code::E0202, e.loc, {info.display, type_name(info.type, c.p_), type_name(t, c.p_)},
                        {{d.loc, "規則の型の宣言"}}});
    };
    result(*d.body);
    for (auto& ex : const_cast<ast::Rule&>(d).exceptions) {
      c.expect(Type::of(Base::Boolean), *ex.cond, s);
      result(*ex.value);
    }
    if (d.has_exceptions) check_exceptions(c, info);
    std::sort(info.uses.begin(), info.uses.end());
    info.uses.erase(std::unique(info.uses.begin(), info.uses.end()), info.uses.end());
  }
}

int entity_named(Checker& c, const std::string& name, const source::Location& loc) {
  auto it = c.p_.entity_by_name.find(name);
  if (it != c.p_.entity_by_name.end()) return it->second;
  c.sink_.report({Code::E0106, loc, {name}, {}});
  return -1;
}

// `into "benefits.high_cost[].steps"` puts the array inside each element that
// the block writing "benefits.high_cost" writes: its entity must be that
// block's entity or one below it, so that each instance has one element.
bool nested_output_fits(Checker& c, const ast::Output& o, int entity) {
  auto nest = o.into.find("[].");
  if (nest == std::string::npos) return true;
  std::string outer = o.into.substr(0, nest);
  for (const auto* other : c.p_.outputs) {
    if (other->into != outer) continue;
    auto it = c.p_.entity_by_name.find(other->entity);
    if (it == c.p_.entity_by_name.end()) return false;
    for (int e = entity; e >= 0; e = c.p_.entities[e].parent)
      if (e == it->second) return true;
    c.sink_.report({Code::E0803, o.loc, {o.into, other->entity}, {}});
    return false;
  }
  c.sink_.report({Code::E0803, o.loc, {o.into, outer}, {}});
  return false;
}

void check_outputs_and_checks(Checker& c) {
  std::map<std::string, source::Location> seen;
  for (std::size_t k = 0; k < c.p_.outputs.size(); ++k) {
    const auto* o = c.p_.outputs[k];
    for (const auto& f : o->fields) {
      // Blocks writing into an array (births, then funerals; one step kind after
      // another) each write elements of their own, so only a block's own paths
      // may clash there; fields of the record itself clash across blocks.
      std::string block = o->into.empty() ? "" : std::to_string(k);
      std::string key = block + "\x1f" + o->into + "\x1f" + f.path;
      auto [it, fresh] = seen.emplace(key, f.loc);
      if (!fresh) c.sink_.report({Code::E0501, f.loc, {f.path}, {{it->second, "最初の定義"}}});
    }
    int e = entity_named(c, o->entity, o->loc);
    if (e < 0) continue;
    if (!nested_output_fits(c, *o, e)) continue;
    Scope s;
    s.entity = e;
    auto& out = const_cast<ast::Output&>(*o);
    if (out.given) {
      Scope root;
      root.entity = c.p_.root_entity;
      c.expect(Type::of(Base::Boolean), *out.given, root);
    }
    if (out.when) c.expect(Type::of(Base::Boolean), *out.when, s);
    for (auto& f : out.fields) {
      c.expr(*f.value, s);
      if (f.when) c.expect(Type::of(Base::Boolean), *f.when, s);
    }
  }
  for (const auto* k : c.p_.checks) {
    int e = entity_named(c, k->entity, k->loc);
    if (e < 0) continue;
    Scope s;
    s.entity = e;
    c.expect(Type::of(Base::Boolean), *const_cast<ast::Check&>(*k).require, s);
  }
}

// A group entity's filter and keys are read like an aggregation of the
// grouped entity from the group's parent; a span of days, in the parent.
void check_derived_entities(Checker& c) {
  for (std::size_t e = 0; e < c.p_.entities.size(); ++e) {
    auto& ent = const_cast<ast::Entity&>(*c.p_.entities[e].decl);
    int parent = c.p_.entities[e].parent;
    if (parent < 0) continue;
    Scope s;
    s.entity = parent;
    if (ent.kind == ast::EntityKind::Days) {
      c.expect(Type::of(Base::Date), *ent.first, s);
      c.expect(Type::of(Base::Date), *ent.last, s);
      continue;
    }
    if (ent.kind != ast::EntityKind::Group) continue;
    auto src = c.p_.entity_by_name.find(ent.source);
    if (src == c.p_.entity_by_name.end()) {
      c.sink_.report({Code::E0106, ent.source_loc, {ent.source}, {}});
      continue;
    }
    int grouped_parent = c.p_.entities[src->second].parent;
    if (grouped_parent < 0 || !c.visible(grouped_parent, s)) {
      c.sink_.report({Code::E0109, ent.source_loc, {ent.source}, {}});
      continue;
    }
    s.aggregated.push_back(src->second);
    if (ent.filter) c.expect(Type::of(Base::Boolean), *ent.filter, s);
    std::vector<int> keys;
    for (int in : c.p_.entities[e].inputs)
      if (c.p_.inputs[in].decl->is_key) keys.push_back(in);
    for (std::size_t k = 0; k < ent.keys.size() && k < keys.size(); ++k)
      c.expect(c.p_.inputs[keys[k]].type, *ent.keys[k], s);
  }
}

// `months as 当月 alike when R`: R is a boolean rule of the months' parent,
// without arguments (the VM reads it once per household).
void check_alike_months(Checker& c) {
  for (auto& ent : c.p_.entities) {
    const auto& d = *ent.decl;
    if (d.alike.empty() || ent.parent < 0) continue;
    auto it = c.p_.rule_by_name.find({ent.parent, d.alike});
    const resolve::RuleInfo* r = it == c.p_.rule_by_name.end() ? nullptr : &c.p_.rules[it->second];
    if (!r || r->slot < 0 || r->type.base != Base::Boolean) {
      c.sink_.report({Code::E0805, d.alike_loc, {d.alike, c.p_.entities[ent.parent].decl->name}, {}});
      continue;
    }
    ent.alike_rule = it->second;
  }
}

void check_inputs(Checker& c) {
  std::vector<int> keys(c.p_.entities.size(), 0);
  for (auto& in : c.p_.inputs) {
    in.type = resolve::type_of(c.p_, in.decl->type, c.sink_);
    const auto& ent = *c.p_.entities[in.entity].decl;
    bool derived = ent.kind == ast::EntityKind::Group || ent.kind == ast::EntityKind::Days;
    if (in.decl->is_key && !derived) {
      bool typed = in.type.base == Base::Integer || in.type.base == Base::Text;
      if (!ent.keyed || !typed || ++keys[in.entity] > 1)
        c.sink_.report({Code::E0802, in.decl->loc, {in.display}, {}});
    }
    if (in.decl->default_value) {
      Scope s;
      s.constant = true;
      c.expect(in.type, *in.decl->default_value, s);
    }
  }
}

}  // namespace

bool run(resolve::Program& p, diag::Sink& sink) {
  int before = sink.error_count();
  Checker c(p, sink);
  check_inputs(c);
  check_derived_entities(c);
  check_params(c);
  check_tables(c);
  check_rules(c);
  check_alike_months(c);
  check_outputs_and_checks(c);
  return sink.error_count() == before;
}

}  // namespace shiki::check
