// The language end to end, one test per capability of DESIGN.md ("The
// language: what it must express"): each compiles a tiny ruleset from
// rulesets/<name>/ and evaluates households through the engine API, asserting
// exact values. Expected figures are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "interpreter/bytecode/program.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"
#include "interpreter/engine/pipeline.h"
#include "interpreter/specialise/specialise.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using shiki::diag::CaptureSink;
using shiki::engine::EvalOptions;
using shiki::engine::Outcome;
using shiki::engine::Ruleset;

const fs::path kRulesets = fs::path(SHIKI_LANGUAGE_DIR) / "rulesets";

// Renders each diagnostic when it is reported: the source files its place
// points into are gone once a failed load returns (tests/diagnostics/BUGS.md).
class RenderingSink : public CaptureSink {
 public:
  std::string text;

 protected:
  void emit(const shiki::diag::Diagnostic& d) override {
    CaptureSink::emit(d);
    std::ostringstream out;
    shiki::diag::render_text(d, out);
    text += out.str();
  }
};

std::string rendered(const RenderingSink& sink) { return sink.text; }

std::shared_ptr<const Ruleset> load(const std::string& name) {
  RenderingSink sink;
  auto rs = Ruleset::load(kRulesets / name, sink);
  EXPECT_NE(rs, nullptr) << rendered(sink);
  // Warnings (a rule without source in these small rulesets) are the
  // diagnostics tests' business; here no error may be reported.
  EXPECT_EQ(sink.error_count(), 0) << rendered(sink);
  return rs;
}

// The codes and lines a ruleset that must not compile reports.
std::vector<std::pair<std::string, int>> diagnostics_of(const std::string& name) {
  CaptureSink sink;
  auto rs = Ruleset::load(kRulesets / name, sink);
  EXPECT_EQ(rs, nullptr);
  std::vector<std::pair<std::string, int>> out;
  for (const auto& d : sink.diagnostics)
    if (d.severity() == shiki::diag::Severity::error) out.push_back({shiki::diag::info(d.code).code, d.location.line});
  return out;
}

// Evaluates one household; the "ruleset" stamp is dropped so that records
// compare whole.
Outcome evaluate(const Ruleset& rs, const std::string& household, EvalOptions options = {}) {
  auto ev = rs.evaluator();
  Outcome o = ev->evaluate(json::parse(household), options);
  if (o.ok) {
    EXPECT_EQ(o.record["ruleset"]["id"], rs.info().id);
    o.record.erase("ruleset");
  }
  return o;
}

json ok_record(const Ruleset& rs, const std::string& household) {
  Outcome o = evaluate(rs, household);
  EXPECT_TRUE(o.ok) << o.record.dump();
  return o.record;
}

// ---- 1. modules and layering ------------------------------------------------

// Members' income 1_000_000 + 2_345_678 + 0 = 3_345_678; × 5% = 167_283.9,
// truncated below 100 yen: 167_200. National: 3 × 20_000 = 60_000, no relief,
// 227_200. City: 3 × 27_000 = 81_000, relief 5_000 for 3 people:
// 81_000 + 167_200 − 5_000 = 243_200. The national rules 均等割額 and 年額 use
// the city's parameter and rule.
constexpr const char* kThreeMembers = R"({"household_id": "H1", "fiscal_year": 2025,
  "members": [{"income": 1000000}, {"income": 2345678}, {}]})";

TEST(Modules, CityOverridesParameterAndRuleOfTheNationalModule) {
  auto national = load("national");
  auto city = load("city");
  ASSERT_TRUE(national && city);
  EXPECT_EQ(ok_record(*national, kThreeMembers),
            json::parse(R"({"household_id": "H1", "per_capita": 60000, "income_levy": 167200,
                            "relief": 0, "annual": 227200})"));
  EXPECT_EQ(ok_record(*city, kThreeMembers),
            json::parse(R"({"household_id": "H1", "per_capita": 81000, "income_levy": 167200,
                            "relief": 5000, "annual": 243200})"));
  EXPECT_EQ(city->info().id, "city");
}

// docs/language.md, "Replacing and amending": a version added by date, the
// national history kept; marks and citations change no figure.
TEST(Modules, AmendAddsAVersionWithoutRestatingTheHistory) {
  auto city = load("city_amend");
  ASSERT_TRUE(city);
  auto in = [](int fy) {
    return R"({"household_id": "H1", "fiscal_year": )" + std::to_string(fy) + R"(, "members": [{"income": 1000000}]})";
  };
  EXPECT_EQ(ok_record(*city, in(2025))["per_capita"], 20000);  // national, not restated
  EXPECT_EQ(ok_record(*city, in(2026))["per_capita"], 27000);  // the city's new version
  EXPECT_EQ(ok_record(*city, in(2026))["income_levy"], 50000); // marked, unchanged
}

// docs/language.md, "Importing from another folder": a module outside the
// modules' folder builds on the national one through the path it names.
TEST(Modules, ImportFromAPathReadsTheFolderAtThatPath) {
  auto city = load("elsewhere/city_path");
  ASSERT_TRUE(city);
  auto in = [](int fy) {
    return R"({"household_id": "H1", "fiscal_year": )" + std::to_string(fy) + R"(, "members": [{"income": 1000000}]})";
  };
  EXPECT_EQ(ok_record(*city, in(2025))["per_capita"], 20000);  // national
  EXPECT_EQ(ok_record(*city, in(2026))["per_capita"], 27000);  // the city's
  EXPECT_EQ(city->info().id, "city_path");
}

