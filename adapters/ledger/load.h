// `shiki ledger load`: JSON Lines households (household.md input) into the
// reference ledger, for demos, tests and the benchmark. A household already
// there for the same fiscal year is replaced; person facts take the last line.
#pragma once
#include <istream>
#include <string>
#include <vector>

namespace shiki::ledger {

struct LoadReport {
  long households = 0;              // stored
  long rejected = 0;                // lines the ledger cannot hold
  std::vector<std::string> errors;  // "line 3: household H1: members[0].birth_date: not a date"
};

// One transaction: every storable line, or (on a database error) none.
LoadReport load(const std::string& conninfo, std::istream& lines);

}  // namespace shiki::ledger
