// The yearly batch (本算定) and the reassessment of one household (更正):
// ledger -> mapping -> engine (in parallel) -> results, one transaction a run.
#pragma once
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
  double seconds = 0;     // wall time since the run started (not a household value)
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
  double read = 0;       // reader thread: FETCH and grouping
  double build = 0;      // workers: rows -> household JSON
  double evaluate = 0;   // workers: the engine
  double format = 0;     // workers: outcome -> COPY text
  double write = 0;      // writer: COPY
  double commit = 0;     // run row, superseding, COMMIT
  double wall = 0;
};

struct RunReport {
  std::int64_t run_id = 0;   // 0 for a dry run
  long households = 0;
  long failures = 0;
  long orphan_rows = 0;      // mapping rows that matched no household
  Timings timings;
  std::optional<DryRunDiff> diff;
};

// Runs a batch (or, with options.household, a reassessment). Throws RunRefused
// when another run of the year holds the lock and !options.wait, LedgerError or
// MappingError on any failure, after which nothing of the run is committed.
RunReport run(const std::string& conninfo, const engine::Ruleset& ruleset, const Mapping& mapping,
              const RunOptions& options);

}  // namespace shiki::ledger
