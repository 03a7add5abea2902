// Streams the households of one fiscal year out of the ledger through the
// mapping's queries: one server-side cursor per query, fetched in blocks, all
// ordered by household_id, merged here. Memory is a few fetch blocks whatever
// the city's size.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/ledger/mapping.h"

namespace shiki::ledger {

// How one result column becomes JSON: by the column's PostgreSQL type.
enum class ColumnKind { Boolean, Integer, Decimal, Text, Date, Json };

struct ColumnShape {
  std::vector<std::string> path;  // "income.salary_revenue" -> {"income", "salary_revenue"}
  ColumnKind kind;
  bool key = false;               // household_id / person_id keys of a source, not emitted
};

// The columns of every source, known after the first fetch; immutable after
// that, so worker threads read it without locks.
struct Shapes {
  std::vector<ColumnShape> household, member;
  std::vector<std::vector<ColumnShape>> lists;  // parallel to Mapping::lists
};

// One household's rows from every query. pqxx::row keeps its fetched block
// alive, so a worker thread can build the JSON while the reader fetches on.
struct HouseholdRows {
  std::string household_id;
  std::vector<pqxx::row> household;                 // exactly one
  std::vector<pqxx::row> members;
  std::vector<std::vector<pqxx::row>> lists;        // parallel to Mapping::lists
};

class HouseholdReader {
 public:
  // `tx` must stay open while reading; `household` restricts to one ($2).
  HouseholdReader(pqxx::transaction_base& tx, const Mapping& mapping, int fiscal_year,
                  std::optional<std::string> household, int fetch_rows = 4000);
  ~HouseholdReader();
  std::optional<HouseholdRows> next();
  // Valid once next() has returned a household (or nullopt).
  std::shared_ptr<const Shapes> shapes() const { return shapes_; }
  // Rows of members/lists with no household in the households query.
  long orphan_rows() const { return orphans_; }

 private:
  struct Source;
  bool peek(Source& source);
  std::string_view key(Source& source);
  void take(Source& source, const std::string& id, std::vector<pqxx::row>& out);
  pqxx::transaction_base& tx_;
  const Mapping& mapping_;
  std::vector<std::unique_ptr<Source>> sources_;  // households, members, lists...
  std::shared_ptr<Shapes> shapes_;
  std::string last_id_;
  long orphans_ = 0;
  int fetch_rows_ = 0;
};

// Counts the households the batch will read (for the progress bar).
long count_households(pqxx::transaction_base& tx, const Mapping& mapping, int fiscal_year,
                      const std::optional<std::string>& household);

// The household.md input record of one household.
nlohmann::json to_household_json(const HouseholdRows& rows, const Shapes& shapes,
                                 const Mapping& mapping);

}  // namespace shiki::ledger
