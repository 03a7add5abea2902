#include "entry.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"
#include "interpreter/engine/pipeline.h"

#ifndef SHIKI_RULESETS_DIR
#error "SHIKI_RULESETS_DIR must name the source tree's rulesets/ folder"
#endif

namespace fs = std::filesystem;

namespace shiki::fuzz {

std::string rulesets_dir() {
  if (const char* env = std::getenv("SHIKI_RULESETS"); env && *env) return env;
  return SHIKI_RULESETS_DIR;
}

namespace {

// A scratch folder per process: <tmp>/shiki-fuzz-<pid>/ with the input module
// in fuzz/ and links to the bundled modules beside it, since an import is
// looked up next to the importing module. Removed at exit.
class Workspace {
 public:
  Workspace() {
    root_ = fs::temp_directory_path() / ("shiki-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "fuzz");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(rulesets_dir(), ec))
      if (e.is_directory()) fs::create_directory_symlink(fs::absolute(e.path()), root_ / e.path().filename());
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path module() const { return root_ / "fuzz"; }
  fs::path file() const { return root_ / "fuzz" / "fuzz.shiki"; }

 private:
  fs::path root_;
};

// SHIKI_FUZZ_AVOID lets a fuzzing run get past a known, reported bug while
// the fix is pending (docs/fuzzing.md). A comma-separated list of:
//   render-at-emit  render each diagnostic as it is reported (what TextSink
//                   does) instead of after build returns (adapters/http);
//   invalid-utf8    skip inputs that are not valid UTF-8.
// The tests never set it.
bool avoid(std::string_view what) {
  const char* v = std::getenv("SHIKI_FUZZ_AVOID");
  if (!v) return false;
  std::string_view list(v);
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == what) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool render_at_emit() {
  static const bool on = avoid("render-at-emit");
  return on;
}

bool skip_invalid_utf8() {
  static const bool on = avoid("invalid-utf8");
  return on;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (n < 0 || i + n >= s.size()) return false;
    char32_t cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

class RenderingSink : public diag::CaptureSink {
 public:
  std::ostringstream text;

 protected:
  void emit(const diag::Diagnostic& d) override {
    diag::render_text(d, text);
    CaptureSink::emit(d);
  }
};

}  // namespace

std::string frontend(std::string_view text) {
  static Workspace ws;
  if (skip_invalid_utf8() && !valid_utf8(text)) return {};
  {
    std::ofstream out(ws.file(), std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + ws.file().string());
  }
  std::unique_ptr<diag::CaptureSink> sink;
  if (render_at_emit()) sink = std::make_unique<RenderingSink>();
  else sink = std::make_unique<diag::CaptureSink>();
  std::shared_ptr<const bytecode::Program> program;
  try {
    program = engine::build(ws.module(), *sink);
  } catch (const std::exception& e) {
    throw Violation(std::string("engine::build threw: ") + e.what());
  } catch (...) {
    throw Violation("engine::build threw a non-standard exception");
  }
  if (!program && sink->error_count() == 0)
    throw Violation("engine::build returned no program but reported no error");
  if (program && sink->error_count() != 0)
    throw Violation("engine::build returned a program after reporting an error");
  std::ostringstream rendered;
  try {
    if (auto* r = dynamic_cast<RenderingSink*>(sink.get())) {
      rendered << r->text.str();
    } else {
      for (const auto& d : sink->diagnostics) diag::render_text(d, rendered);
    }
  } catch (const std::exception& e) {
    throw Violation(std::string("diag::render_text threw: ") + e.what());
  }
  return rendered.str();
}

namespace {

engine::Evaluator& matsudo() {
  static std::shared_ptr<const engine::Ruleset> ruleset;
  static std::unique_ptr<engine::Evaluator> evaluator;
  if (!evaluator) {
    std::ostringstream errors;
    diag::TextSink sink(errors);
    ruleset = engine::Ruleset::load(fs::path(rulesets_dir()) / "matsudo", sink);
    if (!ruleset) {
      // Not the input's fault: the harness cannot run at all.
      std::fprintf(stderr, "shiki fuzz: rulesets/matsudo does not compile:\n%s", errors.str().c_str());
      std::abort();
    }
    evaluator = ruleset->evaluator();
  }
  return *evaluator;
}

// What cli/jsonl.cpp writes for one outcome, with the promises of
// engine.h checked on the way.
std::string write(const engine::Outcome& out) {
  const auto& r = out.record;
  if (!r.is_object()) throw Violation("the record is not a JSON object: " + r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (!out.ok) {
    auto e = r.find("error");
    if (e == r.end() || !e->is_object() || !e->contains("field") || !e->contains("message") ||
        !(*e)["field"].is_string() || !(*e)["message"].is_string())
      throw Violation("an error record without error.field and error.message: " +
                      r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!r.contains("household_id") && !r.contains("line"))
      throw Violation("an error record naming neither household_id nor line: " +
                      r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  std::string s;
  try {
    s = r.dump();  // strict UTF-8, as cli/jsonl.cpp writes it
  } catch (const std::exception& e) {
    throw Violation(std::string("the record cannot be written as JSON: ") + e.what());
  }
  return s + "\n" + out.text;
}

engine::Outcome evaluate(std::string_view line, const engine::EvalOptions& options) {
  try {
    return matsudo().evaluate_text(line, options, 1);
  } catch (const std::exception& e) {
    throw Violation(std::string("evaluate_text threw: ") + e.what());
  } catch (...) {
    throw Violation("evaluate_text threw a non-standard exception");
  }
}

}  // namespace

std::string json_line(std::string_view line) {
  engine::Outcome plain = evaluate(line, {});
  std::string result = write(plain);
  // The fast reader takes a record only as the strict one reads it, else it
  // leaves it to the strict one: the outcome is the strict reader's either way.
  engine::EvalOptions strict;
  strict.fast_reader = false;
  if (write(evaluate(line, strict)) != result) throw Violation("the fast reader's outcome differs from the strict reader's");
  unsigned sum = 0;
  for (unsigned char c : line) sum += c;
  if (sum % 4 == 0) {
    engine::EvalOptions explain;
    explain.explain = true;
    explain.explain_text = true;
    engine::Outcome again = evaluate(line, explain);
    result += write(again);
    // Explaining must not change the outcome: same status, same figures.
    nlohmann::json figures = again.record;
    figures.erase("explain");
    if (again.ok != plain.ok || figures != plain.record)
      throw Violation("the outcome with explain on differs from the one without");
  }
  return result;
}

}  // namespace shiki::fuzz
