// The ledger adapter against a real PostgreSQL 15: schema, mapping, batch.
#include <fmt/format.h>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/errors.h"
#include "adapters/ledger/household_reader.h"
#include "adapters/ledger/migrate.h"
#include "ledger_fixture.h"

namespace shiki::ledger::test {
namespace {

using nlohmann::json;

std::vector<json> read_households(const std::string& conninfo, const Mapping& mapping, int year) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction(c).exec("SET DateStyle = 'ISO, YMD'");
  pqxx::work tx(c);
  HouseholdReader reader(tx, mapping, year, std::nullopt, 3);  // tiny fetches: exercise refetching
  std::vector<json> out;
  while (auto rows = reader.next()) out.push_back(to_household_json(*rows, *reader.shapes(), mapping));
  return out;
}

RunReport batch(const std::string& conninfo, const engine::Ruleset& r, int year, bool dry_run = false) {
  RunOptions o;
  o.fiscal_year = year;
  o.jobs = 2;
  o.dry_run = dry_run;
  o.chunk_households = 7;  // several blocks, so COPY switching is exercised
  return run(conninfo, r, Mapping::reference(), o);
}

// household.md and benefits.md §10.2: a null field, an absent one and an empty
// list mean the same; the ledger returns its columns' NULLs and its lists.
json without_empties(const json& j) {
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : j.items())
      if (!v.is_null() && !(v.is_array() && v.empty())) out[k] = without_empties(v);
    return out;
  }
  if (j.is_array()) {
    json out = json::array();
    for (const auto& v : j) out.push_back(without_empties(v));
    return out;
  }
  return j;
}

std::string lines_of(const std::vector<json>& households) {
  std::string text;
  for (const auto& h : households) text += h.dump() + "\n";
  return text;
}

TEST_F(LedgerTest, InitCreatesTheSchemaOnceAndMigrateIsIdempotent) {
  auto conn = server().conninfo(db);
  EXPECT_EQ(schema_version(conn), migrations().back().version);
  EXPECT_THROW(init(conn), LedgerError);
  auto again = migrate(conn);
  EXPECT_TRUE(again.applied.empty());
}

TEST_F(LedgerTest, EveryInputFieldRoundTripsThroughTheLedger) {
  auto conn = server().conninfo(db);
  std::vector<json> in = {full_household("H001", 2026, 3000000), full_household("H002", 2026, 0)};
  // The optional sections left out: what comes back leaves them out too.
  in[1]["members"][0].erase("income");
  in[1]["members"][0].erase("involuntary_unemployment");
  in[1]["members"][1].erase("childbirth");
  json other_year = full_household("H001", 2025, 1);
  load_lines(conn, lines_of({in[0], in[1], other_year}));
  auto out = read_households(conn, Mapping::reference(), 2026);
  ASSERT_EQ(out.size(), 2u);
  // The income of 2024 that H001's FY2025 line brought is, for FY2026, the
  // income of an earlier year (benefits.md §10.2 income_by_year).
  json earlier = other_year["members"][0]["income"];
  in[0]["members"][0]["income_by_year"]["2024"] = earlier;
  in[0]["members"][1]["income_by_year"]["2024"] = other_year["members"][1]["income"];
  EXPECT_EQ(without_empties(out[0]), without_empties(in[0])) << out[0].dump(1);
  EXPECT_EQ(without_empties(out[1]), without_empties(in[1])) << out[1].dump(1);
}

