// The audit trail the privacy assessment asks for: who asked about which
// household, when, under which ruleset, and what they got. One JSON line per
// request. It carries internal ids only (holder, household_id), never a name,
// birth date, income or My Number: those fields are not copied from the
// request at all, so no later change to the request shape can leak them here.
#pragma once
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace shiki::http {

struct AuditRecord {
  std::string holder;  // "" when the caller was not authenticated
  std::string method;
  std::string endpoint;
  std::string remote;  // peer address
  std::string ruleset_id;
  std::string ruleset_hash;
  std::vector<std::string> household_ids;
  int status = 0;
  std::int64_t latency_us = 0;
};

class AuditLog {
 public:
  // "-" writes to standard output. Throws std::runtime_error when the file
  // cannot be opened: the server must not run without its audit trail.
  explicit AuditLog(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;
  void write(const AuditRecord& r);

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

// ISO 8601 UTC with milliseconds: "2026-04-01T09:30:00.123Z".
std::string utc_now_iso8601();

}  // namespace shiki::http
