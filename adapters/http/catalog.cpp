#include "adapters/http/catalog.h"

#include <fmt/format.h>

namespace shiki::http {

LoadedRuleset::LoadedRuleset(std::shared_ptr<const engine::Ruleset> ruleset, std::filesystem::path dir)
    : ruleset_(std::move(ruleset)), dir_(std::move(dir)) {}

LoadedRuleset::Lease LoadedRuleset::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto e = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(e));
    }
  }
  // Created outside the lock: making an evaluator may allocate VM state.
  return Lease(*this, ruleset_->evaluator());
}

void LoadedRuleset::give_back(std::unique_ptr<engine::Evaluator> e) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(e));
}

std::vector<ReloadOutcome> Catalog::reload(const std::vector<RulesetEntry>& entries) {
  std::lock_guard lock(reload_mutex_);
  auto old = current_.load();
  auto next = std::make_shared<Snapshot>();
  std::vector<ReloadOutcome> outcomes;
  for (const auto& entry : entries) {
    ReloadOutcome out{entry.id};
    LoadResult r;
    try {
      r = loader_(entry.id, entry.dir);
    } catch (const std::exception& e) {
      r.diagnostics.push_back(fmt::format("loading {} failed: {}", entry.dir.string(), e.what()));
    }
    if (r.ruleset) {
      (*next)[entry.id] = std::make_shared<LoadedRuleset>(std::move(r.ruleset), entry.dir);
      out.ok = true;
    } else {
      if (r.diagnostics.empty()) r.diagnostics.push_back("the compiler gave no ruleset and no diagnostic");
      out.diagnostics = std::move(r.diagnostics);
      if (auto it = old->find(entry.id); it != old->end()) (*next)[entry.id] = it->second;
    }
    if (auto it = next->find(entry.id); it != next->end()) out.hash = it->second->info().hash;
    outcomes.push_back(std::move(out));
  }
  // One store publishes every ruleset of this reload at once.
  current_.store(std::shared_ptr<const Snapshot>(std::move(next)));
  return outcomes;
}

}  // namespace shiki::http
