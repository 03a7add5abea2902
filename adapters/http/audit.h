// The audit trail the privacy assessment asks for: who asked about which
// household, when, under which ruleset, and what they got. One JSON line per
// authenticated request, and one summary line per client address and
// interval for requests refused before a caller was known (so a flood of bad
// tokens adds a line a minute, not a line a request).
//
// No personal data by construction: nothing of a request body reaches this
// file but household ids, and every field is either taken from the server's
// own configuration and route table, or a number, or a client-sent string
// that passes a short whitelist of characters and a length cap (an id that
// does not look like one is written as null, never copied).
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace shiki::http {

struct AuditRecord {
  std::string holder;  // from the configuration; "" when unauthenticated
  std::string method;
  std::string endpoint;  // a route of the server's table, never the raw path
  std::string remote;    // peer address
  std::string ruleset_id;  // only an id the server serves; "" otherwise
  std::string ruleset_hash;
  std::vector<std::string> household_ids;  // as sent; filtered when written
  int status = 0;
  std::int64_t latency_us = 0;
};

// Requests refused before a caller was known, from one address, by status.
struct RefusalTally {
  std::string remote;
  std::map<int, std::uint64_t> by_status;
};

class AuditLog {
 public:
  // "-" writes to standard output. A file is created with mode 0600 (and an
  // existing one narrowed to it): the log names who asked about whom.
  // Throws std::runtime_error when the file cannot be opened: the server
  // must not run without its audit trail.
  explicit AuditLog(std::string path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;
  void write(const AuditRecord& r);
  void write_refusals(const std::vector<RefusalTally>& tallies, std::int64_t interval_ms);
  // Opens the path again (after logrotate moved the file away); on failure
  // keeps writing to the old file and throws, so the caller can log why.
  void reopen();

  static constexpr std::size_t kMaxIdChars = 64;

 private:
  void append(std::string line);
  int open_file() const;
  std::string path_;
  std::mutex mutex_;
  int fd_ = -1;
};

// An id a client sent, as the log may hold it: at most kMaxIdChars of
// [A-Za-z0-9._:-], or "" (written as null) for anything else.
std::string audit_safe_id(const std::string& id);

// ISO 8601 UTC with milliseconds: "2026-04-01T09:30:00.123Z".
std::string utc_now_iso8601();

}  // namespace shiki::http
