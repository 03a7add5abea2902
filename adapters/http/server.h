// The HTTP evaluation API (issue 5): `shiki serve` builds one of these from
// its configuration. Everything it knows about evaluation goes through
// interpreter/engine/engine.h, and rulesets come from an injected loader, so
// tests run it against fakes and production against Ruleset::load.
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/http/catalog.h"
#include "adapters/http/config.h"
#include "adapters/http/extension.h"
#include "adapters/http/metrics.h"

namespace shiki::http {

// Operational messages (start-up, reloads and why they failed): one line or
// a block of diagnostics each. Not the audit log.
using Logger = std::function<void(const std::string&)>;
// Re-reads the configuration file on reload; throws ConfigError.
using ConfigSource = std::function<ServerConfig()>;

struct RouteSpec {
  const char* method;  // "GET", "POST"
  const char* path;
  Endpoint endpoint;
  bool needs_token;
};

class Server {
 public:
  Server(ServerConfig config, RulesetLoader loader, Logger log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the audit log and compiles every ruleset. False (with the reasons
  // logged) when any of that fails: the server never starts half-configured.
  bool load();
  // Binds the configured address; returns the port (the chosen one when the
  // configuration says 0), or -1.
  int bind();
  // Serves until stop(); returns false if the listener failed.
  bool run();
  void stop();
  // Re-reads the configuration when a source was given (tokens and ruleset
  // folders; listen address, TLS, audit path and limits need a restart), then
  // compiles every ruleset and swaps in those that compiled. Safe to call
  // from any thread while requests are served. The report is what
  // POST /v1/admin/reload answers.
  nlohmann::json reload();
  void set_config_source(ConfigSource source);
  // Routes of a program built on the server (the studio); set before bind().
  void set_extension(std::shared_ptr<Extension> extension);

  // Every route the server answers; the OpenAPI test compares it with
  // docs/openapi.yaml.
  static const std::vector<RouteSpec>& routes();
  const Metrics& metrics() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace shiki::http
