#include "adapters/ledger/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "adapters/ledger/copy_text.h"
#include "adapters/ledger/errors.h"

namespace shiki::ledger {
namespace {

using nlohmann::json;

// A line the ledger cannot hold: names the field, never its value's owner.
struct Reject {
  std::string field, message;
};

const std::vector<std::string> kIncomeAmounts = {
    "salary_revenue", "public_pension_revenue", "business_income", "real_estate_income",
    "miscellaneous_income", "dividend_income", "occasional_income", "separate_capital_gains",
    "capital_gains_special_deduction", "family_worker_deduction", "family_worker_pay",
    "net_loss_carryforward", "casualty_loss_carryforward", "taxable_income"};
const std::vector<std::string> kIncomeFlags = {"income_adjustment_dependents", "resident_tax_exempt"};
// The benefit fields of benefits.md §10.2 the reference ledger holds (migration
// 003); they are staged as the record's JSON and unpacked by SQL.
const std::vector<std::string> kBenefitIncome = {"total_revenue", "head_on_dec31"};
const std::vector<std::string> kBenefitMember = {"income_by_year", "meal_long_stay_applied_on"};
const std::vector<std::string> kBenefitLists = {"claims", "high_cost_history", "prefecture_moves", "meals",
                                                "births", "funerals", "installments", "payments",
                                                "demand_notices", "refunds"};
const std::vector<std::string> kBenefitHousehold = [] {
  std::vector<std::string> k = kBenefitLists;
  k.push_back("evaluation_date");
  k.push_back("base_income_application_on");
  return k;
}();

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_date(const std::string& s, bool month_only) {
  const std::size_t n = month_only ? 7 : 10;
  if (s.size() != n || s[4] != '-' || (!month_only && s[7] != '-')) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2));
  if (m < 1 || m > 12) return false;
  if (month_only) return true;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = std::stoi(s.substr(8, 2));
  return d >= 1 && d <= days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

// Appends a date (or NULL) field to a COPY line; `month` stores YYYY-MM as its first day.
void date_field(std::string& line, const json& object, const std::string& key, const std::string& path,
                bool month = false) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return copy::null(line);
  if (!it->is_string() || !valid_date(it->get<std::string>(), month))
    throw Reject{path, month ? "not a month YYYY-MM" : "not a date YYYY-MM-DD"};
  copy::text(line, month ? it->get<std::string>() + "-01" : it->get<std::string>());
}

void check_keys(const json& object, const std::string& path, std::initializer_list<const char*> known,
                const std::vector<std::string>& more = {}) {
  for (const auto& [k, v] : object.items()) {
    bool ok = std::any_of(known.begin(), known.end(), [&](const char* x) { return k == x; }) ||
              std::find(more.begin(), more.end(), k) != more.end();
    if (!ok) throw Reject{path.empty() ? k : path + "." + k, "the reference ledger has no such field"};
  }
}

bool flag(const json& object, const std::string& key, const std::string& path, std::optional<bool> dflt) {
  auto it = object.find(key);
  if ((it == object.end() || it->is_null()) && dflt) return *dflt;
  if (it == object.end() || !it->is_boolean()) throw Reject{path, "expected true or false"};
  return it->get<bool>();
}

struct Staging {
  std::string households, persons, periods, members, incomes, benefits;
};

// Each benefit list is an array of flat objects (SQL types the values).
void check_benefit_lists(const json& h) {
  for (const auto& key : kBenefitLists) {
    auto it = h.find(key);
    if (it == h.end() || it->is_null()) continue;
    if (!it->is_array()) throw Reject{key, "expected an array"};
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& row = (*it)[i];
      if (!row.is_object()) throw Reject{fmt::format("{}[{}]", key, i), "expected an object"};
      for (const auto& [k, v] : row.items())
        if (v.is_structured()) throw Reject{fmt::format("{}[{}].{}", key, i, k), "expected a value"};
    }
  }
}

