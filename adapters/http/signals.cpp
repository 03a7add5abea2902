#include "adapters/http/signals.h"

#include <signal.h>

#include <ctime>

namespace shiki::http {
namespace {
sigset_t server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void block_server_signals() {
  sigset_t set = server_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(Server& server) : server_(server) {
  thread_ = std::thread([this] {
    const sigset_t set = server_signals();
    // A short timeout so that the destructor can end the thread without
    // sending it a signal of its own.
    const timespec tick{0, 200'000'000};
    while (!done_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig == SIGHUP) server_.reload();
      else if (sig == SIGINT || sig == SIGTERM) server_.stop();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  done_.store(true);
  thread_.join();
}

}  // namespace shiki::http
