// The findings of the hardening review, each tried again the way it was
// found: pipelined requests, slow clients, bursts of connections, busy
// workers, oversized answers, the audit log's content, mode and rotation,
// token guessing, roles, and strict envelopes.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <regex>

#include "adapters/http/audit.h"
#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

inline const std::string kClerkToken = "clerk-5566778899aabbcc";  // single evaluations only

void add_clerk(ServerConfig& c) { c.tokens.push_back({"clerk-0042", sha256_hex(kClerkToken), {"matsudo"}, false, false}); }

std::string post(const std::string& path, const std::string& body, const std::string& token, bool close = false) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         (close ? "Connection: close\r\n" : "") + "\r\n" + body;
}

// A household whose body carries what must never reach the audit log.
json personal_envelope(const std::string& id) {
  auto e = envelope(id);
  e["household"]["members"][0]["income"] = {{"salary_revenue", 4567890}};
  e["ignore_unknown_fields"] = true;
  return e;
}

std::vector<std::string> statuses(const std::string& responses) {
  std::vector<std::string> out;
  static const std::regex status_line("HTTP/1\\.1 (\\d{3}) ");
  for (auto it = std::sregex_iterator(responses.begin(), responses.end(), status_line); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

bool still_serving_after_refusal(TestServer& s) {
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  return r && r->status == 200;
}

void expect_nothing_personal(const std::string& audit) {
  for (const std::string& secret : {std::string("1958-07-15"), std::string("4567890"), kAliceToken.substr(0, 8),
                                    std::string("alice-01")})
    EXPECT_EQ(audit.find(secret), std::string::npos) << secret << " in\n" << audit;
}

TEST(HttpHardening, PipelinedRequestsAreAnsweredInOrderAndAuditedOnce) {
  TestServer s([](ServerConfig& c) { c.limits.keep_alive_max_requests = 1000; });
  std::string wire;
  for (int i = 0; i < 150; ++i) wire += post("/v1/evaluate", personal_envelope("H" + std::to_string(i)).dump(), kAliceToken, i == 149);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send(wire));
  const std::string responses = c.read_all(5s);
  const auto st = statuses(responses);
  ASSERT_EQ(st.size(), 150u) << responses.substr(0, 500);
  static const std::regex id_re("\"household_id\":\"(H\\d+)\"");
  int expected = 0;
  for (auto it = std::sregex_iterator(responses.begin(), responses.end(), id_re); it != std::sregex_iterator(); ++it)
    EXPECT_EQ((*it)[1], "H" + std::to_string(expected++));
  EXPECT_EQ(expected, 150);
  EXPECT_EQ(s.audit(150).size(), 150u);
  expect_nothing_personal(s.audit_text());
}

// A request refused before its body is read ends the connection: its body
// (here a whole request with a valid token) is never read as a request.
TEST(HttpHardening, ABodyIsNeverReadAsARequest) {
  TestServer s;
  const std::string smuggled = post("/v1/evaluate", personal_envelope("H1").dump(), kAliceToken);
  RawConnection c(s.port());
  ASSERT_TRUE(c.send(post("/v1/evaluate", smuggled, "not-a-token") + smuggled));
  const std::string responses = c.read_all(3s);
  EXPECT_EQ(statuses(responses), std::vector<std::string>{"401"}) << responses;
  EXPECT_NE(responses.find("Connection: close"), std::string::npos);
  std::this_thread::sleep_for(300ms);  // past a summary interval
  for (const auto& line : s.audit(1)) EXPECT_EQ(line["event"], "refused") << line;
  expect_nothing_personal(s.audit_text());
}

// 33 clients trickling a head byte by byte hold no worker: the probes and
// real callers are answered meanwhile, and each slow client gets 408 when
// its head deadline passes, however steadily it sends.
TEST(HttpHardening, SlowClientsStallNothing) {
  TestServer s([](ServerConfig& c) {
    c.limits.header_timeout_ms = 1000;
    c.limits.max_connections = 48;
  });
  std::atomic<int> got_408{0};
  std::vector<std::thread> slow;
  const std::string head = post("/v1/evaluate", "{}", kAliceToken);
  for (int i = 0; i < 33; ++i)
    slow.emplace_back([&] {
      RawConnection c(s.port());
      for (std::size_t b = 0; b < head.size() && c.send(head.substr(b, 1)); ++b) std::this_thread::sleep_for(100ms);
      if (c.read_all(2s).rfind("HTTP/1.1 408", 0) == 0) ++got_408;
    });
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto h = s.client().Get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
    auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    std::this_thread::sleep_for(100ms);
  }
  for (auto& t : slow) t.join();
  EXPECT_EQ(got_408, 33);
}

