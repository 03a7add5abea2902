// The network side of the server (Boost.Beast in session.cpp), behind an
// interface so that only one translation unit pays for Beast's headers.
#pragma once
#include <memory>

#include "adapters/http/server_impl.h"

namespace shiki::http {

class Transport {
 public:
  // nullptr (with the reason logged) when the TLS files cannot be loaded.
  static std::unique_ptr<Transport> create(Server::Impl& s);
  virtual ~Transport() = default;
  // Binds the configured address; the port (the chosen one for port 0), or -1.
  virtual int bind() = 0;
  // Serves on the calling thread until stop(); false if never bound.
  virtual bool run() = 0;
  // From any thread: stops accepting, lets requests in flight finish (for at
  // most a few seconds), then closes every connection and returns from run().
  virtual void stop() = 0;
};

}  // namespace shiki::http
