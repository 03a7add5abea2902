// Stage 1: source text -> ast::File. The only place that sees ANTLR.
#pragma once
#include <memory>

#include "../ast/ast.h"
#include "../diag/diag.h"

namespace shiki::syntax {

// Parses one file. Syntax errors are reported (the first of each file only,
// so one mistake gives one diagnostic) and yield nullopt.
std::optional<ast::File> run(std::shared_ptr<const source::SourceFile> file, diag::Sink& sink);

// `shiki dump --stage=parse` (syntax/dump.cpp): the ANTLR parse tree of a
// file, one node a line: a grammar rule's name (with its alternative's
// label, `expr #mulDiv`) or a token ('rule', IDENT 世帯). With `line` > 0,
// only the rule whose name starts at line:column; "" when there is none.
std::string dump_parse_tree(const source::SourceFile& file, int line = 0, int column = 0);

}  // namespace shiki::syntax
