// docs/openapi.yaml must describe the server that runs: every operation it
// lists is answered, every route the server has is listed, and what the
// server answers (with and without a token) is among the documented
// responses. The spec is read by a small purpose-built reader that knows the
// layout docs/openapi.yaml keeps (two-space indentation, `paths:` at the top
// level), so the test needs no YAML library.
#include <fstream>
#include <map>
#include <set>

#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

struct Operation {
  std::set<int> statuses;
  bool secured = true;  // false when the operation says `security: []`
};
using Spec = std::map<std::pair<std::string, std::string>, Operation>;  // (METHOD, path)

std::size_t indent(const std::string& line) { return line.find_first_not_of(' '); }

std::string key_of(const std::string& line) {
  std::string k = line.substr(indent(line));
  k = k.substr(0, k.find(':'));
  if (!k.empty() && (k.front() == '\'' || k.front() == '"')) k = k.substr(1, k.size() - 2);
  return k;
}

Spec read_spec(const std::filesystem::path& file) {
  std::ifstream in(file);
  Spec spec;
  bool in_paths = false, in_responses = false;
  std::string path, method;
  static const std::set<std::string> kMethods = {"get", "post", "put", "patch", "delete", "head", "options"};
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.find_first_not_of(' ') == std::string::npos || line[indent(line)] == '#') continue;
    const std::size_t n = indent(line);
    if (n == 0) {
      in_paths = line.rfind("paths:", 0) == 0;
      continue;
    }
    if (!in_paths) continue;
    const std::string key = key_of(line);
    if (n == 2) path = key, method.clear();
    else if (n == 4 && kMethods.count(key)) {
      method = key;
      for (auto& c : method) c = static_cast<char>(std::toupper(c));
      spec[{method, path}];
      in_responses = false;
    } else if (n == 6 && !method.empty()) {
      in_responses = key == "responses";
      if (key == "security" && line.find("[]") != std::string::npos) spec[{method, path}].secured = false;
    } else if (n == 8 && in_responses && !key.empty() && std::isdigit(static_cast<unsigned char>(key[0]))) {
      spec[{method, path}].statuses.insert(std::stoi(key));
    }
  }
  return spec;
}

const std::filesystem::path kSpecFile = std::filesystem::path(SHIKI_SOURCE_DIR) / "docs/openapi.yaml";

TEST(OpenApi, ListsExactlyTheServersRoutes) {
  const Spec spec = read_spec(kSpecFile);
  ASSERT_FALSE(spec.empty()) << kSpecFile;
  std::set<std::pair<std::string, std::string>> documented, served;
  for (const auto& [key, op] : spec) documented.insert(key);
  for (const auto& r : Server::routes()) served.insert({r.method, r.path});
  for (const auto& k : served) EXPECT_TRUE(documented.count(k)) << "not in openapi.yaml: " << k.first << " " << k.second;
  for (const auto& k : documented) EXPECT_TRUE(served.count(k)) << "not served: " << k.first << " " << k.second;
  for (const auto& r : Server::routes())
    EXPECT_EQ(spec.at({r.method, r.path}).secured, r.needs_token) << r.path << ": security in openapi.yaml";
}

httplib::Result call(TestServer& s, const RouteSpec& r, const std::string& token) {
  auto c = s.client(token);
  const std::string method = r.method;
  const std::string path = r.path;
  if (method == "GET") return c.Get(path);
  if (path == "/v1/evaluate") return c.Post(path, envelope("H1").dump(), "application/json");
  if (path == "/v1/evaluate/batch") return c.Post(path + "?ruleset=matsudo", household("H1").dump(), "application/x-ndjson");
  return c.Post(path, "", "application/json");
}

TEST(OpenApi, EveryOperationAnswersWithADocumentedStatus) {
  TestServer s;
  const Spec spec = read_spec(kSpecFile);
  for (const auto& r : Server::routes()) {
    const Operation& op = spec.at({r.method, r.path});
    auto ok = call(s, r, kAdminToken);
    ASSERT_TRUE(ok) << r.path;
    EXPECT_TRUE(op.statuses.count(ok->status)) << r.method << " " << r.path << " answered " << ok->status;
    EXPECT_LT(ok->status, 300) << r.path;
    if (!r.needs_token) continue;
    auto denied = call(s, r, "");
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 401);
    EXPECT_TRUE(op.statuses.count(401)) << r.path << ": 401 not documented";
  }
}

}  // namespace
}  // namespace shiki::http::testing
