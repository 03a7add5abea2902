// Each endpoint over real HTTP: what a well-formed call gets, what each kind
// of bad call gets (status and the JSON error naming the field), and what
// the audit log keeps.
#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

using nlohmann::json;

json body_of(const httplib::Result& r) { return json::parse(r->body); }

TEST(HttpApi, HealthzNeedsNoToken) {
  TestServer s;
  auto r = s.client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body_of(r)["status"], "ok");
  EXPECT_EQ(body_of(r)["rulesets"], 2);
}

TEST(HttpApi, EvaluateReturnsTheHouseholdRecord) {
  TestServer s;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H0000123").dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  auto b = body_of(r);
  EXPECT_EQ(b["household_id"], "H0000123");
  EXPECT_EQ(b["ruleset"]["hash"], "sha256:fake-matsudo-v1");
  EXPECT_EQ(b["premium"]["annual"], 1001);
  EXPECT_FALSE(b.contains("explain"));
}

TEST(HttpApi, EvaluateWithExplain) {
  TestServer s;
  auto req = envelope("H1");
  req["explain"] = true;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(body_of(r).contains("explain"));
}

// The evaluation date of the benefit figures and the counter's summary reach
// the engine (docs/api.md); a date that is not one is the caller's error.
TEST(HttpApi, EvaluateWithDateAndSummary) {
  TestServer s;
  auto req = envelope("H1");
  req["date"] = "2026-11-25";
  req["summary"] = true;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_of(r)["benefits"]["evaluation_date"], "2026-11-25");
  EXPECT_EQ(body_of(r)["summary"], "fake summary");
  req["date"] = "2026-02-30";
  r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body_of(r)["error"]["field"], "date");
}

TEST(HttpApi, HouseholdTheEngineRefusesIs422WithItsErrorRecord) {
  TestServer s;
  auto req = envelope("H2");
  req["household"]["fiscal_year"] = 1999;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(body_of(r)["household_id"], "H2");
  EXPECT_EQ(body_of(r)["error"]["field"], "fiscal_year");
}

