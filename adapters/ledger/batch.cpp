#include "adapters/ledger/batch.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/ledger/bounded_queue.h"
#include "adapters/ledger/copy_text.h"
#include "adapters/ledger/errors.h"
#include "adapters/ledger/household_reader.h"
#include "adapters/ledger/result_rows.h"
#include "adapters/ledger/results.h"
#include "adapters/ledger/typed_household.h"

namespace shiki::ledger {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// Accumulates a stage's busy time from several threads.
struct StageClock {
  std::atomic<std::int64_t> ns{0};
  void add(Clock::time_point start) { add(start, Clock::now()); }
  void add(Clock::time_point start, Clock::time_point end) {
    ns += std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
  }
  std::chrono::milliseconds total() const { return std::chrono::milliseconds(ns.load() / 1'000'000); }
};

struct Tables {
  std::string households, members;
};

void prepare_session(pqxx::connection& c, const std::string& role, const RunOptions& o) {
  pqxx::nontransaction n(c);
  // ISO dates are what the mapping's date columns turn into ("YYYY-MM-DD").
  n.exec("SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8'");
  n.exec("SET application_name = " +
         n.quote(fmt::format("shiki {} FY{}", role, o.fiscal_year)));
}

// Takes the year's run lock, or says who holds it.
void lock_year(pqxx::work& tx, const RunOptions& o) {
  if (tx.exec_params1("SELECT pg_try_advisory_xact_lock($1, $2)", kRunLockClass, o.fiscal_year)[0]
          .as<bool>())
    return;
  auto holder = tx.exec_params(
      "SELECT a.pid, coalesce(a.application_name, ''), "
      "       coalesce(to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS'), '') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.objid::bigint = $2 "
      "  AND l.objsubid = 2 AND l.granted",
      kRunLockClass, o.fiscal_year);
  std::string who = holder.empty() ? std::string("another session")
                                   : fmt::format("server process {} ({}, since {})", holder[0][0].c_str(),
                                                 holder[0][1].c_str(), holder[0][2].c_str());
  if (!o.wait)
    throw RunRefused(fmt::format(
        "another run for FY{} is in progress ({}); nothing was done. Retry when it has finished, "
        "or pass --wait to queue behind it",
        o.fiscal_year, who));
  if (o.notice) o.notice(fmt::format("waiting for the run of FY{} held by {}", o.fiscal_year, who));
  tx.exec_params("SELECT pg_advisory_xact_lock($1, $2)", kRunLockClass, o.fiscal_year);
}

std::int64_t insert_run(pqxx::work& tx, const engine::RulesetInfo& info, const Mapping& mapping,
                        const RunOptions& o) {
  const char* household = o.household ? o.household->c_str() : nullptr;
  const char* date = o.evaluation_date.empty() ? nullptr : o.evaluation_date.c_str();
  return tx
      .exec_params1(
          "INSERT INTO shiki.runs (kind, fiscal_year, household_id, ruleset_id, ruleset_hash, "
          "  mapping_hash, evaluation_date, started_at, status) "
          "VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::date, current_date), clock_timestamp(), "
          "  'current') RETURNING run_id",
          o.household ? "reassess" : "batch", o.fiscal_year, household, info.id, info.hash,
          mapping.hash, date)[0]
      .as<std::int64_t>();
}

// A dry run writes into temporary copies of the result tables, which vanish
// with its transaction; the comparison is then one SQL query.
Tables temp_tables(pqxx::work& tx) {
  tx.exec(
      "CREATE TEMP TABLE household_results (LIKE shiki.household_results) ON COMMIT DROP; "
      "CREATE TEMP TABLE member_results (LIKE shiki.member_results) ON COMMIT DROP");
  return {"pg_temp.household_results", "pg_temp.member_results"};
}

DryRunDiff compare(pqxx::work& tx, int fiscal_year) {
  DryRunDiff d;
  d.has_previous = tx.exec_params1("SELECT EXISTS (SELECT 1 FROM shiki.runs WHERE fiscal_year = $1 "
                                   "AND status = 'current')", fiscal_year)[0].as<bool>();
  std::string changed_any = "n.annual IS DISTINCT FROM o.annual";
  std::string sums;
  for (const auto& p : kParts) {
    changed_any += fmt::format(" OR n.{0}_annual IS DISTINCT FROM o.{0}_annual", p);
    sums += fmt::format(
        ", count(*) FILTER (WHERE n.ok AND o.ok AND n.{0}_annual IS DISTINCT FROM o.{0}_annual)"
        ", coalesce(sum(coalesce(n.{0}_annual, 0) - coalesce(o.{0}_annual, 0)) "
        "    FILTER (WHERE n.ok AND o.ok), 0)",
        p);
  }
  auto r = tx.exec_params1(fmt::format(
      "SELECT count(*) FILTER (WHERE n.ok AND o.ok AND ({0})), "
      "  count(*) FILTER (WHERE o.household_id IS NULL), "
      "  count(*) FILTER (WHERE n.household_id IS NULL), "
      "  count(*) FILTER (WHERE o.ok AND NOT n.ok), "
      "  count(*) FILTER (WHERE n.ok AND o.ok AND n.annual IS DISTINCT FROM o.annual), "
      "  coalesce(sum(n.annual - o.annual) FILTER (WHERE n.ok AND o.ok), 0) {1} "
      "FROM pg_temp.household_results n "
      "FULL JOIN (SELECT * FROM shiki.current_household_results WHERE fiscal_year = $1) o "
      "  USING (household_id)",
      changed_any, sums), fiscal_year);
  d.changed = r[0].as<long>();
  d.added = r[1].as<long>();
  d.removed = r[2].as<long>();
  d.newly_failed = r[3].as<long>();
  d.parts.push_back({"total", r[4].as<long>(), r[5].as<std::int64_t>()});
  for (std::size_t i = 0; i < kParts.size(); ++i)
    d.parts.push_back({kParts[i], r[int(6 + 2 * i)].as<long>(), r[int(7 + 2 * i)].as<std::int64_t>()});
  return d;
}

void finish_run(pqxx::work& tx, std::int64_t run_id, const RunReport& report, const RunOptions& o) {
  tx.exec_params("UPDATE shiki.runs SET households = $2, failures = $3, finished_at = clock_timestamp() "
                 "WHERE run_id = $1",
                 run_id, report.households, report.failures);
  // A batch replaces everything in force for the year (batch and 更正 alike);
  // a reassessment replaces only earlier reassessments of its household.
  if (o.household)
    tx.exec_params("UPDATE shiki.runs SET status = 'superseded', superseded_by = $1 "
                   "WHERE fiscal_year = $2 AND kind = 'reassess' AND household_id = $3 "
                   "  AND status = 'current' AND run_id <> $1",
                   run_id, o.fiscal_year, *o.household);
  else
    tx.exec_params("UPDATE shiki.runs SET status = 'superseded', superseded_by = $1 "
                   "WHERE fiscal_year = $2 AND status = 'current' AND run_id <> $1",
                   run_id, o.fiscal_year);
}

struct InChunk {
  std::vector<HouseholdRows> rows;
};

// The three stages and their queues. Every thread catches its own failure,
// records the first one and aborts both queues so the others stop promptly.
class Pipeline {
 public:
  Pipeline(const engine::Ruleset& ruleset, const Mapping& mapping, const RunOptions& o,
           std::int64_t run_id)
      : ruleset_(ruleset), mapping_(mapping), o_(o), run_id_(run_id),
        jobs_(o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency())),
        in_(static_cast<std::size_t>(jobs_) * 2), out_(static_cast<std::size_t>(jobs_) * 2) {}

