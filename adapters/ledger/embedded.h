// Files embedded into the binary at build time (embed_files.cmake): the
// numbered migrations and the reference mapping.
#pragma once
#include <string_view>
#include <vector>

namespace shiki::ledger {

struct EmbeddedFile {
  std::string_view path;      // relative to adapters/ledger: "migrations/001_results.sql"
  std::string_view contents;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace shiki::ledger
