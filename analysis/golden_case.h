// A golden case file (golden/README.md): the household, its ruleset, and the
// expected figures, each with the line it sits on so --update can rewrite it;
// and one case run against an evaluator (`shiki golden`, the studio's save).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/engine/engine.h"

namespace shiki::analysis {

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

// The .case files below `dir` (or `dir` itself when it is one), sorted.
std::vector<std::filesystem::path> case_files(const std::filesystem::path& dir);

struct Mismatch {
  const Expectation* expectation;
  std::optional<std::string> actual;  // nullopt: absent from the output
};

struct CaseRun {
  // kPending: a pending case that still fails; kPendingPasses: a pending
  // case that passes now (its `pending` line must go, so it fails the run).
  enum class Verdict { kPassed, kFailed, kPending, kPendingPasses } verdict = Verdict::kPassed;
  std::vector<Mismatch> mismatches;  // kFailed: each expectation that differs
  std::string evaluation_error;      // the error record's error, when there was one
};

// Runs a well-formed case (no `error`) with `evaluator`.
CaseRun run_case(const GoldenCase& c, engine::Evaluator& evaluator);

}  // namespace shiki::analysis
