// `part … as … { … }`: rules stated once for every premium part, expanded
// into one rule per part before names are indexed (docs/language.md).
#pragma once
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../ast/ast.h"

namespace shiki::resolve {

void expand_parts(std::vector<std::unique_ptr<ast::Module>>& modules);

}  // namespace shiki::resolve
