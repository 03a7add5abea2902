// `shiki serve --config FILE`: the HTTP evaluation API (adapters/http/).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "adapters/http/audit.h"
#include "adapters/http/server.h"
#include "adapters/http/signals.h"
#include "cli/commands.h"

namespace shiki::cli {
namespace {

// Operational log on stderr, one timestamped entry per event; the audit log
// is separate (configured in the file) and never mixed with this one.
void log_line(const std::string& text) {
  std::fprintf(stderr, "%s shiki serve: %s\n", http::utc_now_iso8601().c_str(), text.c_str());
  std::fflush(stderr);
}

int serve(const std::string& config_path) {
  // Before any thread exists, so that SIGHUP/SIGINT/SIGTERM reach only the
  // watcher thread, which reloads or stops outside signal-handler context.
  http::block_server_signals();
  http::ServerConfig config;
  try {
    config = http::load_config(config_path);
  } catch (const http::ConfigError& e) {
    log_line(e.what());
    return 2;
  }
  http::Server server(config, http::engine_loader(), log_line);
  server.set_config_source([config_path] { return http::load_config(config_path); });
  if (!server.load()) {
    log_line("not started: see the messages above");
    return 1;
  }
  if (server.bind() < 0) return 1;
  http::SignalWatcher watcher(server);
  const bool ok = server.run();
  log_line("stopped");
  return ok ? 0 : 1;
}

}  // namespace

void register_serve_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP evaluation API (docs/api.md)");
  auto path = std::make_shared<std::string>();
  cmd->add_option("--config", *path, "Server configuration (JSON; see config/serve.example.json)")
      ->required()
      ->check(CLI::ExistingFile);
  // A failure becomes CLI11's RuntimeError, so main's usual CLI11 handling
  // turns it into the exit status (1 no start, 2 bad configuration).
  cmd->callback([path] {
    if (const int rc = serve(*path); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace shiki::cli
