// Bearer tokens: the configuration keeps only their SHA-256, so a leaked
// config file does not leak a credential; each token names one holder and the
// rulesets that holder may evaluate.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/http/config.h"

namespace shiki::http {

// Lowercase hex SHA-256 of `data` (OpenSSL EVP).
std::string sha256_hex(std::string_view data);

struct Caller {
  std::string holder;
  std::string digest;  // the token's SHA-256: what a browser session remembers (web_sessions.h)
  std::vector<std::string> rulesets;
  bool admin = false;
  bool batch = false;  // may call POST /v1/evaluate/batch
  bool may_use(std::string_view ruleset_id) const;
};

class TokenTable {
 public:
  explicit TokenTable(const std::vector<TokenEntry>& entries);
  // The caller behind an "Authorization: Bearer <token>" header value, or
  // nullptr when the header is missing, malformed or names no known token.
  const Caller* authenticate(std::string_view authorization_header) const;
  // The caller whose token has this SHA-256 (a browser session's), or nullptr
  // once the token is no longer configured.
  const Caller* by_digest(const std::string& sha256_hex) const;

 private:
  std::unordered_map<std::string, Caller> by_hash_;
};

}  // namespace shiki::http
