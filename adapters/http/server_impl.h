// Private to adapters/http: the server's state, shared by server.cpp (set-up,
// limits, authentication, audit, reload) and handlers.cpp (the endpoints).
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "adapters/http/audit.h"
#include "adapters/http/server.h"
#include "adapters/http/tokens.h"

namespace shiki::http {

using Clock = std::chrono::steady_clock;

// cpp-httplib runs the pre-routing handler, the endpoint and the logger of
// one request on the same worker thread, one request at a time, so the state
// they share for a request lives in a thread_local rather than in a map
// keyed by connection.
struct RequestContext {
  bool active = false;
  Clock::time_point start;
  Endpoint endpoint = Endpoint::kOther;
  std::shared_ptr<const TokenTable> tokens;  // keeps `caller` alive across a token reload
  const Caller* caller = nullptr;
  AuditRecord audit;
};
RequestContext& request_context();

struct Server::Impl {
  ServerConfig config;
  Catalog catalog;
  Logger log;
  Metrics metrics;
  std::unique_ptr<AuditLog> audit;
  std::atomic<std::shared_ptr<const TokenTable>> tokens;
  std::mutex config_mutex;  // guards config.rulesets / config.tokens and config_source
  ConfigSource config_source;
  std::unique_ptr<httplib::Server> http;

  Impl(ServerConfig c, RulesetLoader loader, Logger l)
      : config(std::move(c)), catalog(std::move(loader)), log(std::move(l)) {}

  void install_routes();
  void install_middleware();
  nlohmann::json reload();
  Clock::time_point deadline() const {
    return request_context().start + std::chrono::milliseconds(config.limits.request_timeout_ms);
  }
};

// {"error": {"field": F, "message": M}}; `field` empty gives null.
void send_error(httplib::Response& res, int status, const std::string& field, const std::string& message);
void send_json(httplib::Response& res, int status, const nlohmann::json& body);

}  // namespace shiki::http
