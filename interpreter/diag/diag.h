// Diagnostics: what a stage reports about a ruleset, and where. Stages emit
// into a Sink; text (Clang style), JSON and test capture are renderers.
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "../source/source.h"

namespace shiki::diag {

enum class Code : std::uint16_t {
#define DIAG(code, sev, id, ja, en) code,
#include "codes.def"
#undef DIAG
};

enum class Severity : unsigned char { error, warning };

struct CodeInfo {
  const char* code;     // "E0203"
  Severity severity;    // a warning does not stop the build (unless --werror)
  const char* id;       // "unit_mismatch"
  const char* japanese; // template with {} for each argument
  const char* english;
};
const CodeInfo& info(Code code);
// nullptr when no such code exists.
const CodeInfo* find(std::string_view code);
std::vector<Code> all_codes();

struct Note {
  source::Location location;  // may be invalid: a note without a place
  std::string text;
};

// What to type instead: the text at `location` (its `length` code points)
// replaced by `replacement`. Rendered under the caret, as Clang does.
struct FixIt {
  source::Location location;
  std::string replacement;
};

struct Diagnostic {
  Code code;
  source::Location location;
  std::vector<std::string> args;
  std::vector<Note> notes;  // the other place of a conflict, "did you mean", what to do
  std::vector<FixIt> fixits;
  Severity severity() const;
  std::string message() const;          // Japanese text with the arguments
  std::string english_message() const;
};

class Sink {
 public:
  virtual ~Sink() = default;
  void report(Diagnostic d);
  int error_count() const { return errors_; }
  int warning_count() const { return warnings_; }
  // Diagnostics point into source files; the sink keeps every file it was
  // shown alive, so a diagnostic can be rendered after the program that
  // read the file is gone.
  void keep(std::shared_ptr<const source::SourceFile> file) { files_.push_back(std::move(file)); }

 protected:
  virtual void emit(const Diagnostic& d) = 0;

 private:
  int errors_ = 0;
  int warnings_ = 0;
  std::vector<std::shared_ptr<const source::SourceFile>> files_;
};

const char* severity_name(Severity s);  // "error", "warning"

// file:line:col: error[E0203]: message / source line / caret / fix-it / notes
void render_text(const Diagnostic& d, std::ostream& out);

// {"code", "severity", "file", "line", "column", "width", "message",
// "message_en", "notes": [...], "fixits": [{..., "replacement"}]} on one line.
void render_json(const Diagnostic& d, std::ostream& out);

// Renders errors as text; warnings only when asked (`shiki check` shows
// them; eval, golden and the batch need only what stops them).
class TextSink : public Sink {
 public:
  explicit TextSink(std::ostream& out, bool warnings = false) : out_(out), warnings_(warnings) {}

 protected:
  void emit(const Diagnostic& d) override {
    if (warnings_ || d.severity() == Severity::error) render_text(d, out_);
  }

 private:
  std::ostream& out_;
  bool warnings_;
};

// Keeps every diagnostic (tests, the API, JSON rendering).
class CaptureSink : public Sink {
 public:
  std::vector<Diagnostic> diagnostics;

 protected:
  void emit(const Diagnostic& d) override { diagnostics.push_back(d); }
};

// Levenshtein-close names: the single candidate within distance, or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace shiki::diag
