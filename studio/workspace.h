// The ruleset folder the studio edits, the population it is compared over,
// and the golden cases a save must keep: the saved ruleset with its
// assessment of the population (computed once, again after each save, so a
// comparison evaluates only the draft), drafts, and saving.
#pragma once
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analysis/assess.h"
#include "analysis/population.h"
#include "studio/drafts.h"

namespace shiki::studio {

struct WorkspaceOptions {
  std::filesystem::path ruleset_dir;  // the city module: rulesets/matsudo
  std::filesystem::path golden_dir;   // golden/: the cases naming this module are run on save
  std::filesystem::path population;   // JSON Lines households
  int fiscal_year = 0;                // 0: the population's first household's year
  int jobs = 0;                       // threads of an assessment; 0: one per core
};

// The ruleset as saved on disk, compiled, and the population assessed under it.
struct Saved {
  Files files;
  std::string digest;  // digest_of(files): what a save must start from
  std::shared_ptr<const engine::Ruleset> ruleset;
  analysis::Assessment assessment;
};

// A golden case a draft moves: its file (relative to the golden folder) and
// what differs.
struct MovedCase {
  std::string file;
  struct Field {
    std::string path, expected, actual;
  };
  std::vector<Field> fields;
  std::string note;  // "passes now: remove its pending line", an evaluation error
};

struct SaveOutcome {
  enum class Status { kSaved, kUnchanged, kConflict, kDoesNotCompile, kGoldenMoved } status;
  std::shared_ptr<const Draft> draft;
  int cases_run = 0;
  std::vector<MovedCase> moved;
  std::vector<std::string> written;  // file names
};

class Workspace {
 public:
  // Throws std::runtime_error (with the reason for staff) when the saved
  // ruleset does not compile, the population cannot be read or the folder
  // has no .shiki files.
  explicit Workspace(WorkspaceOptions options);

  const std::string& id() const { return id_; }  // the module's folder name
  int fiscal_year() const { return options_.fiscal_year; }
  const analysis::Population& population() const { return population_; }
  int golden_cases() const { return golden_cases_; }  // cases naming this module, found at start
  const std::filesystem::path& ruleset_dir() const { return dir_; }
  std::shared_ptr<const Saved> saved() const { return saved_.load(); }
  // The draft of `files`; null when the names are not exactly the folder's files.
  std::shared_ptr<const Draft> draft(const Files& files);
  bool same_names(const Files& files) const;

  // Runs the golden cases of this module on a compiled draft.
  std::vector<MovedCase> moved_cases(const engine::Ruleset& draft, int& cases_run) const;
  // Compile, run the golden cases, and only then write the files that
  // changed (each to a temporary file renamed over the old one). One save
  // at a time; `from_digest` is the saved state the editor started from,
  // so a save never overwrites another person's save unseen.
  SaveOutcome save(const Files& files, const std::string& from_digest);

 private:
  Files read_files() const;
  std::shared_ptr<const Saved> load_saved(Files files, std::shared_ptr<const engine::Ruleset> ruleset) const;

  WorkspaceOptions options_;
  std::filesystem::path dir_;
  std::string id_;
  analysis::Population population_;
  DraftCompiler drafts_;
  std::atomic<std::shared_ptr<const Saved>> saved_;
  std::mutex save_mutex_;
  int golden_cases_ = 0;
};

}  // namespace shiki::studio
