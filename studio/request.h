// What the studio's API endpoints share: reading a JSON body with the
// editor's files, and answering in JSON.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/http/exchange.h"
#include "studio/drafts.h"

namespace shiki::studio {

http::Response json_answer(int status, const nlohmann::json& body);
// {"error": {"field", "message"}}, the API's refusal shape.
http::Response refusal(int status, const std::string& field, const std::string& message);

// The body as a JSON object, or the refusal to send.
std::optional<nlohmann::json> parse_body(const http::Request& req, http::Response& refused);
// body["files"]: an object of file name → text; nullopt (with the refusal) otherwise.
std::optional<Files> files_of(const nlohmann::json& body, http::Response& refused);

}  // namespace shiki::studio
