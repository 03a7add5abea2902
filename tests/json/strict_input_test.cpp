// Input that used to be accepted silently: each case is an error record
// naming the field, with a message that says what is wrong.
#include <gtest/gtest.h>

#include <sstream>

#include "adapters/json/strict_json.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace {

using nlohmann::json;
using shiki::engine::EvalOptions;

const shiki::engine::Ruleset& matsudo() {
  static auto rs = [] {
    std::ostringstream errors;
    shiki::diag::TextSink sink(errors);
    auto r = shiki::engine::Ruleset::load(std::string(SHIKI_RULESETS_DIR) + "/matsudo", sink);
    if (!r) throw std::runtime_error(errors.str());
    return r;
  }();
  return *rs;
}

const std::string kMember =
    R"({"person_id": "P1", "head": true, "insured": true, "birth_date": "1960-07-14",
        "nhi_periods": [{"from": "2025-07-14", "until": null}], "income": {"declared": true, "salary_revenue": 1000000}})";

std::string household(const std::string& member = kMember, int fiscal_year = 2026) {
  return R"({"household_id": "H1", "fiscal_year": )" + std::to_string(fiscal_year) + R"(, "members": [)" + member + "]}";
}

json evaluate(const std::string& line, const EvalOptions& options = {}) {
  auto ev = matsudo().evaluator();
  return ev->evaluate_text(line, options, 1).record;
}

void expect_error(const json& record, const std::string& field, const std::string& message_part) {
  ASSERT_TRUE(record.contains("error")) << record.dump();
  EXPECT_EQ(record["household_id"], "H1") << record.dump();
  EXPECT_EQ(record["error"]["field"], field) << record.dump();
  EXPECT_NE(record["error"]["message"].get<std::string>().find(message_part), std::string::npos) << record.dump();
}

TEST(StrictInput, TheSampleHouseholdIsAssessed) { EXPECT_FALSE(evaluate(household()).contains("error")); }

TEST(StrictInput, ADuplicateKeyIsAnErrorNamingTheKey) {
  expect_error(evaluate(R"({"household_id": "H1", "fiscal_year": 2026, "fiscal_year": 2025, "members": [)" + kMember + "]}"),
               "fiscal_year", "twice");
  std::string m = kMember;
  m.replace(m.find("\"salary_revenue\""), 0, R"("salary_revenue": 1, )");
  expect_error(evaluate(household(m)), "members[0].income.salary_revenue", "twice");
  json r = evaluate(R"({"household_id": "H1", "household_id": "H2", "fiscal_year": 2026, "members": [)" + kMember + "]}");
  EXPECT_EQ(r["error"]["field"], "household_id") << r.dump();
}

TEST(StrictInput, ARecordOfAnotherYearThanTheOneAskedForIsAnError) {
  EvalOptions o;
  o.fiscal_year = 2026;
  EXPECT_FALSE(evaluate(household(), o).contains("error"));
  expect_error(evaluate(household(kMember, 2025), o), "fiscal_year", "2026");
}

TEST(StrictInput, ImplausibleDatesAreErrors) {
  std::string future = kMember;
  future.replace(future.find("1960-07-14"), 10, "2027-04-01");
  expect_error(evaluate(household(future)), "members[0].birth_date", "生年月日");
  std::string old = kMember;
  old.replace(old.find("1960-07-14"), 10, "1899-12-31");
  expect_error(evaluate(household(old)), "members[0].birth_date", "before 1900");
  std::string last_day = kMember;  // born on the last day of FY2026: assessed
  last_day.replace(last_day.find("1960-07-14"), 10, "2027-03-31");
  last_day.replace(last_day.find("2025-07-14"), 10, "2027-03-31");
  EXPECT_FALSE(evaluate(household(last_day)).contains("error")) << evaluate(household(last_day)).dump();
}

TEST(StrictInput, AnAmountTooLargeIsCalledTooLarge) {
  std::string m = kMember;
  m.replace(m.find("1000000"), 7, "18446744073709551615");
  expect_error(evaluate(household(m)), "members[0].income.salary_revenue", "too large");
  m = kMember;
  m.replace(m.find("1000000"), 7, "9223372036854775808");
  expect_error(evaluate(household(m)), "members[0].income.salary_revenue", "too large");
  expect_error(evaluate(R"({"household_id": "H1", "fiscal_year": 18446744073709551615, "members": []})"), "fiscal_year",
               "not a year");
}

TEST(StrictInput, ArraysOverTheirLimitAreErrorsNamingTheArray) {
  EvalOptions o;
  o.limits.max_array_items = {{"default", 100}, {"members", 2}};
  std::string three = kMember + "," + kMember + "," + kMember;
  expect_error(evaluate(household(three), o), "members", "more than 2 entries");
  // An array the ruleset does not know is bounded by the default too.
  o.limits.max_array_items = {{"default", 8}};
  std::string m = kMember;
  m.replace(m.find("\"nhi_periods\""), 0, R"("claims": [1, 2, 3, 4, 5, 6, 7, 8, 9], )");
  expect_error(evaluate(household(m), o), "members[0].claims", "more than 8 entries");
  // A record read without the text parser (the ledger, the API) is held to
  // the same limit by the reader.
  o.limits.max_array_items = {{"default", 100}, {"members", 2}};
  auto ev = matsudo().evaluator();
  json r = ev->evaluate(json::parse(household(three)), o).record;
  expect_error(r, "members", "more than 2 entries");
}

// A record of a million members costs the memory of the limit, not of the
// record: entries past the limit are dropped while parsing.
TEST(StrictInput, ExcessEntriesAreDroppedWhileParsing) {
  std::string many = "[";
  for (int i = 0; i < 100'000; ++i) many += i ? ",{\"a\":[1,2,3]}" : "{\"a\":[1,2,3]}";
  many += "]";
  shiki::engine::InputLimits limits;
  auto parsed = shiki::json_adapter::parse_strict(R"({"members": )" + many + "}", limits);
  ASSERT_TRUE(parsed.problem);
  EXPECT_EQ(parsed.problem->field, "members");
  EXPECT_EQ(parsed.value["members"].size(), 100u);
}

TEST(StrictInput, NestingPastTheDepthLimitIsAnError) {
  std::string deep = std::string(10'000, '[') + std::string(10'000, ']');
  auto parsed = shiki::json_adapter::parse_strict(R"({"household_id": "H1", "x": )" + deep + "}", {});
  ASSERT_TRUE(parsed.problem);
  EXPECT_NE(parsed.problem->message.find("nested deeper"), std::string::npos);
}

}  // namespace
