// Stage 1: source text -> ast::File. The only place that sees ANTLR.
#pragma once
#include <memory>

#include "../ast/ast.h"
#include "../diag/diag.h"

namespace shiki::syntax {

// Parses one file. Syntax errors are reported (the first of each file only,
// so one mistake gives one diagnostic) and yield nullopt.
std::optional<ast::File> run(std::shared_ptr<const source::SourceFile> file, diag::Sink& sink);

}  // namespace shiki::syntax