  void run(HouseholdReader& reader, pqxx::work& tx, const Tables& tables, RunReport& report,
           long total, Clock::time_point started);

  Timings timings;

 private:
  void fail(std::exception_ptr e) {
    {
      std::lock_guard lock(error_mutex_);
      if (!error_) error_ = e;
    }
    in_.abort();
    out_.abort();
  }
  void read(HouseholdReader& reader);
  // One worker's own state, reused from household to household.
  struct Worker {
    std::unique_ptr<engine::Evaluator> evaluator;
    std::optional<ResultRows> rows;  // the typed path's writer
    engine::Household household;
    engine::Result result;
    std::string text;
  };
  void work(std::shared_ptr<const Shapes> shapes, const TypedHouseholds* typed);
  bool work_typed(const HouseholdRows& rows, const TypedHouseholds& typed, Worker& w, ResultBlock& block);
  void write(pqxx::work& tx, const Tables& tables, RunReport& report, long total,
             Clock::time_point started);

  const engine::Ruleset& ruleset_;
  const Mapping& mapping_;
  const RunOptions& o_;
  std::int64_t run_id_;
  int jobs_;
  BoundedQueue<InChunk> in_;
  BoundedQueue<ResultBlock> out_;
  std::mutex error_mutex_;
  std::exception_ptr error_;
  StageClock read_, build_, evaluate_, format_, write_;
  std::atomic<long> json_read_{0};
};

