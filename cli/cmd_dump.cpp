// shiki dump --stage=NAME [--year N] DIR [RULE]: the form a ruleset (or one
// of its rules) takes after each stage of the pipeline (docs/pipeline.md).
// Each stage prints itself (its folder's dump.cpp); this file runs the
// stages up to the one asked and finds the rule.
#include <algorithm>
#include <array>
#include <iostream>

#include "commands.h"
#include "interpreter/check/check.h"
#include "interpreter/engine/pipeline.h"
#include "interpreter/graph/graph.h"
#include "interpreter/resolve/resolve.h"
#include "interpreter/specialise/specialise.h"
#include "interpreter/syntax/syntax.h"

namespace shiki::cli {

namespace {

// In pipeline order.
constexpr std::array<const char*, 7> kStages = {"parse", "ast", "resolved", "checked", "graph", "bytecode", "plan"};

struct DumpArgs {
  std::string stage, dir, rule;
  int year = 0;
};

// A mistake in the command line: exit 2, as a mistake in the ruleset is 1.
int usage(const std::string& message) {
  std::cerr << "shiki dump: " << message << "\n";
  return 2;
}

// The id of the rule shown as `name` (世帯.医療分.所得割額), or -1 after
// saying which rules come close: the one a letter or two away, or those
// whose names contain it (the ruleset has hundreds, too many to list).
int rule_id(const std::vector<std::string>& names, const std::string& name) {
  if (auto it = std::find(names.begin(), names.end(), name); it != names.end())
    return static_cast<int>(it - names.begin());
  std::string close = diag::did_you_mean(name, names);
  std::vector<std::string> containing;
  for (const auto& n : names)
    if (n.find(name) != std::string::npos) containing.push_back(n);
  if (!close.empty()) containing = {close};
  std::string msg = "no rule named " + name;
  if (containing.empty()) msg += "; `shiki dump --stage=graph DIR` lists every rule";
  else msg += containing.size() == 1 ? "; did you mean:" : "; the rules whose names contain it:";
  for (std::size_t i = 0; i < containing.size() && i < 40; ++i) msg += "\n  " + containing[i];
  if (containing.size() > 40) msg += "\n  … and " + std::to_string(containing.size() - 40) + " more";
  usage(msg);
  return -1;
}

std::vector<std::string> rule_names(const resolve::Program& p) {
  std::vector<std::string> out;
  for (const auto& r : p.rules) out.push_back(r.display);
  return out;
}

// parse and ast: the files as read, before resolve changed them (parts
// expanded, amendments merged), so each file is read again.
int dump_source(const resolve::Program& p, bool tree, int rule) {
  const source::Location* at = rule >= 0 ? &p.rules[rule].decl->loc : nullptr;
  for (const auto& m : p.modules)
    for (const auto& f : m->files) {
      if (at && f.source.get() != at->file) continue;
      if (at) std::cout << "== " << f.source->path() << ":" << at->line << " ==\n";
      if (tree) {
        if (!at) std::cout << "== " << f.source->path() << " ==\n";
        std::cout << syntax::dump_parse_tree(*f.source, at ? at->line : 0, at ? at->column : 0);
        continue;
      }
      diag::TextSink sink(std::cerr);
      auto file = syntax::run(f.source, sink);
      if (!file) return 1;
      std::cout << (at ? ast::dump_rule_at(*file, at->line, at->column) : ast::dump(*file));
    }
  return 0;
}

int dump_compiled(const DumpArgs& args, bool plan) {
  diag::TextSink sink(std::cerr);
  auto program = engine::build(args.dir, sink);
  if (!program) return 1;
  int rule = args.rule.empty() ? -1 : rule_id(program->rule_names, args.rule);
  if (rule < 0 && !args.rule.empty()) return 2;
  if (!plan) {
    if (rule >= 0) std::cout << bytecode::disassemble(*program, program->chunks[program->rule_chunk[rule]]);
    else
      for (const auto& c : program->chunks) std::cout << bytecode::disassemble(*program, c);
    return 0;
  }
  int year = args.year ? args.year : program->last_year;
  if (year < program->first_year || year > program->last_year)
    return usage("--year " + std::to_string(year) + " is not among the ruleset's fiscal years " +
                 std::to_string(program->first_year) + " to " + std::to_string(program->last_year));
  std::cout << specialise::dump(*specialise::run(program, year), rule);
  return 0;
}

int dump(const DumpArgs& args) {
  auto stage = std::find(kStages.begin(), kStages.end(), args.stage);
  if (stage == kStages.end()) {
    std::string list;
    for (const char* s : kStages) list += std::string(list.empty() ? "" : ", ") + s;
    return usage("no stage named " + args.stage + "; the stages, in pipeline order: " + list);
  }
  std::string name = *stage;
  if (args.year && name != "plan") return usage("--year is for --stage=plan only");
  if (name == "bytecode" || name == "plan") return dump_compiled(args, name == "plan");
  diag::TextSink sink(std::cerr);
  auto p = resolve::run(args.dir, sink);
  if (!p || sink.error_count() > 0) return 1;
  int rule = args.rule.empty() ? -1 : rule_id(rule_names(*p), args.rule);
  if (rule < 0 && !args.rule.empty()) return 2;
  if (name == "parse" || name == "ast") return dump_source(*p, name == "parse", rule);
  if (name == "resolved") {
    std::cout << resolve::dump(*p, rule);
    return 0;
  }
  if (!check::run(*p, sink) || !check::check_ordinance(*p, sink)) return 1;
  if (name == "checked") {
    std::cout << check::dump(*p, rule);
    return 0;
  }
  auto order = graph::run(*p, sink);
  if (order.empty() && !p->rules.empty()) return 1;
  std::cout << graph::dump(*p, order, rule);
  return 0;
}

}  // namespace

void register_dump_command(CLI::App& app) {
  auto* d = app.add_subcommand("dump", "各段階の中間形を表示します (parse tree, AST, resolved, checked, graph, bytecode, plan)");
  static DumpArgs args;
  d->add_option("--stage", args.stage, "parse, ast, resolved, checked, graph, bytecode or plan")->required();
  d->add_option("--year", args.year, "fiscal year of --stage=plan (default: the ruleset's last)");
  d->add_option("dir", args.dir, "ruleset folder")->required();
  d->add_option("rule", args.rule, "a rule's full name, 世帯.医療分.所得割額 (default: everything)");
  d->callback([] { std::exit(dump(args)); });
}

}  // namespace shiki::cli
