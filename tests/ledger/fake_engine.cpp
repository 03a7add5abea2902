#include "fake_engine.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace shiki::ledger::test {
namespace {

using nlohmann::json;

json error(const json& h, const std::string& field, const std::string& message) {
  return {{"household_id", h.value("household_id", "")}, {"error", {{"field", field}, {"message", message}}}};
}

json part(std::int64_t levy, std::int64_t per_capita, std::int64_t per_household) {
  std::int64_t gross = levy + per_capita + per_household;
  std::int64_t rounding = gross % 100;
  return {{"income_levy", levy}, {"per_capita", per_capita}, {"per_household", per_household},
          {"reduction", 0}, {"over_cap", 0}, {"rounding", rounding}, {"annual", gross - rounding}};
}

class FakeEvaluator : public engine::Evaluator {
 public:
  explicit FakeEvaluator(const FakeRuleset& r) : ruleset_(r) {}
  engine::Outcome evaluate(const json& h, const engine::EvalOptions&, int) override {
    if (int d = g_delay_us.load()) std::this_thread::sleep_for(std::chrono::microseconds(d));
    int year = h.value("fiscal_year", 0);
    if (year != 2025 && year != 2026) return {false, error(h, "fiscal_year", "not covered")};
    std::int64_t salary = 0, insured = 0;
    json members = json::array();
    for (std::size_t i = 0; i < h["members"].size(); ++i) {
      const json& m = h["members"][i];
      if (!m.contains("birth_date") || !m["birth_date"].is_string())
        return {false, error(h, fmt::format("members[{}].birth_date", i), "missing birth date")};
      if (m.contains("income")) {
        std::int64_t s = m["income"].value("salary_revenue", std::int64_t{0});
        if (s < 0)
          return {false, error(h, fmt::format("members[{}].income.salary_revenue", i), "negative amount")};
        salary += s;
      }
      insured += m.value("insured", false) ? 1 : 0;
      members.push_back({{"person_id", m["person_id"]},
                         {"limit_category", m.value("insured", false) ? json("一般") : json(nullptr)},
                         {"copay_rate", "0.3"}});
    }
    json premium = {{"medical", part(salary / 10 + ruleset_.rate_bonus, 1000 * insured, 500)},
                    {"support", part(salary / 20, 300 * insured, 200)},
                    {"care", part(0, 0, 0)}};
    if (year >= 2026) premium["child"] = part(salary / 100, 100 * insured, 0);
    std::int64_t annual = 0;
    for (const auto& [k, v] : premium.items()) annual += v["annual"].get<std::int64_t>();
    premium["annual"] = annual;
    premium["statutory_reduction"] = salary < 1000000 ? "0.5" : "0";
    json installments = json::array();
    for (int p = 1; p <= 10; ++p) {
      int month = (p + 4) % 12 + 1, y = month < 4 ? year + 1 : year;
      installments.push_back({{"period", p}, {"month", fmt::format("{}-{:02}", y, month)},
                              {"due", fmt::format("{}-{:02}-25", y, month)},
                              {"amount", annual / 10 + (p == 1 ? annual % 10 : 0)}});
    }
    premium["installments"] = installments;
    json record = {{"household_id", h["household_id"]}, {"fiscal_year", year},
                   {"ruleset", {{"id", "fake"}, {"hash", ruleset_.info().hash}}},
                   {"premium", premium}, {"members", members}};
    return {true, record};
  }
  // The typed stages are `shiki bench`'s; the adapters under test do not use them.
  std::optional<engine::Problem> read_text(std::string_view, const engine::EvalOptions&, engine::Household&) override {
    return engine::Problem{"", "the fake engine has no typed stages"};
  }
  std::optional<engine::Problem> evaluate(engine::Household&, engine::Result&) override {
    return engine::Problem{"", "the fake engine has no typed stages"};
  }
  void write_text(const engine::Result&, std::string&) override {}
  engine::Outcome evaluate_text(std::string_view text, const engine::EvalOptions& o, int line) override {
    return evaluate(json::parse(text), o, line);
  }

 private:
  const FakeRuleset& ruleset_;
};

}  // namespace

std::unique_ptr<engine::Evaluator> FakeRuleset::evaluator() const {
  return std::make_unique<FakeEvaluator>(*this);
}

}  // namespace shiki::ledger::test
