#include "pipeline.h"

#include "../check/check.h"
#include "../compile/compile.h"
#include "../graph/graph.h"
#include "../resolve/resolve.h"

namespace shiki::engine {

std::shared_ptr<const bytecode::Program> build(const std::filesystem::path& dir, diag::Sink& sink) {
  int before = sink.error_count();
  std::shared_ptr<resolve::Program> resolved = resolve::run(dir, sink);
  if (!resolved || sink.error_count() != before) return nullptr;
  if (!check::run(*resolved, sink) || !check::check_ordinance(*resolved, sink)) return nullptr;
  if (!resolved->rules.empty() && graph::run(*resolved, sink).empty()) return nullptr;
  auto program = compile::run(*resolved, sink);
  if (!program || sink.error_count() != before) return nullptr;
  program->sources = resolved;
  check::warn(*resolved, sink);
  return program;
}

std::vector<Unconfirmed> unconfirmed(const bytecode::Program& program) {
  // build() keeps the resolved program there.
  auto p = std::static_pointer_cast<const resolve::Program>(program.sources);
  std::vector<Unconfirmed> out;
  if (!p) return out;
  for (const auto& info : p->params)
    for (const auto& v : info.decl->versions)
      if (!v.unconfirmed.empty())
        out.push_back({v.loc, info.decl->name + " from " + time::to_string(v.from), v.unconfirmed});
  for (const auto& r : p->rules)
    if (!r.decl->unconfirmed.empty()) out.push_back({r.decl->loc, r.display, r.decl->unconfirmed});
  return out;
}

}  // namespace shiki::engine
