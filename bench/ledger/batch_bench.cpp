// ledger_batch_bench [HOUSEHOLDS=100000] [RUNS=3] [JOBS=2]
// Starts its own PostgreSQL, loads generated households into the reference
// ledger, then times whole batches (read, evaluate, write, commit) and prints
// where the time goes. The stages overlap in the pipeline, so their busy
// times need not add up to the wall time.
//   SHIKI_RULESET=DIR       evaluate with this ruleset (default: the tests' stand-in engine)
//   SHIKI_BENCH_INPUT=FILE  load these JSON Lines households instead of generating them
#include <fmt/format.h>

#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/load.h"
#include "adapters/ledger/local_server.h"
#include "adapters/ledger/migrate.h"
#include "fake_engine.h"
#include "interpreter/diag/diag.h"

namespace {

// Deterministic Matsudo-like shapes (sizes, ages, incomes, mid-year changes),
// enough to give the ledger realistic row counts and widths.
struct Lcg {
  std::uint64_t s;
  std::uint64_t next(std::uint64_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (s >> 33) % n;
  }
};

std::string generate(long households, int year) {
  Lcg r{20260401};
  std::ostringstream out;
  for (long h = 0; h < households; ++h) {
    int size = 1 + static_cast<int>(r.next(10) < 5 ? 0 : r.next(4));
    nlohmann::json members = nlohmann::json::array();
    for (int m = 0; m < size; ++m) {
      int birth_year = m == 0 ? 1945 + static_cast<int>(r.next(60)) : 1950 + static_cast<int>(r.next(74));
      nlohmann::json periods = nlohmann::json::array();
      periods.push_back({{"from", fmt::format("{}-04-01", 2000 + r.next(25))},
                         {"until", r.next(20) == 0 ? nlohmann::json(fmt::format("{}-{:02}-01", year, 5 + r.next(7)))
                                                   : nlohmann::json(nullptr)}});
      members.push_back(
          {{"person_id", fmt::format("P{:07}{}", h, m)}, {"head", m == 0}, {"insured", m != 0 || r.next(30) != 0},
           {"birth_date", fmt::format("{}-{:02}-{:02}", birth_year, 1 + r.next(12), 1 + r.next(28))},
           {"nhi_periods", periods},
           {"income", {{"declared", r.next(50) != 0},
                       {"salary_revenue", static_cast<std::int64_t>(r.next(5) < 2 ? r.next(8000) * 1000 : 0)},
                       {"public_pension_revenue", static_cast<std::int64_t>(birth_year < 1961 ? r.next(3000) * 1000 : 0)},
                       {"business_income", static_cast<std::int64_t>(r.next(10) == 0 ? r.next(5000) * 1000 : 0)}}}});
    }
    out << nlohmann::json{{"household_id", fmt::format("H{:07}", h)}, {"fiscal_year", year}, {"members", members}}.dump()
        << "\n";
  }
  return out.str();
}

// CPU time of this process (every thread), for the client's share of a run.
std::chrono::milliseconds cpu_time() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return std::chrono::milliseconds((u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 +
                                   (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace shiki::ledger;
  const long households = argc > 1 ? std::atol(argv[1]) : 100000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  const int jobs = argc > 3 ? std::atoi(argv[3]) : 2;
  LocalServer::Options so;
  // Durable defaults (fsync on); only room for the run's WAL without a
  // checkpoint mid-run, as a production server for this batch would have.
  so.settings = {"shared_buffers = '256MB'", "max_wal_size = '4GB'"};
  auto server = LocalServer::start(so);
  server->create_database("bench");
  const auto conn = server->conninfo("bench");
  init(conn);
  auto t0 = std::chrono::steady_clock::now();
  const char* input = std::getenv("SHIKI_BENCH_INPUT");
  std::unique_ptr<std::istream> lines;
  if (input) lines = std::make_unique<std::ifstream>(input);
  else lines = std::make_unique<std::istringstream>(generate(households, 2026));
  auto loaded = load(conn, *lines);
  std::cout << fmt::format("loaded {} households in {} s ({})\n", loaded.households,
                           seconds_text(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - t0), 2),
                           input ? input : "generation included");
  std::shared_ptr<const shiki::engine::Ruleset> ruleset = std::make_shared<shiki::ledger::test::FakeRuleset>();
  if (const char* dir = std::getenv("SHIKI_RULESET")) {
    std::ostringstream errors;
    shiki::diag::TextSink sink(errors);
    ruleset = shiki::engine::Ruleset::load(dir, sink);
    if (!ruleset) {
      std::cerr << errors.str();
      return 1;
    }
  }
  std::cout << "run   wall   read  build   eval format  write commit    cpu  households/s  via JSON\n";
  for (int i = 0; i < runs; ++i) {
    RunOptions o;
    o.fiscal_year = 2026;
    o.jobs = jobs;
    const auto cpu = cpu_time();
    auto r = run(conn, *ruleset, Mapping::reference(), o);
    const auto& t = r.timings;
    auto s = [](std::chrono::milliseconds d) { return seconds_text(d, 2); };
    long long per_second = t.wall.count() > 0 ? r.households * 1000LL / t.wall.count() : 0;
    std::cout << fmt::format("{:>3} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}  {:>12}  {:>8}\n", i + 1,
                             s(t.wall), s(t.read), s(t.build), s(t.evaluate), s(t.format), s(t.write), s(t.commit),
                             s(cpu_time() - cpu), per_second, r.json_read);
  }
}