void stage_member(Staging& s, long seq, int year, const std::string& hid, const json& m, std::size_t i) {
  const std::string at = fmt::format("members[{}]", i);
  if (!m.is_object()) throw Reject{at, "expected an object"};
  check_keys(m, at, {"person_id", "head", "insured", "birth_date", "nhi_periods", "late_elderly_since",
                     "former_dependent_since", "involuntary_unemployment", "childbirth", "income"},
             kBenefitMember);
  if (!m.contains("person_id") || !m["person_id"].is_string() || m["person_id"].get<std::string>().empty())
    throw Reject{at + ".person_id", "missing"};
  const std::string pid = m["person_id"];
  std::string p = std::to_string(seq) + "\t";
  copy::text(p, pid), copy::tab(p);
  date_field(p, m, "birth_date", at + ".birth_date"), copy::tab(p);
  date_field(p, m, "late_elderly_since", at + ".late_elderly_since"), copy::tab(p);
  date_field(p, m, "former_dependent_since", at + ".former_dependent_since");
  std::string row = fmt::format("{}\t{}\t", seq, year);
  copy::text(row, hid), row += fmt::format("\t{}\t", i);
  copy::text(row, pid), copy::tab(row);
  copy::boolean(row, flag(m, "head", at + ".head", std::nullopt)), copy::tab(row);
  copy::boolean(row, flag(m, "insured", at + ".insured", std::nullopt)), copy::tab(row);
  json none = json::object();
  const json& u = m.contains("involuntary_unemployment") && m["involuntary_unemployment"].is_object()
                      ? m["involuntary_unemployment"] : none;
  check_keys(u, at + ".involuntary_unemployment", {"separation_date"});
  date_field(row, u, "separation_date", at + ".involuntary_unemployment.separation_date"), copy::tab(row);
  const json& c = m.contains("childbirth") && m["childbirth"].is_object() ? m["childbirth"] : none;
  check_keys(c, at + ".childbirth", {"expected_month", "multiple"});
  date_field(row, c, "expected_month", at + ".childbirth.expected_month", true), copy::tab(row);
  if (c.empty()) copy::null(row);
  else copy::boolean(row, flag(c, "multiple", at + ".childbirth.multiple", false));
  std::string periods;
  if (!m.contains("nhi_periods") || !m["nhi_periods"].is_array()) throw Reject{at + ".nhi_periods", "expected an array"};
  for (std::size_t k = 0; k < m["nhi_periods"].size(); ++k) {
    const json& n = m["nhi_periods"][k];
    std::string np = fmt::format("{}.nhi_periods[{}]", at, k);
    if (!n.is_object() || !n.contains("from") || n["from"].is_null()) throw Reject{np + ".from", "missing"};
    check_keys(n, np, {"from", "until"});
    periods += std::to_string(seq) + "\t";
    copy::text(periods, pid), copy::tab(periods);
    date_field(periods, n, "from", np + ".from"), copy::tab(periods);
    date_field(periods, n, "until", np + ".until"), copy::end_row(periods);
  }
  std::string income;
  if (m.contains("income") && m["income"].is_object()) {
    const json& in = m["income"];
    std::vector<std::string> fields = kIncomeAmounts;
    fields.insert(fields.end(), kIncomeFlags.begin(), kIncomeFlags.end());
    fields.insert(fields.end(), kBenefitIncome.begin(), kBenefitIncome.end());
    check_keys(in, at + ".income", {"declared"}, fields);
    income = std::to_string(seq) + "\t";
    copy::text(income, pid), income += fmt::format("\t{}\t", year - 1);
    copy::boolean(income, flag(in, "declared", at + ".income.declared", true));
    for (const auto& f : kIncomeAmounts) {
      if (f == "taxable_income") continue;
      auto it = in.find(f);
      copy::tab(income);
      if (it == in.end() || it->is_null()) copy::integer(income, 0);
      else if (it->is_number_integer()) copy::integer(income, it->get<std::int64_t>());
      else throw Reject{at + ".income." + f, "expected a whole-yen integer"};
    }
    for (const auto& f : kIncomeFlags)
      copy::tab(income), copy::boolean(income, flag(in, f, at + ".income." + f, false));
    auto t = in.find("taxable_income");
    copy::tab(income);
    if (t == in.end() || t->is_null()) copy::integer(income, 0);
    else if (t->is_number_integer()) copy::integer(income, t->get<std::int64_t>());
    else throw Reject{at + ".income.taxable_income", "expected a whole-yen integer"};
    copy::end_row(income);
  }
  // Only now, when the whole member is valid, does it join the staging text.
  s.persons += p + "\n";
  s.members += row + "\n";
  s.periods += periods;
  s.incomes += income;
}

