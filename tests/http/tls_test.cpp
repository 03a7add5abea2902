// Optional TLS: with a certificate and key configured the same API answers
// over HTTPS (for deployments without a TLS-terminating proxy).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include "tests/http/harness.h"

namespace shiki::http::testing {
namespace {

// A throwaway self-signed P-256 certificate for 127.0.0.1, made with the
// OpenSSL API so the test needs no openssl command on the machine.
TlsConfig make_certificate(const std::filesystem::path& dir) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  TlsConfig tls{dir / "cert.pem", dir / "key.pem"};
  std::FILE* f = std::fopen(tls.cert.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(tls.key.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
  return tls;
}

TEST(HttpTls, TheApiAnswersOverHttps) {
  const auto dir = fresh_temp_dir();
  const TlsConfig tls = make_certificate(dir);
  TestServer s([&](ServerConfig& c) { c.tls = tls; });
  auto r = s.client(kAliceToken).Post("/v1/evaluate", envelope("H1").dump(), "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  // Plain HTTP to the TLS port gets nothing useful and does not hurt it.
  httplib::Client plain("127.0.0.1", s.port());
  plain.set_read_timeout(1, 0);
  auto p = plain.Get("/healthz");
  EXPECT_TRUE(!p || p->status != 200);
  r = s.client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  std::filesystem::remove_all(dir);
}

TEST(HttpTls, AMissingCertificateStopsStartUp) {
  const auto dir = fresh_temp_dir();
  ServerConfig c = test_config(dir);
  c.tls = TlsConfig{dir / "absent.pem", dir / "absent.key"};
  std::string log;
  FakeLoader fake;
  Server server(c, fake.loader(), [&](const std::string& line) { log += line + "\n"; });
  ASSERT_TRUE(server.load());
  EXPECT_EQ(server.bind(), -1);
  EXPECT_NE(log.find("absent.pem"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shiki::http::testing
