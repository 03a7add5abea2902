// Stage 2: a ruleset folder -> resolve::Program. Reads the module and the
// modules it imports (sibling folders), applies `override`, and indexes every
// declaration by name.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>

#include "../ast/dump.h"
#include "../diag/diag.h"
#include "program.h"

namespace shiki::resolve {

std::unique_ptr<Program> run(const std::filesystem::path& dir, diag::Sink& sink);

// The type a type name denotes, or an error type after reporting E0107.
ast::Type type_of(const Program& p, const ast::TypeName& t, diag::Sink& sink);

// What a later stage adds to the print of the program (check/: each
// expression's type and referent, each rule's uses).
struct DumpNotes {
  ast::Note expr;                             // appended to an expression's line
  std::function<std::string(int rule)> rule;  // a line under a rule's header
};
// `shiki dump --stage=resolved` (resolve/dump.cpp): every declaration in
// force, after parts, amendments and overrides, with its full name, entity,
// module and place; or only the rule with id `rule` when it is >= 0.
std::string dump(const Program& p, int rule = -1, const DumpNotes& notes = {});

}  // namespace shiki::resolve
