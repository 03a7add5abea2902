// The endpoints. Each one reads what it needs, checks the caller's right to
// the ruleset, evaluates through engine.h and records for the audit what was
// asked (household ids, ruleset hash) and nothing else of the household.
#include <fmt/format.h>

#include <string_view>

#include "adapters/http/server_impl.h"

namespace shiki::http {
namespace {

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;
using Reader = httplib::ContentReader;

// A household id as the audit keeps it: internal ids are short; anything
// longer is cut so a client cannot smuggle a document into the log.
std::string audit_id(const json& household_id) {
  std::string id = household_id.is_string() ? household_id.get<std::string>()
                   : household_id.is_number_integer() ? household_id.dump()
                                                      : std::string();
  return id.size() > 64 ? id.substr(0, 64) : id;
}

// Reads the body under the size limit and the request deadline. On failure
// the response is set, and the connection closed since the rest of the body
// is still unread.
bool read_body(Server::Impl& s, const Request& req, const Reader& reader, Response& res, std::string& body) {
  // HTTP/1.1: without Content-Length or Transfer-Encoding there is no body
  // (`curl -X POST`); cpp-httplib would instead wait for the peer to close.
  if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) return true;
  const std::size_t max = s.config.limits.max_body_bytes;
  const auto deadline = s.deadline();
  bool too_large = false, too_slow = false;
  const bool ok = reader([&](const char* data, std::size_t n) {
    if (body.size() + n > max) return !(too_large = true);
    if (Clock::now() > deadline) return !(too_slow = true);
    body.append(data, n);
    return true;
  });
  if (ok) return true;
  res.set_header("Connection", "close");
  if (too_large || res.status == 413)
    send_error(res, 413, "", fmt::format("the request body exceeds {} bytes", max));
  else if (too_slow)
    send_error(res, 408, "", fmt::format("the body did not arrive within {} ms", s.config.limits.request_timeout_ms));
  else
    send_error(res, 400, "", "the request body could not be read");
  return false;
}

bool parse_flag(const json& value, const std::string& field, bool& out, Response& res) {
  if (!value.is_boolean()) {
    send_error(res, 400, field, "must be true or false");
    return false;
  }
  out = value.get<bool>();
  return true;
}

bool query_flag(const Request& req, const char* name, bool& out, Response& res) {
  if (!req.has_param(name)) return true;
  const std::string v = req.get_param_value(name);
  if (v != "true" && v != "false") {
    send_error(res, 400, name, "must be true or false");
    return false;
  }
  out = v == "true";
  return true;
}

// 403 before 404: a caller learns nothing about rulesets it may not use.
std::shared_ptr<LoadedRuleset> find_ruleset(Server::Impl& s, const std::string& id, Response& res) {
  auto& ctx = request_context();
  ctx.audit.ruleset_id = id;
  if (!ctx.caller->may_use(id)) {
    send_error(res, 403, "ruleset", fmt::format("{} may not use ruleset \"{}\"", ctx.caller->holder, id));
    return nullptr;
  }
  auto snapshot = s.catalog.snapshot();
  auto it = snapshot->find(id);
  if (it == snapshot->end()) {
    send_error(res, 404, "ruleset", fmt::format("no ruleset \"{}\"", id));
    return nullptr;
  }
  ctx.audit.ruleset_hash = it->second->info().hash;
  return it->second;
}

struct EvaluateRequest {
  std::string ruleset;
  json household;
  engine::EvalOptions options;
};

bool parse_envelope(const std::string& body, EvaluateRequest& out, Response& res) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    send_error(res, 400, "", fmt::format("the body is not JSON (error at byte {})", e.byte));
    return false;
  }
  if (!j.is_object()) return send_error(res, 400, "", "the body must be a JSON object"), false;
  for (const auto& [key, value] : j.items())
    if (key != "ruleset" && key != "household" && key != "explain" && key != "ignore_unknown_fields")
      return send_error(res, 400, key, "unknown field"), false;
  auto rs = j.find("ruleset");
  if (rs == j.end() || !rs->is_string()) return send_error(res, 400, "ruleset", "must be a ruleset id (a string)"), false;
  auto hh = j.find("household");
  if (hh == j.end() || !hh->is_object()) return send_error(res, 400, "household", "must be a household object"), false;
  if (auto f = j.find("explain"); f != j.end() && !parse_flag(*f, "explain", out.options.explain, res)) return false;
  if (auto f = j.find("ignore_unknown_fields");
      f != j.end() && !parse_flag(*f, "ignore_unknown_fields", out.options.ignore_unknown_fields, res))
    return false;
  out.ruleset = rs->get<std::string>();
  out.household = std::move(*hh);
  return true;
}

