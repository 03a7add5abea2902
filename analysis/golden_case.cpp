#include "analysis/golden_case.h"

#include <algorithm>
#include <fstream>

namespace shiki::analysis {

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}
}  // namespace

GoldenCase read_case(const std::filesystem::path& file) {
  GoldenCase c;
  c.file = file;
  std::ifstream in(file);
  for (std::string l; std::getline(in, l);) c.lines.push_back(l);
  bool expecting_input = false, after_rule = false;
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    std::string t = trim(c.lines[i]);
    if (t.empty() || t[0] == '#') continue;
    if (expecting_input) {
      c.input = t;
      expecting_input = false;
    } else if (!after_rule && t.rfind("ruleset ", 0) == 0) {
      c.ruleset = trim(t.substr(8));
    } else if (!after_rule && t.rfind("pending ", 0) == 0) {
      c.pending = trim(t.substr(8));
    } else if (!after_rule && t == "input") {
      expecting_input = true;
    } else if (!after_rule && t == "----") {
      after_rule = true;
    } else if (after_rule) {
      auto eq = t.find(" = ");
      if (eq == std::string::npos) {
        c.error = "line " + std::to_string(i + 1) + ": expected PATH = VALUE";
        return c;
      }
      c.expectations.push_back({trim(t.substr(0, eq)), trim(t.substr(eq + 3)), static_cast<int>(i)});
    } else {
      c.error = "line " + std::to_string(i + 1) + ": unexpected text before ----";
      return c;
    }
  }
  if (c.ruleset.empty()) c.error = "no `ruleset NAME` line";
  else if (c.input.empty()) c.error = "no input line";
  else if (c.expectations.empty()) c.error = "no expectations after ----";
  return c;
}

std::optional<std::string> value_at(const nlohmann::json& record, const std::string& path) {
  const nlohmann::json* node = &record;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t end = path.find_first_of(".[", i);
    std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!key.empty()) {
      if (!node->is_object() || !node->contains(key)) return std::nullopt;
      node = &(*node)[key];
    }
    if (end == std::string::npos) break;
    if (path[end] == '[') {
      auto close = path.find(']', end);
      std::size_t idx = std::stoul(path.substr(end + 1, close - end - 1));
      if (!node->is_array() || idx >= node->size()) return std::nullopt;
      node = &(*node)[idx];
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
    } else {
      i = end + 1;
    }
  }
  if (node->is_string()) return node->get<std::string>();
  return node->dump();
}

bool same_value(const std::string& expected, const std::optional<std::string>& actual) {
  if (expected == "absent") return !actual.has_value();
  if (!actual) return false;
  if (expected == *actual) return true;
  std::string plain;
  for (char ch : expected)
    if (ch != ',') plain += ch;
  bool numeric = !plain.empty() && plain.find_first_not_of("-0123456789") == std::string::npos;
  return numeric && plain == *actual;
}

std::vector<std::filesystem::path> case_files(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(dir)) files.push_back(dir);
  else
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
      if (it->path().extension() == ".case") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

CaseRun run_case(const GoldenCase& c, engine::Evaluator& evaluator) {
  CaseRun run;
  const auto out = evaluator.evaluate_text(c.input, {}, 1);
  for (const auto& e : c.expectations) {
    auto actual = value_at(out.record, e.path);
    if (!same_value(e.value, actual)) run.mismatches.push_back({&e, std::move(actual)});
  }
  if (out.record.contains("error")) run.evaluation_error = out.record["error"].dump();
  // A pending case still runs: once it passes, the `pending` line must go,
  // so a case can never stay skipped after the engine computes it.
  if (!c.pending.empty()) run.verdict = run.mismatches.empty() ? CaseRun::Verdict::kPendingPasses : CaseRun::Verdict::kPending;
  else run.verdict = run.mismatches.empty() ? CaseRun::Verdict::kPassed : CaseRun::Verdict::kFailed;
  return run;
}

}  // namespace shiki::analysis
