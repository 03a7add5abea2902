// shiki check: compile a ruleset and report what is wrong with it, as text
// for staff or as JSON for editors; --werror makes warnings fail (CI).
#include <iostream>

#include "commands.h"
#include "interpreter/bytecode/program.h"
#include "interpreter/engine/pipeline.h"

namespace shiki::cli {

namespace {

struct CheckArgs {
  std::string path;
  std::string format = "text";
  bool werror = false;
  bool list_unconfirmed = false;
};

// file:line: what: why — one line per figure or rule marked unconfirmed.
void list_unconfirmed(const bytecode::Program& program) {
  for (const auto& u : engine::unconfirmed(program)) {
    if (u.location.valid()) std::cout << u.location.file->path() << ":" << u.location.line << ": ";
    std::cout << u.what << ": " << u.why << "\n";
  }
}

// Renders each diagnostic as it comes: text on standard error, or one JSON
// array on standard output.
class CheckSink : public diag::Sink {
 public:
  explicit CheckSink(bool json) : json_(json) {}
  void finish() {
    if (json_) std::cout << (first_ ? "[" : "\n") << "]\n";
  }

 protected:
  void emit(const diag::Diagnostic& d) override {
    if (!json_) return diag::render_text(d, std::cerr);
    std::cout << (first_ ? "[\n  " : ",\n  ");
    diag::render_json(d, std::cout);
    first_ = false;
  }

 private:
  bool json_;
  bool first_ = true;
};

int check(const CheckArgs& args) {
  bool json = args.format == "json";
  CheckSink sink(json);
  auto program = engine::build(args.path, sink);
  sink.finish();
  int warnings = sink.warning_count();
  if (!program || (args.werror && warnings > 0)) {
    if (!json) std::cerr << sink.error_count() << " 件のエラー, " << warnings << " 件の警告\n";
    return 1;
  }
  for (const auto& chunk : program->chunks)
    if (auto err = bytecode::verify(*program, chunk); !err.empty()) {
      std::cerr << "internal error: the compiler produced invalid bytecode: " << err << "\n";
      return 2;
    }
  if (args.list_unconfirmed && !json) list_unconfirmed(*program);
  if (json) return 0;
  std::cout << program->id << ": ok (" << program->rule_names.size() << " rules, " << program->chunks.size()
            << " chunks, fiscal years " << program->first_year << "–" << program->last_year << ", "
            << program->hash << ")";
  if (warnings > 0) std::cout << ", " << warnings << " 件の警告";
  std::cout << "\n";
  return 0;
}

}  // namespace

void register_check_command(CLI::App& app) {
  auto* c = app.add_subcommand("check", "規則集を翻訳し、誤りを示します (compile and report diagnostics)");
  static CheckArgs args;
  c->add_option("path", args.path, "ruleset folder")->required();
  c->add_option("--format", args.format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  c->add_flag("--werror", args.werror, "warnings fail the check (for CI)");
  c->add_flag("--list-unconfirmed", args.list_unconfirmed, "list every figure and rule marked unconfirmed");
  c->callback([] { std::exit(check(args)); });
}

}  // namespace shiki::cli
