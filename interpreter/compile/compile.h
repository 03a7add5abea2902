// Stage 5: checked program -> bytecode::Program (one chunk per rule, table
// version, output field and check).
#pragma once
#include <memory>

#include "../bytecode/program.h"
#include "../diag/diag.h"

namespace shiki::compile {

std::unique_ptr<bytecode::Program> run(const resolve::Program& p, diag::Sink& sink);

}  // namespace shiki::compile
