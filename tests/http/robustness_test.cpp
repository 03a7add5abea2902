// What a misbehaving or busy world does to the server: oversize and slow
// requests, garbage, many clients at once, the connection limit, and
// rulesets reloaded while requests are in flight.
#include <signal.h>

#include <atomic>

#include "adapters/http/signals.h"
#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string post_head(const std::string& path, std::size_t length, const std::string& token = kAliceToken) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

bool still_serving(TestServer& s) {
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  return r && r->status == 200;
}

TEST(HttpLimits, BodyOverTheLimitIs413) {
  TestServer s;
  auto req = envelope("H1");
  req["household"]["padding"] = std::string(70 * 1024, 'x');
  auto r = s.client(kAliceToken).Post("/v1/evaluate", req.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(json::parse(r->body).contains("error")) << r->body;
  EXPECT_TRUE(still_serving(s));
}

// The server stops reading at the limit and answers 413; the client may
// still be writing and see a reset instead, so the metrics are the witness.
TEST(HttpLimits, ChunkedBodyOverTheLimitIs413) {
  TestServer s;
  {
    RawConnection c(s.port());
    c.send("POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAliceToken +
           "\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "2000\r\n" + std::string(0x2000, ' ') + "\r\n";
    for (int i = 0; i < 16 && c.send(chunk); ++i) {
    }
    const std::string response = c.read_all(2s);
    EXPECT_TRUE(response.empty() || response.rfind("HTTP/1.1 413", 0) == 0) << response;
  }
  auto m = s.client().Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("shiki_http_requests_total{endpoint=\"/v1/evaluate\",status=\"413\"} 1"), std::string::npos)
      << m->body;
  EXPECT_TRUE(still_serving(s));
}

// A body announced over the limit is refused with the head, answered with
// "Connection: close", and the connection ends at once: nothing of the body
// is read.
TEST(HttpLimits, ARefusedBodyIsAnsweredAndTheConnectionEnds) {
  TestServer s;
  RawConnection c(s.port());
  ASSERT_TRUE(c.send(post_head("/v1/evaluate", 100 * 1024)));
  const auto start = std::chrono::steady_clock::now();
  const std::string response = c.read_all(4s);
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(HttpLimits, HeadersOverTheLimitAre431) {
  TestServer s;
  auto c = s.client(kAliceToken);
  httplib::Headers big;
  for (int i = 0; i < 8; ++i) big.emplace("X-Padding-" + std::to_string(i), std::string(700, 'a'));
  auto r = c.Get("/v1/rulesets", big);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(still_serving(s));
}

TEST(HttpLimits, ClientThatStallsInTheHeadersIsDisconnected) {
  TestServer s;
  RawConnection stalled(s.port());
  ASSERT_TRUE(stalled.send("POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  EXPECT_TRUE(still_serving(s));  // other clients are not held up meanwhile
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(stalled.closed_within(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // the head deadline is 300 ms
}

TEST(HttpLimits, ClientThatDribblesItsBodyGets408) {
  TestServer s;
  const std::string body = envelope("H1").dump();
  RawConnection slow(s.port());
  ASSERT_TRUE(slow.send(post_head("/v1/evaluate", body.size())));
  // One byte every 100 ms: no single read is slow; the deadline on the
  // whole body (request_timeout_ms, 1 s here) stops it.
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < 20 && std::chrono::steady_clock::now() - start < 1500ms; ++i) {
    if (!slow.send(body.substr(i, 1))) break;
    std::this_thread::sleep_for(100ms);
  }
  const std::string response = slow.read_all(2s);
  EXPECT_EQ(response.rfind("HTTP/1.1 408", 0), 0u) << response;
  EXPECT_TRUE(still_serving(s));
}

TEST(HttpLimits, GarbageDoesNotCrashTheServer) {
  TestServer s;
  const std::vector<std::string> garbage = {
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),  // a TLS hello on plain HTTP
      "GET\r\n\r\n",
      "POST /v1/evaluate HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST /v1/evaluate HTTP/1.1\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer " + kAliceToken +
          "\r\n\r\nzz\r\n",
      "POST /v1/evaluate HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nX: " + std::string(10000, 'b') + "\r\n\r\n",
  };
  std::vector<std::thread> senders;
  for (const auto& g : garbage)
    senders.emplace_back([&s, g] {
      RawConnection c(s.port());
      c.send(g);
      c.read_all(1500ms);
    });
  for (auto& t : senders) t.join();
  EXPECT_TRUE(still_serving(s));
}

bool wait_for_connections(TestServer& s, int n) {
  const std::string line = "shiki_http_connections " + std::to_string(n) + "\n";
  for (int i = 0; i < 200; ++i) {
    if (s.server().metrics().render().find(line) != std::string::npos) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST(HttpLimits, ConnectionsOverTheLimitGet503AtOnce) {
  TestServer s([](ServerConfig& c) {
    c.limits.max_connections = 2;
  });
  // Two idle connections fill the limit (until the 300 ms head deadline),
  // once the start-up probe's connection is gone.
  ASSERT_TRUE(wait_for_connections(s, 0));
  RawConnection idle1(s.port()), idle2(s.port());
  ASSERT_TRUE(wait_for_connections(s, 2));
  auto c = s.client(kAliceToken);
  const auto start = std::chrono::steady_clock::now();
  auto r = c.Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_TRUE(idle1.closed_within(3s));
  EXPECT_TRUE(idle2.closed_within(3s));
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(still_serving(s));
}

TEST(HttpConcurrency, ManyClientsAtOnce) {
  TestServer s;
  FakeRuleset::evaluators_made = 0;
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t)
    clients.emplace_back([&, t] {
      auto c = s.client(kAliceToken);
      c.set_keep_alive(true);
      for (int i = 0; i < 40; ++i) {
        const std::string id = "H" + std::to_string(t) + "-" + std::to_string(i);
        auto r = c.Post("/v1/evaluate", envelope(id).dump(), "application/json");
        if (r && r->status == 200 && json::parse(r->body)["household_id"] == id) ++ok;
        else ++bad;
      }
    });
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok, 320);
  EXPECT_EQ(bad, 0);
  // Evaluators are reused: at most one per concurrent request was ever made.
  EXPECT_LE(FakeRuleset::evaluators_made.load(), 8);
}

// Every answer must come whole from one version: its hash and its figures
// agree. Reloads (some failing) run meanwhile; no request may fail.
TEST(HttpReload, ReloadWhileRequestsAreInFlight) {
  TestServer s;
  s.fake.compile_ms = 20;
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0}, inconsistent{0};
  std::set<std::string> hashes_seen;
  std::mutex seen_mutex;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      auto c = s.client(kAliceToken);
      c.set_keep_alive(true);
      while (!stop) {
        auto r = c.Post("/v1/evaluate", envelope("H1").dump(), "application/json");
        if (!r || r->status != 200) {
          ++failed;
          continue;
        }
        auto b = json::parse(r->body);
        const std::string hash = b["ruleset"]["hash"];
        const int version = std::stoi(hash.substr(hash.rfind('v') + 1));
        if (b["premium"]["annual"] != version * 1000 + 1) ++inconsistent;
        ++ok;
        std::lock_guard lock(seen_mutex);
        hashes_seen.insert(hash);
      }
    });
  for (int v = 2; v <= 9; ++v) {
    s.fake.version = v;
    s.fake.broken = v % 3 == 0;  // versions 3, 6 and 9 fail to compile
    if (v % 2 == 0) {
      s.server().reload();
    } else {
      auto r = s.client(kAdminToken).Post("/v1/admin/reload", "", "application/json");
      ASSERT_TRUE(r);
    }
    std::this_thread::sleep_for(60ms);
  }
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(inconsistent, 0);
  EXPECT_GT(ok, 50);
  EXPECT_EQ(hashes_seen.count("sha256:fake-matsudo-v3"), 0u);
  EXPECT_GE(hashes_seen.size(), 3u);
  auto r = s.client(kAliceToken).Get("/v1/rulesets");
  EXPECT_EQ(json::parse(r->body)["rulesets"][0]["hash"], "sha256:fake-matsudo-v8");
}

TEST(HttpReload, SighupReloads) {
  TestServer s;
  SignalWatcher watcher(s.server());
  s.fake.version = 5;
  const int loads = s.fake.loads;
  ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
  for (int i = 0; i < 100 && s.fake.loads < loads + 2; ++i) std::this_thread::sleep_for(20ms);
  auto r = s.client(kAliceToken).Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["rulesets"][0]["hash"], "sha256:fake-matsudo-v5");
}

TEST(HttpReload, ReloadRereadsTokensSoARevokedTokenStopsWorking) {
  TestServer s;
  ServerConfig revoked = s.config();
  revoked.tokens.erase(revoked.tokens.begin());  // alice
  s.server().set_config_source([&] { return revoked; });
  ASSERT_TRUE(still_serving(s));
  s.server().reload();
  auto r = s.client(kAliceToken).Get("/v1/rulesets");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  s.server().set_config_source([]() -> ServerConfig { throw ConfigError("tokens[0].sha256: must be 64 lowercase hex digits"); });
  auto report = s.server().reload();
  EXPECT_EQ(report["config"], "failed");
  EXPECT_NE(s.log().find("configuration not re-read, nothing changed"), std::string::npos);
  r = s.client(kAdminToken).Get("/v1/rulesets");
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace shiki::http::testing
