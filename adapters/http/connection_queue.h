// cpp-httplib hands every accepted connection to a TaskQueue; its own
// ThreadPool queues without bound, so a flood of connections (or a few slow
// clients holding every worker) would pile up unanswered. This queue bounds
// the connections held: up to `workers` are served and up to
// `max_connections` in all wait for a worker. Beyond that a connection goes
// to one overflow thread that answers 503 at once (see is_overflow_thread()),
// and when even that is full the accept loop waits, leaving new connections
// in the kernel's listen backlog.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <httplib.h>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/http/metrics.h"

namespace shiki::http {

class ConnectionQueue : public httplib::TaskQueue {
 public:
  ConnectionQueue(std::size_t workers, std::size_t max_connections, Metrics& metrics);
  ~ConnectionQueue() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // True on the thread that turns away connections over the limit.
  static bool is_overflow_thread();

 private:
  void work(bool overflow);
  static constexpr std::size_t kOverflowBacklog = 16;
  const std::size_t max_connections_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable work_ready_, space_free_;
  std::deque<std::function<void()>> jobs_, overflow_jobs_;
  std::size_t open_ = 0;  // queued + being served by the workers
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace shiki::http
