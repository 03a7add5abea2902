#include "source.h"

#include <utf8proc.h>

namespace shiki::source {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::string_view SourceFile::line(int n) const {
  if (n < 1 || static_cast<std::size_t>(n) > line_starts_.size()) return {};
  std::size_t begin = line_starts_[n - 1];
  std::size_t end = static_cast<std::size_t>(n) < line_starts_.size() ? line_starts_[n] - 1 : text_.size();
  std::string_view line(text_.data() + begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

namespace {
// Decodes one code point; invalid bytes count as one narrow character so a
// broken file still gets a caret rather than a crash.
std::size_t next_code_point(std::string_view text, std::size_t i, utf8proc_int32_t& cp) {
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                            static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (n <= 0) {
    cp = '?';
    return 1;
  }
  return static_cast<std::size_t>(n);
}
}  // namespace

int display_width(std::string_view text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp;
    i += next_code_point(text, i, cp);
    if (cp == '\t') {
      width += 1;
      continue;
    }
    int w = utf8proc_charwidth(cp);
    width += w < 0 ? 1 : w;
  }
  return width;
}

std::string_view prefix_code_points(std::string_view text, int code_points) {
  std::size_t i = 0;
  for (int k = 0; k < code_points && i < text.size(); ++k) {
    utf8proc_int32_t cp;
    i += next_code_point(text, i, cp);
  }
  return text.substr(0, i);
}

}  // namespace shiki::source
