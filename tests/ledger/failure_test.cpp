// What a run must survive: the batch process killed, the server stopped, a
// second batch of the same year started meanwhile.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/errors.h"
#include "ledger_fixture.h"

namespace shiki::ledger::test {
namespace {

// Starts this test binary as a batch process (main.cpp's --child-batch).
pid_t start_child(const std::string& conninfo, int year, int delay_us, bool wait) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1), ::dup2(null, 2);
    std::string y = std::to_string(year), d = std::to_string(delay_us);
    ::execl("/proc/self/exe", "ledger_test", "--child-batch", conninfo.c_str(), y.c_str(), d.c_str(),
            wait ? "wait" : "refuse", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int exit_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

void load_many(const std::string& conn, int n, int year) {
  std::string lines;
  for (int i = 0; i < n; ++i) lines += full_household(fmt::format("H{:05}", i), year, 1000 * i).dump() + "\n";
  load_lines(conn, lines);
}

RunOptions options(int year) {
  RunOptions o;
  o.fiscal_year = year;
  o.jobs = 2;
  o.chunk_households = 50;
  return o;
}

TEST_F(LedgerTest, ABatchKilledMidRunLeavesNothingAndTheNextRunSucceeds) {
  auto conn = server().conninfo(db);
  load_many(conn, 2000, 2025);
  pid_t child = start_child(conn, 2025, 2000, false);  // ~2 s of evaluation
  wait_until_writing(2025);
  ::kill(child, SIGKILL);
  EXPECT_EQ(exit_code(child), -SIGKILL);
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.runs"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.household_results"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.member_results"), "0");
  // The server may not have noticed the dead client yet: wait for its lock.
  auto o = options(2025);
  o.wait = true;
  FakeRuleset ruleset;
  auto report = run(conn, ruleset, Mapping::reference(), o);
  EXPECT_EQ(report.households, 2000);
  EXPECT_EQ(scalar("SELECT households || ' ' || status FROM shiki.runs"), "2000 current");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.household_results"), "2000");
}

TEST_F(LedgerTest, TheServerStoppedMidRunGivesAClearErrorAndCommitsNothing) {
  auto conn = server().conninfo(db);
  load_many(conn, 1000, 2026);
  g_delay_us = 2000;
  FakeRuleset ruleset;
  std::string error;
  std::thread batch([&] {
    try {
      run(conn, ruleset, Mapping::reference(), options(2026));
    } catch (const LedgerError& e) {
      error = e.what();
    }
  });
  wait_until_writing(2026);
  server().stop_now();
  batch.join();
  server().start_again();
  EXPECT_NE(error.find("lost the connection to PostgreSQL during the batch for FY2026"), std::string::npos)
      << error;
  EXPECT_NE(error.find("nothing of this run was committed"), std::string::npos) << error;
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.runs"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.household_results"), "0");
}

TEST_F(LedgerTest, TwoBatchesOfOneYearDoNotInterleave) {
  auto conn = server().conninfo(db);
  load_many(conn, 600, 2026);
  pid_t first = start_child(conn, 2026, 3000, false);  // ~1 s
  wait_until_writing(2026);
  FakeRuleset ruleset;
  // Refused at once when not asked to wait, with nothing written…
  EXPECT_THROW(run(conn, ruleset, Mapping::reference(), options(2026)), RunRefused);
  // …a batch of another year is not held up…
  load_many(conn, 10, 2025);
  EXPECT_EQ(run(conn, ruleset, Mapping::reference(), options(2025)).households, 10);
  // …and one that waits runs after the first has committed.
  auto o = options(2026);
  o.wait = true;
  std::vector<std::string> notices;
  o.notice = [&](const std::string& n) { notices.push_back(n); };
  auto second = run(conn, ruleset, Mapping::reference(), o);
  EXPECT_EQ(exit_code(first), 0);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("waiting for the run of FY2026"), std::string::npos);
  EXPECT_EQ(scalar(fmt::format(
                "SELECT count(*) FROM shiki.runs a JOIN shiki.runs b ON b.run_id = {} "
                "WHERE a.fiscal_year = 2026 AND a.run_id <> b.run_id AND a.finished_at <= b.started_at "
                "AND a.status = 'superseded' AND a.superseded_by = b.run_id AND a.households = 600",
                second.run_id)),
            "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.current_household_results WHERE fiscal_year = 2026"), "600");
}

}  // namespace
}  // namespace shiki::ledger::test