void Pipeline::read(HouseholdReader& reader) {
  try {
    InChunk chunk;
    auto t = Clock::now();
    while (auto rows = reader.next()) {
      chunk.rows.push_back(std::move(*rows));
      if (chunk.rows.size() < static_cast<std::size_t>(o_.chunk_households)) continue;
      read_.add(t);
      if (!in_.push(std::exchange(chunk, {}))) return;
      t = Clock::now();
    }
    read_.add(t);
    if (!chunk.rows.empty()) in_.push(std::move(chunk));
    in_.finish();
  } catch (...) {
    fail(std::current_exception());
  }
}

// The typed path: rows -> Household -> Result -> COPY text, no JSON. False
// when the household is to take the JSON path instead.
bool Pipeline::work_typed(const HouseholdRows& rows, const TypedHouseholds& typed, Worker& w, ResultBlock& block) {
  auto t0 = Clock::now();
  if (!typed.fill(rows, w.household)) return false;
  auto t1 = Clock::now();
  std::optional<engine::Problem> problem;
  bool threw = false;
  try {
    problem = w.evaluator->evaluate(w.household, w.result);
  } catch (const std::exception& e) {
    // As on the JSON path: the household gets its error, the run goes on.
    problem = engine::Problem{"", e.what()};
    threw = true;
  }
  auto t2 = Clock::now();
  if (problem) {
    append_failure(block, run_id_, rows.household_id, threw ? nullptr : &problem->field, problem->message);
  } else if (w.rows->fits()) {
    w.rows->append(block, run_id_, rows.household_id, w.result);
  } else {
    // A record the columns do not take as they are: stored through its JSON,
    // which names what is wrong with it as it always has.
    w.text.clear();
    w.evaluator->write_text(w.result, w.text);
    append_outcome(block, run_id_, rows.household_id, {true, nlohmann::json::parse(w.text), {}});
  }
  build_.add(t0, t1), evaluate_.add(t1, t2), format_.add(t2);
  return true;
}

