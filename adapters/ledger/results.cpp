#include "adapters/ledger/results.h"

#include <fmt/format.h>

#include <algorithm>

#include "adapters/ledger/copy_text.h"
#include "adapters/ledger/errors.h"

namespace shiki::ledger {

const std::vector<std::string> kParts = {"medical", "support", "care", "child"};
const std::vector<std::string> kPartFigures = {"income_levy", "per_capita", "per_household", "reduction",
                                               "over_cap",    "rounding",   "annual"};

namespace {

std::vector<std::string> household_columns() {
  std::vector<std::string> c = {"run_id", "household_id", "ok", "error_field", "error_message",
                                "annual", "statutory_reduction"};
  for (const auto& p : kParts)
    for (const auto& f : kPartFigures) c.push_back(p + "_" + f);
  for (const char* a : {"installment_periods", "installment_months", "installment_dues",
                        "installment_amounts", "extra"})
    c.emplace_back(a);
  return c;
}

using Bad = BadRecord;

std::int64_t yen(const nlohmann::json& v, const std::string& household, const std::string& path) {
  if (!v.is_number_integer()) throw Bad(household, path, "a whole-yen integer");
  return v.get<std::int64_t>();
}

// Decimals arrive as strings ("0.7"); only digits, one point and a sign pass,
// so nothing but a number reaches the numeric column.
const std::string& decimal(const nlohmann::json& v, const std::string& household, const std::string& path) {
  if (!v.is_string() || !is_decimal_text(v.get_ref<const std::string&>()))
    throw Bad(household, path, "a decimal string");
  return v.get_ref<const std::string&>();
}

std::string date_text(const nlohmann::json& v, const std::string& household, const std::string& path,
                      bool month) {
  if (!v.is_string()) throw Bad(household, path, month ? "a month YYYY-MM" : "a date YYYY-MM-DD");
  const auto& s = v.get_ref<const std::string&>();
  if (month ? !is_shaped(s, "dddd-dd") : !is_shaped(s, "dddd-dd-dd"))
    throw Bad(household, path, month ? "a month YYYY-MM" : "a date YYYY-MM-DD");
  return month ? s + "-01" : s;
}

void extra_json(std::string& line, const nlohmann::json& extra) {
  if (extra.empty()) copy::null(line);
  else copy::text(line, extra.dump());
}

void append_error(ResultBlock& block, std::int64_t run_id, const std::string& household_id,
                  const nlohmann::json& record) {
  const nlohmann::json& error = record.contains("error") ? record["error"] : record;
  const bool named = error.contains("field") && error["field"].is_string();
  std::string message = error.contains("message") && error["message"].is_string()
                            ? error["message"].get<std::string>()
                            : std::string("the engine gave no message");
  append_failure(block, run_id, household_id, named ? &error["field"].get_ref<const std::string&>() : nullptr,
                 message);
}

void append_installments(std::string& line, const nlohmann::json& list, const std::string& id) {
  if (!list.is_array()) throw Bad(id, "premium.installments", "an array");
  std::string periods = "{", months = "{", dues = "{", amounts = "{";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& it = list[i];
    std::string at = fmt::format("premium.installments[{}]", i);
    if (!it.is_object()) throw Bad(id, at, "an object");
    const char* sep = i ? "," : "";
    periods += sep + std::to_string(yen(it.value("period", nlohmann::json()), id, at + ".period"));
    months += sep + date_text(it.value("month", nlohmann::json()), id, at + ".month", true);
    dues += sep + date_text(it.value("due", nlohmann::json()), id, at + ".due", false);
    amounts += sep + std::to_string(yen(it.value("amount", nlohmann::json()), id, at + ".amount"));
  }
  for (auto* a : {&periods, &months, &dues, &amounts}) {
    *a += '}';
    line += *a;
    copy::tab(line);
  }
}

void append_members(ResultBlock& block, std::int64_t run_id, const std::string& id,
                    const nlohmann::json& members) {
  if (!members.is_array()) throw Bad(id, "members", "an array");
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto& m = members[i];
    std::string at = fmt::format("members[{}]", i);
    if (!m.is_object() || !m.contains("person_id") || !m["person_id"].is_string())
      throw Bad(id, at + ".person_id", "a string");
    std::string& line = block.members;
    copy::integer(line, run_id), copy::tab(line);
    copy::text(line, id), copy::tab(line);
    copy::integer(line, static_cast<std::int64_t>(i)), copy::tab(line);
    copy::text(line, m["person_id"].get<std::string>()), copy::tab(line);
    const auto category = m.value("limit_category", nlohmann::json());
    if (category.is_string()) copy::text(line, category.get<std::string>());
    else if (category.is_null()) copy::null(line);
    else throw Bad(id, at + ".limit_category", "a string or null");
    copy::tab(line);
    const auto rate = m.value("copay_rate", nlohmann::json());
    if (rate.is_null()) copy::null(line);
    else copy::text(line, decimal(rate, id, at + ".copay_rate"));
    copy::tab(line);
    nlohmann::json extra = nlohmann::json::object();
    for (const auto& [k, v] : m.items())
      if (k != "person_id" && k != "limit_category" && k != "copay_rate") extra[k] = v;
    extra_json(line, extra);
    copy::end_row(line);
  }
}

}  // namespace

