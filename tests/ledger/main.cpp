// The ledger test binary. With --child-batch it is instead the batch process
// the crash and concurrency tests start and kill (a real separate process, as
// `shiki batch` is in production).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/errors.h"
#include "fake_engine.h"
#include "ledger_fixture.h"

namespace {

int child_batch(const std::string& conninfo, int year, int delay_us, bool wait) {
  shiki::ledger::test::g_delay_us = delay_us;
  shiki::ledger::test::FakeRuleset ruleset;
  shiki::ledger::RunOptions o;
  o.fiscal_year = year;
  o.jobs = 2;
  o.wait = wait;
  o.chunk_households = 50;
  try {
    auto report = shiki::ledger::run(conninfo, ruleset, shiki::ledger::Mapping::reference(), o);
    std::cout << "run " << report.run_id << "\n";
    return 0;
  } catch (const shiki::ledger::RunRefused& e) {
    std::cerr << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::string(argv[1]) == "--child-batch")
    return child_batch(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::string(argv[5]) == "wait");
  ::testing::InitGoogleTest(&argc, argv);
  int status = RUN_ALL_TESTS();
  // Stops and removes the cluster (the guardian would, too, on any exit).
  shiki::ledger::test::stop_server();
  return status;
}
