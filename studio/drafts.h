// Compiling what staff have typed. A draft is the ruleset folder's files as
// the editor holds them; it is compiled in a temporary folder laid out like
// the real one (the draft's files, and the sibling modules it imports linked
// in), so imports resolve and the content hash is the one the saved files
// would have. Diagnostics name files as staff know them ("matsudo/matsudo.shiki").
#pragma once
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "interpreter/engine/engine.h"

namespace shiki::studio {

// File name (within the ruleset folder) → text.
using Files = std::map<std::string, std::string>;

// SHA-256 over the names and texts: the same files give the same digest.
std::string digest_of(const Files& files);

// A private folder, removed with everything in it when it goes out of scope.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Lays the draft out in `into` as the real folder `ruleset_dir` sits among
// its siblings: `into`/<module> holds `files`, the sibling modules are
// linked beside it. Returns `into`/<module>.
std::filesystem::path lay_out(const std::filesystem::path& ruleset_dir, const Files& files,
                              const std::filesystem::path& into);

struct Draft {
  std::string digest;
  std::shared_ptr<const engine::Ruleset> ruleset;  // null when it does not compile
  // [{code, severity, file, editable, line, column, width, message, message_en, notes, fixits}]
  // file: "matsudo/matsudo.shiki"; editable: "matsudo.shiki" when the
  // editor holds that file, else null.
  nlohmann::json diagnostics = nlohmann::json::array();
  int errors = 0, warnings = 0;
};

class DraftCompiler {
 public:
  explicit DraftCompiler(std::filesystem::path ruleset_dir);
  // Compiles (or finds among the last few compiled) the draft of `files`.
  // Safe from several threads; two compilations may run at once.
  std::shared_ptr<const Draft> compile(const Files& files);

 private:
  std::shared_ptr<const Draft> build(const Files& files, const std::string& digest);
  std::filesystem::path dir_;  // the real ruleset folder
  std::mutex mutex_;
  std::list<std::shared_ptr<const Draft>> recent_;  // most recent first
  static constexpr std::size_t kRecent = 6;
};

}  // namespace shiki::studio
