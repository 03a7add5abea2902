// libFuzzer target 1: ruleset source text -> diagnostics.
// The input is one .shiki file; see entry.h.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    shiki::fuzz::frontend(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "==shiki fuzz== frontend: %s\n", e.what());
    std::abort();
  }
  return 0;
}
