// The server's configuration file (JSON): where to listen, which rulesets to
// serve from which folders, who may call (token hashes), where the audit log
// goes, and the limits that keep a misbehaving client from hurting others.
// Unknown keys are an error, as in the household contract, so that a typo in
// a limit does not silently leave the default in force.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shiki::http {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RulesetEntry {
  std::string id;
  std::filesystem::path dir;  // resolved against the config file's folder
};

struct TokenEntry {
  std::string holder;                 // one person or system, never shared
  std::string sha256_hex;             // 64 lowercase hex digits
  std::vector<std::string> rulesets;  // ids, or "*" for every ruleset
  bool admin = false;                 // may call POST /v1/admin/reload
};

struct TlsConfig {
  std::filesystem::path cert;
  std::filesystem::path key;
};

struct Limits {
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_batch_households = 10'000;
  int request_timeout_ms = 10'000;  // whole request: body read + evaluation
  int read_timeout_ms = 5'000;      // each read from the socket
  int write_timeout_ms = 5'000;
  int keep_alive_timeout_s = 5;
  // cpp-httplib serves a connection on one worker for its whole keep-alive
  // life, so workers should cover the callers' connections; a connection
  // past them waits until one closes (idle timeout or max requests).
  std::size_t keep_alive_max_requests = 100;
  std::size_t worker_threads = 32;
  std::size_t max_connections = 64;  // served + waiting for a worker; beyond: 503
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::optional<TlsConfig> tls;
  std::vector<RulesetEntry> rulesets;
  std::vector<TokenEntry> tokens;
  std::string audit_log = "-";  // a file path, or "-" for standard output
  Limits limits;
};

// Throws ConfigError naming the offending key ("limits.max_body_bytes").
ServerConfig parse_config(const std::string& json_text, const std::filesystem::path& base_dir);
ServerConfig load_config(const std::filesystem::path& file);

}  // namespace shiki::http
