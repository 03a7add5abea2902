// Browser sessions for pages served by the server (the studio). A page
// cannot keep a bearer token safely (script can read what it stores), so the
// token is presented once, with the Authorization header of a login request,
// and the answer sets an HttpOnly cookie naming a random session. The
// session remembers only the token's SHA-256, so revoking the token (edit the
// config, SIGHUP) ends its sessions at their next request, and nothing in
// memory is a credential for the API.
#pragma once
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace shiki::http {

class WebSessions {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr const char* kCookie = "shiki_session";
  static constexpr std::chrono::minutes kIdle{120};  // a session unused this long ends
  static constexpr std::chrono::hours kMaxAge{12};   // and any session after a working day
  static constexpr std::size_t kMaxSessions = 1'000;

  // A new session for the holder of the token with this digest; its id (64
  // hex digits from the system's random source).
  std::string open(const std::string& token_digest, Clock::time_point now = Clock::now());
  // The token digest behind the session named in a Cookie header, or
  // nullopt when there is none or it has ended. Refreshes the idle clock.
  std::optional<std::string> digest_of(std::string_view cookie_header, Clock::time_point now = Clock::now());
  void close(std::string_view cookie_header);

  // Set-Cookie values: the session for `path`, and its removal.
  static std::string set_cookie(const std::string& id, const std::string& path, bool secure);
  static std::string clear_cookie(const std::string& path, bool secure);
  // The value of cookie `name` in a Cookie header, or "".
  static std::string cookie_value(std::string_view header, std::string_view name);

 private:
  struct Entry {
    std::string digest;
    Clock::time_point opened, used;
  };
  void evict(Clock::time_point now);
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_id_;
};

}  // namespace shiki::http
