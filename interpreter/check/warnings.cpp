// Warnings: what compiles but is likely wrong. A ruleset with warnings
// still runs; `shiki check --werror` makes them fail (CI).
#include "../time/time.h"
#include "check.h"
#include "uses.h"

namespace shiki::check {

namespace {

using diag::Code;

// W0001: every figure and rule cites where it comes from; explanations
// print the citation next to the figure.
void without_source(const resolve::Program& p, diag::Sink& sink) {
  for (const auto& info : p.params) {
    const auto& d = *info.decl;
    bool cited = !d.source.text.empty();
    for (const auto& v : d.versions) cited = cited || !v.source.text.empty();
    if (!cited) sink.report({Code::W0001, d.loc, {d.name}, {{{}, "source \"…\" に法令・条例の条項を書きます"}}});
  }
  for (const auto& r : p.rules)
    if (r.decl->source.text.empty())
      sink.report({Code::W0001, r.decl->loc, {r.display}, {{{}, "source \"…\" に法令・条例の条項を書きます"}}});
}

// W0002: an input, parameter or rule nothing uses is a misspelt use
// elsewhere, or left over.
void unused(const resolve::Program& p, const Uses& u, diag::Sink& sink) {
  const char* note = "使うところの名前が違っていないか確かめます。不要なら消します";
  // A key input is part of its entity (the key of a keyed, group or days
  // instance), declared whether a rule reads it or not.
  for (std::size_t i = 0; i < p.inputs.size(); ++i)
    if (!u.inputs[i].valid() && !p.inputs[i].decl->is_key) sink.report({Code::W0002, p.inputs[i].decl->loc, {p.inputs[i].display}, {{{}, note}}});
  for (std::size_t i = 0; i < p.params.size(); ++i)
    if (!u.params[i].valid()) sink.report({Code::W0002, p.params[i].decl->loc, {p.params[i].decl->name}, {{{}, note}}});
  for (std::size_t i = 0; i < p.rules.size(); ++i)
    if (!u.rules[i].valid()) sink.report({Code::W0002, p.rules[i].decl->loc, {p.rules[i].display}, {{{}, note}}});
}

source::Location years_location(const resolve::Program& p) {
  source::Location loc;
  for (const auto& m : p.modules)
    for (const auto& f : m->files)
      if (f.fiscal_years) loc = f.fiscal_years_loc;
  return loc;
}

bool within_year(time::Date d, int year) {
  return !(d < time::fiscal_year_start(year)) && !(time::fiscal_year_end(year) < d);
}

// W0003: next_business_day would move a due date over a holiday it does not know.
void holidays_missing(const resolve::Program& p, const Uses& u, diag::Sink& sink) {
  if (!u.next_business_day) return;
  for (int y = p.first_year; y <= p.last_year; ++y) {
    bool covered = false;
    for (auto d : p.holidays) covered = covered || within_year(d, y);
    if (!covered)
      sink.report({Code::W0003, years_location(p), {std::to_string(y)},
                   {{{}, "holidays に " + std::to_string(y) + "年4月から翌年3月までの祝日を書き足します"}}});
  }
}

// W0004: a fiscal year added to fiscal_years whose rates nobody entered.
void rates_carried_over(const resolve::Program& p, diag::Sink& sink) {
  const std::string& root = p.modules.back()->name;
  std::vector<const ast::Parameter*> city;
  for (const auto& info : p.params)
    if (info.first && info.first->set_by_ordinance && info.module == root && info.first_module != root)
      city.push_back(info.decl);
  if (city.empty()) return;
  for (int y = p.first_year + 1; y <= p.last_year; ++y) {
    bool changed = false;
    for (const auto* d : city)
      for (const auto& v : d->versions) changed = changed || within_year(v.from, y);
    if (!changed)
      sink.report({Code::W0004, years_location(p), {std::to_string(y)},
                   {{{}, "その年度の料率を from " + std::to_string(y) + "-04-01 で書きます（前年度と同じでも書くと、確かめたことが残ります）"}}});
  }
}

}  // namespace

void warn(const resolve::Program& p, diag::Sink& sink) {
  Uses u = uses_of(p);
  without_source(p, sink);
  unused(p, u, sink);
  holidays_missing(p, u, sink);
  rates_carried_over(p, sink);
}

}  // namespace shiki::check
