// One request and its response as the endpoints see them, free of the
// transport (Boost.Beast in session.cpp), so that routing, authentication
// and the endpoints run the same in the server, the tests and the fuzz
// target of the request parser.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shiki::http {

struct Request {
  std::string method;         // as sent; the head limit bounds it
  std::string path;           // the target up to '?'
  std::string query;          // after '?', still percent-encoded
  std::string authorization;  // the Authorization header, or ""
  std::string cookie;         // the Cookie header, or "" (browser sessions)
  // X-Requested-With: the studio's own script sets it; a form or link of
  // another site cannot, so a cookie alone never authorises a request.
  std::string requested_with;
  std::string remote;         // the peer's address
  std::string body;
  // A query parameter, percent-decoded; nullopt when absent.
  std::optional<std::string> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection after this response: it was refused before its
  // body was read, so whatever follows on the connection cannot be trusted
  // to start a request.
  bool close = false;
};

// {"error": {"field": F, "message": M}}; `field` empty gives null.
Response error_response(int status, const std::string& field, const std::string& message);
Response json_response(int status, const std::string& body);

}  // namespace shiki::http
