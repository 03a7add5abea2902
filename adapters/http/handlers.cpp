// The endpoints. Each one reads what it needs, checks the caller's right to
// the ruleset, evaluates through engine.h and records for the audit what was
// asked (household ids, ruleset hash) and nothing else of the household.
#include <fmt/format.h>

#include <string_view>

#include "adapters/http/server_impl.h"
#include "adapters/json/strict_json.h"
#include "interpreter/time/time.h"

namespace shiki::http {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A household id as the request gave it; the audit log filters it again.
std::string audit_id(const json& household_id) {
  return household_id.is_string() ? household_id.get<std::string>()
         : household_id.is_number_integer() ? household_id.dump()
                                            : std::string();
}

engine::InputLimits input_limits(const Server::Impl& s) {
  engine::InputLimits l;
  l.max_array_items.clear();
  for (const auto& [name, n] : s.config.limits.max_array_items) l.max_array_items.emplace(name, n);
  return l;
}

// 403 before 404: a caller learns nothing about rulesets it may not use.
// The id is echoed and audited only when it is one the server serves, so a
// client cannot push a document of its own through either.
std::shared_ptr<LoadedRuleset> find_ruleset(Server::Impl& s, const std::string& id, RequestContext& ctx,
                                            Response& res) {
  auto snapshot = s.catalog.snapshot();
  auto it = snapshot->find(id);
  const bool served = it != snapshot->end();
  if (served) ctx.audit.ruleset_id = id;
  if (!ctx.caller->may_use(id)) {
    res = error_response(403, "ruleset", served ? fmt::format("{} may not use ruleset \"{}\"", ctx.caller->holder, id)
                                                : fmt::format("{} may not use this ruleset", ctx.caller->holder));
    return nullptr;
  }
  if (!served) {
    res = error_response(404, "ruleset", "no such ruleset");
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

// The household's own problem (a duplicate key, too many members) is the
// engine's 422 with an error record naming the field, as for any bad
// household; a problem of the envelope around it is 400.
bool envelope_problem(const json_adapter::FieldError& p, const json& body, Response& res) {
  constexpr std::string_view kPrefix = "household.";
  if (p.field.rfind(kPrefix, 0) != 0) {
    res = error_response(400, p.field, p.message);
    return true;
  }
  json record;
  const json* hh = body.is_object() && body.contains("household") ? &body["household"] : nullptr;
  if (hh && hh->is_object() && hh->contains("household_id")) record["household_id"] = (*hh)["household_id"];
  record["error"] = {{"field", p.field.substr(kPrefix.size())}, {"message", p.message}};
  res = json_response(422, dump(record));
  return true;
}

bool parse_flag(const json& value, const std::string& field, bool& out, Response& res) {
  if (!value.is_boolean()) {
    res = error_response(400, field, "must be true or false");
    return false;
  }
  out = value.get<bool>();
  return true;
}

bool parse_envelope(const Server::Impl& s, const std::string& body, EvaluateRequest& out, Response& res) {
  engine::InputLimits limits = input_limits(s);
  limits.max_depth += 1;  // the envelope is one level more than a JSON Lines record
  auto parsed = json_adapter::parse_strict(body, limits);
  json& j = parsed.value;
  if (j.is_discarded()) {
    res = error_response(400, "", fmt::format("the body is not JSON (error at byte {})", parsed.error_byte));
    return false;
  }
  if (!j.is_object()) return res = error_response(400, "", "the body must be a JSON object"), false;
  if (parsed.problem && envelope_problem(*parsed.problem, j, res)) return false;
  for (const auto& [key, value] : j.items())
    if (key != "ruleset" && key != "household" && key != "explain" && key != "ignore_unknown_fields" &&
        key != "date" && key != "summary")
      return res = error_response(400, key.size() <= 64 ? key : "", "unknown field"), false;
  auto rs = j.find("ruleset");
  if (rs == j.end() || !rs->is_string()) return res = error_response(400, "ruleset", "must be a ruleset id (a string)"), false;
  auto hh = j.find("household");
  if (hh == j.end() || !hh->is_object()) return res = error_response(400, "household", "must be a household object"), false;
  if (auto f = j.find("explain"); f != j.end() && !parse_flag(*f, "explain", out.options.explain, res)) return false;
  if (auto f = j.find("ignore_unknown_fields");
      f != j.end() && !parse_flag(*f, "ignore_unknown_fields", out.options.ignore_unknown_fields, res))
    return false;
  // The counter's summary (what `shiki explain` prints) in the answer's "summary".
  if (auto f = j.find("summary"); f != j.end() && !parse_flag(*f, "summary", out.options.explain_text, res)) return false;
  if (auto d = j.find("date"); d != j.end() && !d->is_null()) {
    if (!d->is_string() || !time::parse_date(d->get<std::string>()))
      return res = error_response(400, "date", "must be an evaluation date YYYY-MM-DD"), false;
    out.options.evaluation_date = d->get<std::string>();
  }
  out.ruleset = rs->get<std::string>();
  out.household = std::move(*hh);
  out.options.limits = std::move(limits);
  out.options.limits.max_depth -= 1;
  return true;
}

Response too_large(const Server::Impl& s, bool explain, const std::string& what) {
  return error_response(413, explain ? "explain" : "",
                        fmt::format("the answer would exceed {} bytes ({}); {}", s.config.limits.max_response_bytes,
                                    what, explain ? "ask without explain" : "send fewer households"));
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

bool query_flag(const Request& req, const char* name, bool& out, Response& res) {
  const auto v = req.param(name);
  if (!v) return true;
  if (*v != "true" && *v != "false") {
    res = error_response(400, name, "must be true or false");
    return false;
  }
  out = *v == "true";
  return true;
}

}  // namespace

Response evaluate(Server::Impl& s, Request& req, RequestContext& ctx) {
  Response res;
  EvaluateRequest r;
  if (!parse_envelope(s, req.body, r, res)) return res;
  req.body = std::string();  // parsed: its memory is not needed while evaluating
  if (auto id = r.household.find("household_id"); id != r.household.end()) ctx.audit.household_ids.push_back(audit_id(*id));
  auto ruleset = find_ruleset(s, r.ruleset, ctx, res);
  if (!ruleset) return res;
  engine::Outcome outcome;
  {
    auto evaluator = ruleset->borrow();
    outcome = evaluator->evaluate(r.household, r.options);
  }
  s.metrics.add_households(outcome.ok ? 1 : 0, outcome.ok ? 0 : 1);
  if (outcome.ok && r.options.explain_text) outcome.record["summary"] = std::move(outcome.text);
  // A household the engine refuses is the client's error, with the engine's
  // record (household_id, error.field, error.message) as the body.
  std::string body = dump(outcome.record);
  if (body.size() > s.config.limits.max_response_bytes) return too_large(s, r.options.explain, "one household");
  return json_response(outcome.ok ? 200 : 422, body);
}

Response evaluate_batch(Server::Impl& s, Request& req, RequestContext& ctx) {
  Response res;
  engine::EvalOptions options;
  options.limits = input_limits(s);
  const auto id = req.param("ruleset");
  if (!id) return error_response(400, "ruleset", "missing: give ?ruleset=ID");
  auto ruleset = find_ruleset(s, *id, ctx, res);
  if (!ruleset) return res;
  if (!query_flag(req, "explain", options.explain, res) ||
      !query_flag(req, "ignore_unknown_fields", options.ignore_unknown_fields, res))
    return res;
  if (const auto d = req.param("date")) {
    if (!time::parse_date(*d)) return error_response(400, "date", "must be an evaluation date YYYY-MM-DD");
    options.evaluation_date = std::string(*d);
  }
  const auto lines = split_lines(req.body);
  const auto& l = s.config.limits;
  if (lines.size() > l.max_batch_households)
    return error_response(413, "", fmt::format("more than {} households in one batch", l.max_batch_households));
  auto& ids = ctx.audit.household_ids;
  std::string out;
  std::uint64_t ok = 0;
  auto evaluator = ruleset->borrow();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (Clock::now() > s.deadline(ctx)) {
      s.metrics.add_households(ok, i - ok);
      return error_response(503, "", fmt::format("time limit of {} ms reached after {} of {} households; send smaller batches",
                                                 l.request_timeout_ms, i, lines.size()));
    }
    auto outcome = evaluator->evaluate_text(lines[i].second, options, lines[i].first);
    ok += outcome.ok ? 1 : 0;
    if (auto hid = outcome.record.find("household_id"); hid != outcome.record.end()) ids.push_back(audit_id(*hid));
    out += dump(outcome.record);
    out += '\n';
    if (out.size() > l.max_response_bytes) {
      s.metrics.add_households(ok, i + 1 - ok);
      return too_large(s, options.explain, fmt::format("after {} of {} households", i + 1, lines.size()));
    }
  }
  s.metrics.add_households(ok, lines.size() - ok);
  res = json_response(200, std::move(out));
  res.content_type = "application/x-ndjson";
  return res;
}

Response list_rulesets(Server::Impl& s, RequestContext& ctx) {
  json list = json::array();
  for (const auto& [id, loaded] : *s.catalog.snapshot()) {
    if (!ctx.caller->may_use(id)) continue;
    const auto& info = loaded->info();
    list.push_back({{"id", id}, {"module", info.id}, {"hash", info.hash}, {"fiscal_years", info.fiscal_years}});
  }
  return json_response(200, dump({{"rulesets", list}}));
}

Response admin_reload(Server::Impl& s) {
  json report = s.reload();
  bool all_ok = report["config"] != "failed";
  for (const auto& r : report["rulesets"]) all_ok = all_ok && r["ok"].get<bool>();
  return json_response(all_ok ? 200 : 422, dump(report));
}

Response healthz(Server::Impl& s) {
  const auto n = s.catalog.snapshot()->size();
  return json_response(n > 0 ? 200 : 503, dump({{"status", n > 0 ? "ok" : "no rulesets loaded"}, {"rulesets", n}}));
}

}  // namespace shiki::http
