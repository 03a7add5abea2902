// What every request goes through around its endpoint: the connection limit,
// header size, routing to a known endpoint, the bearer token; afterwards the
// metrics and the audit line.
#include <fmt/format.h>

#include "adapters/http/connection_queue.h"
#include "adapters/http/server_impl.h"

namespace shiki::http {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& field, const std::string& message) {
  send_json(res, status,
            {{"error", {{"field", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field)},
                        {"message", message}}}});
}

namespace {

using HR = httplib::Server::HandlerResponse;

const char* reason(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "a valid bearer token is required";
    case 403: return "forbidden";
    case 404: return "no such endpoint";
    case 405: return "method not allowed";
    case 408: return "request not received in time";
    case 413: return "request body too large";
    case 414: return "request line too long";
    case 431: return "request headers too large";
    case 503: return "server busy";
    default: return status >= 500 ? "internal error" : "request rejected";
  }
}

// Header bytes as sent, without the two pseudo-headers cpp-httplib adds.
std::size_t header_bytes(const httplib::Request& req) {
  std::size_t n = 0;
  for (const auto& [k, v] : req.headers)
    if (k != "REMOTE_ADDR" && k != "REMOTE_PORT") n += k.size() + v.size() + 4;
  return n;
}

// Routing decided here, not by cpp-httplib's regex table, so that a wrong
// method on a known path is 405 (with Allow) rather than 404, and so that the
// audit names the endpoint, never a client-chosen path.
HR route(const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::string allow;
  for (const auto& r : Server::routes()) {
    if (req.path != r.path) continue;
    if (req.method == r.method) {
      ctx.endpoint = r.endpoint;
      ctx.audit.endpoint = r.path;
      return HR::Unhandled;
    }
    allow += allow.empty() ? r.method : std::string(", ") + r.method;
  }
  if (allow.empty()) {
    send_error(res, 404, "", fmt::format("no such endpoint: {} {}", req.method, "(see docs/openapi.yaml)"));
  } else {
    res.set_header("Allow", allow);
    send_error(res, 405, "", fmt::format("use {} on this endpoint", allow));
  }
  return HR::Handled;
}

HR pre_route(Server::Impl& s, const httplib::Request& req, httplib::Response& res) {
  auto& ctx = request_context();
  ctx = RequestContext{};
  ctx.active = true;
  ctx.start = Clock::now();
  ctx.audit.method = req.method;
  ctx.audit.endpoint = "other";
  ctx.audit.remote = req.remote_addr;
  if (ConnectionQueue::is_overflow_thread()) {
    res.set_header("Retry-After", "1");
    res.set_header("Connection", "close");
    send_error(res, 503, "", "too many connections; retry later");
    return HR::Handled;
  }
  if (header_bytes(req) > s.config.limits.max_header_bytes) {
    res.set_header("Connection", "close");
    send_error(res, 431, "", fmt::format("request headers exceed {} bytes", s.config.limits.max_header_bytes));
    return HR::Handled;
  }
  if (route(req, res, ctx) == HR::Handled) return HR::Handled;
  const auto& spec = *std::find_if(Server::routes().begin(), Server::routes().end(),
                                   [&](const RouteSpec& r) { return r.endpoint == ctx.endpoint; });
  if (!spec.needs_token) return HR::Unhandled;
  ctx.tokens = s.tokens.load();
  ctx.caller = ctx.tokens->authenticate(req.get_header_value("Authorization"));
  if (!ctx.caller) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"shiki\"");
    send_error(res, 401, "Authorization", "a valid bearer token is required");
    return HR::Handled;
  }
  ctx.audit.holder = ctx.caller->holder;
  return HR::Unhandled;
}

// Runs after the response is written, so the latency includes writing it.
void after_response(Server::Impl& s, const httplib::Request& req, const httplib::Response& res) {
  auto& ctx = request_context();
  if (!ctx.active) {  // rejected by cpp-httplib before routing (bad request line)
    ctx = RequestContext{};
    ctx.start = Clock::now();
    ctx.audit.method = req.method;
    ctx.audit.endpoint = "other";
    ctx.audit.remote = req.remote_addr;
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - ctx.start).count();
  s.metrics.observe(ctx.endpoint, res.status, us);
  if (ctx.endpoint != Endpoint::kHealth && ctx.endpoint != Endpoint::kMetrics) {
    ctx.audit.status = res.status;
    ctx.audit.latency_us = us;
    s.audit->write(ctx.audit);
  }
  ctx = RequestContext{};
}

}  // namespace

void Server::Impl::install_middleware() {
  http->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return pre_route(*this, req, res); });
  http->set_logger([this](const httplib::Request& req, const httplib::Response& res) { after_response(*this, req, res); });
  // cpp-httplib's own rejections (400 on a bad request line, 413 on a
  // Content-Length over the limit) come without a body; give them the API's.
  http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) send_error(res, res.status, "", reason(res.status));
  });
  http->set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log(fmt::format("internal error on {}: {}", endpoint_label(request_context().endpoint), what));
    send_error(res, 500, "", "internal error; the server log says why");
  });
}

}  // namespace shiki::http