void Pipeline::work(std::shared_ptr<const Shapes> shapes, const TypedHouseholds* typed) {
  try {
    Worker w;
    w.evaluator = ruleset_.evaluator();
    if (typed) w.rows.emplace(*ruleset_.schema()->program, *ruleset_.schema()->outputs);
    auto& evaluator = w.evaluator;
    while (auto chunk = in_.pop()) {
      ResultBlock block;
      for (const auto& rows : chunk->rows) {
        if (typed && work_typed(rows, *typed, w, block)) continue;
        ++json_read_;
        auto t0 = Clock::now();
        nlohmann::json household = to_household_json(rows, *shapes, mapping_);
        auto t1 = Clock::now();
        engine::Outcome outcome;
        try {
          outcome = evaluator->evaluate(household, o_.eval, 0);
        } catch (const std::exception& e) {
          // The engine should answer with an error record; if it throws
          // instead, the household still gets its error and the run goes on.
          outcome.ok = false;
          outcome.record = {{"household_id", rows.household_id},
                            {"error", {{"field", nullptr}, {"message", e.what()}}}};
        }
        auto t2 = Clock::now();
        append_outcome(block, run_id_, rows.household_id, outcome);
        build_.add(t0, t1), evaluate_.add(t1, t2), format_.add(t2);
      }
      chunk.reset();  // release the fetched blocks before waiting on the writer
      if (!out_.push(std::move(block))) return;
    }
  } catch (...) {
    fail(std::current_exception());
  }
}

void Pipeline::write(pqxx::work& tx, const Tables& tables, RunReport& report, long total,
                     Clock::time_point started) {
  while (auto block = out_.pop()) {
    auto t = Clock::now();
    // One COPY a block and table: a connection has one COPY open at a time,
    // and switching between the two tables each block keeps memory bounded.
    for (auto [table, lines] : {std::pair{&tables.households, &block->households},
                                std::pair{&tables.members, &block->members}}) {
      if (lines->empty()) continue;
      lines->pop_back();  // libpqxx ends the last line itself
      pqxx::stream_to stream(tx, *table, table == &tables.households ? kHouseholdResultColumns
                                                                   : kMemberResultColumns);
      stream << copy::RawBlock{lines};
      stream.complete();
    }
    write_.add(t);
    report.households += block->household_count;
    report.failures += block->failures;
    if (o_.progress) o_.progress({report.households, report.failures, total, since(started)});
  }
}

void Pipeline::run(HouseholdReader& reader, pqxx::work& tx, const Tables& tables, RunReport& report,
                   long total, Clock::time_point started) {
  // The typed path when the ruleset has a schema and the mapping's columns
  // all find their inputs; otherwise every household goes through JSON.
  std::unique_ptr<TypedHouseholds> typed;
  if (const engine::Schema* schema = ruleset_.schema(); schema && !o_.eval.explain && !o_.eval.explain_text) {
    typed = std::make_unique<TypedHouseholds>(*schema, *reader.shapes(), mapping_, o_.eval);
    if (!typed->always_json().empty()) {
      if (o_.notice) o_.notice("every household is read through its JSON record: " + typed->always_json());
      typed.reset();
    } else if (!ResultRows(*schema->program, *schema->outputs).fits() && o_.notice) {
      o_.notice("the ruleset's output record is not household.md's shape; results are stored through JSON");
    }
  }
  std::vector<std::thread> threads;
  threads.emplace_back([&] { read(reader); });
  for (int i = 0; i < jobs_; ++i)
    threads.emplace_back([&, shapes = reader.shapes()] { work(shapes, typed.get()); });
  // Workers are done when the input is drained; only then is the output
  // finished, so the writer below sees every block.
  std::thread closer([&] {
    for (std::size_t i = 1; i < threads.size(); ++i) threads[i].join();
    out_.finish();
  });
  try {
    write(tx, tables, report, total, started);
  } catch (...) {
    fail(std::current_exception());
  }
  closer.join();
  threads[0].join();
  if (error_) std::rethrow_exception(error_);
  timings.read = read_.total();
  timings.build = build_.total();
  timings.evaluate = evaluate_.total();
  timings.format = format_.total();
  timings.write = write_.total();
  report.json_read = json_read_.load();
}

std::string what_of(const RunOptions& o) {
  return o.household ? fmt::format("reassessment of household {} for FY{}", *o.household, o.fiscal_year)
                     : fmt::format("{}batch for FY{}", o.dry_run ? "dry-run " : "", o.fiscal_year);
}