// docs/language.md, "Rules stated once for several parts".
TEST(Parts, EachPartUsesItsOwnFigureOrTheSharedOne) {
  auto rs = load("parts");
  ASSERT_TRUE(rs);
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "P", "fiscal_year": 2025, "members": [{"age": 30}, {"age": 45}]})"),
            json::parse(R"({"a": 2000, "b": 300})"));
}

TEST(Modules, OverrideOfNothingAndSilentShadowingAreRefused) {
  using V = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(diagnostics_of("city_typo"), (V{{"E0103", 4}}));
  EXPECT_EQ(diagnostics_of("city_shadow"), (V{{"E0104", 4}}));
}

// ---- 2. parameters with effective dates --------------------------------------

// 均等割額: 19_500 (FY2023), 21_000 (FY2024), 22_000 from 2024-10-01 so first
// on 1 April 2025 (FY2025), 27_000 (FY2026). 基準額 table: 430_000 until
// FY2024, then 435_000 + R (R = 10). 子ども分 only from FY2026.
TEST(EffectiveDates, ValueInForceOnFirstAprilOfEachFiscalYear) {
  auto rs = load("dated");
  ASSERT_TRUE(rs);
  EXPECT_EQ(rs->info().fiscal_years, (std::vector<int>{2023, 2024, 2025, 2026}));
  auto year = [&](int fy) {
    return ok_record(*rs, R"({"household_id": "D", "fiscal_year": )" + std::to_string(fy) + "}");
  };
  EXPECT_EQ(year(2023), json::parse(R"({"per_capita": 19500, "base": 430000, "fy": 2023})"));
  EXPECT_EQ(year(2024), json::parse(R"({"per_capita": 21000, "base": 430000, "fy": 2024})"));
  EXPECT_EQ(year(2025), json::parse(R"({"per_capita": 22000, "base": 435010, "fy": 2025})"));
  EXPECT_EQ(year(2026), json::parse(R"({"per_capita": 27000, "base": 435010, "child": 1000, "fy": 2026})"));
  Outcome outside = evaluate(*rs, R"({"household_id": "D", "fiscal_year": 2027})");
  EXPECT_FALSE(outside.ok);
  EXPECT_EQ(outside.record,
            json::parse(R"j({"household_id": "D", "error": {"field": "fiscal_year",
              "message": "fiscal year 2027 is not covered by ruleset dated (2023–2026)"}})j"));
}

// ---- 3. entities and aggregation ---------------------------------------------

// P1 3_000_000 insured age 70 periods 200+165; P2 0 insured 40, 365;
// P3 1_500_000 not insured 80, none; P4 500_000 insured 10, 50+30+120.
constexpr const char* kFourMembers = R"({"household_id": "A", "fiscal_year": 2025, "members": [
  {"income": 3000000, "insured": true, "age": 70, "periods": [{"days": 200}, {"days": 165}]},
  {"income": 0, "insured": true, "age": 40, "periods": [{"days": 365}]},
  {"income": 1500000, "insured": false, "age": 80, "periods": []},
  {"income": 500000, "insured": true, "age": 10, "periods": [{"days": 50}, {"days": 30}, {"days": 120}]}]})";

TEST(Entities, AggregationsWithFilters) {
  auto rs = load("aggregation");
  ASSERT_TRUE(rs);
  EXPECT_EQ(ok_record(*rs, kFourMembers), json::parse(R"({
    "insured_income": 3500000,
    "all_income": 5000000,
    "insured": 3,
    "people": 4,
    "max_income": 3000000,
    "min_age": 10,
    "any_65": true,
    "any_insured_75": false,
    "all_insured": false,
    "all_insured_earn": false,
    "days": 930,
    "long_periods": 4,
    "members": [{"days": 365}, {"days": 365}, {"days": 200}]})"));
}

// No one insured: sums and counts are 0, any is false, all is true, and a max
// over nobody has no value — an evaluation error naming the rule.
TEST(Entities, EmptyAggregations) {
  auto rs = load("aggregation");
  ASSERT_TRUE(rs);
  Outcome o = evaluate(*rs, R"({"household_id": "E", "fiscal_year": 2025, "members": [
    {"income": 100, "insured": false, "age": 30, "periods": []}]})");
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.record, json::parse(R"({"household_id": "E", "error": {"field": "世帯.最高所得",
    "message": "集計する対象がありません（max/min）"}})"));
}

// ---- 4. types with units -------------------------------------------------------

// income 1_000_000, levy 81_234, ratio "0.25", date 2025-06-30, month 2025-04.
// 7.5% → 75_000; × 0.25 → 250_000; × 3; ÷ 4 → 250_000; 81_234 / 1_000_000
// = 0.081234 → 0.0812; 1_000_000 − 81_234 + 500 = 919_266; +30 days →
// 2025-07-30; month + 12 → 2026-04; date − date → 30 days.
TEST(Units, EachCombinationHasItsUnit) {
  auto rs = load("units");
  ASSERT_TRUE(rs);
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "U", "fiscal_year": 2025, "income": 1000000,
              "levy": 81234, "ratio": "0.25", "date": "2025-06-30", "month": "2025-04"})"),
            json::parse(R"({"levy": 75000, "share": 250000, "triple": 3000000, "quarter": 250000,
              "burden": "0.0812", "diff": 919266, "due": "2025-07-30", "next_year": "2026-04",
              "days": 30, "rate": "0.075"})"));
}

