// JSON Lines evaluation for `shiki eval` and `shiki explain`.
#pragma once
#include <string>

#include "interpreter/engine/engine.h"

namespace shiki::cli {

struct EvalArgs {
  std::string ruleset, file = "-";
  std::string date;  // evaluation date for records without one (benefits.md §10.1)
  int year = 0, jobs = 1;
  bool explain = false, ignore_unknown = false;
  bool every_month = false;  // no `alike when` shortcut: to check the ruleset's promise
};

// Exit status: 0 all households assessed, 1 the ruleset did not compile or
// the input could not be read, 3 some households got an error record.
int run_eval(const EvalArgs& args);

std::string explain_text(const engine::Ruleset& rs, const nlohmann::json& household, int line, bool full = false);

}  // namespace shiki::cli
