// The AST as text (ast/dump.h). Each node is one line: a literal or a name as
// written, an operator, or a keyword (`call`, `if`, `let`, `match`, `neg`)
// followed by its operands one level deeper.
#include "dump.h"

#include <algorithm>
#include <tuple>

namespace shiki::ast {

namespace {

void line(std::string& out, int indent, const std::string& text) {
  out.append(static_cast<std::size_t>(indent), ' ');
  out += text;
  out += '\n';
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// ` source "…"`, or "" when there is no citation.
std::string cite(const Citation& c) { return c.text.empty() ? "" : " source " + quote(c.text); }
std::string mark(const std::string& why) { return why.empty() ? "" : " unconfirmed " + quote(why); }

std::string head(const Expr& e) {
  switch (e.kind) {
    case ExprKind::String: return quote(e.text);
    case ExprKind::None: return e.text.empty() ? "none" : e.text;
    case ExprKind::Call: return "call " + e.text + (e.earlier ? " earlier" : "");
    case ExprKind::Negate: return "neg";
    case ExprKind::Not: return "not";
    case ExprKind::If: return "if";
    case ExprKind::Let: return "let " + e.text;
    case ExprKind::Match: return "match";
    default: return e.text;  // a literal or a name as written; a binary operator
  }
}

// A table row's bound on its row's line: bounds are numbers (check/).
std::string bound(const Expr* e) {
  if (!e) return "..";
  if (e->kind == ExprKind::Negate && !e->kids.empty()) return "-" + bound(e->kids[0].get());
  return e->kids.empty() ? e->text : "(" + head(*e) + " …)";
}

std::string formals(const std::vector<Formal>& params) {
  if (params.empty()) return "";
  std::string out = "(";
  for (const auto& f : params) out += (out.size() > 1 ? ", " : "") + f.name + " : " + f.type.name;
  return out + ")";
}

// A labelled expression: `label` on its line, the expression beneath.
void labelled(const std::string& label, const Expr* e, int indent, std::string& out, const Note& note) {
  if (!e) return;
  line(out, indent, label);
  print(*e, indent + 2, out, note);
}

void print_entity(const Entity& e, std::string& out) {
  std::string h = "entity " + e.name + (e.parent.empty() ? "" : " of " + e.parent);
  switch (e.kind) {
    case EntityKind::Record:
      if (!e.field.empty()) h += " field " + quote(e.field);
      break;
    case EntityKind::Months: h += " months as " + e.month_name; break;
    case EntityKind::Group: h += " group " + e.source + " by"; break;
    case EntityKind::Days: h += " days"; break;
  }
  if (e.optional) h += " optional";
  if (e.keyed) h += " keyed";
  line(out, 0, h);
  labelled("where", e.filter.get(), 2, out, {});
  for (const auto& k : e.keys) labelled("key", k.get(), 2, out, {});
  labelled("first", e.first.get(), 2, out, {});
  labelled("last", e.last.get(), 2, out, {});
}

void print_input(const Input& in, std::string& out) {
  std::string h = "input " + in.entity + "." + in.name + " : " + in.type.name;
  h += in.is_key ? " key" : " field " + quote(in.field);
  if (in.optional) h += " optional";
  if (in.nonnegative) h += " nonnegative";
  line(out, 0, h);
  labelled("default", in.default_value.get(), 2, out, {});
}

void print_amendment(const Amendment& a, std::string& out) {
  if (a.is_rule) return line(out, 0, "amend rule " + a.name + cite(a.source) + mark(a.unconfirmed));
  line(out, 0, "amend parameter " + a.name);
  for (const auto& v : a.versions) {
    line(out, 2, "from " + time::to_string(v.from) + cite(v.source) + mark(v.unconfirmed));
    if (v.value) print(*v.value, 4, out);
  }
}

void print_holidays(const Holidays& h, std::string& out) {
  std::string dates;
  for (const auto& d : h.dates) dates += (dates.empty() ? " " : ", ") + time::to_string(d);
  line(out, 0, "holidays" + cite(h.source) + dates);
}

void print_part(const PartBlock& b, std::string& out) {
  std::string names;
  for (const auto& n : b.names) names += (names.empty() ? "" : ", ") + n;
  line(out, 0, "part " + names + " as " + b.placeholder);
}

}  // namespace

void print(const Expr& e, int indent, std::string& out, const Note& note) {
  std::string h = head(e);
  if (note)
    if (std::string n = note(e); !n.empty()) h += "  " + n;
  line(out, indent, h);
  if (e.kind == ExprKind::Match) {
    print(*e.kids[0], indent + 2, out, note);
    for (std::size_t i = 0; i < e.arm_names.size() && i + 1 < e.kids.size(); ++i)
      labelled(e.arm_names[i] + " =>", e.kids[i + 1].get(), indent + 2, out, note);
    return;
  }
  for (std::size_t i = 0; i < e.kids.size(); ++i) {
    print(*e.kids[i], indent + 2, out, note);
    if (i == 0) labelled("where", e.filter.get(), indent + 2, out, note);
  }
}

std::string signature(const Rule& r) {
  return std::string(r.is_override ? "override " : "") + "rule " + (r.entity.empty() ? "" : r.entity + ".") +
         r.name + formals(r.params) + " : " + r.type.name;
}

void print(const Rule& r, int indent, std::string& out, const Note& note) {
  line(out, indent, signature(r));
  if (!r.source.text.empty()) line(out, indent + 2, "source " + quote(r.source.text));
  if (!r.unconfirmed.empty()) line(out, indent + 2, "unconfirmed " + quote(r.unconfirmed));
  if (!r.has_exceptions) return labelled("=", r.body.get(), indent + 2, out, note);
  labelled("default", r.body.get(), indent + 2, out, note);
  for (const auto& x : r.exceptions) {
    std::string over;
    for (const auto& o : x.over) over += (over.empty() ? " over " : ", ") + o;
    line(out, indent + 2, "exception " + x.label + over + cite(x.source));
    labelled("when", x.cond.get(), indent + 4, out, note);
    labelled("=>", x.value.get(), indent + 4, out, note);
  }
}

void print(const Parameter& p, int indent, std::string& out, const Note& note) {
  line(out, indent, std::string(p.is_override ? "override " : "") + "parameter " + p.name + " : " + p.type.name +
                        (p.set_by_ordinance ? " set by ordinance" : "") + cite(p.source));
  for (const auto& v : p.versions) {
    line(out, indent + 2, "from " + time::to_string(v.from) + cite(v.source) + mark(v.unconfirmed));
    if (v.value) print(*v.value, indent + 4, out, note);
  }
}

void print(const Table& t, int indent, std::string& out, const Note& note) {
  line(out, indent, std::string(t.is_override ? "override " : "") + "table " + t.name + formals(t.params) + " : " +
                        t.type.name + cite(t.source));
  for (const auto& v : t.versions) {
    line(out, indent + 2, (v.from ? "from " + time::to_string(*v.from) : "every year") + cite(v.source));
    for (const auto& r : v.rows)
      labelled(std::string(r.lo_closed ? "[" : "(") + bound(r.lo.get()) + ", " + bound(r.hi.get()) +
                   (r.hi_closed ? "]" : ")") + " =>",
               r.value.get(), indent + 4, out, note);
  }
}

void print(const Output& o, int indent, std::string& out, const Note& note) {
  line(out, indent, "output " + o.entity + (o.into.empty() ? "" : " into " + quote(o.into)));
  labelled("given", o.given.get(), indent + 2, out, note);
  labelled("when", o.when.get(), indent + 2, out, note);
  for (const auto& f : o.fields) {
    line(out, indent + 2, "field " + quote(f.path));
    labelled("=", f.value.get(), indent + 4, out, note);
    labelled("when", f.when.get(), indent + 4, out, note);
  }
}

void print(const Check& c, int indent, std::string& out, const Note& note) {
  line(out, indent, "check " + c.entity + " field " + quote(c.field) + " message " + quote(c.message));
  labelled("require", c.require.get(), indent + 2, out, note);
}

std::string dump(const File& f) {
  // The parser keeps declarations by kind; the source order is their places.
  std::vector<std::tuple<int, int, std::string>> decls;
  auto add = [&decls](const Location& loc, auto&& printer) {
    std::string text;
    printer(text);
    decls.emplace_back(loc.line, loc.column, std::move(text));
  };
  for (const auto& i : f.imports)
    add(i.loc, [&](std::string& o) { line(o, 0, "import " + i.module + (i.path.empty() ? "" : " from " + quote(i.path))); });
  if (f.fiscal_years)
    add(f.fiscal_years_loc, [&](std::string& o) {
      line(o, 0, "fiscal_years " + std::to_string(f.fiscal_years->first) + " to " + std::to_string(f.fiscal_years->second));
    });
  for (const auto& e : f.entities) add(e.loc, [&](std::string& o) { print_entity(e, o); });
  for (const auto& e : f.enums) {
    std::string cases;
    for (const auto& c : e.cases) cases += (cases.empty() ? "" : ", ") + c;
    add(e.loc, [&](std::string& o) { line(o, 0, "enum " + e.name + " { " + cases + " }"); });
  }
  for (const auto& i : f.inputs) add(i.loc, [&](std::string& o) { print_input(i, o); });
  for (const auto& p : f.parameters) add(p.loc, [&](std::string& o) { print(p, 0, o); });
  for (const auto& t : f.tables) add(t.loc, [&](std::string& o) { print(t, 0, o); });
  for (const auto& r : f.rules) add(r.loc, [&](std::string& o) { print(r, 0, o); });
  for (const auto& x : f.outputs) add(x.loc, [&](std::string& o) { print(x, 0, o); });
  for (const auto& c : f.checks) add(c.loc, [&](std::string& o) { print(c, 0, o); });
  for (const auto& h : f.holidays) add(h.loc, [&](std::string& o) { print_holidays(h, o); });
  for (const auto& a : f.amendments) add(a.loc, [&](std::string& o) { print_amendment(a, o); });
  for (const auto& b : f.parts)
    add(b.loc, [&](std::string& o) {
      print_part(b, o);
      for (const auto& r : b.rules) print(r, 2, o);
    });
  std::stable_sort(decls.begin(), decls.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  std::string out = f.source ? "== " + f.source->path() + " ==\n" : "";
  for (const auto& d : decls) out += std::get<2>(d);
  return out;
}

std::string dump_rule_at(const File& f, int line_no, int column) {
  std::string out;
  for (const auto& r : f.rules)
    if (r.loc.line == line_no && r.loc.column == column) print(r, 0, out);
  for (const auto& b : f.parts)
    for (const auto& r : b.rules)
      if (r.loc.line == line_no && r.loc.column == column) {
        print_part(b, out);
        print(r, 2, out);
      }
  return out;
}

}  // namespace shiki::ast