TEST(Units, MoneyTimesMoneyAndMoneyPlusRateDoNotCompile) {
  RenderingSink sink;
  EXPECT_EQ(Ruleset::load(kRulesets / "units_bad", sink), nullptr);
  ASSERT_EQ(sink.diagnostics.size(), 2u) << rendered(sink);
  EXPECT_EQ(sink.diagnostics[0].message(), "単位が合いません: money * money はできません");
  EXPECT_EQ(sink.diagnostics[0].location.line, 7);
  EXPECT_EQ(sink.diagnostics[1].message(), "単位が合いません: money + rate はできません");
  EXPECT_EQ(sink.diagnostics[1].location.line, 8);
}

// ---- 5. exact arithmetic and explicit rounding ----------------------------------

TEST(Rounding, FourModesAndFusedDivideAndRound) {
  auto rs = load("rounding");
  ASSERT_TRUE(rs);
  // 123_450 / 12 = 10_287.5; 123_450 / 7 = 17_635.714…; 2.5 / 7 = 0.357142…
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "R1", "fiscal_year": 2025, "x": "2.5", "annual": 123450, "n": 7})"),
            json::parse(R"({"t": "2", "u": "3", "hu": "3", "he": "2",
              "t_cent": "2.5", "u_cent": "2.5", "hu_cent": "2.5", "he_cent": "2.5",
              "t100": 123400, "u100": 123500, "hu100": 123500, "he100": 123400, "u10": 123450,
              "monthly_t": 10287, "monthly_hu": 10288, "monthly_he": 10288,
              "per_n_t": 17635, "per_n_u": 17636, "per_n_hu10": 17640, "x_per_n_he": "0.357"})"));
  // Negative values: truncate toward zero, round_up away from zero, halves
  // away from zero (half up) or to even. −123_450 / 12 = −10_287.5.
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "R2", "fiscal_year": 2025, "x": "-7.1", "annual": -123450, "n": 7})"),
            json::parse(R"({"t": "-7", "u": "-8", "hu": "-7", "he": "-7",
              "t_cent": "-7.1", "u_cent": "-7.1", "hu_cent": "-7.1", "he_cent": "-7.1",
              "t100": -123400, "u100": -123500, "hu100": -123500, "he100": -123400, "u10": -123450,
              "monthly_t": -10287, "monthly_hu": -10288, "monthly_he": -10288,
              "per_n_t": -17635, "per_n_u": -17636, "per_n_hu10": -17640, "x_per_n_he": "-1.014"})"));
  // −2.5: half-even goes to −2, half-up to −3; 123_451 is past the half.
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "R3", "fiscal_year": 2025, "x": "-2.5", "annual": 123451, "n": 7})"),
            json::parse(R"({"t": "-2", "u": "-3", "hu": "-3", "he": "-2",
              "t_cent": "-2.5", "u_cent": "-2.5", "hu_cent": "-2.5", "he_cent": "-2.5",
              "t100": 123400, "u100": 123500, "hu100": 123500, "he100": 123500, "u10": 123460,
              "monthly_t": 10287, "monthly_hu": 10288, "monthly_he": 10288,
              "per_n_t": 17635, "per_n_u": 17636, "per_n_hu10": 17640, "x_per_n_he": "-0.357"})"));
  // 2.345 at 0.01: the half goes to the even 2.34, or up to 2.35. 1 / 3 and
  // 1 / 12 are below one yen; round_up still gives 1.
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "R4", "fiscal_year": 2025, "x": "2.345", "annual": 1, "n": 3})"),
            json::parse(R"({"t": "2", "u": "3", "hu": "2", "he": "2",
              "t_cent": "2.34", "u_cent": "2.35", "hu_cent": "2.35", "he_cent": "2.34",
              "t100": 0, "u100": 100, "hu100": 0, "he100": 0, "u10": 10,
              "monthly_t": 0, "monthly_hu": 0, "monthly_he": 0,
              "per_n_t": 0, "per_n_u": 1, "per_n_hu10": 0, "x_per_n_he": "0.782"})"));
}

// ---- 6. brackets and decision tables ---------------------------------------------