// Every benefit input of benefits.md §10.2 (the contract's own example)
// comes back from the reference ledger as it went in.
TEST_F(LedgerTest, EveryBenefitInputRoundTripsThroughTheLedger) {
  auto conn = server().conninfo(db);
  json in = json::parse(R"({"household_id": "B001", "fiscal_year": 2026, "evaluation_date": "2026-11-25",
    "base_income_application_on": "2026-09-01",
    "members": [
      {"person_id": "B001-P1", "head": true, "insured": true, "birth_date": "1953-10-20",
       "nhi_periods": [{"from": "2013-10-20", "until": null}],
       "income": {"declared": true, "public_pension_revenue": 2400000, "resident_tax_exempt": false,
                  "taxable_income": 1520000, "total_revenue": 3900000, "head_on_dec31": true},
       "income_by_year": {"2024": {"declared": true, "public_pension_revenue": 2350000, "resident_tax_exempt": false,
                                   "taxable_income": 1480000, "total_revenue": 3850000, "head_on_dec31": true}},
       "meal_long_stay_applied_on": "2026-06-10"},
      {"person_id": "B001-P2", "head": false, "insured": true, "birth_date": "1988-04-02",
       "nhi_periods": [{"from": "2019-04-01", "until": null}],
       "income": {"declared": true, "salary_revenue": 1800000, "total_revenue": 1800000}}],
    "claims": [
      {"person_id": "B001-P1", "service_month": "2026-05", "provider_id": "1310001", "setting": "inpatient",
       "dept": "medical", "total_cost": 800000, "copay": 160000, "paid_at_window": 57600},
      {"person_id": "B001-P1", "service_month": "2026-05", "provider_id": "1410002", "setting": "pharmacy",
       "dept": "medical", "prescriber_id": "1310003", "total_cost": 12000, "copay": 2400,
       "specified_disease": "dialysis", "copay_paid_on": "2026-06-03"}],
    "high_cost_history": [{"month": "2025-09", "carried_from": "121002"}, {"month": "2026-02"}],
    "prefecture_moves": [{"date": "2025-08-18"}],
    "meals": [{"person_id": "B001-P1", "date": "2026-05-12", "count": 3, "intractable": true}],
    "births": [{"person_id": "B001-P2", "date": "2026-07-03", "children": 1, "gestation_days": 273,
                "participating_facility": true}],
    "funerals": [{"person_id": "B001-P1", "death_date": "2026-10-01", "funeral_date": "2026-10-05"}],
    "installments": [{"fiscal_year": 2026, "period": 3, "due": "2026-08-31", "amount": 50300}],
    "payments": [{"fiscal_year": 2026, "period": 3, "date": "2026-10-15", "amount": 50300}],
    "demand_notices": [{"fiscal_year": 2026, "period": 3, "issued_on": "2026-09-20"}],
    "refunds": [{"fiscal_year": 2026, "period": 3, "amount": 12000, "paid_on": "2026-10-15",
                 "decided_on": "2026-11-10"}]})");
  load_lines(conn, lines_of({in}));
  auto out = read_households(conn, Mapping::reference(), 2026);
  ASSERT_EQ(out.size(), 1u);
  // The reference ledger keeps every income amount, so the ones left out come back as 0.
  auto with_zeros = [](json income) {
    for (const char* k : {"salary_revenue", "public_pension_revenue", "business_income", "real_estate_income",
                          "miscellaneous_income", "dividend_income", "occasional_income", "separate_capital_gains",
                          "capital_gains_special_deduction", "family_worker_deduction", "family_worker_pay",
                          "net_loss_carryforward", "casualty_loss_carryforward", "taxable_income"})
      if (!income.contains(k)) income[k] = 0;
    for (const char* k : {"income_adjustment_dependents", "resident_tax_exempt", "head_on_dec31"})
      if (!income.contains(k)) income[k] = false;
    return income;
  };
  for (auto& m : in["members"]) {
    m["income"] = with_zeros(m["income"]);
    if (m.contains("income_by_year"))
      for (auto& [year, income] : m["income_by_year"].items()) income = with_zeros(income);
  }
  EXPECT_EQ(without_empties(out[0]), without_empties(in)) << out[0].dump(1);
}

