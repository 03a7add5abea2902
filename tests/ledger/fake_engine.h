// A stand-in for the real engine (interpreter/engine/engine.h) so that the
// ledger plumbing is tested before the interpreter lands: it computes trivial
// figures from the input in the exact shape of household.md, and rejects the
// bad rows the batch must record (a missing birth date, a negative income).
#pragma once
#include <atomic>
#include <memory>

#include "interpreter/engine/engine.h"

namespace shiki::ledger::test {

// Microseconds each evaluation sleeps, so a test can catch a run mid-way.
inline std::atomic<int> g_delay_us{0};

class FakeRuleset : public engine::Ruleset {
 public:
  explicit FakeRuleset(std::string hash = "sha256:fake-1") { info_ = {"fake", std::move(hash), {2025, 2026}}; }
  const engine::RulesetInfo& info() const override { return info_; }
  std::unique_ptr<engine::Evaluator> evaluator() const override;
  // Added to every salary-based figure: a "new rate" for dry-run tests.
  long rate_bonus = 0;

 private:
  engine::RulesetInfo info_;
};

}  // namespace shiki::ledger::test