TEST(Tables, RowsChosenRightAtTheBoundaries) {
  auto rs = load("tables");
  ASSERT_TRUE(rs);
  json members = json::array();
  // (salary, ratio, people)
  const std::tuple<long, const char*, int> in[] = {
      {550999, "-0.1", 1}, {551000, "0", 2}, {1618999, "0.4999", 3}, {1619000, "0.5", 1},
      {1627999, "1", 1}, {1628000, "1.0001", 1}, {1799999, "0.75", 1}, {1800000, "0", 1},
      {1000000, "0", 4}, {1000001, "0", 4}, {0, "0", 0}};
  for (auto [s, r, p] : in) members.push_back({{"salary", s}, {"ratio", r}, {"people", p}});
  json household = {{"household_id", "T"}, {"fiscal_year", 2025}, {"members", members}};
  json record = ok_record(*rs, household.dump());
  // 1_628_000: 1_628_000 / 4_000 = 407 → 1_628_000 × 60% + 100_000 = 1_076_800.
  // 1_799_999: 449.99… → 449 × 4_000 = 1_796_000 × 60% + 100_000 = 1_177_600.
  // 1_800_000 × 80% − 440_000 = 1_000_000.
  EXPECT_EQ(record, json::parse(R"({"members": [
    {"income": 0,       "rate": "0",   "extra": 10000},
    {"income": 1000,    "rate": "0.2", "extra": 20000},
    {"income": 1068999, "rate": "0.2", "extra": 0},
    {"income": 1069000, "rate": "0.5", "extra": 0},
    {"income": 1070000, "rate": "0.5", "extra": 0},
    {"income": 1076800, "rate": "0.7", "extra": 0},
    {"income": 1177600, "rate": "0.5", "extra": 0},
    {"income": 1000000, "rate": "0.2", "extra": 0},
    {"income": 450000,  "rate": "0.2", "extra": 40000},
    {"income": 450001,  "rate": "0.2", "extra": 0},
    {"income": 0,       "rate": "0.2", "extra": 0}]})"));
}

TEST(Tables, GapAndOverlapAreRejected) {
  using V = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(diagnostics_of("tables_gap"), (V{{"E0301", 6}}));
  EXPECT_EQ(diagnostics_of("tables_overlap"), (V{{"E0302", 5}}));
}

// ---- 7. exceptions with precedence ---------------------------------------------------

TEST(Exceptions, PrecedenceAndTheErrorNamingBothUnorderedExceptions) {
  auto rs = load("exceptions");
  ASSERT_TRUE(rs);
  auto reduction = [&](long income) {
    json h = {{"household_id", "X"}, {"fiscal_year", 2025}, {"income", income}};
    return ok_record(*rs, h.dump())["reduction"];
  };
  EXPECT_EQ(reduction(1000001), "0");
  EXPECT_EQ(reduction(1000000), "0.2");  // <= is inclusive
  EXPECT_EQ(reduction(800001), "0.2");
  EXPECT_EQ(reduction(800000), "0.5");   // 五割 over 二割
  EXPECT_EQ(reduction(430001), "0.5");
  EXPECT_EQ(reduction(430000), "0.7");   // 七割 over 五割, and so over 二割
  EXPECT_EQ(reduction(0), "0.7");

  EXPECT_EQ(ok_record(*rs, R"({"household_id": "X1", "fiscal_year": 2025, "income": 0, "preschool": true})"),
            json::parse(R"({"household_id": "X1", "reduction": "0.7", "special": "未就学児"})"));
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "X2", "fiscal_year": 2025, "income": 0, "unemployed": true})"),
            json::parse(R"({"household_id": "X2", "reduction": "0.7", "special": "失業"})"));
  Outcome both = evaluate(*rs, R"({"household_id": "X3", "fiscal_year": 2025, "income": 0,
                                    "preschool": true, "unemployed": true})");
  EXPECT_FALSE(both.ok);
  EXPECT_EQ(both.record, json::parse(R"({"household_id": "X3", "error": {"field": "世帯.特例",
    "message": "例外「未就学児特例」と「失業特例」が両方当てはまり、どちらが優先するか書かれていません（over で順位を書きます）"}})"));
}

// ---- 8. time: fiscal-year months, ages by the age law -----------------------------------

constexpr const char* kBirths = R"({"household_id": "Y", "fiscal_year": FY, "members": [
  {"person_id": "A", "birth_date": "1986-04-01"},
  {"person_id": "B", "birth_date": "1986-04-02"},
  {"person_id": "C", "birth_date": "1961-06-01"},
  {"person_id": "D", "birth_date": "2000-02-29"}]})";

std::string births(int fy) {
  std::string s = kBirths;
  s.replace(s.find("FY"), 2, std::to_string(fy));
  return s;
}

