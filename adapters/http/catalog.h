// The rulesets the server answers with. A ruleset is compiled completely
// before it is published; publishing is one atomic pointer swap, and every
// request holds the snapshot it started with, so no request ever sees a
// half-loaded ruleset, and an old ruleset lives until its last request ends.
#pragma once
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/http/config.h"
#include "interpreter/engine/engine.h"

namespace shiki::http {

// What compiling one ruleset folder gives: the ruleset, or the rendered
// diagnostics that explain why not.
struct LoadResult {
  std::shared_ptr<const engine::Ruleset> ruleset;
  std::vector<std::string> diagnostics;
};
// Production passes engine_loader() (Ruleset::load); tests inject fakes.
using RulesetLoader = std::function<LoadResult(const std::string& id, const std::filesystem::path& dir)>;

// Evaluators cost set-up (VM state), so each is reused: a request borrows
// one and gives it back. The pool grows to the number of threads that ever
// evaluate at once (the HTTP worker count), never beyond.
class LoadedRuleset {
 public:
  LoadedRuleset(std::shared_ptr<const engine::Ruleset> ruleset, std::filesystem::path dir);
  const engine::RulesetInfo& info() const { return ruleset_->info(); }
  const std::filesystem::path& dir() const { return dir_; }

  class Lease {
   public:
    Lease(LoadedRuleset& owner, std::unique_ptr<engine::Evaluator> e) : owner_(owner), e_(std::move(e)) {}
    Lease(const Lease&) = delete;
    ~Lease() { owner_.give_back(std::move(e_)); }
    engine::Evaluator& operator*() { return *e_; }
    engine::Evaluator* operator->() { return e_.get(); }

   private:
    LoadedRuleset& owner_;
    std::unique_ptr<engine::Evaluator> e_;
  };
  Lease borrow();

 private:
  void give_back(std::unique_ptr<engine::Evaluator> e);
  std::shared_ptr<const engine::Ruleset> ruleset_;
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<engine::Evaluator>> idle_;
};

using Snapshot = std::map<std::string, std::shared_ptr<LoadedRuleset>>;

struct ReloadOutcome {
  std::string id;
  bool ok = false;
  std::string hash;                      // the hash now served (old one on failure)
  std::vector<std::string> diagnostics;  // why it failed
};

class Catalog {
 public:
  explicit Catalog(RulesetLoader loader) : loader_(std::move(loader)) {}
  // Compiles every entry; entries that fail keep their previous version
  // (if any). Entries no longer listed are dropped. Serialised: two reloads
  // (SIGHUP and the admin call at once) never interleave.
  std::vector<ReloadOutcome> reload(const std::vector<RulesetEntry>& entries);
  std::shared_ptr<const Snapshot> snapshot() const { return current_.load(); }

 private:
  RulesetLoader loader_;
  std::mutex reload_mutex_;
  std::atomic<std::shared_ptr<const Snapshot>> current_{std::make_shared<const Snapshot>()};
};

// Ruleset::load with its diagnostics rendered as text (Clang style).
RulesetLoader engine_loader();

}  // namespace shiki::http
