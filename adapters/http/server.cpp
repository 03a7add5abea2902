#include <fmt/format.h>

#include "adapters/http/connection_queue.h"
#include "adapters/http/server_impl.h"

namespace shiki::http {

RequestContext& request_context() {
  thread_local RequestContext ctx;
  return ctx;
}

const std::vector<RouteSpec>& Server::routes() {
  static const std::vector<RouteSpec> kRoutes = {
      {"POST", "/v1/evaluate", Endpoint::kEvaluate, true},
      {"POST", "/v1/evaluate/batch", Endpoint::kBatch, true},
      {"GET", "/v1/rulesets", Endpoint::kRulesets, true},
      {"POST", "/v1/admin/reload", Endpoint::kReload, true},
      // Probes and scrapers carry no household data and are polled every few
      // seconds; they stay open so a load balancer needs no credential.
      {"GET", "/healthz", Endpoint::kHealth, false},
      {"GET", "/metrics", Endpoint::kMetrics, false},
  };
  return kRoutes;
}

Server::Server(ServerConfig config, RulesetLoader loader, Logger log)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(loader), std::move(log))) {}

Server::~Server() { stop(); }

const Metrics& Server::metrics() const { return impl_->metrics; }

void Server::set_config_source(ConfigSource source) {
  std::lock_guard lock(impl_->config_mutex);
  impl_->config_source = std::move(source);
}

namespace {

void log_outcomes(const Logger& log, const std::vector<ReloadOutcome>& outcomes, Metrics& metrics) {
  for (const auto& o : outcomes) {
    metrics.add_reload(o.ok);
    if (o.ok) {
      log(fmt::format("ruleset {}: serving {}", o.id, o.hash));
      continue;
    }
    std::string text = o.hash.empty()
                           ? fmt::format("ruleset {}: failed to compile; not served", o.id)
                           : fmt::format("ruleset {}: failed to compile; still serving {}", o.id, o.hash);
    for (const auto& d : o.diagnostics) text += "\n" + d;
    log(text);
  }
}

}  // namespace

bool Server::load() {
  auto& s = *impl_;
  try {
    s.audit = std::make_unique<AuditLog>(s.config.audit_log);
  } catch (const std::exception& e) {
    s.log(e.what());
    return false;
  }
  s.tokens.store(std::make_shared<const TokenTable>(s.config.tokens));
  auto outcomes = s.catalog.reload(s.config.rulesets);
  log_outcomes(s.log, outcomes, s.metrics);
  for (const auto& o : outcomes)
    if (!o.ok) return false;
  return true;
}

int Server::bind() {
  auto& s = *impl_;
  if (s.config.tls) {
    s.http = std::make_unique<httplib::SSLServer>(s.config.tls->cert.c_str(), s.config.tls->key.c_str());
    if (!s.http->is_valid()) {
      s.log(fmt::format("TLS: certificate {} or key {} cannot be loaded", s.config.tls->cert.string(),
                        s.config.tls->key.string()));
      return -1;
    }
  } else {
    s.http = std::make_unique<httplib::Server>();
  }
  const Limits& l = s.config.limits;
  s.http->set_payload_max_length(l.max_body_bytes);
  s.http->set_read_timeout(l.read_timeout_ms / 1000, (l.read_timeout_ms % 1000) * 1000);
  s.http->set_write_timeout(l.write_timeout_ms / 1000, (l.write_timeout_ms % 1000) * 1000);
  s.http->set_keep_alive_timeout(l.keep_alive_timeout_s);
  s.http->set_keep_alive_max_count(l.keep_alive_max_requests);
  // Without TCP_NODELAY a small response can wait for the peer's delayed
  // ACK (tens of ms), two orders of magnitude over the 1 ms budget.
  s.http->set_tcp_nodelay(true);
  s.http->new_task_queue = [&s] { return new ConnectionQueue(s.config.limits.worker_threads, s.config.limits.max_connections, s.metrics); };
  s.install_middleware();
  s.install_routes();
  int port = s.config.port == 0 ? s.http->bind_to_any_port(s.config.host)
                                : (s.http->bind_to_port(s.config.host, s.config.port) ? s.config.port : -1);
  if (port < 0) s.log(fmt::format("cannot listen on {}:{}", s.config.host, s.config.port));
  else s.log(fmt::format("listening on {}://{}:{}", s.config.tls ? "https" : "http", s.config.host, port));
  return port;
}

bool Server::run() { return impl_->http && impl_->http->listen_after_bind(); }

void Server::stop() {
  if (impl_->http && impl_->http->is_running()) impl_->http->stop();
}

nlohmann::json Server::reload() { return impl_->reload(); }

nlohmann::json Server::Impl::reload() {
  auto& s = *this;
  // One reload at a time, from re-reading the file to the last swap, so a
  // SIGHUP and an admin call cannot publish an older file after a newer one.
  std::lock_guard lock(s.config_mutex);
  nlohmann::json report = {{"config", s.config_source ? "reloaded" : "unchanged"}};
  if (s.config_source) {
    try {
      ServerConfig fresh = s.config_source();
      s.config.rulesets = std::move(fresh.rulesets);
      s.config.tokens = std::move(fresh.tokens);
      s.tokens.store(std::make_shared<const TokenTable>(s.config.tokens));
    } catch (const std::exception& e) {
      s.log(fmt::format("reload: configuration not re-read, nothing changed: {}", e.what()));
      s.metrics.add_reload(false);
      return {{"config", "failed"}, {"error", e.what()}, {"rulesets", nlohmann::json::array()}};
    }
  }
  auto outcomes = s.catalog.reload(s.config.rulesets);
  log_outcomes(s.log, outcomes, s.metrics);
  report["rulesets"] = nlohmann::json::array();
  for (const auto& o : outcomes)
    report["rulesets"].push_back({{"id", o.id},
                                  {"ok", o.ok},
                                  {"hash", o.hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.hash)},
                                  {"diagnostics", o.diagnostics}});
  return report;
}

}  // namespace shiki::http