// 200 connections at once, 32 allowed: every one gets an HTTP answer, the
// ones over the limit 503 with Retry-After.
TEST(HttpHardening, EveryConnectionOfABurstGetsAnAnswer) {
  TestServer s;
  std::atomic<int> ok{0}, busy{0}, other{0};
  std::vector<std::thread> clients;
  const std::string request = post("/v1/evaluate", envelope("H1").dump(), kAliceToken, true);
  for (int i = 0; i < 200; ++i)
    clients.emplace_back([&] {
      RawConnection c(s.port());
      c.send(request);
      const std::string r = c.read_all(5s);
      if (r.rfind("HTTP/1.1 200", 0) == 0) ++ok;
      else if (r.rfind("HTTP/1.1 503", 0) == 0 && r.find("Retry-After: 1") != std::string::npos) ++busy;
      else ++other;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(ok + busy, 200);
  EXPECT_GE(ok, 32);
}

TEST(HttpHardening, ProbesAnswerWhileEveryWorkerIsBusy) {
  TestServer s([](ServerConfig& c) { c.limits.worker_threads = 2; });
  std::vector<std::thread> busy;
  for (int i = 0; i < 3; ++i)
    busy.emplace_back([&] { s.client(kAliceToken).Post("/v1/evaluate", envelope("SLEEP").dump(), "application/json"); });
  std::this_thread::sleep_for(200ms);
  const auto start = std::chrono::steady_clock::now();
  auto h = s.client().Get("/healthz");
  auto m = s.client().Get("/metrics");
  auto l = s.client(kAliceToken).Get("/v1/rulesets");
  const auto took = std::chrono::steady_clock::now() - start;
  for (auto& t : busy) t.join();
  ASSERT_TRUE(h && m && l);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(m->status, 200);
  EXPECT_EQ(l->status, 200);
  EXPECT_LT(took, 500ms);
}

}  // namespace
}  // namespace shiki::http::testing

