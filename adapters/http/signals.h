// SIGHUP reloads the rulesets; SIGINT and SIGTERM stop the server. Signals
// are taken synchronously by one watcher thread (sigtimedwait), so reloading
// runs as ordinary code, not inside an async-signal handler where almost
// nothing (allocation, locks, logging) is allowed.
#pragma once
#include <atomic>
#include <thread>

#include "adapters/http/server.h"

namespace shiki::http {

// Blocks SIGHUP, SIGINT and SIGTERM in the calling thread. Call it before any
// other thread starts: threads inherit the mask, so only the watcher ever
// receives these signals.
void block_server_signals();

class SignalWatcher {
 public:
  explicit SignalWatcher(Server& server);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  Server& server_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace shiki::http
