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
  if (!check::run(*resolved, sink)) return nullptr;
  if (!resolved->rules.empty() && graph::run(*resolved, sink).empty()) return nullptr;
  auto program = compile::run(*resolved, sink);
  if (!program || sink.error_count() != before) return nullptr;
  program->sources = resolved;
  return program;
}

}  // namespace shiki::engine
