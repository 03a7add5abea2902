// Target 3, the HTTP request parser: the bytes are what a client sent on one
// connection. They go through Boost.Beast's request parser with the server's
// limits and then through the server's own steps for each request (admit on
// the head, then the endpoint, then the audit), as session.cpp runs them,
// over the fake engine of tests/http (the JSON target covers the engine).
// Pipelined requests are read one after the other from the same buffer, and
// a request refused on its head ends the connection, as in the server.
#include <unistd.h>

#include <cstring>
#include <utility>  // Boost 1.74 uses std::exchange without including it
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "adapters/http/server_impl.h"
#include "entry.h"
#include "tests/http/fake_engine.h"

namespace shiki::fuzz {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace shiki::http;

constexpr const char* kToken = "fuzz-token";

struct Harness {
  std::string audit_path;
  std::unique_ptr<Server::Impl> s;
  testing::FakeLoader fake;
  Harness() {
    audit_path = (std::filesystem::temp_directory_path() / ("shiki-fuzz-http-" + std::to_string(::getpid()) + ".jsonl")).string();
    ServerConfig c;
    c.rulesets = {{"matsudo", "matsudo"}};
    c.tokens = {{"ledger-system", sha256_hex(kToken), {"matsudo"}, false, true}};
    c.audit_log = audit_path;
    c.limits.max_body_bytes = 64 * 1024;
    c.limits.max_header_bytes = 4096;
    c.limits.max_response_bytes = 64 * 1024;
    c.limits.max_array_items = {{"default", 8}};
    c.limits.auth_failures_per_minute = 1'000'000'000;  // every guess reaches the token table
    s = std::make_unique<Server::Impl>(c, fake.loader(), [](const std::string&) {});
    s->audit = std::make_unique<AuditLog>(audit_path);
    s->tokens.store(std::make_shared<const TokenTable>(c.tokens));
    s->catalog.reload(c.rulesets);
  }
  ~Harness() { std::filesystem::remove(audit_path); }
};

Harness& harness() {
  static Harness h;
  return h;
}

// The audit log's promise, checked on what this input made it write: every
// field a client could steer is null or an id of the whitelist.
void check_audit(const std::string& path) {
  std::ifstream in(path);
  static const std::set<std::string> kMethods = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "other"};
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw Violation("audit line is not JSON: " + line);
    auto safe = [&](const nlohmann::json& v) {
      return v.is_null() || (v.is_string() && audit_safe_id(v.get<std::string>()) == v.get<std::string>());
    };
    if (!safe(j["remote"]) || (j.contains("ruleset") && !safe(j["ruleset"]))) throw Violation("audit field not capped: " + line);
    if (j.contains("method") && !kMethods.count(j["method"].get<std::string>())) throw Violation("audit method: " + line);
    if (j.contains("household_ids"))
      for (const auto& id : j["household_ids"])
        if (!safe(id)) throw Violation("audit household id: " + line);
  }
  std::ofstream(path, std::ios::trunc);
}

Request head_of(const bhttp::request<bhttp::string_body>& m) {
  Request r;
  r.method = std::string(m.method_string());
  const std::string_view target(m.target().data(), m.target().size());
  const auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
  r.authorization = std::string(m[bhttp::field::authorization]);
  r.remote = "127.0.0.1";
  return r;
}

// Feeds the buffer to the parser until `done` says stop; false when the
// parser failed or the bytes ran out first (the connection would close).
template <class Done>
bool feed(bhttp::request_parser<bhttp::string_body>& p, beast::flat_buffer& buf, Done done) {
  while (!done()) {
    beast::error_code ec;
    // No more bytes, or bytes the parser cannot use yet: the client has
    // stopped sending, so the connection ends (a body shorter than its
    // Content-Length made put() return 0 without an error, and loop).
    if (buf.size() == 0) {
      p.put_eof(ec);
      return !ec && done();
    }
    const std::size_t n = p.put(buf.data(), ec);
    buf.consume(n);
    if (ec && ec != bhttp::error::need_more) return false;
    if (n == 0) {
      p.put_eof(ec);
      return !ec && done();
    }
  }
  return true;
}

const std::set<int> kDocumented = {200, 400, 401, 403, 404, 405, 408, 413, 422, 429, 431, 500, 503};

}  // namespace

std::string http_request(std::string_view bytes) {
  Harness& h = harness();
  beast::flat_buffer buf;
  if (bytes.empty()) return {};  // no request; and memcpy from an empty view is undefined
  auto space = buf.prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  buf.commit(bytes.size());
  std::string statuses;
  for (int n = 0; n < 16 && buf.size() > 0; ++n) {
    bhttp::request_parser<bhttp::string_body> p;
    p.header_limit(static_cast<std::uint32_t>(h.s->config.limits.max_header_bytes));
    p.body_limit(h.s->config.limits.max_body_bytes);
    if (!feed(p, buf, [&] { return p.is_header_done(); })) break;
    Request req = head_of(p.get());
    RequestContext ctx;
    ctx.start = Clock::now();
    Response res;
    if (admit(*h.s, req, ctx, res) == Admission::kReadBody) {
      if (!feed(p, buf, [&] { return p.is_done(); })) break;
      req.body = std::move(p.get().body());
      ctx.body_bytes = req.body.size();
      res = serve(*h.s, req, ctx);
    } else if (!res.close) {
      throw Violation("a request refused on its head keeps the connection open");
    }
    if (!kDocumented.count(res.status)) throw Violation("undocumented status " + std::to_string(res.status));
    finish(*h.s, ctx, res);
    statuses += std::to_string(res.status) + " ";
    if (res.close) break;  // the rest of the bytes are never read as requests
  }
  h.s->audit->write_refusals(h.s->guard.take_tallies(), 0);
  check_audit(h.audit_path);
  return statuses;
}

}  // namespace shiki::fuzz