namespace shiki::http::testing {
namespace {

TEST(HttpHardening, AnswersOverMaxResponseBytesAreRefusedNamingExplain) {
  TestServer s([](ServerConfig& c) { c.limits.max_response_bytes = 1024; });
  std::string batch;
  for (int i = 0; i < 20; ++i) batch += household("H" + std::to_string(i)).dump() + "\n";
  auto r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo&explain=true", batch, "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(json::parse(r->body)["error"]["field"], "explain") << r->body;
  EXPECT_TRUE(still_serving_after_refusal(s));
}

TEST(HttpHardening, ArraysOverTheirLimitAreTheEnginesErrorNamingTheField) {
  TestServer s([](ServerConfig& c) { c.limits.max_array_items = {{"default", 100}, {"members", 3}}; });
  auto req = envelope("H1");
  req["household"] = household("H1", 2026, 4);
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  const auto b = json::parse(r->body);
  EXPECT_EQ(b["household_id"], "H1");
  EXPECT_EQ(b["error"]["field"], "members") << r->body;
  req["household"] = household("H1", 2026, 3);
  r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpHardening, DuplicateKeysAreRefusedNamingTheKey) {
  TestServer s;
  auto c = s.client(kAliceToken);
  auto r = c.Post("/v1/evaluate", R"({"ruleset": "matsudo", "ruleset": "kashiwa", "household": {}})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["field"], "ruleset");
  r = c.Post("/v1/evaluate",
             R"({"ruleset": "matsudo", "household": {"household_id": "H1", "fiscal_year": 2026, "fiscal_year": 2025, "members": []}})",
             "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(json::parse(r->body)["error"]["field"], "fiscal_year") << r->body;
}

TEST(HttpHardening, BearerIsMatchedCaseInsensitively) {
  TestServer s;
  for (const std::string scheme : {"bearer", "BEARER", "Bearer"}) {
    RawConnection c(s.port());
    c.send("GET /v1/rulesets HTTP/1.1\r\nHost: x\r\nAuthorization: " + scheme + " " + kAliceToken +
           "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(c.read_all(2s).rfind("HTTP/1.1 200", 0), 0u) << scheme;
  }
}

TEST(HttpHardening, ACounterClerkMayNotRunBatches) {
  TestServer s(add_clerk);
  auto clerk = s.client(kClerkToken);
  auto r = clerk.Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = clerk.Post("/v1/evaluate/batch?ruleset=matsudo", household("H1").dump(), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  r = s.client(kAliceToken).Post("/v1/evaluate/batch?ruleset=matsudo", household("H1").dump(), "application/x-ndjson");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpHardening, TheAuditLogIsMode0600AndFieldsAreCapped) {
  TestServer s([](ServerConfig& c) { c.limits.max_body_bytes = 2 << 20; });
  struct stat st {};
  ASSERT_EQ(::stat(s.config().audit_log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string huge(900 * 1024, 'x');
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1", huge).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_LT(r->body.size(), 200u);  // the name is not echoed
  auto bad_id = envelope("");
  bad_id["household"]["household_id"] = "山田太郎 1958-07-15";
  s.client(kAliceToken).Post("/v1/evaluate", bad_id.dump(), "application/json");
  const auto lines = s.audit(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["ruleset"], nullptr);
  EXPECT_EQ(lines[1]["household_ids"], json::array({nullptr}));
  EXPECT_LT(s.audit_text().size(), 1000u);
  EXPECT_EQ(s.audit_text().find("山田"), std::string::npos);
}

TEST(HttpHardening, AnExistingWorldReadableAuditLogIsNarrowed) {
  const auto dir = fresh_temp_dir();
  const auto path = dir / "audit.jsonl";
  { std::ofstream(path) << ""; }
  ::chmod(path.c_str(), 0644);
  AuditLog log(path.string());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

// logrotate renames the file and sends SIGHUP (the reload path): later
// lines go to a new file at the configured path.
TEST(HttpHardening, TheAuditLogIsReopenedOnReload) {
  TestServer s;
  s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  ASSERT_EQ(s.audit(1).size(), 1u);
  const std::string rotated = s.config().audit_log + ".1";
  std::filesystem::rename(s.config().audit_log, rotated);
  s.server().reload();
  s.client(kAliceToken).Post("/v1/evaluate", envelope("H2").dump(), "application/json");
  const auto lines = s.audit(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["household_ids"], json({"H2"}));
  struct stat st {};
  ASSERT_EQ(::stat(s.config().audit_log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// Token guessing: past the allowance every request from the address is 429
// without the token being looked at, and the audit log gets one summary
// line per interval however many there were.
TEST(HttpHardening, FailedAuthenticationIsRateLimitedAndLoggedInAggregate) {
  TestServer s([](ServerConfig& c) {
    c.limits.auth_failures_per_minute = 5;
    c.limits.audit_summary_interval_ms = 1000;
  });
  std::vector<int> got;
  for (int i = 0; i < 300; ++i) {
    auto r = s.client("guess-" + std::to_string(i)).Get("/v1/rulesets");
    ASSERT_TRUE(r);
    got.push_back(r->status);
  }
  EXPECT_EQ(std::count(got.begin(), got.end(), 401), 5);
  EXPECT_EQ(std::count(got.begin(), got.end(), 429), 295);
  auto r = s.client(kAliceToken).Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  // The counts may straddle two intervals: add up the summary lines.
  std::map<std::string, int> total;
  for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
    total.clear();
    for (const auto& line : s.audit()) {
      EXPECT_EQ(line["event"], "refused") << line;
      for (const auto& [status, n] : line["statuses"].items()) total[status] += n.get<int>();
    }
    if (total["401"] + total["429"] >= 301) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(total["401"], 5);
  EXPECT_EQ(total["429"], 296);
  EXPECT_LE(s.audit().size(), 3u);  // a line per interval, not per request
}

}  // namespace
}  // namespace shiki::http::testing
