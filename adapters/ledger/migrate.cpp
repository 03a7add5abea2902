#include "adapters/ledger/migrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "adapters/ledger/batch.h"
#include "adapters/ledger/embedded.h"
#include "adapters/ledger/errors.h"
#include "adapters/ledger/mapping.h"

namespace shiki::ledger {
namespace {

const char* kBookkeeping =
    "CREATE SCHEMA IF NOT EXISTS shiki; "
    "CREATE TABLE IF NOT EXISTS shiki.schema_migrations ("
    "  version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
    "  applied_at timestamptz NOT NULL DEFAULT now())";

int version_in(pqxx::transaction_base& tx) {
  bool exists = tx.exec1("SELECT to_regclass('shiki.schema_migrations') IS NOT NULL")[0].as<bool>();
  if (!exists) return 0;
  return tx.exec1("SELECT coalesce(max(version), 0) FROM shiki.schema_migrations")[0].as<int>();
}

MigrateReport apply_pending(pqxx::work& tx, std::optional<int> target) {
  // objid 0 is no fiscal year: the migration lock never meets a run's.
  tx.exec_params("SELECT pg_advisory_xact_lock($1, 0)", kRunLockClass);
  tx.exec(kBookkeeping);
  MigrateReport report;
  report.from_version = report.to_version = version_in(tx);
  auto applied = tx.exec("SELECT version, checksum FROM shiki.schema_migrations");
  for (const auto& row : applied) {
    int v = row[0].as<int>();
    auto m = std::find_if(migrations().begin(), migrations().end(), [&](auto& x) { return x.version == v; });
    if (m == migrations().end())
      throw LedgerError(fmt::format(
          "the database is at schema version {}, newer than this shiki knows; use a newer shiki",
          report.from_version));
    if (m->checksum != row[1].c_str())
      throw LedgerError(fmt::format(
          "migration {:03}_{} differs from the one applied to this database; an applied migration "
          "must never change: add a new numbered migration instead",
          m->version, m->name));
  }
  for (const auto& m : migrations()) {
    if (m.version <= report.from_version || (target && m.version > *target)) continue;
    try {
      tx.exec(m.sql);
    } catch (const pqxx::sql_error& e) {
      throw LedgerError(fmt::format("migration {:03}_{} failed: {}; nothing was applied", m.version,
                                    m.name, e.what()));
    }
    tx.exec_params("INSERT INTO shiki.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                   m.version, m.name, m.checksum);
    report.applied.push_back(fmt::format("{:03}_{}", m.version, m.name));
    report.to_version = m.version;
  }
  return report;
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = [] {
    std::vector<Migration> list;
    for (const auto& f : embedded_files()) {
      if (!f.path.starts_with("migrations/") || !f.path.ends_with(".sql")) continue;
      std::string file(f.path.substr(11, f.path.size() - 11 - 4));  // "001_results"
      auto underscore = file.find('_');
      list.push_back({std::stoi(file.substr(0, underscore)), file.substr(underscore + 1),
                      std::string(f.contents), "sha256:" + sha256_hex(f.contents)});
    }
    std::sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.version < b.version; });
    return list;
  }();
  return all;
}

MigrateReport migrate(const std::string& conninfo, std::optional<int> target) {
  pqxx::connection c(conninfo);
  pqxx::work tx(c);
  // PostgreSQL's DDL is transactional: the whole step applies or none of it.
  MigrateReport report = apply_pending(tx, target);
  tx.commit();
  return report;
}

MigrateReport init(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::work tx(c);
  tx.exec_params("SELECT pg_advisory_xact_lock($1, 0)", kRunLockClass);
  if (int v = version_in(tx); v > 0)
    throw LedgerError(fmt::format(
        "this database already has the shiki schema (version {}); use `shiki ledger migrate`", v));
  MigrateReport report = apply_pending(tx, std::nullopt);
  tx.commit();
  return report;
}

int schema_version(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::read_transaction tx(c);
  return version_in(tx);
}

}  // namespace shiki::ledger
