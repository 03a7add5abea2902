// The rate solver as the studio's form calls it: find the figures of a
// draft that raise the revenue each premium part must raise, over the
// population. The studio depends on this declaration only; solver.cpp
// says whether a solver is built in and adapts it.
#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/population.h"
#include "interpreter/engine/engine.h"

namespace shiki::studio {

struct SolveTarget {
  std::string part;       // "medical", "support", "care", "child"
  long long revenue = 0;  // yen the part must raise over the population
  // "INCOME:FLAT" (e.g. "50:50"): the 所得割 levied against the 均等割 and
  // 平等割 levied; "" keeps today's proportions (the part's figures are
  // scaled together), as `shiki solve --ratio` does.
  std::string ratio;
};

struct SolveRequest {
  std::filesystem::path ruleset_dir;  // the real folder: the modules it imports are its siblings
  std::map<std::string, std::string> files;  // the draft: file name → text
  const engine::Ruleset* draft;       // the draft compiled
  const analysis::Population* population;
  int fiscal_year;
  std::vector<SolveTarget> targets;
};

struct SolveAnswer {
  bool available = false;  // false: this build has no solver
  bool ok = false;
  std::string message;     // for staff, in Japanese
  // When ok: {"parameters": [{"name", "value", "before"}], "revenue": {part: yen}}, values as
  // the ruleset writes them ("7.83%", "27_400円").
  nlohmann::json result;
};

bool solver_available();
SolveAnswer solve(const SolveRequest& request);

}  // namespace shiki::studio
