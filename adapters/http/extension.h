// Routes a program adds to the evaluation server (the studio, `shiki
// studio`): they go through the same routing, failed-authentication limit,
// token table and audit log as the API's own, and add one more way to
// present a token: a browser session (web_sessions.h) that a page got by
// presenting its bearer token once.
#pragma once
#include <vector>

#include "adapters/http/audit.h"
#include "adapters/http/exchange.h"
#include "adapters/http/tokens.h"
#include "adapters/http/web_sessions.h"

namespace shiki::http {

enum class Access {
  kPublic,   // no caller (the page and its script): nothing of a household in it, not audited
  kBearer,   // "Authorization: Bearer …" only (the login that opens a session)
  kSession,  // a session cookie with an X-Requested-With header, or a bearer token
};

struct ExtensionRoute {
  const char* method;
  const char* path;
  Access access;
  bool on_worker;  // compiles or evaluates: runs on the worker pool, not the I/O thread
};

// What a handler may use of the request's surroundings.
struct ExtensionCall {
  const Caller* caller;  // nullptr on kPublic routes
  AuditRecord& audit;    // add household ids, the ruleset id and hash
  WebSessions& sessions;
  bool tls;              // the server speaks HTTPS: cookies get Secure
};

class Extension {
 public:
  virtual ~Extension() = default;
  virtual const std::vector<ExtensionRoute>& routes() const = 0;
  // Called on a worker for on_worker routes, on the I/O thread otherwise.
  virtual Response handle(const ExtensionRoute& route, Request& req, ExtensionCall& call) = 0;
};

}  // namespace shiki::http
