#include "adapters/http/connection_queue.h"

namespace shiki::http {
namespace {
thread_local bool t_overflow = false;
}

bool ConnectionQueue::is_overflow_thread() { return t_overflow; }

ConnectionQueue::ConnectionQueue(std::size_t workers, std::size_t max_connections, Metrics& metrics)
    : max_connections_(max_connections), metrics_(metrics) {
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(false); });
  threads_.emplace_back([this] { work(true); });
}

ConnectionQueue::~ConnectionQueue() {
  if (!threads_.empty()) shutdown();
}

void ConnectionQueue::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mutex_);
  space_free_.wait(lock, [&] {
    return shutdown_ || open_ < max_connections_ || overflow_jobs_.size() < kOverflowBacklog;
  });
  if (open_ < max_connections_ || shutdown_) {
    jobs_.push_back(std::move(fn));
    ++open_;
    metrics_.set_connections(static_cast<std::int64_t>(open_));
  } else {
    overflow_jobs_.push_back(std::move(fn));
  }
  work_ready_.notify_all();
}

void ConnectionQueue::work(bool overflow) {
  t_overflow = overflow;
  auto& queue = overflow ? overflow_jobs_ : jobs_;
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return shutdown_ || !queue.empty(); });
      if (queue.empty()) return;  // shut down and drained
      fn = std::move(queue.front());
      queue.pop_front();
    }
    fn();
    std::lock_guard lock(mutex_);
    if (!overflow) {
      --open_;
      metrics_.set_connections(static_cast<std::int64_t>(open_));
    }
    space_free_.notify_all();
  }
}

// Drains what is queued (each job closes its socket), then joins.
void ConnectionQueue::shutdown() {
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
  }
  work_ready_.notify_all();
  space_free_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace shiki::http