BadRecord::BadRecord(const std::string& household, const std::string& path, const char* expected)
    : LedgerError(fmt::format(
          "the engine's record for household {} has no valid {} ({} expected); "
          "the run is stopped so that no untrusted figure is stored",
          household, path, expected)) {}

bool is_decimal_text(const std::string& s) {
  return !s.empty() && std::count(s.begin(), s.end(), '.') <= 1 &&
         std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

bool is_shaped(const std::string& s, const char* pattern) {
  std::size_t n = std::char_traits<char>::length(pattern);
  if (s.size() != n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (pattern[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pattern[i]) return false;
  return true;
}

void append_failure(ResultBlock& block, std::int64_t run_id, const std::string& household_id,
                    const std::string* field, const std::string& message) {
  std::string& line = block.households;
  copy::integer(line, run_id), copy::tab(line);
  copy::text(line, household_id), copy::tab(line);
  copy::boolean(line, false), copy::tab(line);
  if (field) copy::text(line, *field);
  else copy::null(line);
  copy::tab(line);
  copy::text(line, message);
  // every figure, the installments and extra are NULL for a failed household
  for (std::size_t i = 5; i < kHouseholdResultColumns.size(); ++i) copy::tab(line), copy::null(line);
  copy::end_row(line);
  ++block.failures;
}

const std::vector<std::string> kHouseholdResultColumns = household_columns();
const std::vector<std::string> kMemberResultColumns = {"run_id", "household_id", "seq", "person_id",
                                                       "limit_category", "copay_rate", "extra"};

void append_outcome(ResultBlock& block, std::int64_t run_id, const std::string& id,
                    const engine::Outcome& outcome) {
  ++block.household_count;
  const nlohmann::json& r = outcome.record;
  if (!outcome.ok) return append_error(block, run_id, id, r);
  if (!r.is_object() || r.value("household_id", nlohmann::json()) != id)
    throw Bad(id, "household_id", "the household's own id");
  if (!r.contains("premium") || !r["premium"].is_object()) throw Bad(id, "premium", "an object");
  const nlohmann::json& p = r["premium"];
  std::string& line = block.households;
  copy::integer(line, run_id), copy::tab(line);
  copy::text(line, id), copy::tab(line);
  copy::boolean(line, true), copy::tab(line);
  copy::null(line), copy::tab(line), copy::null(line), copy::tab(line);
  copy::integer(line, yen(p.value("annual", nlohmann::json()), id, "premium.annual")), copy::tab(line);
  copy::text(line, decimal(p.value("statutory_reduction", nlohmann::json()), id,
                           "premium.statutory_reduction"));
  copy::tab(line);
  nlohmann::json extra = nlohmann::json::object();
  for (const auto& part : kParts) {
    if (!p.contains(part)) {  // the child part before FY2026
      for (std::size_t f = 0; f < kPartFigures.size(); ++f) copy::null(line), copy::tab(line);
      continue;
    }
    const auto& figures = p[part];
    if (!figures.is_object()) throw Bad(id, "premium." + part, "an object");
    for (const auto& f : kPartFigures) {
      std::string path = "premium." + part + "." + f;
      copy::integer(line, yen(figures.value(f, nlohmann::json()), id, path)), copy::tab(line);
    }
    for (const auto& [k, v] : figures.items())
      if (std::find(kPartFigures.begin(), kPartFigures.end(), k) == kPartFigures.end())
        extra["premium"][part][k] = v;
  }
  append_installments(line, p.value("installments", nlohmann::json()), id);
  for (const auto& [k, v] : p.items())
    if (std::find(kParts.begin(), kParts.end(), k) == kParts.end() && k != "annual" &&
        k != "statutory_reduction" && k != "installments")
      extra["premium"][k] = v;
  for (const auto& [k, v] : r.items())
    if (k != "household_id" && k != "fiscal_year" && k != "ruleset" && k != "premium" && k != "members")
      extra[k] = v;
  extra_json(line, extra);
  copy::end_row(line);
  append_members(block, run_id, id, r.value("members", nlohmann::json::array()));
}

}  // namespace shiki::ledger
