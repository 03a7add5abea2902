// `amend`: a module changes part of an imported parameter or rule without
// restating it (docs/language.md, "Amending by version").
#pragma once
#include "../diag/diag.h"
#include "program.h"

namespace shiki::resolve {

void apply_amendments(Program& p, ast::Module& module, diag::Sink& sink);

}  // namespace shiki::resolve
