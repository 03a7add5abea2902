// Source text of rulesets, locations inside it, and the display width of
// text so that a caret lands under full-width (Japanese) characters.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shiki::source {

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // Line n (1-based) without its line break; empty past the end.
  std::string_view line(int n) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

// A place in a file: 1-based line, 1-based column in code points (as ANTLR
// counts), and the length of the marked span in code points.
struct Location {
  const SourceFile* file = nullptr;
  int line = 0;
  int column = 0;
  int length = 1;
  bool valid() const { return file != nullptr && line > 0; }
};

// Columns a terminal needs to show `text` (East Asian wide = 2).
int display_width(std::string_view text);
// The prefix of `text` made of its first `code_points` code points.
std::string_view prefix_code_points(std::string_view text, int code_points);

}  // namespace shiki::source
