// libFuzzer target 2: one JSON Lines line -> household or error record,
// evaluated with rulesets/matsudo; see entry.h.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "entry.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Compile the ruleset before the first input, so its cost and allocations
  // are not charged to an input.
  shiki::fuzz::json_line("{}");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    shiki::fuzz::json_line(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "==shiki fuzz== json: %s\n", e.what());
    std::abort();
  }
  return 0;
}
