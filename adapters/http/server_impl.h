// Private to adapters/http: the server's state, shared by server.cpp (set-up,
// reload), dispatch.cpp (routing, authentication, audit), handlers.cpp (the
// endpoints) and session.cpp (the transport).
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "adapters/http/audit.h"
#include "adapters/http/exchange.h"
#include "adapters/http/guard.h"
#include "adapters/http/server.h"
#include "adapters/http/tokens.h"

namespace shiki::http {

using Clock = std::chrono::steady_clock;

// What the steps of one request share: passed along explicitly, because the
// head is read on the I/O thread and an evaluation runs on a worker.
struct RequestContext {
  Clock::time_point start;  // the head was read
  Endpoint endpoint = Endpoint::kOther;
  const ExtensionRoute* extension_route = nullptr;  // set when endpoint is kExtension
  std::shared_ptr<const TokenTable> tokens;  // keeps `caller` alive across a token reload
  const Caller* caller = nullptr;
  AuditRecord audit;
  std::size_t body_bytes = 0;
};

class Transport;  // Boost.Beast: session.cpp

struct Server::Impl {
  ServerConfig config;
  Catalog catalog;
  Logger log;
  Metrics metrics;
  std::unique_ptr<AuditLog> audit;
  ClientGuard guard;
  std::atomic<std::shared_ptr<const TokenTable>> tokens;
  std::mutex config_mutex;  // guards config.rulesets / config.tokens and config_source
  ConfigSource config_source;
  std::unique_ptr<Transport> transport;
  std::shared_ptr<Extension> extension;  // may be null
  WebSessions sessions;

  Impl(ServerConfig c, RulesetLoader loader, Logger l);
  ~Impl();
  nlohmann::json reload();
  Clock::time_point deadline(const RequestContext& ctx) const {
    return ctx.start + std::chrono::milliseconds(config.limits.request_timeout_ms);
  }
};

// The steps of a request, in order (dispatch.cpp). admit() decides on the
// head alone: a refusal there is answered without reading the body, and the
// connection is closed after it.
enum class Admission { kRefused, kReadBody };
Admission admit(Server::Impl& s, const Request& head, RequestContext& ctx, Response& res);
// Endpoints that evaluate or compile run on the worker pool; the rest are
// answered on the I/O thread, so /healthz and /metrics answer while every
// worker is busy.
bool needs_worker(const RequestContext& ctx);
Response serve(Server::Impl& s, Request& req, RequestContext& ctx);
// After the response is written: metrics, then an audit line for an
// authenticated caller or the refusal tally for anyone else.
void finish(Server::Impl& s, RequestContext& ctx, const Response& res);
// Called once the request and response of `exchanged_bytes` are freed.
void release_memory_after(std::size_t exchanged_bytes);
// Refusals the transport makes itself (a head too large or too slow, the
// connection limit), counted like the others.
void count_refusal(Server::Impl& s, const std::string& remote, int status);

// The endpoints (handlers.cpp).
Response evaluate(Server::Impl& s, Request& req, RequestContext& ctx);
Response evaluate_batch(Server::Impl& s, Request& req, RequestContext& ctx);
Response list_rulesets(Server::Impl& s, RequestContext& ctx);
Response admin_reload(Server::Impl& s);
Response healthz(Server::Impl& s);

}  // namespace shiki::http
