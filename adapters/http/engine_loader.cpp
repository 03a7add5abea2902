// The production loader, kept in its own file so that the tests, which
// inject fakes, never link against the real compiler.
#include <sstream>

#include "adapters/http/catalog.h"
#include "interpreter/diag/diag.h"

namespace shiki::http {

RulesetLoader engine_loader() {
  return [](const std::string&, const std::filesystem::path& dir) {
    diag::CaptureSink sink;
    LoadResult result;
    result.ruleset = engine::Ruleset::load(dir, sink);
    for (const auto& d : sink.diagnostics) {
      std::ostringstream text;
      diag::render_text(d, text);
      result.diagnostics.push_back(text.str());
    }
    return result;
  };
}

}  // namespace shiki::http
