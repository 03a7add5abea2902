// The studio's tests work on a throw-away copy of rulesets/national and
// rulesets/matsudo (saving writes files), with an empty golden/ beside them.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

namespace shiki::studio {

inline std::filesystem::path copy_rulesets(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "rulesets");
  const fs::path src = SHIKI_SOURCE_DIR;
  fs::copy(src / "rulesets/national", dir / "rulesets/national", fs::copy_options::recursive);
  fs::copy(src / "rulesets/matsudo", dir / "rulesets/matsudo", fs::copy_options::recursive);
  fs::create_directories(dir / "golden");
  return dir;
}

}  // namespace shiki::studio
