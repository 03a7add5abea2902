// Per client address: how many failed authentications it may still make
// (a token bucket: a burst of N, refilled at N a minute), and a tally of the
// requests refused before a caller was known, which the audit log gets as
// one summary line per address and interval. Token guessing is thereby
// limited to N a minute per address, and a flood of refusals cannot grow the
// audit log faster than the addresses it comes from.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/http/audit.h"

namespace shiki::http {

class ClientGuard {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ClientGuard(std::size_t failures_per_minute) : per_minute_(failures_per_minute) {}

  // 0 when `remote` may present a token; otherwise the seconds until it may
  // (the Retry-After of a 429).
  int retry_after_s(const std::string& remote, Clock::time_point now);
  void auth_failed(const std::string& remote, Clock::time_point now);
  void refused(const std::string& remote, int status);
  std::vector<RefusalTally> take_tallies();

  // Addresses remembered at most; past it, buckets that have refilled are
  // forgotten, and if none has, the newcomers share one bucket.
  static constexpr std::size_t kMaxAddresses = 10'000;

 private:
  // Credit in 1/60,000ths of an attempt: a minute's refill is exactly
  // per_minute_ attempts with integer arithmetic.
  static constexpr std::int64_t kCost = 60'000;
  struct Bucket {
    std::int64_t credit;
    Clock::time_point at;
  };
  Bucket& bucket(const std::string& remote, Clock::time_point now);
  const std::int64_t per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::unordered_map<std::string, RefusalTally> tallies_;
};

}  // namespace shiki::http
