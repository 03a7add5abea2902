// Prometheus text exposition of what the server did: requests by endpoint
// and status, a latency histogram per endpoint, households evaluated, ruleset
// reloads. Hot-path updates are lock-free atomics; only the (endpoint,
// status) table, whose keys are not known in advance, takes a short lock.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace shiki::http {

// kExtension: the routes an extension adds (extension.h), counted together.
enum class Endpoint { kEvaluate, kBatch, kRulesets, kReload, kHealth, kMetrics, kExtension, kOther, kCount };
const char* endpoint_label(Endpoint e);

class Metrics {
 public:
  // Upper bounds in microseconds; chosen around the 1 ms goal for a single
  // evaluation, with a tail for batches.
  static constexpr std::array<std::int64_t, 12> kBucketsUs{100,    250,    500,     1'000,   2'000,   5'000,
                                                           10'000, 25'000, 100'000, 250'000, 1'000'000, 5'000'000};

  void observe(Endpoint e, int status, std::int64_t latency_us);
  void add_households(std::uint64_t ok, std::uint64_t failed);
  void add_reload(bool ok);
  void set_connections(std::int64_t open) { connections_.store(open, std::memory_order_relaxed); }
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBucketsUs.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_us{0};
  };
  std::array<Histogram, static_cast<std::size_t>(Endpoint::kCount)> latency_;
  mutable std::mutex status_mutex_;
  std::map<std::pair<Endpoint, int>, std::uint64_t> by_status_;
  std::atomic<std::uint64_t> households_ok_{0}, households_failed_{0};
  std::atomic<std::uint64_t> reloads_ok_{0}, reloads_failed_{0};
  std::atomic<std::int64_t> connections_{0};
};

}  // namespace shiki::http