TEST(HttpApi, IgnoreUnknownFieldsIsPassedToTheEngine) {
  TestServer s;
  auto req = envelope("H3");
  req["household"]["note"] = "x";
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(body_of(r)["error"]["field"], "note");
  req["ignore_unknown_fields"] = true;
  r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpApi, MissingOrUnknownTokenIs401) {
  TestServer s;
  for (const std::string& token : {std::string(), std::string("not-a-token")}) {
    auto r = s.client(token).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"shiki\"");
    EXPECT_EQ(body_of(r)["error"]["field"], "Authorization");
  }
  auto c = s.client();
  c.set_basic_auth("alice", kAliceToken.c_str());
  auto r = c.Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST(HttpApi, RulesetOutsideTheTokensListIs403) {
  TestServer s;
  auto r = s.client(kKashiwaToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body_of(r)["error"]["field"], "ruleset");
  r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=kashiwa", household("H1").dump(), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

TEST(HttpApi, UnknownRulesetIs404NamingTheField) {
  TestServer s;
  auto r = s.client(kAdminToken).Post("/v1/evaluate", envelope("H1", "chiba").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body_of(r)["error"]["field"], "ruleset");
}

TEST(HttpApi, MalformedEnvelopesAre400NamingTheField) {
  TestServer s;
  const std::vector<std::pair<std::string, json>> cases = {
      {"{\"ruleset\": ", nullptr},
      {"[1,2]", nullptr},
      {R"({"household": {}})", "ruleset"},
      {R"({"ruleset": 7, "household": {}})", "ruleset"},
      {R"({"ruleset": "matsudo", "household": "H1"})", "household"},
      {R"({"ruleset": "matsudo", "household": {}, "explain": "yes"})", "explain"},
      {R"({"ruleset": "matsudo", "household": {}, "ignore_unknown_fields": 1})", "ignore_unknown_fields"},
      {R"({"ruleset": "matsudo", "household": {}, "name": "山田太郎"})", "name"},
      {"\xff\xfe", nullptr},
  };
  for (const auto& [body, field] : cases) {
    auto r = s.client(kAliceToken).Post("/v1/evaluate", body, "application/json");
    ASSERT_TRUE(r) << body;
    EXPECT_EQ(r->status, 400) << body;
    auto b = body_of(r);
    EXPECT_EQ(b["error"]["field"], field) << body;
    EXPECT_TRUE(b["error"]["message"].is_string());
  }
}

TEST(HttpApi, EmptyBodyIs400) {
  TestServer s;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

// `curl -X POST` sends neither Content-Length nor Transfer-Encoding: that is
// an empty body, answered at once, not a wait for the client to close.
TEST(HttpApi, PostWithoutContentLengthHasAnEmptyBody) {
  TestServer s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.send("POST /v1/admin/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAdminToken +
                     "\r\nConnection: close\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  const std::string response = c.read_all(std::chrono::seconds(3));
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
}

TEST(HttpApi, UnknownPathIs404AndWrongMethodIs405) {
  TestServer s;
  auto r = s.client(kAliceToken).Get("/v1/households/H1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(body_of(r).contains("error"));
  r = s.client(kAliceToken).Get("/v1/evaluate");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
}

TEST(HttpApi, BatchGivesOneLinePerHouseholdAndAnErrorLinePerBadOne) {
  TestServer s;
  std::string body = household("H1").dump() + "\n" + "{not json\n" + "\n" + household("H3", 1999).dump() + "\r\n" +
                     household("H4", 2025, 3).dump() + "\n";
  auto r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo", body, "application/x-ndjson");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-ndjson");
  std::vector<json> lines;
  std::istringstream in(r->body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["household_id"], "H1");
  EXPECT_EQ(lines[1]["line"], 2);  // blank line 3 is skipped but counted
  EXPECT_EQ(lines[2]["household_id"], "H3");
  EXPECT_EQ(lines[2]["error"]["field"], "fiscal_year");
  EXPECT_EQ(lines[3]["premium"]["annual"], 1003);
}

TEST(HttpApi, BatchParametersAreChecked) {
  TestServer s;
  auto c = s.client(kAliceToken);
  auto r = c.Post("/v1/evaluate/batch", household("H1").dump(), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body_of(r)["error"]["field"], "ruleset");
  r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo&explain=1", household("H1").dump(), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body_of(r)["error"]["field"], "explain");
  std::string many;
  for (int i = 0; i < 101; ++i) many += household("H" + std::to_string(i)).dump() + "\n";
  r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo", many, "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST(HttpApi, RulesetsListsOnlyWhatTheTokenMayUse) {
  TestServer s;
  auto r = s.client(kAliceToken).Get("/v1/rulesets");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto list = body_of(r)["rulesets"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], "matsudo");
  EXPECT_EQ(list[0]["hash"], "sha256:fake-matsudo-v1");
  EXPECT_EQ(list[0]["fiscal_years"], json({2025, 2026}));
  r = s.client(kAdminToken).Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(r)["rulesets"].size(), 2u);
}

TEST(HttpApi, AdminReloadNeedsAnAdminToken) {
  TestServer s;
  auto r = s.client(kAliceToken).Post("/v1/admin/reload", "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  s.fake.version = 2;
  r = s.client(kAdminToken).Post("/v1/admin/reload", "", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_of(r)["rulesets"][0]["hash"], "sha256:fake-matsudo-v2");
  s.fake.broken = true;
  r = s.client(kAdminToken).Post("/v1/admin/reload", "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  auto b = body_of(r);
  EXPECT_FALSE(b["rulesets"][0]["ok"].get<bool>());
  EXPECT_EQ(b["rulesets"][0]["hash"], "sha256:fake-matsudo-v2");  // the old one stays
  EXPECT_NE(b["rulesets"][0]["diagnostics"][0].get<std::string>().find("error[E0304]"), std::string::npos);
  EXPECT_NE(s.log().find("ruleset matsudo: failed to compile; still serving sha256:fake-matsudo-v2"), std::string::npos);
  EXPECT_NE(s.log().find("error[E0304]"), std::string::npos);
}

TEST(HttpApi, MetricsInPrometheusTextFormat) {
  TestServer s;
  s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  s.client().Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo", household("H2").dump() + "\n{x\n", "application/x-ndjson");
  auto r = s.client().Get("/metrics");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  const std::string& m = r->body;
  EXPECT_NE(m.find("shiki_http_requests_total{endpoint=\"/v1/evaluate\",status=\"200\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("shiki_http_requests_total{endpoint=\"/v1/evaluate\",status=\"401\"} 1\n"), std::string::npos);
  EXPECT_NE(m.find("shiki_http_request_duration_seconds_bucket{endpoint=\"/v1/evaluate\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(m.find("shiki_households_evaluated_total{outcome=\"ok\"} 2\n"), std::string::npos);
  EXPECT_NE(m.find("shiki_households_evaluated_total{outcome=\"error\"} 1\n"), std::string::npos);
  EXPECT_NE(m.find("shiki_ruleset_reloads_total{outcome=\"ok\"} 2\n"), std::string::npos);  // the start-up load
  EXPECT_NE(m.find("# TYPE shiki_http_request_duration_seconds histogram"), std::string::npos);
}

TEST(HttpApi, AuditLogRecordsWhoAskedAboutWhichHouseholdAndNothingPersonal) {
  TestServer s;
  auto req = envelope("H0000123");
  req["household"]["members"][0]["name"] = "山田太郎";
  req["household"]["members"][0]["income"] = {{"public_pension_revenue", 1800000}};
  req["household"]["members"][0]["my_number"] = "123456789012";
  req["ignore_unknown_fields"] = true;
  s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  s.client("wrong").Post("/v1/evaluate", req.dump(), "application/json");
  s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo", household("H7").dump() + "\n" + household("H8").dump(),
                             "application/x-ndjson");
  s.client().Get("/healthz");
  // Two request lines; the 401 is in the summary of refusals, written at
  // the end of its interval, not as a line of its own.
  auto all = s.audit(3);
  std::vector<json> lines, refused;
  for (auto& l : all) (l.contains("event") ? refused : lines).push_back(l);
  ASSERT_EQ(lines.size(), 2u) << s.audit_text();  // probes are not audited
  EXPECT_EQ(lines[0]["holder"], "alice");
  EXPECT_EQ(lines[0]["endpoint"], "/v1/evaluate");
  EXPECT_EQ(lines[0]["household_ids"], json({"H0000123"}));
  EXPECT_EQ(lines[0]["ruleset"], "matsudo");
  EXPECT_EQ(lines[0]["ruleset_hash"], "sha256:fake-matsudo-v1");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_TRUE(lines[0]["latency_us"].is_number_integer());
  EXPECT_TRUE(lines[0]["time"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(lines[1]["household_ids"], json({"H7", "H8"}));
  ASSERT_EQ(refused.size(), 1u) << s.audit_text();
  EXPECT_EQ(refused[0]["event"], "refused");
  EXPECT_EQ(refused[0]["remote"], "127.0.0.1");
  EXPECT_EQ(refused[0]["statuses"], json({{"401", 1}}));
  const std::string text = s.audit_text();
  for (const char* secret : {"山田", "1958-07-15", "1800000", "123456789012", kAliceToken.c_str()})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
}

TEST(HttpApi, AnEngineExceptionIs500AndTheServerGoesOn) {
  TestServer s;
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("THROW").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_TRUE(body_of(r).contains("error"));
  EXPECT_NE(s.log().find("fake engine failure"), std::string::npos);
  r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace shiki::http::testing
