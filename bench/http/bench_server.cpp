// `shiki_http_bench_server PORT AUDIT_LOG`: the API over the fake engine, one
// ruleset "matsudo" and one token ("bench-token"), until SIGINT or SIGTERM.
#include <cstdio>
#include <string>

#include "adapters/http/server.h"
#include "adapters/http/signals.h"
#include "adapters/http/tokens.h"
#include "tests/http/fake_engine.h"

int main(int argc, char** argv) {
  using namespace shiki::http;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT AUDIT_LOG\n", argv[0]);
    return 2;
  }
  block_server_signals();
  ServerConfig c;
  c.port = std::stoi(argv[1]);
  c.audit_log = argv[2];
  c.rulesets = {{"matsudo", "unused"}};
  c.tokens = {{"bench", sha256_hex("bench-token"), {"matsudo"}, false}};
  c.limits.worker_threads = 4;  // the defaults of config.h
  c.limits.max_connections = 256;
  testing::FakeLoader fake;
  Server server(c, fake.loader(), [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  if (!server.load() || server.bind() < 0) return 1;
  SignalWatcher watcher(server);
  return server.run() ? 0 : 1;
}
