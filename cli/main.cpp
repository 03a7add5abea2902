// shiki: the command line of the rules engine.
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"shiki — 国民健康保険の賦課・給付を規則集から計算します"};
  app.require_subcommand(1);
  shiki::cli::register_language_commands(app);
  shiki::cli::register_golden_commands(app);
  shiki::cli::register_diff_commands(app);
  shiki::cli::register_bench_commands(app);
  shiki::cli::register_solve_commands(app);
  shiki::cli::register_ledger_commands(app);
  shiki::cli::register_serve_commands(app);
  shiki::cli::register_studio_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

// The ledger and HTTP adapters register themselves when they are built in;
// these weak definitions keep the command line whole without them.
namespace shiki::cli {
__attribute__((weak)) void register_ledger_commands(CLI::App&) {}
__attribute__((weak)) void register_serve_commands(CLI::App&) {}
__attribute__((weak)) void register_studio_commands(CLI::App&) {}
}  // namespace shiki::cli
