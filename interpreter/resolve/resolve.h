// Stage 2: a ruleset folder -> resolve::Program. Reads the module and the
// modules it imports (sibling folders), applies `override`, and indexes every
// declaration by name.
#pragma once
#include <filesystem>
#include <memory>

#include "../diag/diag.h"
#include "program.h"

namespace shiki::resolve {

std::unique_ptr<Program> run(const std::filesystem::path& dir, diag::Sink& sink);

// The type a type name denotes, or an error type after reporting E0107.
ast::Type type_of(const Program& p, const ast::TypeName& t, diag::Sink& sink);

}  // namespace shiki::resolve
