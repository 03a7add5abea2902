// A real server on 127.0.0.1 (port chosen by the kernel) over the fake
// engine, with a temporary audit log and the operational log captured.
#pragma once
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "adapters/http/server.h"
#include "adapters/http/tokens.h"
#include "tests/http/fake_engine.h"

namespace shiki::http::testing {

inline const std::string kAliceToken = "alice-0123456789abcdef";   // may use matsudo
inline const std::string kAdminToken = "admin-fedcba9876543210";   // every ruleset, admin
inline const std::string kKashiwaToken = "kashiwa-0011223344556677";  // only kashiwa

inline std::filesystem::path fresh_temp_dir() {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("shiki-http-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline ServerConfig test_config(const std::filesystem::path& dir) {
  ServerConfig c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.rulesets = {{"matsudo", dir / "matsudo"}, {"kashiwa", dir / "kashiwa"}};
  c.tokens = {{"alice", sha256_hex(kAliceToken), {"matsudo"}, false, true},
              {"ops-admin", sha256_hex(kAdminToken), {"*"}, true, true},
              {"kashiwa-clerk", sha256_hex(kKashiwaToken), {"kashiwa"}, false}};
  c.audit_log = (dir / "audit.jsonl").string();
  c.limits.max_body_bytes = 64 * 1024;
  c.limits.max_header_bytes = 4096;
  c.limits.max_batch_households = 100;
  c.limits.request_timeout_ms = 1000;
  c.limits.header_timeout_ms = 300;
  c.limits.write_timeout_ms = 1000;
  c.limits.worker_threads = 8;
  c.limits.max_connections = 32;
  c.limits.audit_summary_interval_ms = 100;
  return c;
}

class TestServer {
 public:
  explicit TestServer(const std::function<void(ServerConfig&)>& tweak = {}, std::shared_ptr<Extension> extension = nullptr)
      : dir_(fresh_temp_dir()) {
    config_ = test_config(dir_);
    if (tweak) tweak(config_);
    server_ = std::make_unique<Server>(config_, fake.loader(), [this](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      log_ += line + "\n";
    });
    if (!server_->load()) throw std::runtime_error("load failed: " + log());
    if (extension) server_->set_extension(std::move(extension));
    port_ = server_->bind();
    if (port_ <= 0) throw std::runtime_error("bind failed: " + log());
    thread_ = std::thread([this] { server_->run(); });
    wait_until_serving();
  }
  ~TestServer() {
    server_->stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }

  int port() const { return port_; }
  Server& server() { return *server_; }
  const ServerConfig& config() const { return config_; }

  httplib::Client client(const std::string& token = "") const {
    httplib::Client c(std::string(config_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_));
    c.enable_server_certificate_verification(false);  // the tests' certificate is self-signed
    c.set_read_timeout(5, 0);
    if (!token.empty()) c.set_bearer_token_auth(token.c_str());
    return c;
  }
  std::string log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }
  // The audit line is written after the response has gone out (so its
  // latency includes writing it): a client can read its answer before the
  // line is there. Wait, briefly, until `expected` lines are written.
  std::vector<nlohmann::json> audit(std::size_t expected = 0) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
      std::ifstream in(config_.audit_log);
      std::vector<nlohmann::json> lines;
      for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
      if (lines.size() >= expected || std::chrono::steady_clock::now() > deadline) return lines;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::string audit_text() const {
    std::ifstream in(config_.audit_log);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  FakeLoader fake;

 private:
  void wait_until_serving() {
    for (int i = 0; i < 200; ++i) {
      auto c = client();
      c.set_connection_timeout(0, 100'000);
      if (auto r = c.Get("/healthz"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("server did not start");
  }

  std::filesystem::path dir_;
  ServerConfig config_;
  std::mutex log_mutex_;
  std::string log_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = -1;
};

inline nlohmann::json household(const std::string& id, int fiscal_year = 2026, int members = 1) {
  nlohmann::json h = {{"household_id", id}, {"fiscal_year", fiscal_year}, {"members", nlohmann::json::array()}};
  for (int i = 0; i < members; ++i)
    h["members"].push_back({{"person_id", "P" + std::to_string(i)}, {"birth_date", "1958-07-15"}});
  return h;
}

inline nlohmann::json envelope(const std::string& id, const std::string& ruleset = "matsudo") {
  return {{"ruleset", ruleset}, {"household", household(id)}};
}

// A plain TCP connection for what httplib::Client will not do: stall
// mid-request, dribble a body, send garbage.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
  }
  ~RawConnection() { ::close(fd_); }
  bool send(const std::string& data) { return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size()); }
  // Everything until the peer closes or `timeout` passes.
  std::string read_all(std::chrono::milliseconds timeout) {
    timeval tv{static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // True when the server closed the connection (recv returns 0) in time.
  bool closed_within(std::chrono::milliseconds timeout) {
    timeval tv{static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;  // a reset is a close too
    }
  }

 private:
  int fd_;
};

}  // namespace shiki::http::testing
