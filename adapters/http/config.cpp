#include "adapters/http/config.h"

#include <fmt/format.h>

#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace shiki::http {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConfigError(fmt::format("{}: {}", where, what));
}

// Every object is checked against its known keys: a misspelt limit must not
// leave the default silently in force.
void expect_keys(const json& obj, const std::string& where, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) fail(where, "must be an object");
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (const char* k : keys) known = known || key == k;
    if (!known) fail(where.empty() ? key : where + "." + key, "unknown key");
  }
}

std::string get_string(const json& obj, const std::string& where, const char* key, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(where + key, "missing");
    return {};
  }
  if (!it->is_string() || it->get<std::string>().empty()) fail(where + key, "must be a non-empty string");
  return it->get<std::string>();
}

template <typename T>
void get_number(const json& obj, const std::string& where, const char* key, T& out, long long min) {
  auto it = obj.find(key);
  if (it == obj.end()) return;
  if (!it->is_number_integer() || it->get<long long>() < min)
    fail(where + key, fmt::format("must be an integer >= {}", min));
  out = static_cast<T>(it->get<long long>());
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::map<std::string, std::size_t> parse_array_items(const json& j) {
  if (!j.is_object()) fail("limits.max_array_items", "must be an object of array names and counts");
  std::map<std::string, std::size_t> out = {{"default", 100}};
  for (const auto& [name, n] : j.items()) {
    if (!n.is_number_unsigned() || n.get<std::uint64_t>() < 1)
      fail("limits.max_array_items." + name, "must be an integer >= 1");
    out[name] = n.get<std::size_t>();
  }
  return out;
}

Limits parse_limits(const json& j) {
  expect_keys(j, "limits",
              {"max_body_bytes", "max_header_bytes", "max_batch_households", "max_response_bytes",
               "max_array_items", "header_timeout_ms", "request_timeout_ms", "write_timeout_ms",
               "keep_alive_max_requests", "worker_threads", "max_connections", "auth_failures_per_minute",
               "audit_summary_interval_ms"});
  Limits l;
  const std::string w = "limits.";
  get_number(j, w, "max_body_bytes", l.max_body_bytes, 1);
  get_number(j, w, "max_header_bytes", l.max_header_bytes, 256);
  get_number(j, w, "max_batch_households", l.max_batch_households, 1);
  get_number(j, w, "max_response_bytes", l.max_response_bytes, 1024);
  if (j.contains("max_array_items")) l.max_array_items = parse_array_items(j["max_array_items"]);
  get_number(j, w, "header_timeout_ms", l.header_timeout_ms, 1);
  get_number(j, w, "request_timeout_ms", l.request_timeout_ms, 1);
  get_number(j, w, "write_timeout_ms", l.write_timeout_ms, 1);
  get_number(j, w, "keep_alive_max_requests", l.keep_alive_max_requests, 1);
  get_number(j, w, "worker_threads", l.worker_threads, 1);
  get_number(j, w, "max_connections", l.max_connections, 1);
  get_number(j, w, "auth_failures_per_minute", l.auth_failures_per_minute, 1);
  get_number(j, w, "audit_summary_interval_ms", l.audit_summary_interval_ms, 10);
  return l;
}

std::vector<RulesetEntry> parse_rulesets(const json& j, const std::filesystem::path& base) {
  if (!j.is_array() || j.empty()) fail("rulesets", "must be a non-empty array");
  std::vector<RulesetEntry> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string w = fmt::format("rulesets[{}].", i);
    expect_keys(j[i], w.substr(0, w.size() - 1), {"id", "dir"});
    RulesetEntry e{get_string(j[i], w, "id", true), get_string(j[i], w, "dir", true)};
    if (!seen.insert(e.id).second) fail(w + "id", fmt::format("duplicate ruleset id \"{}\"", e.id));
    if (e.dir.is_relative()) e.dir = base / e.dir;
    out.push_back(std::move(e));
  }
  return out;
}

