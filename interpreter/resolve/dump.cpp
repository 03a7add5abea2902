// `shiki dump --stage=resolved`: the program resolve/ hands to the checker.
// Each declaration is the one in force (the last override, the parameter
// merged with its amendments, the rules a `part` block copied for each
// part), printed as the AST printer prints it, with a line saying where it
// came from.
#include <string_view>

#include "resolve.h"

namespace shiki::resolve {

namespace {

std::string place(const source::Location& loc) {
  return loc.file ? loc.file->path() + ":" + std::to_string(loc.line) : "(built in)";
}

// The printed declaration with `extra` lines put under its first line.
std::string under_header(std::string printed, const std::string& extra) {
  auto nl = printed.find('\n');
  if (nl != std::string::npos) printed.insert(nl + 1, extra);
  return printed;
}

std::string rule_text(const Program& p, int id, const DumpNotes& notes) {
  const RuleInfo& r = p.rules[id];
  std::string extra = "  entity " + p.entities[r.entity].decl->name + "  module " + r.module + "  at " +
                      place(r.decl->loc) + (r.slot < 0 ? "  (a function: not memoised)" : "") + "\n";
  if (notes.rule)
    if (std::string more = notes.rule(id); !more.empty()) extra += "  " + more + "\n";
  std::string printed;
  ast::print(*r.decl, 0, printed, notes.expr);
  return under_header(std::move(printed), extra);
}

void header(const Program& p, std::string& out) {
  out += "ruleset " + p.id + "  " + p.hash + "\n";
  out += "fiscal_years " + std::to_string(p.first_year) + " to " + std::to_string(p.last_year) + "\n";
  for (const auto& m : p.modules)
    out += "module " + m->name + "  " + m->dir + "  " + std::to_string(m->files.size()) +
           (m->files.size() == 1 ? " file\n" : " files\n");
  out += "\n";
  for (const auto& e : p.entities) {
    out += "entity " + e.decl->name;
    if (e.parent >= 0) out += " of " + p.entities[e.parent].decl->name;
    if (e.is_months) out += " months as " + e.decl->month_name;
    else if (e.decl->kind == ast::EntityKind::Group) out += " group " + e.decl->source;
    else if (e.decl->kind == ast::EntityKind::Days) out += " days";
    else if (!e.decl->field.empty()) out += " field \"" + e.decl->field + "\"";
    out += "  inputs " + std::to_string(e.inputs.size()) + ", memoised rules " + std::to_string(e.rules.size()) + "\n";
  }
  for (const auto& e : p.enums) {
    out += "enum " + e.decl->name + " {";
    for (const auto& c : e.decl->cases) out += " " + c + (&c == &e.decl->cases.back() ? "" : ",");
    out += " }\n";
  }
  for (const auto& in : p.inputs)
    out += "input " + in.display + " : " + in.decl->type.name +
           (in.decl->is_key ? " key" : " field \"" + in.decl->field + "\"") + "  slot " + std::to_string(in.slot) +
           "  at " + place(in.decl->loc) + "\n";
}

void section(std::string& out, std::string_view name, std::size_t count) {
  out += "\n-- " + std::string(name) + " (" + std::to_string(count) + ") --\n";
}

}  // namespace

std::string dump(const Program& p, int rule, const DumpNotes& notes) {
  if (rule >= 0) return rule_text(p, rule, notes);
  std::string out;
  header(p, out);
  section(out, "parameters", p.params.size());
  for (const auto& info : p.params) {
    std::string from = info.module + "  at " + place(info.decl->loc);
    if (info.first && info.first != info.decl)
      from += "  (declared in " + info.first_module + (info.first->set_by_ordinance ? ", set by ordinance)" : ")");
    std::string printed;
    ast::print(*info.decl, 0, printed, notes.expr);
    out += under_header(std::move(printed), "  module " + from + "\n");
  }
  section(out, "tables", p.tables.size());
  for (const auto& info : p.tables) {
    std::string printed;
    ast::print(*info.decl, 0, printed, notes.expr);
    out += under_header(std::move(printed), "  module " + info.module + "  at " + place(info.decl->loc) + "\n");
  }
  section(out, "rules", p.rules.size());
  for (std::size_t r = 0; r < p.rules.size(); ++r) out += rule_text(p, static_cast<int>(r), notes);
  section(out, "outputs", p.outputs.size());
  for (const auto* o : p.outputs) ast::print(*o, 0, out, notes.expr);
  section(out, "checks", p.checks.size());
  for (const auto* c : p.checks) ast::print(*c, 0, out, notes.expr);
  return out;
}

}  // namespace shiki::resolve