// A (born 1 April) attains 40 on 31 March 2026, the last day of FY2025: one
// month of 介護 in FY2025. B (born 2 April) attains it on 1 April 2026: none in
// FY2025, twelve in FY2026. C attains 65 on 31 May 2026: twelve months in
// FY2025, April only in FY2026. D (born 29 February) attains 25 on
// 28 February 2025.
TEST(Time, AgesByTheAgeLawAndTheMonthsOfTheFiscalYear) {
  auto rs = load("time");
  ASSERT_TRUE(rs);
  json fy2025 = ok_record(*rs, births(2025));
  EXPECT_EQ(fy2025["members"], json::parse(R"([
    {"id": "A", "attains40": "2026-03-31", "attains25": "2011-03-31", "age_start": 39, "age_end": 40, "care_months": 1},
    {"id": "B", "attains40": "2026-04-01", "attains25": "2011-04-01", "age_start": 39, "age_end": 39, "care_months": 0},
    {"id": "C", "attains40": "2001-05-31", "attains25": "1986-05-31", "age_start": 63, "age_end": 64, "care_months": 12},
    {"id": "D", "attains40": "2040-02-28", "attains25": "2025-02-28", "age_start": 25, "age_end": 26, "care_months": 0}])"));
  ASSERT_EQ(fy2025["months"].size(), 12u);
  EXPECT_EQ(fy2025["months"][0], json::parse(R"({"month": "2025-04", "n": 4, "last": "2025-04-30"})"));
  EXPECT_EQ(fy2025["months"][8], json::parse(R"({"month": "2025-12", "n": 12, "last": "2025-12-31"})"));
  EXPECT_EQ(fy2025["months"][9], json::parse(R"({"month": "2026-01", "n": 1, "last": "2026-01-31"})"));
  EXPECT_EQ(fy2025["months"][10], json::parse(R"({"month": "2026-02", "n": 2, "last": "2026-02-28"})"));
  EXPECT_EQ(fy2025["months"][11], json::parse(R"({"month": "2026-03", "n": 3, "last": "2026-03-31"})"));

  json fy2026 = ok_record(*rs, births(2026));
  std::vector<int> care, age_end;
  for (const auto& m : fy2026["members"]) {
    care.push_back(m["care_months"]);
    age_end.push_back(m["age_end"]);
  }
  EXPECT_EQ(care, (std::vector<int>{12, 12, 1, 0}));
  EXPECT_EQ(age_end, (std::vector<int>{41, 40, 65, 27}));
  EXPECT_EQ(fy2026["months"][0]["month"], "2026-04");
  EXPECT_EQ(fy2026["months"][10]["last"], "2027-02-28");
}

// ---- 9. citations in explanations -------------------------------------------------------

TEST(Citations, RuleSourcesAppearInTheExplanation) {
  auto rs = load("citations");
  ASSERT_TRUE(rs);
  EvalOptions options;
  options.explain = true;
  // 2 × 21_000 = 42_000; income 430_000 → 七割; 42_000 × 30% = 12_600.
  Outcome o = evaluate(*rs, R"({"household_id": "C", "fiscal_year": 2025, "income": 430000,
                                "members": [{}, {}]})", options);
  ASSERT_TRUE(o.ok) << o.record.dump();
  EXPECT_EQ(o.record["annual"], 12600);
  std::map<std::string, json> by_rule;
  for (const auto& e : o.record["explain"]) by_rule[e["rule"]] = e;
  ASSERT_EQ(by_rule.size(), 3u) << o.record["explain"].dump();
  EXPECT_EQ(by_rule["世帯.均等割額"]["source"], "国民健康保険法施行令 第29条の7第2項");
  EXPECT_EQ(by_rule["世帯.均等割額"]["value"], "42000");
  EXPECT_EQ(by_rule["世帯.軽減割合"]["source"], "施行令 第29条の7第5項");
  EXPECT_EQ(by_rule["世帯.軽減割合"]["value"], "0.7");
  EXPECT_FALSE(by_rule["世帯.年額"].contains("source"));  // no source written, none invented
  EXPECT_EQ(by_rule["世帯.年額"]["uses"], json::parse(R"(["世帯.均等割額", "世帯.軽減割合"])"));
  std::string at = by_rule["世帯.均等割額"]["defined_at"];
  EXPECT_EQ(at.substr(at.size() - std::string("citations.shiki:12").size()), "citations.shiki:12");
}

// docs/language.md: "source" may follow a parameter version and an exception,
// and `shiki explain` prints every figure "and these sources".
TEST(Citations, ParameterAndExceptionSourcesAppearInTheExplanation) {
  auto rs = load("citations");
  ASSERT_TRUE(rs);
  EvalOptions options;
  options.explain = true;
  options.explain_text = true;
  Outcome o = evaluate(*rs, R"({"household_id": "C", "fiscal_year": 2025, "income": 430000,
                                "members": [{}, {}]})", options);
  ASSERT_TRUE(o.ok) << o.record.dump();
  std::string all = o.record["explain"].dump() + o.text;
  EXPECT_NE(all.find("松戸市 (FY2024)"), std::string::npos) << o.text;
  EXPECT_NE(all.find("施行令 第29条の7第5項第1号"), std::string::npos) << o.text;
}

