#include "adapters/http/tokens.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace shiki::http {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

bool Caller::may_use(std::string_view ruleset_id) const {
  return std::any_of(rulesets.begin(), rulesets.end(),
                     [&](const std::string& r) { return r == "*" || r == ruleset_id; });
}

TokenTable::TokenTable(const std::vector<TokenEntry>& entries) {
  for (const auto& e : entries) by_hash_[e.sha256_hex] = Caller{e.holder, e.sha256_hex, e.rulesets, e.admin, e.batch};
}

// The presented token is hashed before the lookup, so the table is probed
// with a digest an attacker cannot steer byte by byte; comparing digests
// leaks nothing useful about the token itself.
const Caller* TokenTable::authenticate(std::string_view header) const {
  // RFC 9110 §11.1: the scheme name is case-insensitive ("bearer" is Bearer).
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return nullptr;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return nullptr;
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return nullptr;
  auto it = by_hash_.find(sha256_hex(token));
  return it == by_hash_.end() ? nullptr : &it->second;
}

const Caller* TokenTable::by_digest(const std::string& digest) const {
  auto it = by_hash_.find(digest);
  return it == by_hash_.end() ? nullptr : &it->second;
}

}  // namespace shiki::http
