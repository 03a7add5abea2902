// One throw-away PostgreSQL 15 cluster for the whole test binary, and a fresh
// database (with the shiki schema) for every test, so tests never see each
// other's runs.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "adapters/ledger/local_server.h"
#include "fake_engine.h"

namespace shiki::ledger::test {

LocalServer& server();   // started on first use
void stop_server();

// {"household_id": id, "fiscal_year": year, two members, every field set}
nlohmann::json full_household(const std::string& id, int year, long salary);
// Loads the households (JSON Lines text) into the database.
void load_lines(const std::string& conninfo, const std::string& lines);

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override { g_delay_us = 0; }
  // One value of one query.
  std::string scalar(const std::string& sql);
  // Waits (up to 20 s) until a run of `year` is writing its results.
  void wait_until_writing(int year);
  std::string db;
};

}  // namespace shiki::ledger::test
