// The fast reader takes a record only when it reads it exactly as the strict
// reader does; everything else it leaves to the strict reader, so error
// records stay as they are. Each case is checked three ways: whether the
// fast reader alone takes it, that read_text gives both readers the same
// household (or the same problem), and that evaluate_text's record is the
// same byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "two_readers.h"

namespace {

using shiki::engine::EvalOptions;
using shiki::engine::InputLimits;

shiki::test::TwoReaders& matsudo() {
  static shiki::test::TwoReaders readers(shiki::test::rulesets_dir() + "/matsudo");
  return readers;
}

const std::string kMember =
    R"({"person_id": "P1", "head": true, "insured": true, "birth_date": "1960-07-14",
        "nhi_periods": [{"from": "2025-07-14", "until": null}], "income": {"declared": true, "salary_revenue": 1000000}})";

std::string household(const std::string& member = kMember, const std::string& more = "") {
  return R"({"household_id": "H1", "fiscal_year": 2026)" + more + R"(, "members": [)" + member + "]}";
}

// `text` with its first `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("no " + from + " in " + text);
  return text.replace(at, from.size(), to);
}
std::string member_with(const std::string& from, const std::string& to) { return household(with(kMember, from, to)); }

void expect_same(const std::string& text, const EvalOptions& options = {}) {
  auto& r = matsudo();
  EXPECT_EQ(r.difference(text, options), "") << text;
  EXPECT_EQ(r.outcome(text, options, true), r.outcome(text, options, false)) << text;
}

void expect_taken(const std::string& text, const EvalOptions& options = {}) {
  EXPECT_TRUE(matsudo().fast_takes(text, options.limits)) << text;
  expect_same(text, options);
}

// Left to the strict reader, which refuses it or reads it its own way.
void expect_left(const std::string& text, const EvalOptions& options = {}) {
  EXPECT_FALSE(matsudo().fast_takes(text, options.limits)) << text;
  expect_same(text, options);
}

TEST(FastReader, TakesTheContractsRecords) {
  expect_taken(household());
  // Absent and null are alike for optional fields and for objects of them.
  expect_taken(member_with(R"("head": true)", R"("head": true, "late_elderly_since": null, "childbirth": null)"));
  expect_taken(member_with(R"("income": {"declared": true, "salary_revenue": 1000000})", R"("income": null)"));
  expect_taken(member_with(R"("head": true)",
                           R"("head": true, "childbirth": {"expected_month": "2026-09", "multiple": true})"));
  // Any order of keys, any JSON spacing, a CR before the line's end.
  expect_taken(R"({"members": [)" + kMember + R"(], "fiscal_year": 2026, "household_id": "H1"})");
  expect_taken(" \t{ \"household_id\" :\"H1\",\n\"fiscal_year\"\r: 2026 , \"members\":[ " + kMember + " ] } \r");
  // Negative amounts where the contract allows them, -0, 18 digits, UTF-8 text.
  expect_taken(member_with(R"("salary_revenue": 1000000)", R"("salary_revenue": 1000000, "business_income": -500000)"));
  expect_taken(member_with(R"("salary_revenue": 1000000)", R"("salary_revenue": 1000000, "business_income": -0)"));
  expect_taken(member_with(R"("salary_revenue": 1000000)", R"("salary_revenue": 999999999999999999)"));
  expect_taken(member_with(R"("P1")", R"("P山田一郎")"));
  expect_taken(household(kMember, R"(, "evaluation_date": "2026-11-25")"));
  EvalOptions dated;
  dated.evaluation_date = "2026-11-25";
  expect_taken(household(), dated);
  expect_taken(household(kMember, R"(, "evaluation_date": null)"), dated);
  // Two members; the second with two periods (instances under their parents).
  expect_taken(household(kMember + "," +
                         with(with(kMember, R"("P1")", R"("P2")"), R"("head": true)", R"("head": false)")));
  expect_taken(member_with(R"([{"from": "2025-07-14", "until": null}])",
                           R"([{"from": "2020-04-01", "until": "2021-04-01"}, {"from": "2025-07-14"}])"));
}

TEST(FastReader, LeavesRepeatedKeysToTheStrictReader) {
  expect_left(household(kMember, R"(, "fiscal_year": 2025)"));
  expect_left(R"({"household_id": "H1", "household_id": "H2", "fiscal_year": 2026, "members": [)" + kMember + "]}");
  expect_left(member_with(R"("head": true)", R"("head": true, "head": false)"));
  expect_left(member_with(R"("salary_revenue": 1000000)", R"("salary_revenue": 1, "salary_revenue": 1000000)"));
  expect_left(member_with(R"("until": null)", R"("until": null, "until": null)"));
  expect_left(household(kMember, R"(, "members": [])"));
}

