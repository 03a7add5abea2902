// The one door the adapters (CLI, JSON Lines, PostgreSQL batch, HTTP API)
// use: load a ruleset once, then evaluate households on any number of threads.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "../vm/household.h"
#include "result.h"

namespace shiki::diag {
class Sink;
}
namespace shiki::bytecode {
struct Program;
}

namespace shiki::engine {

struct RulesetInfo {
  std::string id;                  // the module's folder name: "matsudo"
  std::string hash;                // "sha256:…" over every source file it uses
  std::vector<int> fiscal_years;   // fiscal years its parameters cover
};

// Bounds on one household record, enforced while its text is read, so that
// an oversized record is refused for what it is (an error record naming the
// field) and costs no more memory than a record at the limit.
struct InputLimits {
  // Entries of an array, by the array's field name (members, nhi_periods,
  // claims, …); "default" for every name not listed, so arrays added to the
  // contract later are bounded without a change here.
  std::map<std::string, std::size_t, std::less<>> max_array_items = {{"default", 100}};
  std::size_t max_depth = 16;  // nested objects and arrays; the contract needs 4
  std::size_t items_for(std::string_view array_name) const {
    auto it = max_array_items.find(array_name);
    if (it == max_array_items.end()) it = max_array_items.find("default");
    return it == max_array_items.end() ? 100 : it->second;
  }
};

struct EvalOptions {
  bool explain = false;            // add "explain": a trace of every figure
  bool ignore_unknown_fields = false;
  bool explain_text = false;       // fill Outcome::text with the readable summary
  bool explain_full = false;       // … with the whole tree instead of the summary
  bool record_as_text = false;     // streaming: a good record comes back serialised in
                                   // Outcome::text (same bytes as record.dump()), record empty
  int fiscal_year = 0;             // the year asked for (`--year`); a record of another year is an
                                   // error record naming fiscal_year. 0: the record's own year
  bool every_month = false;        // compute every month even where the ruleset's `alike when`
                                   // holds (the figures must not change: a check of that promise)
  InputLimits limits;
  std::string evaluation_date;     // "YYYY-MM-DD": the run's date (benefits.md §10.1), used for a
                                   // record without its own evaluation_date; "" none
  bool fast_reader = true;         // JSON text is read by the fast reader where it reads it as the
                                   // strict one does; false: by the strict one alone (to compare them)
};

// The outcome of one household: either the output record of household.md,
// or its error record ({"household_id", "error": {"field", "message"}}).
struct Outcome {
  bool ok = false;
  nlohmann::json record;
  std::string text;                // the readable explanation, when asked
};

// What is wrong with one household: the field (members[1].birth_date, or
// the output or rule being evaluated) and why. Adapters add the household id.
struct Problem {
  std::string field;
  std::string message;
};

// The typed household: every entity's instances and input values, filled by
// an adapter from the ruleset's input declarations.
using Household = vm::Household;

struct OutputLayout;

// What an adapter that fills households and reads results itself (the
// ledger's rows) needs of a ruleset: the program whose `entity` and `input`
// declarations lay out a Household, and the layout a Result is read by.
struct Schema {
  const bytecode::Program* program = nullptr;
  const OutputLayout* outputs = nullptr;
  // The root's `evaluation_date` input slot, -1 if the ruleset reads none:
  // the run's date (EvalOptions::evaluation_date) fills it when it is empty.
  int evaluation_date_slot = -1;
};

class Evaluator;

// A compiled ruleset: immutable, shared by every thread.
class Ruleset {
 public:
  // Compiles the module in `dir` (and what it imports). Diagnostics go to
  // `sink`; nullptr when there was an error.
  static std::shared_ptr<const Ruleset> load(const std::filesystem::path& dir, diag::Sink& sink);
  virtual ~Ruleset() = default;
  virtual const RulesetInfo& info() const = 0;
  // The typed household's schema; nullptr for a ruleset that speaks only
  // JSON (the ledger tests' stand-in engine).
  virtual const Schema* schema() const { return nullptr; }
  // One evaluator per thread; it reuses its state from household to household.
  virtual std::unique_ptr<Evaluator> evaluator() const = 0;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // `household` is one input record of household.md. `line` (1-based, 0 if
  // none) names the record in an error when it has no usable household_id.
  virtual Outcome evaluate(const nlohmann::json& household, const EvalOptions& options,
                           int line = 0) = 0;
  // The same for one JSON text (a JSON Lines line); a line that is not JSON
  // gets an error record carrying "line".
  virtual Outcome evaluate_text(std::string_view text, const EvalOptions& options, int line) = 0;

  // The same path in its three stages, for adapters that fill households or
  // read results themselves and for `shiki bench`:
  // (1) parse: one JSON text into a typed household (the JSON adapter's);
  virtual std::optional<Problem> read_text(std::string_view text, const EvalOptions& options, Household& h) = 0;
  // (2) evaluate: typed household to typed result, no JSON; the result is
  //     read before `h` is reused;
  virtual std::optional<Problem> evaluate(Household& h, Result& result) = 0;
  // (3) write: the result as the output record's JSON text.
  virtual void write_text(const Result& result, std::string& out) = 0;
};

}  // namespace shiki::engine
