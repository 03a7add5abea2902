// What the ordinance must set, and a value for every year: a city that
// forgets a rate must not silently get a national placeholder, and a
// parameter that starts too late must fail here, not household by household
// at evaluation.
#include <algorithm>

#include "../time/time.h"
#include "check.h"
#include "uses.h"

namespace shiki::check {

namespace {

using diag::Code;

// The place a city's omission is reported: its `import` of the module that
// declares the figure, else the first import of the root module.
source::Location import_of(const resolve::Program& p, const std::string& module) {
  const auto& root = *p.modules.back();
  source::Location first;
  for (const auto& f : root.files)
    for (const auto& imp : f.imports) {
      if (imp.module == module) return imp.loc;
      if (!first.valid()) first = imp.loc;
    }
  return first;
}

// The version in force on 1 April of the fiscal year (賦課期日), if any.
bool has_value(const ast::Parameter& d, int year) {
  time::Date april = time::fiscal_year_start(year);
  for (const auto& v : d.versions)
    if (!(april < v.from)) return true;
  return false;
}

}  // namespace

bool check_ordinance(resolve::Program& p, diag::Sink& sink) {
  int before = sink.error_count();
  const std::string& root = p.modules.back()->name;
  std::vector<bool> unset(p.params.size());
  for (std::size_t i = 0; i < p.params.size(); ++i) {
    const auto& info = p.params[i];
    // Checking the module that declares the figure (national alone) is
    // checking a library: only a module that imports it must set it.
    if (!info.first || !info.first->set_by_ordinance || info.first_module == root) continue;
    if (info.module != info.first_module) continue;  // a later module set it
    unset[i] = true;
    sink.report({Code::E0110, import_of(p, info.first_module), {info.decl->name},
                 {{info.first->loc, "条例で定めると宣言された場所"},
                  {{}, "override parameter " + info.decl->name + " : " + info.decl->type.name +
                           " に、年度ごとの値を from の日付とともに書きます"}}});
  }
  Uses uses = uses_of(p);
  for (std::size_t i = 0; i < p.params.size(); ++i) {
    const auto& d = *p.params[i].decl;
    if (unset[i] || !uses.params[i].valid() || (d.versions.empty() && p.params[i].module == root)) continue;
    for (int y = std::max(p.first_year, uses.param_from[i]); y <= p.last_year; ++y) {
      if (has_value(d, y)) continue;
      std::string from = std::to_string(y) + "-04-01";
      sink.report({Code::E0307, d.loc, {d.name, std::to_string(y)},
                   {{uses.params[i], "ここで使われています"},
                    {{}, from + " 以前の日付から始まる値を書きます（年度の値は 4月1日 に効力のある値です）"}}});
      break;
    }
  }
  return sink.error_count() == before;
}

}  // namespace shiki::check
