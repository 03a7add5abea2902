// What every request goes through around its endpoint: routing to a known
// endpoint, the failed-authentication limit, the bearer token, the caller's
// role; afterwards the metrics and the audit line.
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>

#include "adapters/http/server_impl.h"

namespace shiki::http {

Response json_response(int status, const std::string& body) {
  Response r;
  r.status = status;
  r.body = body;
  return r;
}

Response error_response(int status, const std::string& field, const std::string& message) {
  const nlohmann::json body = {{"error", {{"field", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field)},
                                          {"message", message}}}};
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out.push_back(' ');
    else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else out.push_back(s[i]);
  }
  return out;
}

// Refused on the head, so the body (if any) is unread: the connection is
// closed after the answer rather than reading the body as the next request.
Admission refuse(Response& res, Response r) {
  res = std::move(r);
  res.close = true;
  return Admission::kRefused;
}

struct Route {
  const RouteSpec* api = nullptr;
  const ExtensionRoute* extension = nullptr;
};

// Routing decided here rather than by a pattern table, so that a wrong
// method on a known path is 405 (with Allow) rather than 404, and so that the
// audit names the endpoint, never a client-chosen path.
Route route(const Server::Impl& s, const Request& req, Response& res) {
  std::string allow;
  auto consider = [&](const char* method, const char* path) {
    if (req.path != path) return false;
    if (req.method == method) return true;
    allow += allow.empty() ? method : std::string(", ") + method;
    return false;
  };
  for (const auto& r : Server::routes())
    if (consider(r.method, r.path)) return {&r, nullptr};
  if (s.extension)
    for (const auto& r : s.extension->routes())
      if (consider(r.method, r.path)) return {nullptr, &r};
  if (allow.empty()) {
    res = error_response(404, "", "no such endpoint (see docs/openapi.yaml)");
  } else {
    res = error_response(405, "", fmt::format("use {} on this endpoint", allow));
    res.headers.emplace_back("Allow", allow);
  }
  return {};
}

// A browser session stands for the token it was opened with, looked up in
// the current table, so a token revoked since has no session either.
const Caller* session_caller(Server::Impl& s, const Request& head, RequestContext& ctx) {
  const auto digest = s.sessions.digest_of(head.cookie);
  if (!digest) return nullptr;
  ctx.tokens = s.tokens.load();
  return ctx.tokens->by_digest(*digest);
}

}  // namespace

std::optional<std::string> Request::param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

Admission admit(Server::Impl& s, const Request& head, RequestContext& ctx, Response& res) {
  ctx.audit.method = head.method;
  ctx.audit.endpoint = "other";
  ctx.audit.remote = head.remote;
  Response refusal;
  const Route found = route(s, head, refusal);
  if (!found.api && !found.extension) return refuse(res, std::move(refusal));
  ctx.endpoint = found.api ? found.api->endpoint : Endpoint::kExtension;
  ctx.extension_route = found.extension;
  ctx.audit.endpoint = found.api ? found.api->path : found.extension->path;
  const Access access = found.api ? (found.api->needs_token ? Access::kBearer : Access::kPublic) : found.extension->access;
  if (access == Access::kPublic) return Admission::kReadBody;
  // Checked before the token, so that past the limit a guess tells nothing.
  if (const int wait = s.guard.retry_after_s(head.remote, ctx.start); wait > 0) {
    auto r = error_response(429, "Authorization", "too many failed authentications from this address; retry later");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return refuse(res, std::move(r));
  }
  const bool by_cookie = access == Access::kSession && head.authorization.empty();
  if (by_cookie) {
    ctx.caller = session_caller(s, head, ctx);
  } else {
    ctx.tokens = s.tokens.load();
    ctx.caller = ctx.tokens->authenticate(head.authorization);
  }
  if (!ctx.caller) {
    s.guard.auth_failed(head.remote, ctx.start);
    auto r = error_response(401, "Authorization", "a valid bearer token is required");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"shiki\"");
    return refuse(res, std::move(r));
  }
  ctx.audit.holder = ctx.caller->holder;
  if (by_cookie && head.requested_with.empty())
    return refuse(res, error_response(403, "X-Requested-With", "a session request must come from the studio's own page"));
  if (ctx.endpoint == Endpoint::kBatch && !ctx.caller->batch)
    return refuse(res, error_response(403, "", fmt::format("{} may evaluate single households only, not batches",
                                                           ctx.caller->holder)));
  if (ctx.endpoint == Endpoint::kReload && !ctx.caller->admin)
    return refuse(res, error_response(403, "", fmt::format("{} may not reload rulesets", ctx.caller->holder)));
  return Admission::kReadBody;
}

bool needs_worker(const RequestContext& ctx) {
  const Endpoint e = ctx.endpoint;
  if (e == Endpoint::kExtension) return ctx.extension_route->on_worker;
  return e == Endpoint::kEvaluate || e == Endpoint::kBatch || e == Endpoint::kReload;
}

Response serve(Server::Impl& s, Request& req, RequestContext& ctx) {
  try {
    switch (ctx.endpoint) {
      case Endpoint::kEvaluate: return evaluate(s, req, ctx);
      case Endpoint::kBatch: return evaluate_batch(s, req, ctx);
      case Endpoint::kRulesets: return list_rulesets(s, ctx);
      case Endpoint::kReload: return admin_reload(s);
      case Endpoint::kHealth: return healthz(s);
      case Endpoint::kExtension: {
        ExtensionCall call{ctx.caller, ctx.audit, s.sessions, s.config.tls.has_value()};
        return s.extension->handle(*ctx.extension_route, req, call);
      }
      case Endpoint::kMetrics: {
        Response r = json_response(200, s.metrics.render());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
      }
      default: return error_response(404, "", "no such endpoint");
    }
  } catch (const std::exception& e) {
    s.log(fmt::format("internal error on {}: {}", endpoint_label(ctx.endpoint), e.what()));
  } catch (...) {
    s.log(fmt::format("internal error on {}: unknown exception", endpoint_label(ctx.endpoint)));
  }
  return error_response(500, "", "internal error; the server log says why");
}

void count_refusal(Server::Impl& s, const std::string& remote, int status) {
  s.metrics.observe(Endpoint::kOther, status, 0);
  s.guard.refused(remote, status);
}

void finish(Server::Impl& s, RequestContext& ctx, const Response& res) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ctx.start).count();
  s.metrics.observe(ctx.endpoint, res.status, us);
  if (ctx.endpoint == Endpoint::kHealth || ctx.endpoint == Endpoint::kMetrics) return;
  // An extension's public routes (a page, its script) carry no household
  // data and no caller: neither audited nor counted as refusals.
  if (ctx.extension_route && ctx.extension_route->access == Access::kPublic) return;
  if (!ctx.caller) {
    s.guard.refused(ctx.audit.remote, res.status);
  } else {
    ctx.audit.status = res.status;
    ctx.audit.latency_us = us;
    s.audit->write(ctx.audit);
  }
}

void release_memory_after(std::size_t exchanged_bytes) {
  // glibc keeps freed memory in each thread's arena; after a large exchange
  // give it back, so that the server returns to its baseline after a burst.
  constexpr std::size_t kLarge = 1 << 20;
  if (exchanged_bytes >= kLarge) ::malloc_trim(0);
}

}  // namespace shiki::http