void stage(Staging& s, long seq, const json& h) {
  if (!h.is_object()) throw Reject{"", "expected a JSON object"};
  check_keys(h, "", {"household_id", "fiscal_year", "members"}, kBenefitHousehold);
  check_benefit_lists(h);
  if (!h.contains("fiscal_year") || !h["fiscal_year"].is_number_integer())
    throw Reject{"fiscal_year", "expected an integer"};
  if (!h.contains("members") || !h["members"].is_array()) throw Reject{"members", "expected an array"};
  const std::string hid = h["household_id"];
  const int year = h["fiscal_year"].get<int>();
  Staging one;
  for (std::size_t i = 0; i < h["members"].size(); ++i) stage_member(one, seq, year, hid, h["members"][i], i);
  s.households += fmt::format("{}\t{}\t", seq, year);
  copy::text(s.households, hid), copy::end_row(s.households);
  s.benefits += fmt::format("{}\t{}\t", seq, year);
  copy::text(s.benefits, hid), copy::tab(s.benefits), copy::text(s.benefits, h.dump()), copy::end_row(s.benefits);
  s.persons += one.persons, s.members += one.members, s.periods += one.periods, s.incomes += one.incomes;
}

const char* kStagingDdl =
    "CREATE TEMP TABLE stage_households (line bigint, fiscal_year int, household_id text) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_persons (line bigint, person_id text, birth_date date, "
    "  late_elderly_since date, former_dependent_since date) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_periods (line bigint, person_id text, date_from date, date_until date) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_members (line bigint, LIKE ledger.members) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_incomes (line bigint, LIKE ledger.incomes) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_benefits (line bigint, fiscal_year int, household_id text, doc jsonb) ON COMMIT DROP;";

// A later line's income of the same person and year replaces the earlier one.
// A macro so that both merges below splice it into one string literal.
#define INCOME_UPSERT \
    "  ON CONFLICT (person_id, income_year) DO UPDATE SET declared = EXCLUDED.declared, " \
    "  salary_revenue = EXCLUDED.salary_revenue, public_pension_revenue = EXCLUDED.public_pension_revenue, " \
    "  business_income = EXCLUDED.business_income, real_estate_income = EXCLUDED.real_estate_income, " \
    "  miscellaneous_income = EXCLUDED.miscellaneous_income, dividend_income = EXCLUDED.dividend_income, " \
    "  occasional_income = EXCLUDED.occasional_income, separate_capital_gains = EXCLUDED.separate_capital_gains, " \
    "  capital_gains_special_deduction = EXCLUDED.capital_gains_special_deduction, " \
    "  family_worker_deduction = EXCLUDED.family_worker_deduction, family_worker_pay = EXCLUDED.family_worker_pay, " \
    "  net_loss_carryforward = EXCLUDED.net_loss_carryforward, " \
    "  casualty_loss_carryforward = EXCLUDED.casualty_loss_carryforward, " \
    "  income_adjustment_dependents = EXCLUDED.income_adjustment_dependents, " \
    "  resident_tax_exempt = EXCLUDED.resident_tax_exempt, taxable_income = EXCLUDED.taxable_income"

// Later lines win: a rerun of load with corrected data replaces the old.
const char* kMerge =
    "DELETE FROM ledger.households h USING stage_households s "
    "  WHERE h.fiscal_year = s.fiscal_year AND h.household_id = s.household_id;"
    "INSERT INTO ledger.persons SELECT DISTINCT ON (person_id) person_id, birth_date, late_elderly_since, "
    "  former_dependent_since FROM stage_persons ORDER BY person_id, line DESC "
    "  ON CONFLICT (person_id) DO UPDATE SET birth_date = EXCLUDED.birth_date, "
    "  late_elderly_since = EXCLUDED.late_elderly_since, former_dependent_since = EXCLUDED.former_dependent_since;"
    "DELETE FROM ledger.nhi_periods n USING (SELECT DISTINCT person_id FROM stage_persons) s "
    "  WHERE n.person_id = s.person_id;"
    "INSERT INTO ledger.nhi_periods SELECT DISTINCT ON (p.person_id, p.date_from) p.person_id, p.date_from, "
    "  p.date_until FROM stage_periods p JOIN (SELECT person_id, max(line) AS line FROM stage_persons "
    "  GROUP BY person_id) l USING (person_id, line) ORDER BY p.person_id, p.date_from;"
    "INSERT INTO ledger.incomes SELECT DISTINCT ON (person_id, income_year) person_id, income_year, declared, "
    "  salary_revenue, public_pension_revenue, business_income, real_estate_income, miscellaneous_income, "
    "  dividend_income, occasional_income, separate_capital_gains, capital_gains_special_deduction, "
    "  family_worker_deduction, family_worker_pay, net_loss_carryforward, casualty_loss_carryforward, "
    "  income_adjustment_dependents, resident_tax_exempt, taxable_income "
    "  FROM stage_incomes ORDER BY person_id, income_year, line DESC "
    INCOME_UPSERT ";"
    "CREATE TEMP TABLE last_households ON COMMIT DROP AS SELECT fiscal_year, household_id, max(line) AS line "
    "  FROM stage_households GROUP BY 1, 2;"
    "INSERT INTO ledger.households SELECT fiscal_year, household_id FROM last_households;"
    "INSERT INTO ledger.members SELECT m.fiscal_year, m.household_id, m.seq, m.person_id, m.head, "
    "  m.insured, m.unemployment_separation_date, m.childbirth_expected_month, m.childbirth_multiple "
    "  FROM stage_members m JOIN last_households l ON l.fiscal_year = m.fiscal_year "
    "  AND l.household_id = m.household_id AND l.line = m.line;";

