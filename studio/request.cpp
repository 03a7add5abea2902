#include "studio/request.h"

namespace shiki::studio {
using nlohmann::json;

http::Response json_answer(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  r.content_type = "application/json; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::Response refusal(int status, const std::string& field, const std::string& message) {
  return json_answer(status, {{"error", {{"field", field.empty() ? json(nullptr) : json(field)}, {"message", message}}}});
}

std::optional<json> parse_body(const http::Request& req, http::Response& refused) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    refused = refusal(400, "", "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<Files> files_of(const json& body, http::Response& refused) {
  auto f = body.find("files");
  if (f == body.end() || !f->is_object()) {
    refused = refusal(400, "files", "must be an object of file name → text");
    return std::nullopt;
  }
  Files files;
  for (const auto& [name, text] : f->items()) {
    if (!text.is_string()) {
      refused = refusal(400, "files", "each file's text must be a string");
      return std::nullopt;
    }
    files[name] = text.get<std::string>();
  }
  return files;
}

}  // namespace shiki::studio
