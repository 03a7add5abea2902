// Diagnostics as JSON for editors and the studio: one object per
// diagnostic, the same fields as the text (place, code, severity, message,
// notes, fix-its). Columns and widths count code points, as the text does.
#include <cstdio>
#include <string>

#include "diag.h"

namespace shiki::diag {

namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// "file", "line", "column", "width" of a place; nulls when it has none.
std::string place(const source::Location& loc) {
  if (!loc.valid()) return "\"file\": null, \"line\": null, \"column\": null, \"width\": null";
  return "\"file\": " + quoted(loc.file->path()) + ", \"line\": " + std::to_string(loc.line) +
         ", \"column\": " + std::to_string(loc.column) + ", \"width\": " + std::to_string(loc.length);
}

}  // namespace

void render_json(const Diagnostic& d, std::ostream& out) {
  out << "{\"code\": " << quoted(info(d.code).code) << ", \"severity\": " << quoted(severity_name(d.severity()))
      << ", " << place(d.location) << ", \"message\": " << quoted(d.message())
      << ", \"message_en\": " << quoted(d.english_message()) << ", \"notes\": [";
  for (std::size_t i = 0; i < d.notes.size(); ++i)
    out << (i ? ", " : "") << "{" << place(d.notes[i].location) << ", \"message\": " << quoted(d.notes[i].text) << "}";
  out << "], \"fixits\": [";
  for (std::size_t i = 0; i < d.fixits.size(); ++i)
    out << (i ? ", " : "") << "{" << place(d.fixits[i].location)
        << ", \"replacement\": " << quoted(d.fixits[i].replacement) << "}";
  out << "]}";
}

}  // namespace shiki::diag
