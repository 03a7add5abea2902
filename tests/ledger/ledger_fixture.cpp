#include "ledger_fixture.h"

#include <fmt/format.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/load.h"
#include "adapters/ledger/migrate.h"

namespace shiki::ledger::test {
namespace {

std::unique_ptr<LocalServer>& slot() {
  static std::unique_ptr<LocalServer> s;
  return s;
}

}  // namespace

LocalServer& server() {
  if (!slot()) {
    LocalServer::Options o;
    // Durability of the test cluster itself is not under test; the client's
    // crash is (the server stays up), so skip the disk flushes.
    o.settings = {"fsync = off", "synchronous_commit = off", "full_page_writes = off"};
    slot() = LocalServer::start(o);
  }
  return *slot();
}

void stop_server() { slot().reset(); }

nlohmann::json full_household(const std::string& id, int year, long salary) {
  using nlohmann::json;
  json income = {{"declared", true}, {"salary_revenue", salary}, {"public_pension_revenue", 1800000},
                 {"business_income", -5000}, {"real_estate_income", 1}, {"miscellaneous_income", 2},
                 {"dividend_income", 3}, {"occasional_income", 4}, {"separate_capital_gains", 5},
                 {"capital_gains_special_deduction", 6}, {"family_worker_deduction", 7},
                 {"family_worker_pay", 8}, {"net_loss_carryforward", 9}, {"casualty_loss_carryforward", 10},
                 {"income_adjustment_dependents", true}, {"resident_tax_exempt", false},
                 {"taxable_income", 11}};
  json head = {{"person_id", id + "-P1"}, {"head", true}, {"insured", true}, {"birth_date", "1958-07-15"},
               {"nhi_periods", json::array({{{"from", "2010-04-01"}, {"until", nullptr}}})},
               {"late_elderly_since", nullptr}, {"former_dependent_since", "2020-01-31"},
               {"involuntary_unemployment", {{"separation_date", "2024-09-30"}}},
               {"childbirth", nullptr}, {"income", income}};
  json other = {{"person_id", id + "-P2"}, {"head", false}, {"insured", true}, {"birth_date", "1990-02-28"},
                {"nhi_periods", json::array({{{"from", "2015-04-01"}, {"until", "2016-03-31"}},
                                             {{"from", "2020-06-15"}, {"until", nullptr}}})},
                {"late_elderly_since", nullptr}, {"former_dependent_since", nullptr},
                {"childbirth", {{"expected_month", fmt::format("{}-10", year)}, {"multiple", true}}},
                {"income", {{"declared", false}, {"salary_revenue", 0}, {"public_pension_revenue", 0},
                            {"business_income", 0}, {"real_estate_income", 0}, {"miscellaneous_income", 0},
                            {"dividend_income", 0}, {"occasional_income", 0}, {"separate_capital_gains", 0},
                            {"capital_gains_special_deduction", 0}, {"family_worker_deduction", 0},
                            {"family_worker_pay", 0}, {"net_loss_carryforward", 0},
                            {"casualty_loss_carryforward", 0}, {"income_adjustment_dependents", false},
                            {"resident_tax_exempt", true}, {"taxable_income", 0}}}};
  return {{"household_id", id}, {"fiscal_year", year}, {"members", json::array({head, other})}};
}

void load_lines(const std::string& conninfo, const std::string& lines) {
  std::istringstream in(lines);
  auto report = load(conninfo, in);
  ASSERT_EQ(report.rejected, 0) << (report.errors.empty() ? "" : report.errors[0]);
}

void LedgerTest::SetUp() {
  static int counter = 0;
  db = fmt::format("t{}_{}", ++counter, ::testing::UnitTest::GetInstance()->current_test_info()->name());
  for (auto& c : db) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  server().create_database(db);
  init(server().conninfo(db));
}

std::string LedgerTest::scalar(const std::string& sql) {
  pqxx::connection c(server().conninfo(db));
  pqxx::nontransaction n(c);
  auto f = n.exec1(sql)[0];
  return f.is_null() ? "NULL" : f.c_str();
}

void LedgerTest::wait_until_writing(int year) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (scalar(fmt::format("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shiki batch "
                           "FY{}' AND query ILIKE 'COPY %_results%'",
                           year)) != "0")
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "the batch never started writing";
}

}  // namespace shiki::ledger::test