RunReport run_unwrapped(const std::string& conninfo, const engine::Ruleset& ruleset,
                        const Mapping& mapping, const RunOptions& o) {
  auto started = Clock::now();
  pqxx::connection writer(conninfo), reading(conninfo);
  prepare_session(writer, o.household ? "reassess" : "batch", o);
  prepare_session(reading, "reader", o);
  RunReport report;
  pqxx::work tx(writer);
  Tables tables{"shiki.household_results", "shiki.member_results"};
  if (o.dry_run) tables = temp_tables(tx);
  else lock_year(tx, o);
  if (!o.dry_run) report.run_id = insert_run(tx, ruleset.info(), mapping, o);

  // One snapshot for every query of the mapping, so the streams agree.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> rtx(reading);
  // The mapping's sorts stay in memory. Every row is read, so the cursors are
  // planned for all of their rows rather than the first tenth (hash joins
  // and one sort, not an index probe per row), and without JIT, which the
  // reference members query's estimates call in for seconds of compiling.
  rtx.exec("SET LOCAL work_mem = '64MB'; SET LOCAL cursor_tuple_fraction = 1; SET LOCAL jit = off");
  for (const auto& [name, value] : mapping.settings)
    rtx.exec_params("SELECT set_config($1, $2, true)", name, value);
  long total = o.count_total ? count_households(rtx, mapping, o.fiscal_year, o.household) : -1;
  HouseholdReader reader(rtx, mapping, o.fiscal_year, o.household, o.fetch_rows);
  Pipeline pipeline(ruleset, mapping, o, report.run_id);
  pipeline.run(reader, tx, tables, report, total, started);
  report.timings = pipeline.timings;
  report.orphan_rows = reader.orphan_rows();
  rtx.commit();
  if (o.household && report.households == 0)
    throw LedgerError(fmt::format("household {} is not in the ledger for FY{}; nothing was recorded",
                                  *o.household, o.fiscal_year));

  auto t = Clock::now();
  if (o.dry_run) {
    report.diff = compare(tx, o.fiscal_year);
    tx.abort();
  } else {
    finish_run(tx, report.run_id, report, o);
    try {
      tx.commit();
    } catch (const pqxx::in_doubt_error& e) {
      throw LedgerError(fmt::format(
          "the connection was lost while committing run {} ({}); whether it committed is unknown: "
          "SELECT status FROM shiki.runs WHERE run_id = {} tells",
          report.run_id, what_of(o), report.run_id));
    }
  }
  report.timings.commit = since(t);
  report.timings.wall = since(started);
  return report;
}

}  // namespace

RunReport run(const std::string& conninfo, const engine::Ruleset& ruleset, const Mapping& mapping,
              const RunOptions& o) {
  try {
    return run_unwrapped(conninfo, ruleset, mapping, o);
  } catch (const LedgerError&) {
    throw;
  } catch (const pqxx::broken_connection& e) {
    throw LedgerError(fmt::format(
        "lost the connection to PostgreSQL during the {}: {}; nothing of this run was committed",
        what_of(o), e.what()));
  } catch (const pqxx::sql_error& e) {
    // 08: connection exception; 57: operator intervention (the server shut
    // down or the session was terminated). Both mean the server went away.
    if (e.sqlstate().starts_with("08") || e.sqlstate().starts_with("57"))
      throw LedgerError(fmt::format(
          "lost the connection to PostgreSQL during the {}: {}; nothing of this run was committed",
          what_of(o), e.what()));
    throw LedgerError(fmt::format("PostgreSQL refused a statement of the {}: {}; nothing of this run "
                                  "was committed",
                                  what_of(o), e.what()));
  } catch (const std::exception& e) {
    throw LedgerError(fmt::format("the {} failed: {}; nothing of this run was committed", what_of(o),
                                  e.what()));
  }
}

}  // namespace shiki::ledger
