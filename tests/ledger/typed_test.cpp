// The batch's typed path (rows -> Household -> Result -> COPY text) against
// its JSON path (rows -> the household's JSON record -> the engine's JSON door
// -> COPY text), with the real Matsudo ruleset: the same rows committed, the
// same error, naming the same household and field, for the same bad rows.
#include <fmt/format.h>

#include <sstream>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/result_rows.h"
#include "adapters/ledger/results.h"
#include "benefit_events.h"
#include "interpreter/diag/diag.h"
#include "ledger_fixture.h"
#include "population.h"

namespace shiki::ledger::test {
namespace {

using nlohmann::json;

const engine::Ruleset& matsudo() {
  static auto rs = [] {
    std::ostringstream errors;
    diag::TextSink sink(errors);
    auto r = engine::Ruleset::load(std::string(SHIKI_RULESETS_DIR) + "/matsudo", sink);
    if (!r) throw std::runtime_error(errors.str());
    return r;
  }();
  return *rs;
}

// The real ruleset without its schema, so that the batch takes the JSON path.
class JsonOnly : public engine::Ruleset {
 public:
  explicit JsonOnly(const engine::Ruleset& r) : r_(r) {}
  const engine::RulesetInfo& info() const override { return r_.info(); }
  std::unique_ptr<engine::Evaluator> evaluator() const override { return r_.evaluator(); }

