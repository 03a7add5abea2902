// The schema's numbered migrations (migrations/NNN_name.sql, embedded at build
// time), applied in order and recorded in shiki.schema_migrations.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace shiki::ledger {

struct Migration {
  int version;           // NNN
  std::string name;      // "results"
  std::string sql;
  std::string checksum;  // sha256 of the file, to catch an edited applied migration
};

// Every embedded migration, by version.
const std::vector<Migration>& migrations();

struct MigrateReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // "001_results"
};

// Applies the pending migrations up to `target` (all when nullopt) in one
// transaction, holding a lock so two migrators cannot race. Refuses when an
// applied migration's checksum differs from the embedded file.
MigrateReport migrate(const std::string& conninfo, std::optional<int> target = std::nullopt);

// `ledger init`: migrate a database that has no shiki schema yet; refuses one
// that already has it (use migrate there).
MigrateReport init(const std::string& conninfo);

// 0 when the schema has never been created.
int schema_version(const std::string& conninfo);

}  // namespace shiki::ledger
