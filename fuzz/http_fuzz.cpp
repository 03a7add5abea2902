// libFuzzer target 3: the bytes of one connection -> Boost.Beast's request
// parser and the server's own steps per request; see entry.h.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "entry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    shiki::fuzz::http_request(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "==shiki fuzz== http: %s\n", e.what());
    std::abort();
  }
  return 0;
}
