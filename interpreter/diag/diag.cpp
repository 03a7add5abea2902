#include "diag.h"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "../source/utf8.h"

namespace shiki::diag {

namespace {
constexpr CodeInfo kCodes[] = {
#define DIAG(code, sev, id, ja, en) {#code, Severity::sev, #id, ja, en},
#include "codes.def"
#undef DIAG
};

std::string format_with(const char* tmpl, const std::vector<std::string>& args) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& a : args) store.push_back(a);
  try {
    return fmt::vformat(tmpl, store);
  } catch (const fmt::format_error&) {
    return tmpl;  // a template/argument mismatch must not hide the diagnostic
  }
}
}  // namespace

const CodeInfo& info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }

const CodeInfo* find(std::string_view code) {
  for (const auto& c : kCodes)
    if (code == c.code) return &c;
  return nullptr;
}

std::vector<Code> all_codes() {
  std::vector<Code> out;
  for (std::size_t i = 0; i < std::size(kCodes); ++i) out.push_back(static_cast<Code>(i));
  return out;
}

std::string Diagnostic::message() const { return format_with(info(code).japanese, args); }
std::string Diagnostic::english_message() const { return format_with(info(code).english, args); }

Severity Diagnostic::severity() const { return info(code).severity; }

const char* severity_name(Severity s) { return s == Severity::warning ? "warning" : "error"; }

void Sink::report(Diagnostic d) {
  if (d.severity() == Severity::error) ++errors_;
  else ++warnings_;
  emit(d);
}

namespace {
void render_location(const source::Location& loc, std::ostream& out, const std::vector<FixIt>& fixits = {}) {
  if (!loc.valid()) return;
  std::string_view line = loc.file->line(loc.line);
  std::string number = std::to_string(loc.line);
  out << "  " << number << " | " << line << "\n";
  std::string_view before = source::prefix_code_points(line, loc.column - 1);
  std::string_view rest = line.substr(before.size());
  int caret = std::max(1, source::display_width(source::prefix_code_points(rest, loc.length)));
  out << "  " << std::string(number.size(), ' ') << " | "
      << std::string(source::display_width(before), ' ') << std::string(caret, '^') << "\n";
  // A fix-it on this line: the replacement under the text it replaces.
  for (const auto& f : fixits) {
    if (f.location.file != loc.file || f.location.line != loc.line) continue;
    std::string_view lead = source::prefix_code_points(line, f.location.column - 1);
    out << "  " << std::string(number.size(), ' ') << " | " << std::string(source::display_width(lead), ' ')
        << f.replacement << "\n";
  }
}
}  // namespace

void render_text(const Diagnostic& d, std::ostream& out) {
  const auto& loc = d.location;
  if (loc.valid())
    out << loc.file->path() << ":" << loc.line << ":" << loc.column << ": ";
  out << severity_name(d.severity()) << "[" << info(d.code).code << "]: " << d.message() << "\n";
  render_location(loc, out, d.fixits);
  for (const auto& note : d.notes) {
    out << "note: ";
    if (note.location.valid())
      out << note.location.file->path() << ":" << note.location.line << ":" << note.location.column << ": ";
    out << note.text << "\n";
    render_location(note.location, out);
  }
}

namespace {
using source::decode_utf8;

// Levenshtein distance over code points, so that one kanji counts as one edit.
std::size_t distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  auto target = decode_utf8(name);
  std::size_t limit = std::max<std::size_t>(1, target.size() / 3);
  std::string best;
  std::size_t best_d = limit + 1;
  int count_best = 0;
  for (const auto& c : candidates) {
    if (c == name) continue;
    std::size_t d = distance(target, decode_utf8(c));
    if (d < best_d) {
      best_d = d;
      best = c;
      count_best = 1;
    } else if (d == best_d && c != best) {
      ++count_best;
    }
  }
  return best_d <= limit && count_best == 1 ? best : "";
}

}  // namespace shiki::diag
