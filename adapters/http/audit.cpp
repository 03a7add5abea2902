#include "adapters/http/audit.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shiki::http {

using nlohmann::json;

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

std::string audit_safe_id(const std::string& id) {
  if (id.empty() || id.size() > AuditLog::kMaxIdChars) return {};
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-') return {};
  return id;
}

namespace {

json id_or_null(const std::string& s) {
  std::string safe = audit_safe_id(s);
  return safe.empty() ? json(nullptr) : json(safe);
}

// The HTTP methods a route can have; anything else is "other", so bytes a
// client sends as a method never reach the file.
std::string known_method(const std::string& m) {
  for (const char* k : {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"})
    if (m == k) return m;
  return "other";
}

}  // namespace

int AuditLog::open_file() const {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(fmt::format("audit log {} cannot be opened for appending: {}", path_, std::strerror(errno)));
  // An existing file keeps its mode on open; narrow it, since a file made by
  // hand or by an older version may be world-readable.
  if (::fchmod(fd, 0600) != 0) {
    ::close(fd);
    throw std::runtime_error(fmt::format("audit log {}: cannot set mode 0600: {}", path_, std::strerror(errno)));
  }
  return fd;
}

AuditLog::AuditLog(std::string path) : path_(std::move(path)) {
  fd_ = path_ == "-" ? STDOUT_FILENO : open_file();
}

AuditLog::~AuditLog() {
  if (path_ != "-" && fd_ >= 0) ::close(fd_);
}

void AuditLog::reopen() {
  if (path_ == "-") return;
  const int fresh = open_file();
  std::lock_guard lock(mutex_);
  ::close(fd_);
  fd_ = fresh;
}

void AuditLog::append(std::string line) {
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  // One write per line on an O_APPEND descriptor: lines never interleave,
  // and each is in the kernel (surviving a crash of the server) at once.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void AuditLog::write(const AuditRecord& r) {
  json ids = json::array();
  for (const auto& id : r.household_ids) ids.push_back(id_or_null(id));
  json j = {
      {"time", utc_now_iso8601()},
      {"holder", r.holder.empty() ? json(nullptr) : json(r.holder.substr(0, kMaxIdChars))},
      {"method", known_method(r.method)},
      {"endpoint", r.endpoint},
      {"remote", id_or_null(r.remote)},
      {"ruleset", id_or_null(r.ruleset_id)},
      {"ruleset_hash", r.ruleset_hash.empty() ? json(nullptr) : json(r.ruleset_hash.substr(0, 80))},
      {"household_ids", std::move(ids)},
      {"status", r.status},
      {"latency_us", r.latency_us},
  };
  append(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void AuditLog::write_refusals(const std::vector<RefusalTally>& tallies, std::int64_t interval_ms) {
  const std::string now = utc_now_iso8601();
  for (const auto& t : tallies) {
    json statuses = json::object();
    for (const auto& [status, n] : t.by_status) statuses[std::to_string(status)] = n;
    append(json{{"time", now},
                {"event", "refused"},
                {"remote", id_or_null(t.remote)},
                {"interval_ms", interval_ms},
                {"statuses", std::move(statuses)}}
               .dump());
  }
}

}  // namespace shiki::http
