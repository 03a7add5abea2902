// A golden case file (golden/README.md): the household, its ruleset, and the
// expected figures, each with the line it sits on so --update can rewrite it.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shiki::cli {

struct Expectation {
  std::string path, value;
  int line;  // 0-based index into GoldenCase::lines
};

struct GoldenCase {
  std::filesystem::path file;
  std::vector<std::string> lines;
  std::string ruleset, input;
  std::string pending;  // `pending REASON`: what the engine does not compute yet
  std::vector<Expectation> expectations;
  std::string error;  // a malformed case file
};

GoldenCase read_case(const std::filesystem::path& file);
// The output's value at `path` (premium.installments[0].amount) as the case
// file writes it; nullopt when absent.
std::optional<std::string> value_at(const nlohmann::json& record, const std::string& path);
// Expected and actual agree (thousands commas in yen amounts ignored).
bool same_value(const std::string& expected, const std::optional<std::string>& actual);

}  // namespace shiki::cli