// The summary a 給付係 clerk reads: a 高額療養費 month step by step with its
// limits, and a late charge segment by segment (the Matsudo ruleset, the
// published example E5 of the benefit golden cases and a part-paid installment).
TEST(Explanation, AClerkCanFollowAHighCostMonthAndALateCharge) {
  RenderingSink sink;
  auto rs = Ruleset::load(fs::path(SHIKI_LANGUAGE_DIR) / ".." / ".." / "rulesets" / "matsudo", sink);
  ASSERT_TRUE(rs) << rendered(sink);
  EvalOptions options;
  options.explain_text = true;
  Outcome month = evaluate(*rs, R"json({"household_id": "BH006", "fiscal_year": 2025, "evaluation_date": "2025-12-01", "members": [{"person_id": "P1", "head": true, "insured": true, "birth_date": "1980-03-03", "nhi_periods": [{"from": "2015-04-01", "until": null}], "late_elderly_since": null, "former_dependent_since": null, "involuntary_unemployment": null, "childbirth": null, "income": {"declared": true, "salary_revenue": 0, "public_pension_revenue": 0, "business_income": 3000000, "resident_tax_exempt": false, "taxable_income": 2300000}}, {"person_id": "P2", "head": false, "insured": true, "birth_date": "1951-03-10", "nhi_periods": [{"from": "2015-04-01", "until": null}], "late_elderly_since": null, "former_dependent_since": null, "involuntary_unemployment": null, "childbirth": null, "income": {"declared": true, "salary_revenue": 0, "public_pension_revenue": 1500000, "business_income": 0, "resident_tax_exempt": false, "taxable_income": 0}}, {"person_id": "P3", "head": false, "insured": true, "birth_date": "1953-05-20", "nhi_periods": [{"from": "2015-04-01", "until": null}], "late_elderly_since": null, "former_dependent_since": null, "involuntary_unemployment": null, "childbirth": null, "income": {"declared": true, "salary_revenue": 0, "public_pension_revenue": 1200000, "business_income": 0, "resident_tax_exempt": false, "taxable_income": 0}}], "claims": [{"person_id": "P1", "service_month": "2025-10", "provider_id": "1310001", "setting": "inpatient", "dept": "medical", "total_cost": 300000, "copay": 90000}, {"person_id": "P2", "service_month": "2025-10", "provider_id": "1310002", "setting": "outpatient", "dept": "medical", "total_cost": 100000, "copay": 20000}, {"person_id": "P3", "service_month": "2025-10", "provider_id": "1310003", "setting": "outpatient", "dept": "medical", "total_cost": 100000, "copay": 20000}, {"person_id": "P3", "service_month": "2025-10", "provider_id": "1310004", "setting": "inpatient", "dept": "medical", "total_cost": 400000, "copay": 57600}]})json", options);
  ASSERT_TRUE(month.ok) << month.record.dump();
  for (const char* line : {
           "世帯.限度額区分(2025-10) = ウ  ← 所得210万円超",
           "outpatient 受診者 P2 外来の負担額 20,000円 外来の限度 18,000円 外来の支給 2,000円",
           "elderly_household 高齢世帯の負担額 93,600円 高齢世帯の費用 600,000円 高齢世帯の限度 57,600円 高齢世帯の支給 36,000円",
           "household 世帯の負担額 147,600円 世帯の費用 900,000円 世帯の限度 86,430円 世帯の支給 61,170円"})
    EXPECT_NE(month.text.find(line), std::string::npos) << line << "\n" << month.text;
  Outcome late = evaluate(*rs, R"json({"household_id": "BK011", "fiscal_year": 2026, "evaluation_date": "2026-11-30", "members": [{"person_id": "P1", "head": true, "insured": true, "birth_date": "1972-02-22", "nhi_periods": [{"from": "2015-04-01", "until": null}], "late_elderly_since": null, "former_dependent_since": null, "involuntary_unemployment": null, "childbirth": null, "income": {"declared": true, "salary_revenue": 0, "public_pension_revenue": 0, "business_income": 3500000, "resident_tax_exempt": false, "taxable_income": 2500000}}], "installments": [{"fiscal_year": 2026, "period": 2, "due": "2026-07-31", "amount": 90000}], "payments": [{"fiscal_year": 2026, "period": 2, "date": "2026-07-31", "amount": 10000}, {"fiscal_year": 2026, "period": 2, "date": "2026-08-20", "amount": 30000}, {"fiscal_year": 2026, "period": 2, "date": "2026-10-05", "amount": 20000}], "demand_notices": [{"fiscal_year": 2026, "period": 2, "issued_on": "2026-08-15"}]})json", options);
  ASSERT_TRUE(late.ok) << late.record.dump();
  for (const char* line : {
           "年度 2026 期 2 期の納期限 2026-07-31 期の調定額 90,000円 未納額 30,000円 延滞金の累計 1,018円 延滞金 1,000円",
           "初日 2026-08-21 末日 2026-08-31 日数 11 元本 50,000円 割合 2.8% 金額 42円"})
    EXPECT_NE(late.text.find(line), std::string::npos) << line << "\n" << late.text;
}

// ---- 10. demand-driven outputs --------------------------------------------------------------

TEST(Demand, OnlyRulesAnOutputNeedsAreEvaluated) {
  auto rs = load("demand");
  ASSERT_TRUE(rs);
  EvalOptions options;
  options.explain = true;
  // 回数 0: 月額 would divide by zero and 子ども分 has no FY2025 value, but no
  // output needs either.
  Outcome o = evaluate(*rs, R"({"household_id": "M", "fiscal_year": 2025, "income": 120000, "installments": 0})",
                       options);
  ASSERT_TRUE(o.ok) << o.record.dump();
  ASSERT_EQ(o.record["explain"].size(), 1u);
  EXPECT_EQ(o.record["explain"][0]["rule"], "世帯.年額");
  o.record.erase("explain");
  EXPECT_EQ(o.record, json::parse(R"({"annual": 120000})"));
  // When an output needs it, the error names the rule.
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "M", "fiscal_year": 2025, "income": 120000,
                               "installments": 7, "with_monthly": true})"),
            json::parse(R"({"annual": 120000, "monthly": 17142})"));
  Outcome bad = evaluate(*rs, R"({"household_id": "M", "fiscal_year": 2025, "income": 120000,
                                   "installments": 0, "with_monthly": true})");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.record, json::parse(R"({"household_id": "M", "error": {"field": "世帯.月額", "message": "0 で割りました"}})"));
}