TEST(FastReader, LeavesValuesOfAnotherTypeToTheStrictReader) {
  expect_left(member_with("1000000", R"("1000000")"));
  expect_left(member_with("1000000", "true"));
  expect_left(member_with("1000000", "[1000000]"));
  expect_left(member_with("1000000", "{}"));
  expect_left(member_with(R"("head": true)", R"("head": "true")"));
  expect_left(member_with(R"("head": true)", R"("head": 1)"));
  expect_left(member_with(R"("1960-07-14")", "19600714"));
  expect_left(member_with(R"("P1")", "1"));
  expect_left(member_with(R"("income": {)", R"("income": [], "x": {)"));
  expect_left(member_with(R"("income": {"declared": true, "salary_revenue": 1000000})", R"("income": "none")"));
  expect_left(R"({"household_id": 1, "fiscal_year": 2026, "members": [)" + kMember + "]}");
  expect_left(member_with(R"("1960-07-14")", R"("1960-02-30")"));
  expect_left(member_with(R"("1960-07-14")", R"("1899-12-31")"));
  expect_left(member_with(R"("head": true)", R"("head": true, "childbirth": {"expected_month": "2026-13"})"));
  expect_left(member_with("1000000", "-1"));  // salary_revenue is nonnegative
}

TEST(FastReader, LeavesNumbersItWouldNotReadExactlyToTheStrictReader) {
  for (const char* n : {"1e6", "1E6", "1000000.0", "1000000.5", "-1.5", "1000000000000000000", "9223372036854775807",
                        "9223372036854775808", "18446744073709551615", "123456789012345678901234567890", "01000000",
                        "-", "+1000000", "1000000x", "0x10", "NaN", "Infinity", "- 1"})
    expect_left(member_with("1000000", n));
  for (const char* y : {"\"2026\"", "2026.0", "2.026e3", "0", "-1", "10000", "null", "18446744073709551615", "02026", "true"})
    expect_left(with(household(), "2026", y));
  expect_left(R"({"household_id": "H1", "members": [)" + kMember + "]}");
}

TEST(FastReader, TheAskedYearIsCheckedAfterTheFastReaderTakesTheRecord) {
  EvalOptions asked;
  asked.fiscal_year = 2026;
  expect_same(with(household(), "2026", "2025"), asked);
  expect_same(with(household(), "2026", "2019"));  // not covered by the ruleset
  expect_same(household(), asked);
}

TEST(FastReader, LeavesUnknownFieldsToTheStrictReader) {
  expect_left(household(kMember, R"(, "note": "x")"));
  expect_left(member_with(R"("head": true)", R"("head": true, "nickname": "x")"));
  expect_left(member_with(R"("declared": true)", R"("declared": true, "bonus": 1)"));
  expect_left(member_with(R"("until": null)", R"("until": null, "reason": null)"));
  expect_left(member_with(R"("head": true)", R"("head": true, "": 1)"));
  // Ignoring unknown fields is the strict reader's alone.
  EvalOptions ignoring;
  ignoring.ignore_unknown_fields = true;
  expect_same(household(kMember, R"(, "note": {"a": [1, 2, {"b": null}]})"), ignoring);
}

TEST(FastReader, LeavesNullsWhereTheyAreNotAllowedToTheStrictReader) {
  expect_left(with(household(), "[" + kMember + "]", "[null]"));
  expect_left(with(household(), "[" + kMember + "]", "[" + kMember + ", null]"));
  expect_left(member_with(R"([{"from": "2025-07-14", "until": null}])", "[null]"));
  expect_left(member_with(R"("P1")", "null"));  // required
  expect_left(with(household(), "[" + kMember + "]", "null"));
  expect_left(member_with(R"({"from": "2025-07-14", "until": null})", R"({"from": null, "until": null})"));
}

TEST(FastReader, LeavesWhatIsNotJsonToTheStrictReader) {
  const std::string h = household();
  const std::vector<std::string> bad = {
        h + " x", h + "}", h + "{}", h + ",", h.substr(0, h.size() - 1), h.substr(0, h.size() / 2), with(h, ",", ""),
        with(h, ", \"members\"", ", , \"members\""), with(h, "]}", ",]}"), with(h, "]}", "],}"), with(h, ":", ""),
        with(h, "\"household_id\"", "household_id"), with(h, "\"H1\"", "'H1'"), with(h, "true", "tru"),
        with(h, "true", "True"), with(h, "null", "nul"), with(h, "[{", "[{{"), with(h, "]}", "]]}"),
        std::string("[") + h + "]", "[]", "\"x\"", "1", "null", "", " ", "{", "}", "{}"};
  for (const auto& text : bad) expect_left(text);
  expect_left(h + std::string(1, '\0'));
  expect_left(with(h, "\"P1\"", std::string("\"P\0\"", 4)));
}

