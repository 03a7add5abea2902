#include "adapters/http/metrics.h"

#include <fmt/format.h>

namespace shiki::http {

const char* endpoint_label(Endpoint e) {
  switch (e) {
    case Endpoint::kEvaluate: return "/v1/evaluate";
    case Endpoint::kBatch: return "/v1/evaluate/batch";
    case Endpoint::kRulesets: return "/v1/rulesets";
    case Endpoint::kReload: return "/v1/admin/reload";
    case Endpoint::kHealth: return "/healthz";
    case Endpoint::kMetrics: return "/metrics";
    case Endpoint::kExtension: return "extension";
    default: return "other";
  }
}

void Metrics::observe(Endpoint e, int status, std::int64_t latency_us) {
  auto& h = latency_[static_cast<std::size_t>(e)];
  for (std::size_t i = 0; i < kBucketsUs.size(); ++i)
    if (latency_us <= kBucketsUs[i]) {
      h.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_us.fetch_add(static_cast<std::uint64_t>(latency_us), std::memory_order_relaxed);
  std::lock_guard lock(status_mutex_);
  ++by_status_[{e, status}];
}

void Metrics::add_households(std::uint64_t ok, std::uint64_t failed) {
  households_ok_.fetch_add(ok, std::memory_order_relaxed);
  households_failed_.fetch_add(failed, std::memory_order_relaxed);
}

void Metrics::add_reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed); }

namespace {
// Seconds with six decimals, printed from integer microseconds: no binary
// floating point anywhere in the server.
std::string seconds(std::uint64_t us) { return fmt::format("{}.{:06}", us / 1'000'000, us % 1'000'000); }
}  // namespace

std::string Metrics::render() const {
  std::string out;
  out += "# HELP shiki_http_requests_total HTTP requests answered, by endpoint and status.\n";
  out += "# TYPE shiki_http_requests_total counter\n";
  {
    std::lock_guard lock(status_mutex_);
    for (const auto& [key, n] : by_status_)
      out += fmt::format("shiki_http_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n",
                         endpoint_label(key.first), key.second, n);
  }
  out += "# HELP shiki_http_request_duration_seconds Time from request headers read to response written.\n";
  out += "# TYPE shiki_http_request_duration_seconds histogram\n";
  for (std::size_t e = 0; e < latency_.size(); ++e) {
    const auto& h = latency_[e];
    const std::uint64_t count = h.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const char* label = endpoint_label(static_cast<Endpoint>(e));
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketsUs.size(); ++i) {
      cumulative += h.buckets[i].load(std::memory_order_relaxed);
      out += fmt::format("shiki_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n", label,
                         seconds(static_cast<std::uint64_t>(kBucketsUs[i])), cumulative);
    }
    out += fmt::format("shiki_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n", label, count);
    out += fmt::format("shiki_http_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n", label,
                       seconds(h.sum_us.load(std::memory_order_relaxed)));
    out += fmt::format("shiki_http_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", label, count);
  }
  out += "# HELP shiki_households_evaluated_total Households evaluated, by outcome.\n";
  out += "# TYPE shiki_households_evaluated_total counter\n";
  out += fmt::format("shiki_households_evaluated_total{{outcome=\"ok\"}} {}\n", households_ok_.load());
  out += fmt::format("shiki_households_evaluated_total{{outcome=\"error\"}} {}\n", households_failed_.load());
  out += "# HELP shiki_ruleset_reloads_total Ruleset compilations on reload, by outcome.\n";
  out += "# TYPE shiki_ruleset_reloads_total counter\n";
  out += fmt::format("shiki_ruleset_reloads_total{{outcome=\"ok\"}} {}\n", reloads_ok_.load());
  out += fmt::format("shiki_ruleset_reloads_total{{outcome=\"failed\"}} {}\n", reloads_failed_.load());
  out += "# HELP shiki_http_connections Connections being served or waiting for a worker.\n";
  out += "# TYPE shiki_http_connections gauge\n";
  out += fmt::format("shiki_http_connections {}\n", connections_.load());
  return out;
}

}  // namespace shiki::http
