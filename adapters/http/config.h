// The server's configuration file (JSON): where to listen, which rulesets to
// serve from which folders, who may call (token hashes), where the audit log
// goes, and the limits that keep a misbehaving client from hurting others.
// Unknown keys are an error, as in the household contract, so that a typo in
// a limit does not silently leave the default in force.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
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
  // A counter clerk asks about one household at a time; only a system such
  // as the ledger needs a whole batch, so batches are a right of their own.
  bool batch = false;                 // may call POST /v1/evaluate/batch
};

struct TlsConfig {
  std::filesystem::path cert;
  std::filesystem::path key;
};

struct Limits {
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;   // the whole head: request line and headers
  std::size_t max_batch_households = 10'000;
  // An explanation grows with the household; refused past this rather than
  // built without bound (a batch's whole answer counts).
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  // Entries of any array of a household record (members, nhi_periods,
  // claims, …), by the array's name; "default" for names not listed.
  std::map<std::string, std::size_t> max_array_items = {{"default", 100}};
  int header_timeout_ms = 5'000;    // waiting for a whole request head, idle keep-alive included
  int request_timeout_ms = 10'000;  // from the head read: body read + evaluation
  int write_timeout_ms = 5'000;     // writing one response
  std::size_t keep_alive_max_requests = 100;
  // Evaluation threads. Connections do not hold them (the I/O thread reads
  // and writes), so they match the cores, not the callers.
  std::size_t worker_threads = 4;
  std::size_t max_connections = 256;  // open at once; beyond: 503 with Retry-After
  // Failed authentications allowed per client address and minute (a burst of
  // this many, refilled evenly); beyond: 429 without looking at the token.
  std::size_t auth_failures_per_minute = 30;
  // Refused and unauthenticated requests go to the audit log as one summary
  // line per client address and interval, not one line each.
  int audit_summary_interval_ms = 60'000;
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