// ---- overflow ---------------------------------------------------------------------------------

TEST(Overflow, IsAnEvaluationErrorNamingTheRuleAndTheHousehold) {
  auto rs = load("overflow");
  ASSERT_TRUE(rs);
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "O1", "fiscal_year": 2025, "amount": 1000, "factor": 1000})"),
            json::parse(R"({"cube": 1000000000, "square": 1000000})"));
  // (9 × 10^18)³ = 7.29 × 10^56: past the 128-bit coefficient.
  Outcome o = evaluate(*rs, R"({"household_id": "O2", "fiscal_year": 2025, "amount": 9000000000000000000,
                                "factor": 9000000000000000000})");
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.record, json::parse(R"({"household_id": "O2", "error": {"field": "世帯.三乗",
    "message": "桁あふれ（値が大きすぎます）"}})"));
}

// (10^10)³ is 10^30 yen: exact inside the VM, but past what the output
// record carries (a JSON integer of 64 bits). Still an error record naming
// the household, not an exception out of evaluate().
TEST(Overflow, AnAmountTooLargeForTheRecordIsAnErrorRecord) {
  auto rs = load("overflow");
  ASSERT_TRUE(rs);
  Outcome o;
  ASSERT_NO_THROW(o = evaluate(*rs, R"({"household_id": "O3", "fiscal_year": 2025, "amount": 10000000000, "factor": 10000000000})"));
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.record["household_id"], "O3");
  EXPECT_EQ(o.record["error"]["field"], "output cube") << o.record.dump();
}

// ---- malformed households ------------------------------------------------------------------------

TEST(Household, MalformedRecordGivesTheErrorRecordWithTheFieldPath) {
  auto rs = load("household");
  ASSERT_TRUE(rs);
  auto error_of = [&](const std::string& h) {
    Outcome o = evaluate(*rs, h);
    EXPECT_FALSE(o.ok) << h;
    return o.record;
  };
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01", "income": {"salary_revenue": 300000}},
              {"person_id": "2", "birth_date": "1982-01-01"}]})"),
            json::parse(R"({"salary": 300000})"));
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01"}, {"person_id": "2"}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[1].birth_date",
              "message": "missing required field"}})"));
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01", "income": {"salary_revenue": -1}}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[0].income.salary_revenue",
              "message": "must not be negative: -1"}})"));
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01", "income": {"salary_revenue": 1.5}}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[0].income.salary_revenue",
              "message": "not a yen amount (an integer is needed): 1.5"}})"));
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": 19800101}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[0].birth_date",
              "message": "not a date: 19800101"}})"));
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01", "nickname": "x"}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[0].nickname",
              "message": "unknown field"}})"));
  // A `check` of the ruleset: born after the end of FY2025.
  EXPECT_EQ(error_of(R"({"household_id": "G", "fiscal_year": 2025, "members": [
              {"person_id": "1", "birth_date": "1980-01-01"}, {"person_id": "2", "birth_date": "2026-04-01"}]})"),
            json::parse(R"({"household_id": "G", "error": {"field": "members[1].birth_date",
              "message": "生年月日が年度末より後です"}})"));
  // A line that is not JSON is named by its line number.
  auto ev = rs->evaluator();
  Outcome text = ev->evaluate_text("{\"household_id\": ", {}, 7);
  EXPECT_FALSE(text.ok);
  EXPECT_EQ(text.record, json::parse(R"x({"line": 7, "error": {"field": "", "message": "not valid JSON (error at byte 18)"}})x"));
  // The evaluator goes on with the next household after an error.
  EXPECT_TRUE(ev->evaluate(json::parse(R"({"household_id": "G2", "fiscal_year": 2025, "members": []})"), {}).ok);
}

// ---- `shiki dis` ---------------------------------------------------------------------------------

// A bytecode::Program showing the chunks and constants of one fiscal year, so
// that specialised chunks (CHUNK instead of TABLE) disassemble with the right
// constants.
std::string disassemble_all(const shiki::bytecode::Program& base, const shiki::specialise::Program& year) {
  shiki::bytecode::Program view;
  view.constants = year.constants;
  view.chunks = year.chunks;
  view.rule_names = base.rule_names;
  view.params = base.params;
  view.tables = base.tables;
  view.inputs = base.inputs;
  view.entity_inputs = base.entity_inputs;
  view.entities = base.entities;
  std::string out;
  for (const auto& c : base.chunks) out += shiki::bytecode::disassemble(base, c);
  for (const auto& c : view.chunks) out += shiki::bytecode::disassemble(view, c);
  return out;
}