TokenEntry parse_token(const json& j, const std::string& w) {
  expect_keys(j, w.substr(0, w.size() - 1), {"holder", "sha256", "rulesets", "admin", "batch"});
  TokenEntry t;
  t.holder = get_string(j, w, "holder", true);
  t.sha256_hex = get_string(j, w, "sha256", true);
  if (!is_hex64(t.sha256_hex)) fail(w + "sha256", "must be 64 lowercase hex digits (sha256sum of the token)");
  auto rs = j.find("rulesets");
  if (rs == j.end() || !rs->is_array()) fail(w + "rulesets", "must be an array of ruleset ids or \"*\"");
  for (const auto& r : *rs) {
    if (!r.is_string()) fail(w + "rulesets", "must be an array of strings");
    t.rulesets.push_back(r.get<std::string>());
  }
  if (auto a = j.find("admin"); a != j.end()) {
    if (!a->is_boolean()) fail(w + "admin", "must be true or false");
    t.admin = a->get<bool>();
  }
  if (auto b = j.find("batch"); b != j.end()) {
    if (!b->is_boolean()) fail(w + "batch", "must be true or false");
    t.batch = b->get<bool>();
  }
  return t;
}

// One id per person: a holder name or a token used twice would make two
// people indistinguishable in the audit log, which the privacy assessment forbids.
std::vector<TokenEntry> parse_tokens(const json& j) {
  if (!j.is_array()) fail("tokens", "must be an array");
  std::vector<TokenEntry> out;
  std::set<std::string> holders, hashes;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto t = parse_token(j[i], fmt::format("tokens[{}].", i));
    if (!holders.insert(t.holder).second)
      fail(fmt::format("tokens[{}].holder", i), fmt::format("holder \"{}\" appears twice", t.holder));
    if (!hashes.insert(t.sha256_hex).second)
      fail(fmt::format("tokens[{}].sha256", i), "the same token is given to two holders");
    out.push_back(std::move(t));
  }
  return out;
}

void parse_listen(const json& j, ServerConfig& c) {
  expect_keys(j, "listen", {"host", "port"});
  if (j.contains("host")) c.host = get_string(j, "listen.", "host", true);
  get_number(j, "listen.", "port", c.port, 0);
  if (c.port > 65535) fail("listen.port", "must be at most 65535");
}

}  // namespace

ServerConfig parse_config(const std::string& json_text, const std::filesystem::path& base_dir) {
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded()) throw ConfigError("not valid JSON");
  expect_keys(j, "", {"listen", "tls", "rulesets", "tokens", "audit_log", "limits"});
  ServerConfig c;
  if (j.contains("listen")) parse_listen(j["listen"], c);
  if (j.contains("tls")) {
    expect_keys(j["tls"], "tls", {"cert", "key"});
    TlsConfig t{get_string(j["tls"], "tls.", "cert", true), get_string(j["tls"], "tls.", "key", true)};
    if (t.cert.is_relative()) t.cert = base_dir / t.cert;
    if (t.key.is_relative()) t.key = base_dir / t.key;
    c.tls = t;
  }
  if (!j.contains("rulesets")) fail("rulesets", "missing");
  c.rulesets = parse_rulesets(j["rulesets"], base_dir);
  if (!j.contains("tokens")) fail("tokens", "missing");
  c.tokens = parse_tokens(j["tokens"]);
  c.audit_log = get_string(j, "", "audit_log", true);
  if (c.audit_log != "-" && std::filesystem::path(c.audit_log).is_relative())
    c.audit_log = (base_dir / c.audit_log).string();
  if (j.contains("limits")) c.limits = parse_limits(j["limits"]);
  return c;
}

ServerConfig load_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(fmt::format("{}: cannot be read", file.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return parse_config(ss.str(), file.parent_path());
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", file.string(), e.what()));
  }
}

}  // namespace shiki::http
