// `shiki studio`: the studio in the browser (studio/, docs/studio.md),
// served by the evaluation server with the studio's routes added, so the
// configuration's tokens, limits and audit log apply to it unchanged.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "adapters/http/audit.h"
#include "adapters/http/server.h"
#include "adapters/http/signals.h"
#include "cli/commands.h"
#include "studio/studio.h"

namespace shiki::cli {
namespace {

struct StudioArgs {
  std::string config, ruleset, population, golden = "golden", web;
  int port = -1;
  int year = 0;
};

void log_line(const std::string& text) {
  std::fprintf(stderr, "%s shiki studio: %s\n", http::utc_now_iso8601().c_str(), text.c_str());
  std::fflush(stderr);
}

int studio_main(const StudioArgs& a) {
  http::block_server_signals();
  http::ServerConfig config;
  std::shared_ptr<studio::Workspace> workspace;
  studio::Assets assets;
  try {
    config = http::load_config(a.config);
    assets = studio::Assets::load(a.web.empty() ? studio::default_web_dir() : std::filesystem::path(a.web));
    log_line("reading the population and assessing it under the saved ruleset");
    workspace = std::make_shared<studio::Workspace>(
        studio::WorkspaceOptions{a.ruleset, a.golden, a.population, a.year, static_cast<int>(config.limits.worker_threads)});
  } catch (const std::exception& e) {
    log_line(e.what());
    return 2;
  }
  if (workspace->golden_cases() == 0)
    log_line(fmt::format("no golden case names {}: a save is checked by compiling only", workspace->id()));
  if (a.port >= 0) config.port = a.port;
  // The API beside the studio serves the studio's ruleset, and after each
  // save the saved version of it.
  config.rulesets = {{workspace->id(), workspace->ruleset_dir()}};
  http::Server server(config, http::engine_loader(), log_line);
  server.set_extension(std::make_shared<studio::Studio>(workspace, std::move(assets), [&server] { server.reload(); }));
  if (!server.load()) return 1;
  const int port = server.bind();
  if (port < 0) return 1;
  log_line(fmt::format("{} ({} households, FY{}, {} golden cases): open {}://{}:{}/studio/ and log in with your token",
                       workspace->id(), workspace->population().size(), workspace->fiscal_year(), workspace->golden_cases(),
                       config.tls ? "https" : "http", config.host, port));
  http::SignalWatcher watcher(server);
  const bool ok = server.run();
  log_line("stopped");
  return ok ? 0 : 1;
}

}  // namespace

void register_studio_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("studio", "規則集スタジオをブラウザに提供します (the studio; docs/studio.md)");
  auto a = std::make_shared<StudioArgs>();
  cmd->add_option("--config", a->config, "server configuration: tokens, audit log, limits (as `shiki serve`)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--ruleset", a->ruleset, "the city's ruleset folder staff edit")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--population", a->population, "JSON Lines households to compare over")->required()->check(CLI::ExistingFile);
  cmd->add_option("--golden", a->golden, "golden cases a save must keep (default golden/)")->check(CLI::ExistingDirectory);
  cmd->add_option("--port", a->port, "port (default: the configuration's; 0 picks a free one)");
  cmd->add_option("--year", a->year, "fiscal year compared (default: the population's)");
  cmd->add_option("--web", a->web, "folder of the built page (default: the build's)");
  cmd->callback([a] {
    if (const int rc = studio_main(*a); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace shiki::cli