TEST(FastReader, LeavesEscapesAndBadTextToTheStrictReader) {
  expect_left(member_with(R"("P1")", R"("P\u0031")"));    // the same id, decoded by the strict reader
  expect_left(member_with(R"("P1")", R"("P\"1")"));
  expect_left(member_with(R"("P1")", R"("P\ud800")"));    // a lone surrogate
  expect_left(member_with(R"("P1")", R"("P\udc00")"));
  expect_left(member_with(R"("P1")", R"("P\x")"));
  expect_left(member_with(R"("person_id")", R"("person\u005fid")"));
  expect_left(member_with(R"("P1")", "\"P\t1\""));       // a raw control character
  for (const char* bytes : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe3\x81", "\xf4\x90\x80\x80", "\x80"}) {
    expect_left(member_with(R"("P1")", std::string("\"P") + bytes + "\""));
    expect_left(member_with(R"("person_id")", std::string("\"person_id") + bytes + "\""));
  }
  expect_left(household() + " \xff");
  // A byte-order mark: whatever each reader makes of it, the outcome is one.
  expect_same("\xef\xbb\xbf" + household());
}

TEST(FastReader, LeavesRecordsPastTheLimitsToTheStrictReader) {
  const std::string second = with(with(kMember, R"("P1")", R"("P2")"), R"("head": true)", R"("head": false)");
  const std::string two = household(kMember + "," + second);
  EvalOptions o;
  o.limits.max_array_items = {{"default", 100}, {"members", 1}};
  expect_left(two, o);
  o.limits.max_array_items = {{"default", 100}, {"members", 2}};
  expect_taken(two, o);
  o.limits.max_array_items = {{"default", 2}, {"members", 100}};  // income has 2 keys, a member 6
  expect_left(two, o);
  o.limits.max_array_items = {{"income", 1}};  // no "default": 100 for the rest
  expect_left(two, o);
  o.limits.max_array_items = {{"income", 2}};
  expect_taken(two, o);
  o.limits.max_array_items = {};
  expect_taken(two, o);
  // Depth: the record 1, members 2, a member 3, its periods 4, a period 5.
  o.limits = InputLimits{};
  o.limits.max_depth = 4;
  expect_left(two, o);
  o.limits.max_depth = 5;
  expect_taken(two, o);
  // A record longer than the fast reader's buffers are for: the strict reader's.
  expect_left(with(household(), "\"H1\",", "\"H1\"," + std::string(300'000, ' ')));
}

TEST(FastReader, LeavesMissingRequiredFieldsToTheStrictReader) {
  expect_left(member_with(R"("person_id": "P1", )", ""));
  expect_left(member_with(R"("nhi_periods": [{"from": "2025-07-14", "until": null}], )", ""));
  expect_left(member_with(R"("from": "2025-07-14", )", ""));
  expect_left(R"({"household_id": "H1", "fiscal_year": 2026})");
  expect_same(with(household(), "[" + kMember + "]", "[]"));  // no head: the ruleset's check, after reading
}

const std::string kIncomeByYear =
    R"("income_by_year": {"2024": {"declared": true, "salary_revenue": 1750000}, "2025": {"declared": true}})";

TEST(FastReader, KeyedInstancesComeInTheStrictReadersKeyOrder) {
  EvalOptions o;
  o.evaluation_date = "2026-11-25";
  expect_taken(member_with(R"("head": true)", R"("head": true, )" + kIncomeByYear), o);
  const std::string later_first = R"("income_by_year": {"2025": {"declared": true}, "2024": {"declared": true}})";
  const std::string twice = R"("income_by_year": {"2024": {"declared": true}, "2024": {"declared": true}})";
  expect_left(member_with(R"("head": true)", R"("head": true, )" + later_first), o);
  expect_left(member_with(R"("head": true)", R"("head": true, )" + twice), o);
  expect_left(member_with(R"("head": true)", R"("head": true, "income_by_year": {"20x4": {"declared": true}})"), o);
  expect_left(member_with(R"("head": true)", R"("head": true, "income_by_year": {"2\u0030": {"declared": true}})"), o);
  expect_left(member_with(R"("head": true)", R"("head": true, "income_by_year": {"2024": null})"), o);
  expect_left(member_with(R"("head": true)", R"("head": true, "income_by_year": [{"declared": true}])"), o);
  expect_taken(member_with(R"("head": true)", R"("head": true, "income_by_year": {})"), o);
  expect_taken(member_with(R"("head": true)", R"("head": true, "income_by_year": null)"), o);
}

TEST(FastReader, ReadsBenefitListsAndEnums) {
  EvalOptions o;
  o.evaluation_date = "2026-11-25";
  const std::string claim =
      R"({"person_id": "P1", "service_month": "2026-05", "provider_id": "M1", "setting": "inpatient", "dept": "medical",
          "total_cost": 1000000, "copay": 300000})";
  expect_taken(household(kMember, R"(, "claims": [)" + claim + "]"), o);
  expect_left(household(kMember, R"(, "claims": [)" + with(claim, "inpatient", "Inpatient") + "]"), o);
  expect_left(household(kMember, R"(, "claims": [)" + with(claim, "\"medical\"", "1") + "]"), o);
  expect_left(household(kMember, R"(, "claims": [)" + with(claim, "\"2026-05\"", "\"2026-5\"") + "]"), o);
}

}  // namespace
