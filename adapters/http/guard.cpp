#include "adapters/http/guard.h"

#include <algorithm>

namespace shiki::http {

ClientGuard::Bucket& ClientGuard::bucket(const std::string& remote, Clock::time_point now) {
  const std::int64_t full = per_minute_ * kCost;
  auto refill = [&](Bucket& b) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - b.at).count();
    b.credit = std::min(full, b.credit + std::max<std::int64_t>(ms, 0) * per_minute_);
    b.at = now;
  };
  if (auto it = buckets_.find(remote); it != buckets_.end()) {
    refill(it->second);
    return it->second;
  }
  if (buckets_.size() >= kMaxAddresses) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second);
      it = it->second.credit >= full ? buckets_.erase(it) : std::next(it);
    }
    if (buckets_.size() >= kMaxAddresses && remote != "*") return bucket("*", now);
  }
  return buckets_.emplace(remote, Bucket{full, now}).first->second;
}

int ClientGuard::retry_after_s(const std::string& remote, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const Bucket& b = bucket(remote, now);
  if (b.credit >= kCost) return 0;
  const std::int64_t ms = (kCost - b.credit + per_minute_ - 1) / per_minute_;
  return static_cast<int>((ms + 999) / 1000);
}

void ClientGuard::auth_failed(const std::string& remote, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Bucket& b = bucket(remote, now);
  b.credit = std::max<std::int64_t>(0, b.credit - kCost);
}

void ClientGuard::refused(const std::string& remote, int status) {
  std::lock_guard lock(mutex_);
  auto it = tallies_.find(remote);
  if (it == tallies_.end()) {
    const std::string key = tallies_.size() >= kMaxAddresses ? "*" : remote;
    it = tallies_.try_emplace(key, RefusalTally{key, {}}).first;
  }
  ++it->second.by_status[status];
}

std::vector<RefusalTally> ClientGuard::take_tallies() {
  std::lock_guard lock(mutex_);
  std::vector<RefusalTally> out;
  out.reserve(tallies_.size());
  for (auto& [remote, t] : tallies_) out.push_back(std::move(t));
  tallies_.clear();
  return out;
}

}  // namespace shiki::http
