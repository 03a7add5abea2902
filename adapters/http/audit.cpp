#include "adapters/http/audit.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shiki::http {

std::string utc_now_iso8601() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

AuditLog::AuditLog(const std::string& path) {
  if (path == "-") {
    file_ = stdout;
    return;
  }
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw std::runtime_error(fmt::format("audit log {} cannot be opened for appending", path));
  owned_ = true;
}

AuditLog::~AuditLog() {
  if (owned_) std::fclose(file_);
}

void AuditLog::write(const AuditRecord& r) {
  nlohmann::json j = {
      {"time", utc_now_iso8601()},
      {"holder", r.holder.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.holder)},
      {"method", r.method},
      {"endpoint", r.endpoint},
      {"remote", r.remote},
      {"ruleset", r.ruleset_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.ruleset_id)},
      {"ruleset_hash", r.ruleset_hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.ruleset_hash)},
      {"household_ids", r.household_ids},
      {"status", r.status},
      {"latency_us", r.latency_us},
  };
  // Invalid UTF-8 in an id a client sent is replaced, not allowed to throw
  // and lose the audit line.
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  // Flushed per line: an audit record must survive a crash of the server.
  std::fflush(file_);
}

}  // namespace shiki::http