TEST_F(LedgerTest, EveryResultFieldIsStoredAsAColumn) {
  auto conn = server().conninfo(db);
  load_lines(conn, lines_of({full_household("H001", 2026, 3000000)}));
  FakeRuleset ruleset;
  auto report = batch(conn, ruleset, 2026);
  ASSERT_EQ(report.households, 1);
  ASSERT_EQ(report.failures, 0);
  auto expected = ruleset.evaluator()->evaluate(read_households(conn, Mapping::reference(), 2026)[0], {}).record;
  pqxx::connection c(conn);
  pqxx::work tx(c);
  auto row = tx.exec1("SELECT * FROM shiki.current_household_results WHERE household_id = 'H001'");
  const json& p = expected["premium"];
  EXPECT_EQ(row["annual"].as<long>(), p["annual"].get<long>());
  EXPECT_EQ(row["statutory_reduction"].as<std::string>(), p["statutory_reduction"].get<std::string>());
  for (const auto& part : {"medical", "support", "care", "child"})
    for (const auto& f : {"income_levy", "per_capita", "per_household", "reduction", "over_cap", "rounding", "annual"})
      EXPECT_EQ(row[fmt::format("{}_{}", part, f)].as<long>(), p[part][f].get<long>()) << part << "." << f;
  auto installments = tx.exec(
      "SELECT period, to_char(month, 'YYYY-MM'), due::text, amount FROM shiki.current_installments "
      "WHERE household_id = 'H001' ORDER BY period");
  ASSERT_EQ(installments.size(), p["installments"].size());
  for (std::size_t i = 0; i < installments.size(); ++i) {
    const json& want = p["installments"][i];
    EXPECT_EQ(installments[int(i)][0].as<int>(), want["period"].get<int>());
    EXPECT_EQ(installments[int(i)][1].as<std::string>(), want["month"].get<std::string>());
    EXPECT_EQ(installments[int(i)][2].as<std::string>(), want["due"].get<std::string>());
    EXPECT_EQ(installments[int(i)][3].as<long>(), want["amount"].get<long>());
  }
  auto members = tx.exec("SELECT person_id, limit_category, copay_rate::text FROM shiki.current_member_results "
                         "WHERE household_id = 'H001' ORDER BY seq");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0][0].as<std::string>(), "H001-P1");
  EXPECT_EQ(members[0][1].as<std::string>(), "一般");
  EXPECT_EQ(members[1][2].as<std::string>(), "0.3");
  auto run = tx.exec1("SELECT kind, ruleset_id, ruleset_hash, mapping_hash, status, households, failures, "
                      "finished_at IS NOT NULL FROM shiki.runs");
  EXPECT_EQ(run[0].as<std::string>(), "batch");
  EXPECT_EQ(run[2].as<std::string>(), "sha256:fake-1");
  EXPECT_EQ(run[3].as<std::string>(), Mapping::reference().hash);
  EXPECT_EQ(run[4].as<std::string>(), "current");
  EXPECT_TRUE(run[7].as<bool>());
}

TEST_F(LedgerTest, BadRowsAreRecordedAsHouseholdErrorsAndTheRestGoOn) {
  auto conn = server().conninfo(db);
  std::vector<json> hs;
  for (int i = 0; i < 20; ++i) hs.push_back(full_household(fmt::format("H{:03}", i), 2025, 100000 * i));
  hs[3]["members"][1]["birth_date"] = nullptr;                  // the ledger lacks a birth date
  hs[7]["members"][0]["income"]["salary_revenue"] = -1;         // a negative income
  load_lines(conn, lines_of(hs));
  FakeRuleset ruleset;
  auto report = batch(conn, ruleset, 2025);
  EXPECT_EQ(report.households, 20);
  EXPECT_EQ(report.failures, 2);
  EXPECT_EQ(scalar("SELECT failures || '/' || households FROM shiki.runs"), "2/20");
  EXPECT_EQ(scalar("SELECT string_agg(household_id || ' ' || error_field, ', ' ORDER BY household_id) "
                   "FROM shiki.household_results WHERE NOT ok"),
            "H003 members[1].birth_date, H007 members[0].income.salary_revenue");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.household_results WHERE ok AND annual IS NOT NULL"), "18");
}

TEST_F(LedgerTest, ARerunReplacesTheResultsAndKeepsTheHistory) {
  auto conn = server().conninfo(db);
  load_lines(conn, lines_of({full_household("H1", 2026, 1000000), full_household("H2", 2026, 2000000)}));
  FakeRuleset first, second("sha256:fake-2");
  second.rate_bonus = 1000;
  auto a = batch(conn, first, 2026);
  auto b = batch(conn, second, 2026);
  EXPECT_EQ(scalar("SELECT string_agg(run_id || ':' || status || ':' || coalesce(superseded_by::text, '-'), "
                   "' ' ORDER BY run_id) FROM shiki.runs"),
            fmt::format("{}:superseded:{} {}:current:-", a.run_id, b.run_id, b.run_id));
  EXPECT_EQ(scalar("SELECT count(*) || ' ' || min(run_id) FROM shiki.current_household_results"),
            fmt::format("2 {}", b.run_id));
}

