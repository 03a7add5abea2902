// Turns engine outcomes into rows of shiki.household_results and
// shiki.member_results (migrations/001_results.sql), as COPY text. Runs in the
// worker threads so the writer only ships bytes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/ledger/errors.h"
#include "interpreter/engine/engine.h"

namespace shiki::ledger {

extern const std::vector<std::string> kHouseholdResultColumns;
extern const std::vector<std::string> kMemberResultColumns;

// The per-part figures of household.md, in column order.
extern const std::vector<std::string> kParts;        // medical support care child
extern const std::vector<std::string> kPartFigures;  // income_levy … annual

struct ResultBlock {
  std::string households;  // COPY lines for household_results
  std::string members;     // COPY lines for member_results
  long household_count = 0;
  long failures = 0;
};

// Appends the rows of one household's outcome. An error record becomes a
// failed row; a success record that is not in household.md's shape is an
// engine defect and throws LedgerError, failing the run rather than storing
// figures that cannot be trusted.
void append_outcome(ResultBlock& block, std::int64_t run_id, const std::string& household_id,
                    const engine::Outcome& outcome);

// Shared with the writer of typed results (result_rows.h):
// the row of a household that failed (`field` nullptr: none named);
void append_failure(ResultBlock& block, std::int64_t run_id, const std::string& household_id,
                    const std::string* field, const std::string& message);
// a success record not in household.md's shape, which stops the run;
struct BadRecord : LedgerError {
  BadRecord(const std::string& household, const std::string& path, const char* expected);
};
// a decimal as a numeric column takes it (digits, one point, a sign), and a
// date or month by its pattern ('d' a digit, any other character itself).
bool is_decimal_text(const std::string& s);
bool is_shaped(const std::string& s, const char* pattern);

}  // namespace shiki::ledger