// The benefit inputs of each household's last line, unpacked from its JSON
// (households replaced above took their old rows with them: ON DELETE CASCADE).
const char* kMergeBenefits =
    "CREATE TEMP TABLE last_benefits ON COMMIT DROP AS SELECT b.* FROM stage_benefits b "
    "  JOIN last_households l ON l.fiscal_year = b.fiscal_year AND l.household_id = b.household_id AND l.line = b.line;"
    "INSERT INTO ledger.household_benefits SELECT fiscal_year, household_id, (doc->>'evaluation_date')::date, "
    "  (doc->>'base_income_application_on')::date FROM last_benefits "
    "  WHERE doc->>'evaluation_date' IS NOT NULL OR doc->>'base_income_application_on' IS NOT NULL;"
    "INSERT INTO ledger.member_benefits SELECT b.fiscal_year, b.household_id, m->>'person_id', "
    "  (m->>'meal_long_stay_applied_on')::date FROM last_benefits b, jsonb_array_elements(b.doc->'members') m "
    "  WHERE m->>'meal_long_stay_applied_on' IS NOT NULL;"
    // The income of other years (income_by_year), then the two benefit fields of every year.
    "INSERT INTO ledger.incomes SELECT DISTINCT ON (m->>'person_id', y.key::int) (jsonb_populate_record("
    "  ROW(m->>'person_id', y.key::int, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, 0)::ledger.incomes,"
    "  y.value - 'total_revenue' - 'head_on_dec31')).* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'members') m, jsonb_each(m->'income_by_year') y "
    "  WHERE jsonb_typeof(m->'income_by_year') = 'object' ORDER BY m->>'person_id', y.key::int, b.line DESC "
    INCOME_UPSERT ";"
    "INSERT INTO ledger.income_details SELECT DISTINCT ON (pid, yr) pid, yr, rev, head FROM ("
    "  SELECT b.line, m->>'person_id' AS pid, b.fiscal_year - 1 AS yr, (m->'income'->>'total_revenue')::bigint AS rev,"
    "    coalesce((m->'income'->>'head_on_dec31')::boolean, false) AS head "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'members') m WHERE jsonb_typeof(m->'income') = 'object' "
    "    AND (m->'income' ? 'total_revenue' OR m->'income' ? 'head_on_dec31') "
    "  UNION ALL SELECT b.line, m->>'person_id', y.key::int, (y.value->>'total_revenue')::bigint, "
    "    coalesce((y.value->>'head_on_dec31')::boolean, false) "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'members') m, jsonb_each(m->'income_by_year') y "
    "  WHERE jsonb_typeof(m->'income_by_year') = 'object' "
    "    AND (y.value ? 'total_revenue' OR y.value ? 'head_on_dec31')) d ORDER BY pid, yr, line DESC "
    "  ON CONFLICT (person_id, income_year) DO UPDATE SET total_revenue = EXCLUDED.total_revenue, "
    "  head_on_dec31 = EXCLUDED.head_on_dec31;"
    // One INSERT a list: each element typed by its table's columns, in the record's order.
    "INSERT INTO ledger.claims SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* FROM last_benefits b, "
    "  jsonb_array_elements(b.doc->'claims') WITH ORDINALITY e(v, n), jsonb_to_record(e.v) AS r(person_id text, "
    "  service_month text, provider_id text, setting text, dept text, prescriber_id text, total_cost bigint, "
    "  copay bigint, paid_at_window bigint, specified_disease text, copay_paid_on date) "
    "  WHERE jsonb_typeof(b.doc->'claims') = 'array';"
    "INSERT INTO ledger.high_cost_history SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'high_cost_history') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(month text, carried_from text) WHERE jsonb_typeof(b.doc->'high_cost_history') = 'array';"
    "INSERT INTO ledger.prefecture_moves SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'prefecture_moves') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(date date) WHERE jsonb_typeof(b.doc->'prefecture_moves') = 'array';"
    "INSERT INTO ledger.meals SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'meals') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(person_id text, date date, count integer, intractable boolean) "
    "  WHERE jsonb_typeof(b.doc->'meals') = 'array';"
    "INSERT INTO ledger.births SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'births') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(person_id text, date date, children integer, gestation_days integer, "
    "  participating_facility boolean) WHERE jsonb_typeof(b.doc->'births') = 'array';"
    "INSERT INTO ledger.funerals SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'funerals') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(person_id text, death_date date, funeral_date date) "
    "  WHERE jsonb_typeof(b.doc->'funerals') = 'array';"
    "INSERT INTO ledger.installments SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'installments') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(fiscal_year integer, period integer, due date, amount bigint) "
    "  WHERE jsonb_typeof(b.doc->'installments') = 'array';"
    "INSERT INTO ledger.payments SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'payments') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(fiscal_year integer, period integer, date date, amount bigint) "
    "  WHERE jsonb_typeof(b.doc->'payments') = 'array';"
    "INSERT INTO ledger.demand_notices SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'demand_notices') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(fiscal_year integer, period integer, issued_on date) "
    "  WHERE jsonb_typeof(b.doc->'demand_notices') = 'array';"
    "INSERT INTO ledger.refunds SELECT b.fiscal_year, b.household_id, (e.n - 1)::int, r.* "
    "  FROM last_benefits b, jsonb_array_elements(b.doc->'refunds') WITH ORDINALITY e(v, n), "
    "  jsonb_to_record(e.v) AS r(fiscal_year integer, period integer, amount bigint, paid_on date, decided_on date) "
    "  WHERE jsonb_typeof(b.doc->'refunds') = 'array';";