TEST_F(LedgerTest, ADryRunReportsTheChangesAndWritesNothing) {
  auto conn = server().conninfo(db);
  std::vector<json> hs;
  for (int i = 0; i < 30; ++i) hs.push_back(full_household(fmt::format("H{:02}", i), 2026, 1000000 + i));
  load_lines(conn, lines_of(hs));
  FakeRuleset before, after;
  after.rate_bonus = 10000;  // every medical income levy +10,000 yen
  auto none = batch(conn, before, 2026, true);
  EXPECT_FALSE(none.diff->has_previous);
  batch(conn, before, 2026);
  hs.push_back(full_household("H99", 2026, 0));
  load_lines(conn, lines_of({hs.back()}));
  auto report = batch(conn, after, 2026, true);
  ASSERT_TRUE(report.diff);
  EXPECT_EQ(report.run_id, 0);
  EXPECT_EQ(report.diff->changed, 30);
  EXPECT_EQ(report.diff->added, 1);
  EXPECT_EQ(report.diff->parts[0].part, "total");
  EXPECT_EQ(report.diff->parts[0].delta, 30 * 10000);
  EXPECT_EQ(report.diff->parts[1].part, "medical");
  EXPECT_EQ(report.diff->parts[1].delta, 30 * 10000);
  EXPECT_EQ(report.diff->parts[2].delta, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.runs"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.household_results"), "30");
}

TEST_F(LedgerTest, AReassessmentOverridesOneHouseholdAsItsOwnRun) {
  auto conn = server().conninfo(db);
  load_lines(conn, lines_of({full_household("H1", 2026, 1000000), full_household("H2", 2026, 2000000)}));
  FakeRuleset ruleset;
  auto b = batch(conn, ruleset, 2026);
  load_lines(conn, lines_of({full_household("H2", 2026, 0)}));  // 更正: the income was corrected
  RunOptions o;
  o.fiscal_year = 2026;
  o.household = "H2";
  auto r = run(conn, ruleset, Mapping::reference(), o);
  EXPECT_EQ(r.households, 1);
  EXPECT_EQ(scalar("SELECT string_agg(household_id || ':' || run_id, ' ' ORDER BY household_id) "
                   "FROM shiki.current_household_results"),
            fmt::format("H1:{} H2:{}", b.run_id, r.run_id));
  EXPECT_EQ(scalar("SELECT medical_income_levy FROM shiki.current_household_results WHERE household_id = 'H2'"),
            "0");
  o.household = "H404";
  EXPECT_THROW(run(conn, ruleset, Mapping::reference(), o), LedgerError);
  EXPECT_EQ(scalar("SELECT count(*) FROM shiki.runs"), "2");
}

TEST_F(LedgerTest, AMappingWhoseRowsAreOutOfOrderIsRefused) {
  auto conn = server().conninfo(db);
  load_lines(conn, lines_of({full_household("H1", 2026, 1), full_household("H2", 2026, 2)}));
  auto text = std::string(R"({"format": "shiki-ledger-mapping/1",
    "households": "SELECT household_id, fiscal_year FROM ledger.households WHERE fiscal_year = $1 AND $2::text IS NULL ORDER BY household_id DESC",
    "members": "SELECT household_id, person_id FROM ledger.members WHERE fiscal_year = $1 AND $2::text IS NULL ORDER BY household_id"})");
  EXPECT_THROW(read_households(conn, Mapping::parse(text, "bad.json"), 2026), MappingError);
  auto floats = std::string(R"({"format": "shiki-ledger-mapping/1",
    "households": "SELECT household_id, fiscal_year, 0.5::float8 AS x FROM ledger.households WHERE fiscal_year = $1 AND $2::text IS NULL",
    "members": "SELECT household_id, person_id FROM ledger.members WHERE $1::int > 0 AND $2::text IS NULL"})");
  EXPECT_THROW(read_households(conn, Mapping::parse(floats, "floats.json"), 2026), MappingError);
  EXPECT_THROW(Mapping::parse(R"({"format": "shiki-ledger-mapping/1", "households": "x", "member": "y"})", "typo"),
               MappingError);
}

}  // namespace
}  // namespace shiki::ledger::test