 private:
  const engine::Ruleset& r_;
};

// Generated households (tools/population.h), premium only or with benefit
// inputs, every field written out as the ledger would hold it.
std::string population(int count, int year, int first, bool benefits) {
  population::Generator g({.seed = 7, .fiscal_year = year, .full = true});
  std::string lines;
  for (int i = first; i < first + count; ++i) {
    std::string line = g.household(static_cast<std::uint64_t>(i));
    if (benefits) line = population::with_benefit_events(line, 7, static_cast<std::uint64_t>(i));
    lines += line + "\n";
  }
  return lines;
}

RunReport batch(const std::string& conn, const engine::Ruleset& r, int year, const std::string& date = "",
                const Mapping& mapping = Mapping::reference(), engine::EvalOptions eval = {}) {
  RunOptions o;
  o.fiscal_year = year;
  o.jobs = 2;
  o.chunk_households = 16;
  o.evaluation_date = date;
  o.eval = std::move(eval);
  o.eval.evaluation_date = date;
  return run(conn, r, mapping, o);
}

// Every committed row of a run, all columns but run_id, in key order.
std::vector<std::string> rows_of(const std::string& conn, std::int64_t run_id) {
  pqxx::connection c(conn);
  pqxx::work tx(c);
  std::vector<std::string> out;
  for (const char* table : {"household_results", "member_results"})
    for (const auto& row : tx.exec_params(
             fmt::format("SELECT (to_jsonb(t) - 'run_id')::text FROM shiki.{} t WHERE run_id = $1 "
                         "ORDER BY household_id, to_jsonb(t)->>'seq'",
                         table),
             run_id))
      out.push_back(table + std::string(": ") + row[0].c_str());
  return out;
}

void expect_same_rows(const std::vector<std::string>& json_path, const std::vector<std::string>& typed) {
  ASSERT_EQ(json_path.size(), typed.size());
  for (std::size_t i = 0; i < typed.size(); ++i) ASSERT_EQ(json_path[i], typed[i]) << "row " << i;
}

TEST_F(LedgerTest, TheTypedPathCommitsWhatTheJsonPathCommits) {
  auto conn = server().conninfo(db);
  load_lines(conn, population(300, 2026, 0, false) + population(120, 2026, 300, true) +
                       population(80, 2025, 500, false));
  // F001's FY2025 income reaches FY2026 as income_by_year (a jsonb column).
  load_lines(conn, full_household("F001", 2026, 3000000).dump() + "\n" +
                       full_household("F001", 2025, 2000000).dump() + "\n");
  JsonOnly json_only(matsudo());
  const std::vector<std::pair<int, std::string>> runs = {{2026, ""}, {2026, "2026-11-25"}, {2025, ""}};
  for (const auto& [year, date] : runs) {
    auto before = batch(conn, json_only, year, date);
    auto after = batch(conn, matsudo(), year, date);
    EXPECT_EQ(before.json_read, before.households);
    EXPECT_EQ(after.json_read, 0) << "every household of the sample reads on the typed path";
    EXPECT_EQ(after.households, before.households);
    EXPECT_EQ(after.failures, before.failures);
    SCOPED_TRACE(fmt::format("FY{} {}", year, date));
    expect_same_rows(rows_of(conn, before.run_id), rows_of(conn, after.run_id));
  }
  // The benefit figures reached `extra` (the typed writer's JSON).
  EXPECT_NE(scalar("SELECT count(*) FROM shiki.current_household_results WHERE extra ? 'benefits'"), "0");
}

TEST_F(LedgerTest, ABadRowGivesTheSameErrorOnTheTypedPath) {
  auto conn = server().conninfo(db);
  std::vector<json> hs;
  for (int i = 0; i < 8; ++i) hs.push_back(full_household(fmt::format("H{:03}", i), 2026, 100000 * i));
  hs[1]["members"][1]["birth_date"] = nullptr;                     // required, missing
  hs[2]["members"][0]["income"]["salary_revenue"] = -1;            // nonnegative
  hs[3]["members"][1]["birth_date"] = "1899-12-31";                // before 1900
  hs[4]["members"][1]["head"] = true;                              // two heads: a check of the ruleset
  hs[5]["members"][0]["nhi_periods"][0]["from"] = "1899-04-01";   // a list entry's date before 1900
  hs[6]["members"].push_back(hs[6]["members"][1]);                 // three members, over the limit below
  hs[6]["members"][2]["person_id"] = "H006-P3";
  std::string lines;
  for (const auto& h : hs) lines += h.dump() + "\n";
  load_lines(conn, lines);
  engine::EvalOptions eval;
  eval.limits.max_array_items["members"] = 2;
  JsonOnly json_only(matsudo());
  auto before = batch(conn, json_only, 2026, "", Mapping::reference(), eval);
  auto after = batch(conn, matsudo(), 2026, "", Mapping::reference(), eval);
  EXPECT_EQ(after.failures, 6);
  EXPECT_EQ(after.json_read, 5) << "the rows the typed path cannot vouch for, and only those";
  expect_same_rows(rows_of(conn, before.run_id), rows_of(conn, after.run_id));
  EXPECT_EQ(scalar(fmt::format("SELECT string_agg(household_id || ' ' || error_field, ', ' ORDER BY household_id) "
                               "FROM shiki.household_results WHERE run_id = {} AND NOT ok",
                               after.run_id)),
            "H001 members[1].birth_date, H002 members[0].income.salary_revenue, H003 members[1].birth_date, "
            "H004 members, H005 members[0].nhi_periods[0].from, H006 members");
}

// A column the ruleset does not declare: every household's record would be
// an error record, so every household reads through JSON and gets it; with
// unknown fields passed, the column is skipped on the typed path.
TEST_F(LedgerTest, AColumnTheRulesetDoesNotDeclareIsAnUnknownFieldOnBothPaths) {
  auto conn = server().conninfo(db);
  load_lines(conn, population(40, 2026, 0, false));
  Mapping mapping = Mapping::reference();
  mapping.households_sql =
      "SELECT h.household_id, h.fiscal_year, 1 AS shoe_size FROM ledger.households h "
      "WHERE h.fiscal_year = $1 AND ($2::text IS NULL OR h.household_id = $2) ORDER BY h.household_id COLLATE \"C\"";
  JsonOnly json_only(matsudo());
  auto before = batch(conn, json_only, 2026, "", mapping);
  auto after = batch(conn, matsudo(), 2026, "", mapping);
  EXPECT_EQ(after.failures, 40);
  EXPECT_EQ(after.json_read, 40);
  expect_same_rows(rows_of(conn, before.run_id), rows_of(conn, after.run_id));
  EXPECT_EQ(scalar(fmt::format("SELECT DISTINCT error_field || ': ' || error_message FROM shiki.household_results "
                               "WHERE run_id = {}", after.run_id)),
            "shoe_size: unknown field");
  engine::EvalOptions pass;
  pass.ignore_unknown_fields = true;
  before = batch(conn, json_only, 2026, "", mapping, pass);
  after = batch(conn, matsudo(), 2026, "", mapping, pass);
  EXPECT_EQ(after.failures, 0);
  EXPECT_EQ(after.json_read, 0);
  expect_same_rows(rows_of(conn, before.run_id), rows_of(conn, after.run_id));
}

// The typed writer against the JSON one on the same evaluations, COPY text
// byte for byte, without a server: premium households of every year, and
// households with benefit figures (arrays nested in `extra`).
TEST(TypedRows, WriteTheBytesTheRecordsJsonGives) {
  const engine::Schema* schema = matsudo().schema();
  ASSERT_NE(schema, nullptr);
  ResultRows writer(*schema->program, *schema->outputs);
  ASSERT_TRUE(writer.fits());
  auto evaluator = matsudo().evaluator();
  engine::Household h;
  engine::Result result;
  long compared = 0, with_benefits = 0;
  for (int year : {2023, 2024, 2025, 2026}) {
    std::istringstream lines(population(60, year, 0, false) + population(40, year, 60, year == 2026));
    for (std::string line; std::getline(lines, line);) {
      for (const std::string& date : {std::string(), fmt::format("{}-11-25", year)}) {
        engine::EvalOptions options;
        options.evaluation_date = date;
        auto outcome = evaluator->evaluate_text(line, options, 1);
        ASSERT_TRUE(outcome.ok) << outcome.record.dump();
        const std::string id = outcome.record["household_id"];
        ResultBlock from_json, typed;
        append_outcome(from_json, 42, id, outcome);
        ASSERT_FALSE(evaluator->read_text(line, options, h));
        ASSERT_FALSE(evaluator->evaluate(h, result));
        writer.append(typed, 42, id, result);
        EXPECT_EQ(typed.households, from_json.households);
        EXPECT_EQ(typed.members, from_json.members);
        ++compared;
        with_benefits += typed.households.find("\"benefits\"") != std::string::npos;
      }
    }
  }
  EXPECT_EQ(compared, 800);
  EXPECT_GT(with_benefits, 0) << "`extra` was written from benefit figures";
}

}  // namespace
}  // namespace shiki::ledger::test
