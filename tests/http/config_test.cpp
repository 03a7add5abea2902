// The configuration file and the token hashes.
#include <gtest/gtest.h>

#include "adapters/http/config.h"
#include "adapters/http/tokens.h"

namespace shiki::http {
namespace {

const char* kMinimal = R"({
  "rulesets": [{"id": "matsudo", "dir": "rulesets/matsudo"}],
  "tokens": [{"holder": "ledger", "sha256": "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": ["matsudo"]}],
  "audit_log": "audit.jsonl"
})";

TEST(HttpConfig, MinimalFileGetsDefaultsAndPathsRelativeToTheFile) {
  auto c = parse_config(kMinimal, "/etc/shiki");
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_FALSE(c.tls);
  ASSERT_EQ(c.rulesets.size(), 1u);
  EXPECT_EQ(c.rulesets[0].dir, std::filesystem::path("/etc/shiki/rulesets/matsudo"));
  EXPECT_EQ(c.audit_log, "/etc/shiki/audit.jsonl");
  EXPECT_EQ(c.limits.max_body_bytes, 8u * 1024 * 1024);
  EXPECT_FALSE(c.tokens[0].admin);
}

TEST(HttpConfig, TheExampleInConfigParses) {
  auto c = load_config(std::filesystem::path(SHIKI_SOURCE_DIR) / "config/serve.example.json");
  EXPECT_FALSE(c.rulesets.empty());
  EXPECT_FALSE(c.tokens.empty());
}

void expect_error(const std::string& text, const std::string& where) {
  try {
    parse_config(text, "/");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(where, 0), 0u) << e.what();
  }
}

TEST(HttpConfig, MistakesAreNamed) {
  const std::string tok = R"("tokens": [{"holder": "a", "sha256": "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": ["*"]}])";
  const std::string rs = R"("rulesets": [{"id": "m", "dir": "m"}])";
  const std::string audit = R"("audit_log": "-")";
  expect_error("{" + rs + "," + tok + "," + audit + R"(, "limits": {"max_body_byte": 5}})", "limits.max_body_byte");
  expect_error("{" + rs + "," + tok + "," + audit + R"(, "limits": {"max_body_bytes": "5"}})", "limits.max_body_bytes");
  expect_error("{" + rs + "," + tok + "}", "audit_log");
  expect_error("{" + tok + "," + audit + "}", "rulesets");
  expect_error("{" + rs + "," + audit + R"(, "tokens": [{"holder": "a", "sha256": "ABC", "rulesets": []}]})",
               "tokens[0].sha256");
  expect_error("{" + rs + "," + audit + R"(, "tokens": [{"holder": "a", "sha256": "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": []},
                                          {"holder": "a", "sha256": "b665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": []}]})",
               "tokens[1].holder");
  expect_error("{" + rs + "," + audit + R"(, "tokens": [{"holder": "a", "sha256": "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": []},
                                          {"holder": "b", "sha256": "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", "rulesets": []}]})",
               "tokens[1].sha256");
  expect_error(R"({"rulesets": [{"id": "m", "dir": "m"}, {"id": "m", "dir": "n"}],)" + tok + "," + audit + "}", "rulesets[1].id");
  expect_error("{" + rs + "," + tok + "," + audit + R"(, "listen": {"port": 70000}})", "listen.port");
  expect_error("not json", "not valid JSON");
}

TEST(HttpTokens, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HttpTokens, OnlyABearerTokenWhoseHashIsListedAuthenticates) {
  TokenTable table({{"ledger", sha256_hex("s3cret"), {"matsudo"}, false}});
  const Caller* c = table.authenticate("Bearer s3cret");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->holder, "ledger");
  EXPECT_TRUE(c->may_use("matsudo"));
  EXPECT_FALSE(c->may_use("kashiwa"));
  EXPECT_EQ(table.authenticate("Bearer s3cre"), nullptr);
  EXPECT_EQ(table.authenticate("Basic s3cret"), nullptr);
  EXPECT_EQ(table.authenticate("Bearer "), nullptr);
  EXPECT_EQ(table.authenticate(""), nullptr);
  EXPECT_EQ(table.authenticate(sha256_hex("s3cret")), nullptr);  // the hash itself is not a credential
}

}  // namespace
}  // namespace shiki::http
