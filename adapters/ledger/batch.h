// The yearly batch (本算定) and the reassessment of one household (更正):
// ledger -> mapping -> engine (in parallel) -> results, one transaction a run.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/ledger/mapping.h"
#include "interpreter/engine/engine.h"

namespace shiki::ledger {

// The advisory lock (classid, objid = fiscal year) a run holds from its first
// statement to its commit, so two runs of one year never interleave. 'SHIK'.
constexpr int kRunLockClass = 0x5348494B;

struct Progress {
  long done = 0;
  long failures = 0;
  long total = -1;        // -1 when not counted
  std::chrono::milliseconds elapsed{0};  // wall time since the run started
};

struct RunOptions {
  int fiscal_year = 0;
  std::optional<std::string> household;  // set: reassess this one household
  bool dry_run = false;     // evaluate and compare; write nothing
  bool wait = false;        // wait for another run of the year rather than refuse
  int jobs = 0;             // evaluation threads; 0: one a core
  std::string evaluation_date;  // YYYY-MM-DD recorded on the run; empty: the server's today
  engine::EvalOptions eval;
  int chunk_households = 500;   // households a worker takes at once
  int fetch_rows = 4000;        // rows a cursor FETCH brings
  bool count_total = false;     // count first, so progress can show time left
  std::function<void(const Progress&)> progress;
  std::function<void(const std::string&)> notice;  // "waiting for run …"
};

struct PartChange {
  std::string part;          // medical, support, care, child, or "total"
  long households = 0;       // households whose figure changes
  std::int64_t delta = 0;    // sum of new − old, yen
};

// What a dry run would change against the assessment in force.
struct DryRunDiff {
  bool has_previous = false;
  long changed = 0;          // premium.annual or any part's annual differs
  long added = 0;            // assessed now, not in force before
  long removed = 0;          // in force before, not in the ledger now
  long newly_failed = 0;     // succeeded before, fails now
  std::vector<PartChange> parts;  // total first, then each part
};

// Where the time went; the stages overlap, so they need not add up to wall.
struct Timings {
  std::chrono::milliseconds read{0};      // reader thread: FETCH and grouping
  std::chrono::milliseconds build{0};     // workers: rows -> typed household (or its JSON record)
  std::chrono::milliseconds evaluate{0};  // workers: the engine
  std::chrono::milliseconds format{0};    // workers: result -> COPY text
  std::chrono::milliseconds write{0};     // writer: COPY
  std::chrono::milliseconds commit{0};    // run row, superseding, COMMIT
  std::chrono::milliseconds wall{0};
};

// "7.7" for 7,712 ms: durations are integers here like every other figure.
inline std::string seconds_text(std::chrono::milliseconds d, int decimals = 1) {
  long long ms = d.count();
  if (decimals <= 0) return std::to_string((ms + 500) / 1000);
  long long unit = decimals == 1 ? 100 : 10;
  long long q = (ms + unit / 2) / unit;
  std::string frac = std::to_string(q % (1000 / unit));
  while (static_cast<int>(frac.size()) < decimals) frac = "0" + frac;
  return std::to_string(q / (1000 / unit)) + "." + frac;
}

struct RunReport {
  std::int64_t run_id = 0;   // 0 for a dry run
  long households = 0;
  long failures = 0;
  long orphan_rows = 0;      // mapping rows that matched no household
  long json_read = 0;        // households read through their JSON record (docs/ledger.md)
  Timings timings;
  std::optional<DryRunDiff> diff;
};

// Runs a batch (or, with options.household, a reassessment). Throws RunRefused
// when another run of the year holds the lock and !options.wait, LedgerError or
// MappingError on any failure, after which nothing of the run is committed.
RunReport run(const std::string& conninfo, const engine::Ruleset& ruleset, const Mapping& mapping,
              const RunOptions& options);

}  // namespace shiki::ledger
