#include "studio/studio.h"

#include "studio/request.h"
#include "studio/solver.h"

namespace shiki::studio {
using nlohmann::json;
using http::Access;

namespace {

// The page's own rules for the browser: scripts and styles from this server
// only (CodeMirror adds style elements, hence inline styles), no framing, no
// referrer leaving the page.
void page_headers(http::Response& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                         "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-cache");
}

}  // namespace

Studio::Studio(std::shared_ptr<Workspace> workspace, Assets assets, std::function<void()> on_saved)
    : ws_(std::move(workspace)), assets_(std::move(assets)), on_saved_(std::move(on_saved)) {}

const std::vector<http::ExtensionRoute>& Studio::routes() const {
  static const std::vector<http::ExtensionRoute> kRoutes = {
      {"GET", "/studio", Access::kPublic, false},
      {"GET", "/studio/", Access::kPublic, false},
      {"GET", "/studio/studio.js", Access::kPublic, false},
      {"GET", "/studio/studio.css", Access::kPublic, false},
      {"POST", "/studio/api/login", Access::kBearer, false},
      {"POST", "/studio/api/logout", Access::kSession, false},
      {"GET", "/studio/api/workspace", Access::kSession, false},
      {"GET", "/studio/api/households", Access::kSession, false},
      {"POST", "/studio/api/check", Access::kSession, true},
      {"POST", "/studio/api/household", Access::kSession, true},
      {"POST", "/studio/api/compare", Access::kSession, true},
      {"POST", "/studio/api/save", Access::kSession, true},
      {"POST", "/studio/api/solve", Access::kSession, true},
  };
  return kRoutes;
}

http::Response Studio::handle(const http::ExtensionRoute& route, http::Request& req, http::ExtensionCall& call) {
  const std::string path = route.path;
  if (route.access == Access::kPublic) return page(path);
  // The studio's ruleset is the one thing here: a token that may not use it
  // may not use the studio (and learns nothing of it).
  call.audit.ruleset_id = ws_->id();
  call.audit.ruleset_hash = ws_->saved()->ruleset->info().hash;
  if (!call.caller->may_use(ws_->id()))
    return refusal(403, "", call.caller->holder + " may not use this ruleset");
  if (path == "/studio/api/login") return login(call);
  if (path == "/studio/api/logout") return logout(req, call);
  if (path == "/studio/api/workspace") return workspace(call);
  if (path == "/studio/api/households") return households(req);
  if (path == "/studio/api/check") return check(req, call);
  if (path == "/studio/api/household") return household(req, call);
  if (path == "/studio/api/compare") return compare(req, call);
  if (path == "/studio/api/save") return save(req, call);
  if (path == "/studio/api/solve") return solve(req, call);
  return refusal(404, "", "no such endpoint");
}

http::Response Studio::page(const std::string& path) const {
  http::Response r;
  if (path == "/studio") {
    r.status = 308;
    r.headers.emplace_back("Location", "/studio/");
    return r;
  }
  if (path == "/studio/studio.js") r.body = assets_.script, r.content_type = "text/javascript; charset=utf-8";
  else if (path == "/studio/studio.css") r.body = assets_.style, r.content_type = "text/css; charset=utf-8";
  else r.body = assets_.index_html, r.content_type = "text/html; charset=utf-8";
  page_headers(r);
  return r;
}

http::Response Studio::login(http::ExtensionCall& call) const {
  // The bearer token was checked like any API call's; the page keeps only
  // the cookie, which script cannot read.
  const std::string id = call.sessions.open(call.caller->digest);
  auto r = json_answer(200, {{"holder", call.caller->holder}});
  r.headers.emplace_back("Set-Cookie", http::WebSessions::set_cookie(id, kPath, call.tls));
  return r;
}

http::Response Studio::logout(const http::Request& req, http::ExtensionCall& call) const {
  call.sessions.close(req.cookie);
  auto r = json_answer(200, {{"holder", call.caller->holder}});
  r.headers.emplace_back("Set-Cookie", http::WebSessions::clear_cookie(kPath, call.tls));
  return r;
}

http::Response Studio::workspace(http::ExtensionCall& call) const {
  const auto saved = ws_->saved();
  json files = json::array();
  for (const auto& [name, text] : saved->files) files.push_back({{"name", name}, {"text", text}});
  // Each part's revenue under the saved ruleset: where the solver form's
  // targets start from.
  json revenue = json::object();
  for (int p = analysis::kMedical; p < analysis::kTotal; ++p) {
    long long sum = 0;
    for (const auto& h : saved->assessment.households)
      if (h.ok) sum += h.annual[p];
    revenue[analysis::part_key(p)] = sum;
  }
  return json_answer(200, {{"holder", call.caller->holder},
                           {"may_save", call.caller->admin},
                           {"ruleset", {{"id", ws_->id()}, {"hash", saved->ruleset->info().hash}}},
                           {"fiscal_year", ws_->fiscal_year()},
                           {"households", ws_->population().size()},
                           {"files", files},
                           {"saved_digest", saved->digest},
                           {"revenue", revenue},
                           {"solver_available", solver_available()}});
}

}  // namespace shiki::studio
