#include <fmt/format.h>

#include "adapters/http/server_impl.h"
#include "adapters/http/transport.h"

namespace shiki::http {

Server::Impl::Impl(ServerConfig c, RulesetLoader loader, Logger l)
    : config(std::move(c)),
      catalog(std::move(loader)),
      log(std::move(l)),
      guard(config.limits.auth_failures_per_minute) {}

Server::Impl::~Impl() = default;

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

Server::~Server() {
  stop();
  impl_->transport.reset();  // joins the workers before the state they use goes
}

const Metrics& Server::metrics() const { return impl_->metrics; }

void Server::set_extension(std::shared_ptr<Extension> extension) { impl_->extension = std::move(extension); }

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
  s.transport = Transport::create(s);
  return s.transport ? s.transport->bind() : -1;
}

bool Server::run() { return impl_->transport && impl_->transport->run(); }

void Server::stop() {
  if (impl_->transport) impl_->transport->stop();
}

nlohmann::json Server::reload() { return impl_->reload(); }

nlohmann::json Server::Impl::reload() {
  auto& s = *this;
  // One reload at a time, from re-reading the file to the last swap, so a
  // SIGHUP and an admin call cannot publish an older file after a newer one.
  std::lock_guard lock(s.config_mutex);
  // logrotate moves the file and sends SIGHUP: the next line goes to a new
  // file at the configured path.
  if (s.audit) {
    try {
      s.audit->reopen();
    } catch (const std::exception& e) {
      s.log(fmt::format("reload: {}; still writing to the old audit file", e.what()));
    }
  }
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
