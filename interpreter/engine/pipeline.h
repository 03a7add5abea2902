// The whole front end in one call: folder -> resolve -> check -> graph ->
// compile. Returns nullptr after reporting diagnostics.
#pragma once
#include <filesystem>
#include <memory>

#include "../bytecode/program.h"
#include "../diag/diag.h"

namespace shiki::engine {

std::shared_ptr<const bytecode::Program> build(const std::filesystem::path& dir, diag::Sink& sink);

}  // namespace shiki::engine