TEST(Disassembly, ListsEveryOpcodeAcrossTheChunks) {
  RenderingSink sink;
  auto program = shiki::engine::build(kRulesets / "dis", sink);
  ASSERT_NE(program, nullptr) << rendered(sink);
  auto year = shiki::specialise::run(program, 2025);
  std::string listing = disassemble_all(*program, *year);
  std::set<std::string> seen;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("==", 0) == 0) continue;
    std::istringstream words(line.substr(10));  // "0000    5 " or "0001    | "
    std::string name;
    words >> name;
    seen.insert(name);
  }
  for (int i = 0; i < shiki::bytecode::op_count(); ++i) {
    std::string name = shiki::bytecode::op_info(static_cast<shiki::bytecode::Op>(i)).name;
    EXPECT_TRUE(seen.count(name)) << name << " is in no chunk:\n" << listing;
  }
  // And the program computes what it says: members 1_000 and 5_000.
  auto rs = load("dis");
  ASSERT_TRUE(rs);
  // 倍合計 2 × 6_000; 計算: a = −5_000, truncate(−500) + round(1_000 / 3 = 333.3) −
  // 控除(1_000) = 0 + 5_000 / 4 = 1_250 → −500 + 333 − 0 + 1_250 = 1_083.
  // 年間所得: two members, so the months are not alike: 12 × 6_000 = 72_000.
  EXPECT_EQ(ok_record(*rs, R"({"household_id": "Z", "fiscal_year": 2025, "category": "イ",
                               "members": [{"income": 1000}, {"income": 5000}]})"),
            json::parse(R"({"double": 12000, "calc": 1083, "test": true, "category": 2,
                            "rate": "0.1", "months": 9, "year": 1, "past": 5000, "annual_income": 72000})"));
}

// ---- months that are alike (docs/language.md) ---------------------------------

// Two members joined by April paying 1,000 and 500 a month: 12 × 1,500 =
// 18,000; 12 months with members, all of them, at most 2. 位置 is 0 … 11
// (sum 66) and 位置の次 1 … 12 (sum 78): they use the month itself, so they
// are computed month by month even where the months are alike (April alone
// would give 0 and 12).
constexpr const char* kSteady = R"({"household_id": "S", "fiscal_year": 2025, "steady": true,
  "members": [{"joined": "2025-04", "monthly_rate": 1000}, {"joined": "2024-01", "monthly_rate": 500}]})";
// The second member joins in October: 6 × 1,000 + 6 × 1,500 = 15,000.
constexpr const char* kJoinsInOctober = R"({"household_id": "J", "fiscal_year": 2025, "steady": false,
  "members": [{"joined": "2025-04", "monthly_rate": 1000}, {"joined": "2025-10", "monthly_rate": 500}]})";

TEST(AlikeMonths, SameFiguresAsEveryMonth) {
  auto rs = load("alike");
  ASSERT_TRUE(rs);
  EvalOptions every;
  every.every_month = true;
  auto steady = json::parse(R"({"household_id": "S", "annual": 18000, "months": 12, "all": true,
                                "most": 2, "positions": 66, "next": 78})");
  EXPECT_EQ(ok_record(*rs, kSteady), steady);
  EXPECT_EQ(evaluate(*rs, kSteady, every).record, steady);
  auto joins = json::parse(R"({"household_id": "J", "annual": 15000, "months": 12, "all": true,
                               "most": 2, "positions": 66, "next": 78})");
  EXPECT_EQ(ok_record(*rs, kJoinsInOctober), joins);
  EXPECT_EQ(evaluate(*rs, kJoinsInOctober, every).record, joins);
}

// A broken promise: `steady` says nothing changes, but the second member
// joins in October. The months are then computed from April alone (12 ×
// 1,000 = 12,000, at most 1 member); --every-month gives the true 15,000,
// which is how a test of the ruleset finds the broken promise.
TEST(AlikeMonths, EveryMonthFindsABrokenPromise) {
  auto rs = load("alike");
  ASSERT_TRUE(rs);
  std::string broken = kJoinsInOctober;
  const std::string was = "\"steady\": false";
  broken.replace(broken.find(was), was.size(), "\"steady\": true");
  EXPECT_EQ(ok_record(*rs, broken), json::parse(R"({"household_id": "J", "annual": 12000, "months": 12,
                                                    "all": true, "most": 1, "positions": 66, "next": 78})"));
  EvalOptions every;
  every.every_month = true;
  EXPECT_EQ(evaluate(*rs, broken, every).record["annual"], 15000);
}

// The clox-style listing of one rule, line by line.
TEST(Disassembly, ListingOfOneRule) {
  RenderingSink sink;
  auto program = shiki::engine::build(kRulesets / "dis", sink);
  ASSERT_NE(program, nullptr) << rendered(sink);
  const shiki::bytecode::Chunk* chunk = nullptr;
  for (const auto& c : program->chunks)
    if (c.name == "世帯.年度") chunk = &c;
  ASSERT_NE(chunk, nullptr);
  std::string text = shiki::bytecode::disassemble(*program, *chunk);
  std::string body = text.substr(text.find('\n') + 1);
  EXPECT_EQ(text.substr(0, text.find(' ', 3)), "== 世帯.年度");
  EXPECT_EQ(body,
            "0000   33 BUILTIN      0 0\n"
            "0001    | CONST        22    ; 2000\n"
            "0002    | GT          \n"
            "0003    | JUMP_IF_NOT  2    ; -> 6\n"
            "0004    | CONST        23    ; 1\n"
            "0005    | JUMP         1    ; -> 7\n"
            "0006    | CONST        24    ; 2\n"
            "0007    | RETURN      \n");
}

}  // namespace
