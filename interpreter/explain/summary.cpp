// The summary a clerk reads out on the phone: each group of output figures
// as one line of arithmetic (所得割額 + 均等割額 + 平等割額 − 減額 − … =
// 年額), every deciding exception on one line with the figures of its
// condition, lines alike across months folded into one, and the rows of
// each list output (the installments). Nothing here knows the premium: the
// groups come from the output paths, the signs from the figures themselves,
// the reasons from the exceptions that decided a value.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "../resolve/program.h"
#include "explain.h"
#include "rule_outputs.h"

namespace shiki::explain {

namespace {

using bytecode::Value;

// 1234567 -> 1,234,567 (the fraction, if any, kept).
std::string grouped(std::string s) {
  std::size_t start = s.starts_with('-') ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (std::size_t i = end; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

std::string figure(const vm::VM& vm, const Value& v, ast::Base type) {
  if (v.tag != bytecode::Tag::Num) return vm.describe(v);
  if (type == ast::Base::Rate) return (v.num() * decimal::Decimal::from_int(100)).to_string() + "%";
  std::string n = grouped(v.num().to_string());
  return type == ast::Base::Money ? n + "円" : n;
}

// The name after the entity and the group's prefix: 世帯.医療分.所得割額 -> 所得割額.
std::string short_name(const std::string& rule) {
  auto dot = rule.rfind('.');
  return dot == std::string::npos ? rule : rule.substr(dot + 1);
}

struct Term {
  std::string name;
  decimal::Decimal value;
  bool minus = false;
};

// The split points k at which terms[0..k) added and terms[k..) taken away
// give the total: the parts of a premium, then what reduces them.
std::vector<std::size_t> splits(const std::vector<Term>& terms, const decimal::Decimal& total) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k <= terms.size(); ++k) {
    decimal::Decimal sum = decimal::Decimal::from_int(0);
    for (std::size_t i = 0; i < terms.size(); ++i) sum = i < k ? sum + terms[i].value : sum - terms[i].value;
    if (sum == total) out.push_back(k);
  }
  return out;
}

struct Field {
  std::string path;
  int rule;
  int node;
};

// The household's output fields that are rules, grouped by path prefix.
std::vector<std::pair<std::string, std::vector<Field>>> groups(const vm::VM& vm) {
  std::vector<std::pair<std::string, std::vector<Field>>> out;
  for (const auto& [f, rule, node] : rule_outputs(vm)) {
    std::string path, prefix;
    for (std::size_t i = 0; i < f->path.size(); ++i) {
      path += (i ? "." : "") + f->path[i];
      if (i + 1 < f->path.size()) prefix += (i ? "." : "") + f->path[i];
    }
    if (out.empty() || out.back().first != prefix) out.push_back({prefix, {}});
    out.back().second.push_back({path, rule, node});
  }
  return out;
}

struct Group {
  std::string prefix;
  std::vector<Field> fields;
  std::vector<Term> terms;        // all but the last field, when every field is money
  std::vector<std::size_t> ks;    // where the minus signs may start
  std::string shape;              // the terms' names: groups alike share their signs
};

Group make_group(const vm::VM& vm, std::string prefix, std::vector<Field> fields) {
  const auto& p = *vm.program().base;
  const auto& trace = vm.trace();
  Group g{std::move(prefix), std::move(fields), {}, {}, {}};
  bool money = g.fields.size() >= 3;
  for (const auto& f : g.fields)
    money = money && p.rule_types[f.rule] == ast::Base::Money && trace[f.node].value.tag == bytecode::Tag::Num;
  if (!money) return g;
  for (std::size_t i = 0; i + 1 < g.fields.size(); ++i) {
    g.terms.push_back({short_name(p.rule_names[g.fields[i].rule]), trace[g.fields[i].node].value.num()});
    g.shape += g.terms.back().name + "/";
  }
  g.ks = splits(g.terms, trace[g.fields.back().node].value.num());
  return g;
}

std::string rule_figure(const vm::VM& vm, int rule, const Value& v);

// 医療分: 所得割額 1 + 均等割額 2 + 平等割額 3 − 減額 4 − … = 年額 5円. A zero
// term could take either sign; `k` is the split that fits every group of
// the same shape, so that 平等割額 0 stays on the side of 平等割額 18,000.
void print_group(const vm::VM& vm, const Group& g, std::optional<std::size_t> k, std::ostream& out) {
  const auto& p = *vm.program().base;
  const auto& trace = vm.trace();
  if (!k) {
    for (const auto& f : g.fields)
      out << p.rule_names[f.rule] << " = " << rule_figure(vm, f.rule, trace[f.node].value) << "\n";
    return;
  }
  std::string rule = p.rule_names[g.fields.back().rule];
  auto first = rule.find('.'), last = rule.rfind('.');
  out << (last > first ? rule.substr(first + 1, last - first - 1) : g.prefix) << ": ";
  for (std::size_t i = 0; i < g.terms.size(); ++i)
    out << (i == 0 ? (*k == 0 ? "− " : "") : (i < *k ? " + " : " − ")) << g.terms[i].name << " "
        << grouped(g.terms[i].value.to_string());
  out << " = " << short_name(rule) << " " << figure(vm, trace[g.fields.back().node].value, ast::Base::Money) << "\n";
}

// The smallest split that fits this group and every group of its shape.
std::optional<std::size_t> shared_split(const Group& g, const std::vector<Group>& all) {
  for (std::size_t k : g.ks) {
    bool fits = true;
    for (const auto& o : all)
      if (o.shape == g.shape && !o.ks.empty()) fits = fits && std::count(o.ks.begin(), o.ks.end(), k) > 0;
    if (fits) return k;
  }
  if (!g.ks.empty()) return g.ks.front();
  return std::nullopt;
}

const resolve::RuleInfo* rule_info(const bytecode::Program& p, int rule) {
  auto rp = std::static_pointer_cast<const resolve::Program>(p.sources);
  if (!rp || rule >= static_cast<int>(rp->rules.size()) || rp->rules[rule].display != p.rule_names[rule]) return nullptr;
  return &rp->rules[rule];
}

// A rule's value as staff write it: an enumeration by its case (ウ, 一般).
std::string rule_figure(const vm::VM& vm, int rule, const Value& v) {
  const auto& p = *vm.program().base;
  if (v.tag == bytecode::Tag::Enum) {
    const auto* info = rule_info(p, rule);
    int e = info ? info->type.enum_id : -1;
    if (e >= 0 && v.i >= 0 && v.i < static_cast<int>(p.enum_cases[e].size())) return p.enum_cases[e][v.i];
  }
  return figure(vm, v, p.rule_types[rule]);
}

// The condition of the deciding exception as written, with the figures of
// the rules it names: 軽減判定所得 <= 七割基準額 (軽減判定所得 167,000円, …).
std::string condition(const vm::VM& vm, const vm::TraceNode& n) {
  const auto& p = *vm.program().base;
  const auto* info = rule_info(p, n.rule);
  if (!info) return "";
  for (const auto& ex : info->decl->exceptions) {
    if (ex.label != n.exception || !ex.cond) continue;
    const auto& loc = ex.cond->loc;
    std::string_view line = loc.file->line(loc.line);
    auto before = source::prefix_code_points(line, loc.column - 1);
    std::string text(source::prefix_code_points(line.substr(before.size()), loc.length));
    for (auto [from, to] : {std::pair{"<=", "≤"}, std::pair{">=", "≥"}, std::pair{"!=", "≠"}})
      for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, 2, to);
    std::string figures;
    std::vector<const ast::Expr*> stack{ex.cond.get()};
    while (!stack.empty()) {
      const auto* e = stack.back();
      stack.pop_back();
      for (auto k = e->kids.rbegin(); k != e->kids.rend(); ++k) stack.push_back(k->get());
      if (e->ref != ast::RefKind::Rule) continue;
      bool found = false;
      for (auto [r, i] : n.rules_used)
        if (r == e->id && vm.trace_node(r, i) >= 0) {
          figures += (figures.empty() ? "" : ", ") + short_name(p.rule_names[r]) + " " +
                     rule_figure(vm, r, vm.trace()[vm.trace_node(r, i)].value);
          found = true;
          break;
        }
      for (int c : n.calls)  // a rule with arguments (旧ただし書き所得の合計(m))
        if (!found && vm.trace()[c].rule == e->id) {
          figures += (figures.empty() ? "" : ", ") + short_name(p.rule_names[e->id]) + " " +
                     rule_figure(vm, e->id, vm.trace()[c].value);
          found = true;
        }
    }
    return text + (figures.empty() ? "" : " (" + figures + ")");
  }
  return "";
}

// Each deciding exception once; the same line for several instances (the
// twelve months, or several members) is printed once with their names.
void print_reasons(const vm::VM& vm, const InstanceNamer& name, std::ostream& out) {
  const auto& p = *vm.program().base;
  std::map<std::string, std::vector<std::string>> lines;
  std::vector<std::string> order;
  for (const auto& n : vm.trace()) {
    if (n.exception.empty()) continue;
    std::string line = p.rule_names[n.rule] + (n.args.empty() ? "" : "(" + n.args + ")") + " = " +
                       rule_figure(vm, n.rule, n.value) + "  ← ";
    if (n.exception == "default") {
      // No exception applied: worth a line for the household as a whole
      // ("why no 軽減?"), with the figures the rule compared.
      if (p.rule_entity[n.rule] != p.root_entity) continue;
      line += "原則 (どの例外にも当たりません): ";
      int shown = 0;
      for (auto [r, i] : n.rules_used)
        if (int id = vm.trace_node(r, i); id >= 0 && shown++ < 4)
          line += (shown > 1 ? ", " : "") + short_name(p.rule_names[r]) + " " +
                  rule_figure(vm, r, vm.trace()[id].value);
    } else {
      line += n.exception + ": " + condition(vm, n);
    }
    if (!n.exception_source.empty()) line += "  [" + n.exception_source + "]";
    if (!lines.count(line)) order.push_back(line);
    auto& at = lines[line];
    std::string who = name(p.rule_entity[n.rule], n.instance);
    if (!who.empty() && std::find(at.begin(), at.end(), who) == at.end()) at.push_back(who);
  }
  if (order.empty()) return;
  out << "判定:\n";
  for (const auto& l : order) {
    const auto& who = lines[l];
    out << "  " << l;
    if (who.size() > 3) out << "  (" << who.size() << " 件: " << who.front() << " … " << who.back() << ")";
    else if (!who.empty()) {
      out << "  (";
      for (std::size_t i = 0; i < who.size(); ++i) out << (i ? ", " : "") << who[i];
      out << ")";
    }
    out << "\n";
  }
}

// The counts of each month evaluated (被保険者数 2), months alike folded
// into one line: which months were counted, and for how many. A count that
// changes nearly every month (an installment's number) says nothing here
// and is left out; rates are in the reasons and the --full tree.
void print_months(const vm::VM& vm, const InstanceNamer& name, std::ostream& out) {
  const auto& p = *vm.program().base;
  if (p.months_entity < 0) return;
  std::map<int, std::map<int, std::string>> rows;  // month -> rule -> figure
  std::map<int, std::set<std::string>> distinct;   // rule -> figures seen
  for (const auto& n : vm.trace()) {
    auto type = p.rule_types[n.rule];
    if (p.rule_entity[n.rule] != p.months_entity || !n.args.empty() || type != ast::Base::Integer) continue;
    rows[n.instance][n.rule] = figure(vm, n.value, type);
    distinct[n.rule].insert(rows[n.instance][n.rule]);
  }
  std::vector<std::pair<std::string, std::vector<int>>> folded;  // line -> months
  for (const auto& [month, figures] : rows) {
    std::string line;
    for (const auto& [rule, f] : figures) {
      if (distinct[rule].size() > 3) continue;
      auto dot = p.rule_names[rule].find('.');
      line += (line.empty() ? "" : ", ") + p.rule_names[rule].substr(dot + 1) + " " + f;
    }
    if (line.empty()) continue;
    if (!folded.empty() && folded.back().first == line && folded.back().second.back() + 1 == month)
      folded.back().second.push_back(month);
    else
      folded.push_back({line, {month}});
  }
  if (folded.empty()) return;
  out << "月:\n";
  for (const auto& [line, months] : folded) {
    out << "  " << name(p.months_entity, months.front());
    if (months.size() > 1) out << "〜" << name(p.months_entity, months.back());
    out << " (" << months.size() << " か月): " << line << "\n";
  }
}

// The path of a list output: "benefits.high_cost", "benefits.high_cost[].steps".
std::string block_path(const bytecode::Program& p, int b) {
  std::string into;
  for (const auto& seg : p.outputs[b].into) into += (into.empty() ? "" : ".") + seg;
  return p.outputs[b].outer >= 0 ? block_path(p, p.outputs[b].outer) + "[]." + into : into;
}

struct Column {
  std::string key, label;
  ast::Base type;
  std::string literal;  // a fixed text ("outpatient"): shown alone, and names the block
};

// The columns of each block writing list `path`, labelled by the rule each
// shows (支給額) rather than the contract's key, in the ruleset's order.
std::vector<std::vector<Column>> blocks_of(const bytecode::Program& p, const std::string& path) {
  auto rp = std::static_pointer_cast<const resolve::Program>(p.sources);
  std::vector<std::vector<Column>> out;
  for (std::size_t b = 0; b < p.outputs.size(); ++b) {
    if (p.outputs[b].into.empty() || block_path(p, static_cast<int>(b)) != path) continue;
    std::vector<Column> cols;
    for (std::size_t f = 0; f < p.outputs[b].fields.size(); ++f) {
      const auto& field = p.outputs[b].fields[f];
      const ast::Expr* e = rp && b < rp->outputs.size() ? rp->outputs[b]->fields[f].value.get() : nullptr;
      std::string label = e && e->kind == ast::ExprKind::Name ? short_name(e->text) : field.path.back();
      std::string text = e && e->kind == ast::ExprKind::String ? e->text : "";
      if (text.size() >= 2 && text.front() == '"') text = text.substr(1, text.size() - 2);
      cols.push_back({field.path.back(), label, field.type.base, text});
    }
    out.push_back(std::move(cols));
  }
  return out;
}

std::string cell(const nlohmann::json& v, ast::Base type) {
  if (v.is_null()) return "—";
  if (v.is_string() && type == ast::Base::Rate) {
    auto d = decimal::Decimal::parse(v.get<std::string>());
    return d ? (*d * decimal::Decimal::from_int(100)).to_string() + "%" : v.get<std::string>();
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() && type == ast::Base::Money) return grouped(v.dump()) + "円";
  return v.dump();
}

// Each row of the list at `path` on one line, the lists nested in it below.
void print_rows(const bytecode::Program& p, const std::string& path, const nlohmann::json& rows, int depth,
                std::ostream& out) {
  auto blocks = blocks_of(p, path);
  if (blocks.empty()) return;
  for (const auto& row : rows) {
    // The block whose fixed texts the row carries (a step's kind), else the first.
    const auto* cols = &blocks.front();
    for (const auto& b : blocks) {
      bool any = false, same = true;
      for (const auto& c : b)
        if (!c.literal.empty())
          any = true, same = same && row.contains(c.key) && row[c.key] == c.literal;
      if (any && same) cols = &b;
    }
    out << std::string(2 * depth, ' ') << " ";
    for (const auto& c : *cols) {
      auto it = row.find(c.key);
      if (it == row.end()) continue;
      out << " " << (c.literal.empty() ? c.label + " " : "") << cell(*it, c.type);
    }
    out << "\n";
    for (auto it = row.begin(); it != row.end(); ++it)
      if (it->is_array() && !it->empty() && (*it)[0].is_object())
        print_rows(p, path + "[]." + it.key(), *it, depth + 1, out);
  }
}

// The rows of each list output (installments, 高額療養費 months and their
// steps, late charges and their segments), one line each.
void print_lists(const bytecode::Program& p, const nlohmann::json& record, std::ostream& out) {
  std::set<std::string> done;
  for (std::size_t b = 0; b < p.outputs.size(); ++b) {
    if (p.outputs[b].into.empty() || p.outputs[b].outer >= 0) continue;
    std::string path = block_path(p, static_cast<int>(b));
    if (!done.insert(path).second) continue;
    const nlohmann::json* j = &record;
    for (const auto& seg : p.outputs[b].into) j = j && j->is_object() && j->contains(seg) ? &(*j)[seg] : nullptr;
    if (!j || !j->is_array() || j->empty() || !(*j)[0].is_object() || (*j)[0].size() < 2) continue;
    out << path << ":\n";
    print_rows(p, path, *j, 0, out);
  }
}

}  // namespace

std::string summary(const vm::VM& vm, const nlohmann::json& record, const InstanceNamer& name) {
  std::ostringstream out;
  std::vector<Group> all;
  for (auto& [prefix, fields] : groups(vm)) all.push_back(make_group(vm, prefix, fields));
  for (const auto& g : all) print_group(vm, g, shared_split(g, all), out);
  print_reasons(vm, name, out);
  print_months(vm, name, out);
  print_lists(*vm.program().base, record, out);
  out << "（すべての計算と出典: --full）\n";
  return out.str();
}

}  // namespace shiki::explain
