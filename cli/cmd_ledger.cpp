// shiki ledger init|migrate|load, shiki batch, shiki reassess: the PostgreSQL
// ledger adapter (adapters/ledger) on the command line. docs/ledger.md.
//
// Exit codes: 0 done (households that failed are recorded, not fatal), 1 the
// command failed and nothing was committed, 3 refused because another run of
// the same fiscal year holds the lock (a scheduler may retry).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/errors.h"
#include "adapters/ledger/load.h"
#include "adapters/ledger/migrate.h"
#include "interpreter/time/time.h"
#include "cli/commands.h"
#include "interpreter/diag/diag.h"

namespace shiki::cli {
namespace {

constexpr int kRefused = 3;

struct RunArgs {
  std::string ruleset, db, mapping, household, evaluation_date;
  int year = 0, jobs = 0;
  bool dry_run = false, wait = false, no_progress = false, ignore_unknown = false;
};

// 1,234,567: staff read the counts and yen in the summary.
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string signed_yen(std::int64_t n) { return (n > 0 ? "+" : "") + grouped(n) + " yen"; }

// A progress bar on a terminal only; a scheduler's log gets the summary alone.
std::function<void(const ledger::Progress&)> progress_bar() {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [last](const ledger::Progress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(100) && p.done != p.total) return;
    *last = now;
    long long ms = p.elapsed.count();
    long long rate = ms > 0 ? p.done * 1000LL / ms : 0;  // households a second
    std::string bar, left;
    if (p.total > 0) {
      int filled = static_cast<int>(30 * p.done / p.total);
      bar = "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "] ";
      if (rate > 0) left = fmt::format(", {} s left", (p.total - p.done) / rate);
    }
    std::cerr << fmt::format("\r{}{}/{} households, {}/s{}, {} failed   ", bar, grouped(p.done),
                             p.total > 0 ? grouped(p.total) : "?", rate, left, grouped(p.failures))
              << std::flush;
  };
}

std::shared_ptr<const engine::Ruleset> load_ruleset(const RunArgs& a) {
  diag::TextSink sink(std::cerr);
  auto ruleset = engine::Ruleset::load(a.ruleset, sink);
  if (!ruleset) throw CLI::RuntimeError(1);
  const auto& years = ruleset->info().fiscal_years;
  if (std::find(years.begin(), years.end(), a.year) == years.end()) {
    std::cerr << fmt::format("error: the ruleset {} does not cover FY{}\n", ruleset->info().id, a.year);
    throw CLI::RuntimeError(1);
  }
  return ruleset;
}

void print_diff(const ledger::DryRunDiff& d, int year) {
  if (!d.has_previous) {
    std::cout << fmt::format("no committed run for FY{} to compare with\n", year);
    return;
  }
  std::cout << fmt::format("against the assessment in force for FY{}: {} households' premiums change\n", year,
                           grouped(d.changed));
  for (const auto& p : d.parts)
    std::cout << fmt::format("  {:<8} {:>10} households  {:>18}\n", p.part, grouped(p.households),
                             signed_yen(p.delta));
  std::cout << fmt::format("  {} new households, {} no longer in the ledger, {} now failing\n", grouped(d.added),
                           grouped(d.removed), grouped(d.newly_failed));
}

