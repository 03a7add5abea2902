// The entry points the fuzz targets drive, shared by the libFuzzer
// binaries (fuzz/*_fuzz.cpp) and the plain replay test
// (tests/fuzz/replay_test.cpp), so a crash input replays exactly as found.
//
// Each one throws shiki::fuzz::Violation when the engine breaks a promise it
// makes to its callers (an uncaught exception, an error record without an
// error, a record that cannot be written as JSON); everything else — memory
// errors, undefined behaviour, hangs — the sanitizers and libFuzzer catch.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace shiki::fuzz {

struct Violation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Target 1, the ruleset front end: `text` becomes the one .shiki file of a
// module in a temporary folder (next to links to the bundled rulesets, so
// `import national` works) and goes through shiki::engine::build with a
// CaptureSink; every diagnostic is rendered with diag::render_text. Returns
// the rendered diagnostics.
std::string frontend(std::string_view text);

// Target 2, the JSON adapter: `line` is one JSON Lines line, evaluated with
// rulesets/matsudo (loaded once per process) by evaluate_text(line, {}, 1),
// again with the strict reader alone (the outcome must be the same); on
// about one input in four also with explain (JSON and text) on. Returns the
// record(s) as the CLI writes them.
std::string json_line(std::string_view line);

// Target 3, the HTTP request parser: `bytes` are what a client sent on one
// connection, read as the server reads them (fuzz/http_entry.cpp). Throws
// Violation when a refused request leaves the connection open, a status is
// not one docs/api.md lists, or the audit log gets a field a client could
// steer past its whitelist. Returns the statuses answered.
std::string http_request(std::string_view bytes);

// Where the bundled rulesets are: $SHIKI_RULESETS, else the source tree's
// rulesets/ (SHIKI_RULESETS_DIR, set at compile time).
std::string rulesets_dir();

}  // namespace shiki::fuzz
