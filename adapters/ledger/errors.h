// Errors of the ledger adapter. Every message names what the operator can act
// on (the year, the run, the mapping source) and never personal data: only the
// ledger's internal ids appear.
#pragma once
#include <stdexcept>
#include <string>

namespace shiki::ledger {

// A run or command failed; nothing of it was committed.
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The mapping file or the SQL it names does not fit the contract.
class MappingError : public LedgerError {
 public:
  using LedgerError::LedgerError;
};

// Another run of the same fiscal year holds the lock and the caller asked not
// to wait. The CLI exits with its own code so a scheduler can retry.
class RunRefused : public LedgerError {
 public:
  using LedgerError::LedgerError;
};

}  // namespace shiki::ledger
