// Applying `amend`. A parameter's versions are merged by date into a new
// declaration the program owns: a version with a value is added, or replaces
// the one of the same date; a version without a value adds its citation and
// `unconfirmed` mark to the version of that date. A rule gets the citation
// and the mark. Nothing else of the imported declaration changes.
#include "amend.h"

#include <algorithm>

namespace shiki::resolve {

namespace {

using diag::Code;

std::string joined(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "; " + b;
}

void not_found(const Program& p, const ast::Amendment& a, diag::Sink& sink) {
  std::vector<std::string> names;
  if (a.is_rule) {
    for (const auto& r : p.rules) names.push_back(r.display);
  } else {
    for (const auto& [n, _] : p.param_by_name) names.push_back(n);
  }
  diag::Diagnostic d{Code::E0103, a.loc, {a.name}, {}};
  if (auto s = diag::did_you_mean(a.name, names); !s.empty()) {
    d.notes.push_back({{}, "もしかして「" + s + "」"});
    d.fixits.push_back({a.loc, s});
  }
  sink.report(std::move(d));
}

// The merged copy of `base` with the versions of `a`.
std::unique_ptr<ast::Parameter> merged(ast::Parameter& base, ast::Amendment& a, diag::Sink& sink) {
  auto out = std::make_unique<ast::Parameter>();
  out->name = base.name;
  out->type = base.type;
  out->source = base.source;
  out->set_by_ordinance = base.set_by_ordinance;
  out->is_override = true;
  out->loc = a.loc;
  out->versions = std::move(base.versions);  // the base is superseded: nothing reads it again
  for (auto& v : a.versions) {
    auto same = std::find_if(out->versions.begin(), out->versions.end(), [&](auto& o) { return o.from == v.from; });
    if (!v.value) {
      if (same == out->versions.end()) {
        sink.report({Code::E0111, v.loc, {base.name, time::to_string(v.from)},
                     {{{}, "値を変えずに印や出典を付けられるのは、取り込んだ版の日付だけです"}}});
        continue;
      }
      same->source.text = joined(same->source.text, v.source.text);
      same->unconfirmed = joined(same->unconfirmed, v.unconfirmed);
    } else if (same != out->versions.end()) {
      *same = std::move(v);
    } else {
      out->versions.push_back(std::move(v));
    }
  }
  std::stable_sort(out->versions.begin(), out->versions.end(), [](auto& x, auto& y) { return x.from < y.from; });
  return out;
}

void amend_rule(Program& p, ast::Amendment& a, diag::Sink& sink) {
  auto dot = a.name.find('.');
  auto e = dot == std::string::npos ? p.entity_by_name.end() : p.entity_by_name.find(a.name.substr(0, dot));
  auto r = e == p.entity_by_name.end() ? p.rule_by_name.end() : p.rule_by_name.find({e->second, a.name.substr(dot + 1)});
  if (r == p.rule_by_name.end()) return not_found(p, a, sink);
  auto& rule = const_cast<ast::Rule&>(*p.rules[r->second].decl);
  rule.source.text = joined(rule.source.text, a.source.text);
  rule.unconfirmed = joined(rule.unconfirmed, a.unconfirmed);
}

}  // namespace

void apply_amendments(Program& p, ast::Module& module, diag::Sink& sink) {
  for (auto& f : module.files)
    for (auto& a : f.amendments) {
      if (a.is_rule) {
        amend_rule(p, a, sink);
        continue;
      }
      auto it = p.param_by_name.find(a.name);
      if (it == p.param_by_name.end()) {
        not_found(p, a, sink);
        continue;
      }
      auto& info = p.params[it->second];
      p.amended.push_back(merged(const_cast<ast::Parameter&>(*info.decl), a, sink));
      info.decl = p.amended.back().get();
      info.module = module.name;
    }
}

}  // namespace shiki::resolve