void run_command(const RunArgs& a, bool reassess) {
  try {
    auto ruleset = load_ruleset(a);
    auto mapping = a.mapping.empty() ? ledger::Mapping::reference() : ledger::Mapping::load_file(a.mapping);
    ledger::RunOptions o;
    o.fiscal_year = a.year;
    o.jobs = a.jobs;
    o.dry_run = a.dry_run;
    o.wait = a.wait;
    o.evaluation_date = a.evaluation_date;
    o.eval.evaluation_date = a.evaluation_date;  // benefits.md §10.1: records without their own
    o.eval.ignore_unknown_fields = a.ignore_unknown;
    if (reassess) o.household = a.household;
    o.notice = [](const std::string& n) { std::cerr << n << "\n"; };
    if (!reassess && !a.no_progress && ::isatty(STDERR_FILENO)) {
      o.count_total = true;
      o.progress = progress_bar();
    }
    auto r = ledger::run(a.db, *ruleset, mapping, o);
    if (o.progress) std::cerr << "\n";
    if (r.diff) {
      std::cout << fmt::format("dry run, nothing written: FY{}, {} households evaluated, {} failed ({} s)\n",
                               a.year, grouped(r.households), grouped(r.failures), ledger::seconds_text(r.timings.wall));
      print_diff(*r.diff, a.year);
      return;
    }
    std::cout << fmt::format("run {} committed: {} FY{}, {} households, {} failed, ruleset {} {} ({} s)\n",
                             r.run_id, reassess ? "reassessment" : "batch", a.year, grouped(r.households),
                             grouped(r.failures), ruleset->info().id, ruleset->info().hash,
                             ledger::seconds_text(r.timings.wall));
    if (r.failures)
      std::cout << fmt::format("failed households: SELECT household_id, error_field, error_message FROM "
                               "shiki.household_results WHERE run_id = {} AND NOT ok\n", r.run_id);
    if (r.orphan_rows)
      std::cerr << fmt::format("warning: {} rows of the mapping matched no household\n", r.orphan_rows);
  } catch (const ledger::RunRefused& e) {
    std::cerr << "refused: " << e.what() << "\n";
    throw CLI::RuntimeError(kRefused);
  } catch (const ledger::LedgerError& e) {
    std::cerr << "error: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  }
}

void add_run_options(CLI::App* cmd, RunArgs& a) {
  cmd->add_option("--ruleset", a.ruleset, "ruleset folder (rulesets/matsudo)")->required();
  cmd->add_option("--year", a.year, "fiscal year (賦課年度)")->required();
  cmd->add_option("--db", a.db, "libpq connection string or URL")->envname("SHIKI_DB");
  cmd->add_option("--mapping", a.mapping, "mapping file (default: the reference ledger's)");
  cmd->add_option("--jobs", a.jobs, "evaluation threads (default: one a core)");
  cmd->add_option("--date", a.evaluation_date,
                  "evaluation date YYYY-MM-DD (benefits.md §10.1), recorded on the run; without it the run "
                  "records today and figures the benefits only of records that carry their own date")
      ->check([](const std::string& d) { return time::parse_date(d) ? std::string() : "not a date (YYYY-MM-DD): " + d; });
  cmd->add_flag("--wait", a.wait, "wait for a running batch of the same year instead of refusing");
  cmd->add_flag("--ignore-unknown-fields", a.ignore_unknown, "pass fields the ruleset does not know");
}

template <typename F>
void guarded(F f) {
  try {
    f();
  } catch (const ledger::LedgerError& e) {
    std::cerr << "error: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  } catch (const pqxx::failure& e) {
    std::cerr << "error: " << e.what();
    throw CLI::RuntimeError(1);
  }
}

void register_schema_commands(CLI::App* ledger) {
  static std::string db;
  static int to = 0;
  static std::string file = "-";
  auto* init = ledger->add_subcommand("init", "create the shiki schema and the reference ledger");
  init->add_option("--db", db, "libpq connection string or URL")->envname("SHIKI_DB");
  init->callback([] {
    guarded([] {
      auto r = ledger::init(db);
      std::cout << fmt::format("schema created at version {} ({})\n", r.to_version, fmt::join(r.applied, ", "));
    });
  });
  auto* migrate = ledger->add_subcommand("migrate", "apply the pending numbered migrations");
  migrate->add_option("--db", db, "libpq connection string or URL")->envname("SHIKI_DB");
  migrate->add_option("--to", to, "stop at this version");
  migrate->callback([] {
    guarded([] {
      auto r = ledger::migrate(db, to > 0 ? std::optional<int>(to) : std::nullopt);
      if (r.applied.empty()) std::cout << fmt::format("schema is up to date (version {})\n", r.to_version);
      else std::cout << fmt::format("migrated {} -> {}: {}\n", r.from_version, r.to_version, fmt::join(r.applied, ", "));
    });
  });
  auto* load = ledger->add_subcommand("load", "load JSON Lines households into the reference ledger");
  load->add_option("--db", db, "libpq connection string or URL")->envname("SHIKI_DB");
  load->add_option("file", file, "JSON Lines file, or - for standard input");
  load->callback([] {
    guarded([] {
      std::ifstream in;
      if (file != "-") {
        in.open(file);
        if (!in) throw ledger::LedgerError("cannot open " + file);
      }
      auto r = ledger::load(db, file == "-" ? std::cin : in);
      for (const auto& e : r.errors) std::cerr << e << "\n";
      std::cout << fmt::format("{} households loaded, {} lines rejected\n", grouped(r.households), grouped(r.rejected));
      if (r.rejected) throw CLI::RuntimeError(1);
    });
  });
}

}  // namespace

void register_ledger_commands(CLI::App& app) {
  auto* ledger = app.add_subcommand("ledger", "the PostgreSQL ledger: schema and demo data");
  ledger->require_subcommand(1);
  register_schema_commands(ledger);

  static RunArgs batch_args, reassess_args;
  auto* batch = app.add_subcommand("batch", "assess every household of a fiscal year (本算定)");
  add_run_options(batch, batch_args);
  batch->add_flag("--dry-run", batch_args.dry_run, "evaluate and compare with the run in force; write nothing");
  batch->add_flag("--no-progress", batch_args.no_progress, "no progress bar even on a terminal");
  batch->callback([] { run_command(batch_args, false); });

  auto* reassess = app.add_subcommand("reassess", "reassess one household (更正) as a run of its own");
  add_run_options(reassess, reassess_args);
  reassess->add_option("--household", reassess_args.household, "世帯番号")->required();
  reassess->callback([] { run_command(reassess_args, true); });
}

}  // namespace shiki::cli
