// The whole front end in one call: folder -> resolve -> check -> graph ->
// compile. Returns nullptr after reporting diagnostics.
#pragma once
#include <filesystem>
#include <memory>

#include "../bytecode/program.h"
#include "../diag/diag.h"

namespace shiki::engine {

std::shared_ptr<const bytecode::Program> build(const std::filesystem::path& dir, diag::Sink& sink);

// A figure or rule marked `unconfirmed`, where the mark was written.
struct Unconfirmed {
  source::Location location;
  std::string what;  // 医療分.所得割率 from 2024-04-01, 世帯.所得割の端数処理
  std::string why;
};
// Every one in the program as compiled (after overrides and amendments).
std::vector<Unconfirmed> unconfirmed(const bytecode::Program& program);

}  // namespace shiki::engine
