// Each subcommand family registers itself on the `shiki` command line.
#pragma once
#include <CLI/CLI.hpp>

namespace shiki::cli {

// check, eval, explain, dis, dump (cli/cmd_language.cpp)
void register_language_commands(CLI::App& app);
// check (cli/cmd_check.cpp)
void register_check_command(CLI::App& app);
// dump (cli/cmd_dump.cpp)
void register_dump_command(CLI::App& app);
// diff (cli/cmd_diff.cpp)
void register_diff_commands(CLI::App& app);
// bench (cli/cmd_bench.cpp)
void register_bench_commands(CLI::App& app);
// solve (cli/cmd_solve.cpp)
void register_solve_commands(CLI::App& app);
// golden (cli/cmd_golden.cpp)
void register_golden_commands(CLI::App& app);
// ledger init|migrate|load, batch, reassess (cli/cmd_ledger.cpp)
void register_ledger_commands(CLI::App& app);
// serve (cli/cmd_serve.cpp)
void register_serve_commands(CLI::App& app);
// studio (cli/cmd_studio.cpp)
void register_studio_commands(CLI::App& app);

}  // namespace shiki::cli
