// The mapping file: which SQL feeds which household.md input field, so that a
// city whose ledger looks different writes SQL (views or a mapping), not C++.
// docs/ledger.md is the reference; mappings/reference.json is the mapping of
// the reference ledger (migrations/002_reference_ledger.sql).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace shiki::ledger {

struct Mapping {
  // A list-valued field filled by its own query: "nhi_periods" under each
  // member ("members[].nhi_periods") or under the household ("xyz").
  struct List {
    std::string field;
    bool per_member = false;
    std::string sql;
  };

  std::string name;            // the file it came from, or "reference"
  std::string hash;            // "sha256:…" of the file's bytes, recorded on every run
  std::string households_sql;  // one row a household
  std::string members_sql;     // one row a member, in members[] order
  std::vector<List> lists;
  // Session settings for the reading connection (work_mem for the sorts, say).
  std::map<std::string, std::string> settings;

  static Mapping parse(std::string_view text, std::string name);
  static Mapping load_file(const std::filesystem::path& file);
  // The embedded mappings/reference.json.
  static Mapping reference();
};

std::string sha256_hex(std::string_view bytes);

}  // namespace shiki::ledger