void evaluate(Server::Impl& s, const Request& req, Response& res, const Reader& reader) {
  std::string body;
  if (!read_body(s, req, reader, res, body)) return;
  EvaluateRequest r;
  if (!parse_envelope(body, r, res)) return;
  auto& ctx = request_context();
  if (auto id = r.household.find("household_id"); id != r.household.end()) ctx.audit.household_ids.push_back(audit_id(*id));
  auto ruleset = find_ruleset(s, r.ruleset, res);
  if (!ruleset) return;
  engine::Outcome outcome;
  {
    auto evaluator = ruleset->borrow();
    outcome = evaluator->evaluate(r.household, r.options);
  }
  s.metrics.add_households(outcome.ok ? 1 : 0, outcome.ok ? 0 : 1);
  // A household the engine refuses is the client's error, with the engine's
  // record (household_id, error.field, error.message) as the body.
  send_json(res, outcome.ok ? 200 : 422, outcome.record);
}

// Lines of a JSON Lines body with their 1-based numbers; blank lines (the
// usual trailing newline) are skipped but still counted.
std::vector<std::pair<int, std::string_view>> split_lines(std::string_view body) {
  std::vector<std::pair<int, std::string_view>> lines;
  int number = 0;
  while (!body.empty()) {
    const auto end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.emplace_back(number, line);
  }
  return lines;
}

void evaluate_batch(Server::Impl& s, const Request& req, Response& res, const Reader& reader) {
  engine::EvalOptions options;
  if (!req.has_param("ruleset")) {
    res.set_header("Connection", "close");
    return send_error(res, 400, "ruleset", "missing: give ?ruleset=ID");
  }
  auto ruleset = find_ruleset(s, req.get_param_value("ruleset"), res);
  if (!ruleset || !query_flag(req, "explain", options.explain, res) ||
      !query_flag(req, "ignore_unknown_fields", options.ignore_unknown_fields, res)) {
    res.set_header("Connection", "close");
    return;
  }
  std::string body;
  if (!read_body(s, req, reader, res, body)) return;
  const auto lines = split_lines(body);
  if (lines.size() > s.config.limits.max_batch_households)
    return send_error(res, 413, "", fmt::format("more than {} households in one batch", s.config.limits.max_batch_households));
  auto& ids = request_context().audit.household_ids;
  std::string out;
  std::uint64_t ok = 0;
  auto evaluator = ruleset->borrow();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (Clock::now() > s.deadline()) {
      s.metrics.add_households(ok, i - ok);
      return send_error(res, 503, "", fmt::format("time limit of {} ms reached after {} of {} households; send smaller batches",
                                                  s.config.limits.request_timeout_ms, i, lines.size()));
    }
    auto outcome = evaluator->evaluate_text(lines[i].second, options, lines[i].first);
    ok += outcome.ok ? 1 : 0;
    if (auto id = outcome.record.find("household_id"); id != outcome.record.end()) ids.push_back(audit_id(*id));
    out += outcome.record.dump(-1, ' ', false, json::error_handler_t::replace);
    out += '\n';
  }
  s.metrics.add_households(ok, lines.size() - ok);
  res.status = 200;
  res.set_content(std::move(out), "application/x-ndjson");
}

void list_rulesets(Server::Impl& s, const Request&, Response& res) {
  const Caller& caller = *request_context().caller;
  json list = json::array();
  for (const auto& [id, loaded] : *s.catalog.snapshot()) {
    if (!caller.may_use(id)) continue;
    const auto& info = loaded->info();
    list.push_back({{"id", id}, {"module", info.id}, {"hash", info.hash}, {"fiscal_years", info.fiscal_years}});
  }
  send_json(res, 200, {{"rulesets", list}});
}

void admin_reload(Server::Impl& s, const Request& req, Response& res, const Reader& reader) {
  std::string body;  // ignored, but read so the connection stays in step
  if (!read_body(s, req, reader, res, body)) return;
  if (!request_context().caller->admin)
    return send_error(res, 403, "", fmt::format("{} may not reload rulesets", request_context().caller->holder));
  json report = s.reload();
  bool all_ok = report["config"] != "failed";
  for (const auto& r : report["rulesets"]) all_ok = all_ok && r["ok"].get<bool>();
  send_json(res, all_ok ? 200 : 422, report);
}

void healthz(Server::Impl& s, const Request&, Response& res) {
  const auto n = s.catalog.snapshot()->size();
  send_json(res, n > 0 ? 200 : 503, {{"status", n > 0 ? "ok" : "no rulesets loaded"}, {"rulesets", n}});
}

}  // namespace

void Server::Impl::install_routes() {
  http->Post("/v1/evaluate", [this](const Request& q, Response& r, const Reader& c) { evaluate(*this, q, r, c); });
  http->Post("/v1/evaluate/batch", [this](const Request& q, Response& r, const Reader& c) { evaluate_batch(*this, q, r, c); });
  http->Post("/v1/admin/reload", [this](const Request& q, Response& r, const Reader& c) { admin_reload(*this, q, r, c); });
  http->Get("/v1/rulesets", [this](const Request& q, Response& r) { list_rulesets(*this, q, r); });
  http->Get("/healthz", [this](const Request& q, Response& r) { healthz(*this, q, r); });
  http->Get("/metrics", [this](const Request&, Response& r) {
    r.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace shiki::http
