// A stand-in for the real interpreter, written against engine.h only, so the
// HTTP layer is tested (and benchmarked) on its own. Its figures are
// deliberately simple and carry the ruleset version, so a test can tell which
// version of a ruleset answered: annual = version * 1000 + number of members.
#pragma once
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "adapters/http/catalog.h"
#include "interpreter/engine/engine.h"

namespace shiki::http::testing {

using nlohmann::json;

inline engine::Outcome error_record(const json& household_id, int line, const std::string& field,
                                    const std::string& message) {
  json r = {{"error", {{"field", field}, {"message", message}}}};
  if (household_id.is_string()) r["household_id"] = household_id;
  else if (line > 0) r["line"] = line;
  else r["household_id"] = nullptr;
  return {false, r};
}

class FakeEvaluator : public engine::Evaluator {
 public:
  FakeEvaluator(const engine::RulesetInfo& info, int version) : info_(info), version_(version) {}

  engine::Outcome evaluate(const json& h, const engine::EvalOptions& options, int line = 0) override {
    static const std::set<std::string> kKnown = {"household_id", "fiscal_year", "members"};
    const json id = h.is_object() && h.contains("household_id") ? h["household_id"] : json();
    if (!id.is_string()) return error_record(id, line, "household_id", "missing or not a string");
    if (id == "THROW") throw std::runtime_error("fake engine failure");
    // Holds an evaluation worker, as a large household would.
    if (id == "SLEEP") std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    for (const auto& [k, v] : h.items())
      if (!options.ignore_unknown_fields && !kKnown.count(k)) return error_record(id, line, k, "unknown field");
    const auto fy = h.find("fiscal_year");
    if (fy == h.end() || !fy->is_number_integer()) return error_record(id, line, "fiscal_year", "must be an integer");
    bool covered = false;
    for (int y : info_.fiscal_years) covered = covered || y == fy->get<int>();
    if (!covered) return error_record(id, line, "fiscal_year", "not covered by the ruleset");
    const auto members = h.find("members");
    if (members == h.end() || !members->is_array()) return error_record(id, line, "members", "must be an array");
    json out = {{"household_id", id},
                {"fiscal_year", *fy},
                {"ruleset", {{"id", info_.id}, {"hash", info_.hash}}},
                {"premium", {{"annual", version_ * 1000 + static_cast<int>(members->size())}, {"statutory_reduction", "0"}}},
                {"members", json::array()}};
    for (const auto& m : *members)
      out["members"].push_back({{"person_id", m.value("person_id", "")}, {"limit_category", "一般"}, {"copay_rate", "0.3"}});
    if (options.explain) out["explain"] = {{"premium.annual", {{"rule", "fake"}, {"source", "none"}}}};
    // What the real engine does with the run's evaluation date: the benefit figures.
    if (!options.evaluation_date.empty()) out["benefits"] = {{"evaluation_date", options.evaluation_date}};
    engine::Outcome o{true, out};
    if (options.explain_text) o.text = "fake summary";
    return o;
  }

  // The typed stages are `shiki bench`'s; the adapters under test do not use them.
  std::optional<engine::Problem> read_text(std::string_view, const engine::EvalOptions&, engine::Household&) override {
    return engine::Problem{"", "the fake engine has no typed stages"};
  }
  std::optional<engine::Problem> evaluate(engine::Household&, engine::Result&) override {
    return engine::Problem{"", "the fake engine has no typed stages"};
  }
  void write_text(const engine::Result&, std::string&) override {}
  engine::Outcome evaluate_text(std::string_view text, const engine::EvalOptions& options, int line) override {
    json h = json::parse(text, nullptr, false);
    if (h.is_discarded()) return error_record(json(), line, "", "not JSON");
    return evaluate(h, options, line);
  }

 private:
  const engine::RulesetInfo& info_;
  int version_;
};

class FakeRuleset : public engine::Ruleset {
 public:
  static inline std::atomic<int> evaluators_made{0};
  FakeRuleset(std::string id, int version) : version_(version) {
    info_.id = std::move(id);
    info_.hash = "sha256:fake-" + info_.id + "-v" + std::to_string(version);
    info_.fiscal_years = {2025, 2026};
  }
  const engine::RulesetInfo& info() const override { return info_; }
  std::unique_ptr<engine::Evaluator> evaluator() const override {
    ++evaluators_made;
    return std::make_unique<FakeEvaluator>(info_, version_);
  }
  int version() const { return version_; }

 private:
  engine::RulesetInfo info_;
  int version_;
};

// Compiles "version" N of every ruleset; can be told to fail (with a
// diagnostic in the house style) or to take time, as a real compile does.
struct FakeLoader {
  std::atomic<int> version{1};
  std::atomic<bool> broken{false};
  std::atomic<int> compile_ms{0};
  std::atomic<int> loads{0};

  RulesetLoader loader() {
    return [this](const std::string& id, const std::filesystem::path&) {
      ++loads;
      if (compile_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(compile_ms.load()));
      LoadResult r;
      if (broken) {
        r.diagnostics.push_back("rulesets/" + id + "/premium.shiki:42:5: error[E0304]: 金額どうしは掛けられません");
        return r;
      }
      r.ruleset = std::make_shared<FakeRuleset>(id, version.load());
      return r;
    };
  }
};

}  // namespace shiki::http::testing
