// A blocking queue with a fixed capacity: the batch's back-pressure. The
// reader stops fetching when the workers fall behind, and the workers stop
// when the writer does, so memory stays bounded whatever the city's size.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace shiki::ledger {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  // False when the queue was closed or aborted: the consumer is gone.
  bool push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // nullopt once the queue is closed and drained (or aborted).
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || done_ || aborted_; });
    if (aborted_ || items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // The producer is finished: consumers drain what is left, then stop.
  void finish() {
    std::lock_guard lock(mutex_);
    done_ = true;
    not_empty_.notify_all();
  }

  // Something failed: wake everyone, drop what is queued.
  void abort() {
    std::lock_guard lock(mutex_);
    closed_ = done_ = aborted_ = true;
    items_.clear();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  bool closed_ = false, done_ = false, aborted_ = false;
};

}  // namespace shiki::ledger
