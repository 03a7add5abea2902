// SIGHUP is blocked before any thread exists, as `shiki serve` does, so the
// reload test's signal reaches the watcher thread and never kills the run.
#include <gtest/gtest.h>

#include <signal.h>

// Only SIGHUP: SIGINT and SIGTERM must still stop a hung test run.
int main(int argc, char** argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
