// A ruleset written from text for the tests of one stage: each test states
// the few lines it is about, and the folder is removed when the test ends.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace shiki::testing {

class InlineRuleset {
 public:
  // `text` becomes <temporary folder>/<name>/main.shiki; the module's id is `name`.
  explicit InlineRuleset(const std::string& text, const std::string& name = "t") {
    static int count = 0;
    root_ = std::filesystem::temp_directory_path() /
            ("shiki-inline-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / name);
    dir_ = root_ / name;
    std::ofstream(dir_ / "main.shiki") << text;
  }
  ~InlineRuleset() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  InlineRuleset(const InlineRuleset&) = delete;
  InlineRuleset& operator=(const InlineRuleset&) = delete;

  // Another module beside it, for `import <name>`.
  void sibling(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories(root_ / name);
    std::ofstream(root_ / name / "main.shiki") << text;
  }

  const std::filesystem::path& dir() const { return dir_; }
  // The file's path as diagnostics and dumps print it.
  std::string file() const { return (dir_ / "main.shiki").string(); }

 private:
  std::filesystem::path root_, dir_;
};

}  // namespace shiki::testing
