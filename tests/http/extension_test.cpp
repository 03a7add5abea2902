// Routes added to the server (the studio's): a public page, a login that
// takes the bearer token and opens a browser session, and calls made with
// that session's cookie; all through the server's own token table and audit.
#include <gtest/gtest.h>

#include "adapters/http/extension.h"
#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

class FakeExtension : public Extension {
 public:
  const std::vector<ExtensionRoute>& routes() const override {
    static const std::vector<ExtensionRoute> kRoutes = {
        {"GET", "/ext/page", Access::kPublic, false},
        {"POST", "/ext/login", Access::kBearer, false},
        {"POST", "/ext/logout", Access::kSession, false},
        {"GET", "/ext/whoami", Access::kSession, true},
    };
    return kRoutes;
  }
  Response handle(const ExtensionRoute& route, Request& req, ExtensionCall& call) override {
    const std::string path = route.path;
    if (path == "/ext/page") return json_response(200, "{\"page\":true}");
    Response r = json_response(200, nlohmann::json{{"holder", call.caller->holder}}.dump());
    if (path == "/ext/login")
      r.headers.emplace_back("Set-Cookie", WebSessions::set_cookie(call.sessions.open(call.caller->digest), "/ext", false));
    if (path == "/ext/logout") call.sessions.close(req.cookie);
    call.audit.household_ids.push_back("H0000001");
    return r;
  }
};

// "shiki_session=<id>" from a Set-Cookie value.
std::string cookie_from(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

httplib::Headers browser(const std::string& cookie) { return {{"Cookie", cookie}, {"X-Requested-With", "test"}}; }

TEST(HttpExtension, APublicRouteNeedsNoTokenAndIsNotAudited) {
  TestServer s({}, std::make_shared<FakeExtension>());
  auto r = s.client().Get("/ext/page");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto c = s.client(kAliceToken);
  ASSERT_TRUE(c.Get("/ext/whoami"));  // one audited call, so the log is surely written up to here
  auto lines = s.audit(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["endpoint"], "/ext/whoami");
}

TEST(HttpExtension, ALoginOpensASessionThatStandsForTheToken) {
  TestServer s({}, std::make_shared<FakeExtension>());
  EXPECT_EQ(s.client().Post("/ext/login")->status, 401);
  auto login = s.client(kAliceToken).Post("/ext/login");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200);
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  const std::string cookie = cookie_from(set_cookie);

  auto me = s.client().Get("/ext/whoami", browser(cookie));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(nlohmann::json::parse(me->body)["holder"], "alice");
  // Without the page's header the cookie alone is no authority (another site's form).
  auto forged = s.client().Get("/ext/whoami", {{"Cookie", cookie}});
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(s.client().Get("/ext/whoami", browser("shiki_session=" + std::string(64, 'a')))->status, 401);

  auto lines = s.audit(3);
  ASSERT_GE(lines.size(), 3u);
  for (const auto& l : lines) EXPECT_EQ(l["holder"], "alice");
  const std::string text = s.audit_text();
  EXPECT_EQ(text.find(cookie.substr(cookie.find('=') + 1)), std::string::npos) << "a session id reached the audit log";
  EXPECT_EQ(text.find(kAliceToken), std::string::npos);
}

TEST(HttpExtension, ARevokedTokenEndsItsSessionsAndLogoutEndsOne) {
  TestServer s({}, std::make_shared<FakeExtension>());
  const std::string alice = cookie_from(s.client(kAliceToken).Post("/ext/login")->get_header_value("Set-Cookie"));
  const std::string admin = cookie_from(s.client(kAdminToken).Post("/ext/login")->get_header_value("Set-Cookie"));
  EXPECT_EQ(s.client().Post("/ext/logout", browser(admin), "", "text/plain")->status, 200);
  EXPECT_EQ(s.client().Get("/ext/whoami", browser(admin))->status, 401);

  auto without_alice = s.config();
  without_alice.tokens.erase(without_alice.tokens.begin());
  s.server().set_config_source([without_alice] { return without_alice; });
  s.server().reload();
  EXPECT_EQ(s.client().Get("/ext/whoami", browser(alice))->status, 401);
}

TEST(HttpWebSessions, SessionsEndWhenIdleOrOld) {
  WebSessions sessions;
  const auto t0 = WebSessions::Clock::now();
  const std::string id = sessions.open("digest", t0);
  const std::string cookie = "other=1; " + std::string(WebSessions::kCookie) + "=" + id;
  EXPECT_EQ(sessions.digest_of(cookie, t0 + std::chrono::minutes(100)), "digest");
  EXPECT_EQ(sessions.digest_of(cookie, t0 + std::chrono::minutes(200)), "digest");  // used 100 minutes before
  EXPECT_EQ(sessions.digest_of(cookie, t0 + std::chrono::minutes(400)), std::nullopt);  // idle past 2 hours

  const std::string day = sessions.open("digest", t0);
  const std::string day_cookie = std::string(WebSessions::kCookie) + "=" + day;
  for (int h = 1; h <= 11; ++h) EXPECT_TRUE(sessions.digest_of(day_cookie, t0 + std::chrono::hours(h)));
  EXPECT_EQ(sessions.digest_of(day_cookie, t0 + std::chrono::hours(13)), std::nullopt);  // past a working day
}

TEST(HttpWebSessions, CookieValuesAreFoundByName) {
  EXPECT_EQ(WebSessions::cookie_value("a=1; shiki_session=abc; b=2", "shiki_session"), "abc");
  EXPECT_EQ(WebSessions::cookie_value("xshiki_session=abc", "shiki_session"), "");
  EXPECT_EQ(WebSessions::cookie_value("", "shiki_session"), "");
}

}  // namespace
}  // namespace shiki::http::testing