void flush(pqxx::work& tx, Staging& s) {
  for (auto [table, text] : {std::pair{"stage_households", &s.households}, {"stage_persons", &s.persons},
                             {"stage_periods", &s.periods}, {"stage_members", &s.members},
                             {"stage_incomes", &s.incomes}, {"stage_benefits", &s.benefits}}) {
    if (text->empty()) continue;
    text->pop_back();
    pqxx::stream_to stream(tx, table);
    stream << copy::RawBlock{text};
    stream.complete();
    text->clear();
  }
}

}  // namespace

LoadReport load(const std::string& conninfo, std::istream& in) {
  pqxx::connection c(conninfo);
  pqxx::work tx(c);
  tx.exec(kStagingDdl);
  LoadReport report;
  Staging staging;
  std::string line;
  for (long number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json h;
    std::string hid;
    try {
      h = json::parse(line);
      if (!h.is_object() || !h.contains("household_id") || !h["household_id"].is_string() ||
          h["household_id"].get<std::string>().empty())
        throw Reject{"household_id", "missing"};
      hid = h["household_id"];
      stage(staging, number, h);
      ++report.households;
    } catch (const json::exception&) {
      ++report.rejected;
      report.errors.push_back(fmt::format("line {}: not a JSON household record", number));
    } catch (const Reject& r) {
      ++report.rejected;
      report.errors.push_back(hid.empty() ? fmt::format("line {}: {}: {}", number, r.field, r.message)
                                          : fmt::format("line {}: household {}: {}: {}", number, hid,
                                                        r.field, r.message));
    }
    if (staging.households.size() > (1 << 20)) flush(tx, staging);
  }
  flush(tx, staging);
  tx.exec(kMerge);
  tx.exec(kMergeBenefits);
  tx.commit();
  return report;
}

}  // namespace shiki::ledger
