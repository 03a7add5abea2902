#include "adapters/http/web_sessions.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "adapters/http/tokens.h"

namespace shiki::http {
namespace {

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 64> buf{};
  if (bytes > buf.size() || RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("no random bytes for a session id");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) out += kHex[buf[i] >> 4], out += kHex[buf[i] & 0xF];
  return out;
}

}  // namespace

std::string WebSessions::open(const std::string& token_digest, Clock::time_point now) {
  std::string id = random_hex(32);
  std::lock_guard lock(mutex_);
  evict(now);
  // Keyed by the id's own digest: the table holds nothing a cookie could be
  // rebuilt from, should memory ever be read.
  by_id_[sha256_hex(id)] = Entry{token_digest, now, now};
  return id;
}

std::optional<std::string> WebSessions::digest_of(std::string_view header, Clock::time_point now) {
  const std::string id = cookie_value(header, kCookie);
  if (id.size() != 64) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(sha256_hex(id));
  if (it == by_id_.end()) return std::nullopt;
  if (now - it->second.used > kIdle || now - it->second.opened > kMaxAge) {
    by_id_.erase(it);
    return std::nullopt;
  }
  it->second.used = now;
  return it->second.digest;
}

void WebSessions::close(std::string_view header) {
  const std::string id = cookie_value(header, kCookie);
  if (id.empty()) return;
  std::lock_guard lock(mutex_);
  by_id_.erase(sha256_hex(id));
}

void WebSessions::evict(Clock::time_point now) {
  for (auto it = by_id_.begin(); it != by_id_.end();)
    it = (now - it->second.used > kIdle || now - it->second.opened > kMaxAge) ? by_id_.erase(it) : std::next(it);
  // Still full: the session unused longest goes first.
  while (by_id_.size() >= kMaxSessions) {
    auto oldest = by_id_.begin();
    for (auto it = by_id_.begin(); it != by_id_.end(); ++it)
      if (it->second.used < oldest->second.used) oldest = it;
    by_id_.erase(oldest);
  }
}

std::string WebSessions::set_cookie(const std::string& id, const std::string& path, bool secure) {
  // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it.
  return std::string(kCookie) + "=" + id + "; Path=" + path + "; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kMaxAge).count()) +
         (secure ? "; Secure" : "");
}

std::string WebSessions::clear_cookie(const std::string& path, bool secure) {
  return std::string(kCookie) + "=; Path=" + path + "; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
}

std::string WebSessions::cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return {};
}

}  // namespace shiki::http
