#include "adapters/ledger/household_reader.h"

#include <fmt/format.h>

#include <charconv>

#include "adapters/ledger/errors.h"

namespace shiki::ledger {
namespace {

// PostgreSQL type OIDs (pg_type.dat); stable across server versions.
enum : pqxx::oid {
  kBool = 16, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kJson = 114,
  kFloat4 = 700, kFloat8 = 701, kBpchar = 1042, kVarchar = 1043, kDate = 1082,
  kTimestamp = 1114, kTimestampTz = 1184, kNumeric = 1700, kJsonb = 3802,
};

ColumnKind kind_of(pqxx::oid type, const std::string& source, const std::string& column) {
  switch (type) {
    case kBool: return ColumnKind::Boolean;
    case kInt2: case kInt4: case kInt8: return ColumnKind::Integer;
    case kNumeric: return ColumnKind::Decimal;
    case kText: case kVarchar: case kBpchar: case kName: return ColumnKind::Text;
    case kDate: return ColumnKind::Date;
    case kJson: case kJsonb: return ColumnKind::Json;
    case kFloat4: case kFloat8:
      // Household values never pass through binary floating point.
      throw MappingError(fmt::format(
          "mapping {}: column \"{}\" is a floating-point type; cast it to numeric or bigint",
          source, column));
    case kTimestamp: case kTimestampTz:
      throw MappingError(fmt::format(
          "mapping {}: column \"{}\" is a timestamp; cast it to date (::date)", source, column));
    default:
      throw MappingError(fmt::format(
          "mapping {}: column \"{}\" has a type (oid {}) the mapping does not take; cast it to "
          "text, bigint, numeric, boolean, date or jsonb",
          source, column, type));
  }
}

std::vector<std::string> split_path(const std::string& name) {
  std::vector<std::string> path;
  std::size_t start = 0;
  for (std::size_t dot; (dot = name.find('.', start)) != std::string::npos; start = dot + 1)
    path.push_back(name.substr(start, dot - start));
  path.push_back(name.substr(start));
  return path;
}

nlohmann::json value_of(const pqxx::field& f, ColumnKind kind) {
  if (f.is_null()) return nullptr;
  const char* text = f.c_str();
  switch (kind) {
    case ColumnKind::Boolean: return text[0] == 't';
    case ColumnKind::Integer: {
      std::int64_t v = 0;
      std::from_chars(text, text + f.size(), v);
      return v;
    }
    case ColumnKind::Json: return nlohmann::json::parse(text, text + f.size());
    case ColumnKind::Decimal:  // exact decimal text, a JSON string as household.md says
    case ColumnKind::Text:
    case ColumnKind::Date:     // ISO DateStyle: YYYY-MM-DD
      return std::string(text, f.size());
  }
  return nullptr;
}

// Sets the non-key columns of `row` into `object`. A nested object (columns
// "income.*") whose columns are all NULL is left out: that is how the ledger
// says "none" (no income record, no childbirth); a NULL scalar stays null
// (an open-ended period's "until", a missing birth date the engine reports).
void fill(nlohmann::json& object, const pqxx::row& row, const std::vector<ColumnShape>& shape) {
  std::vector<std::pair<const std::string*, bool>> groups;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const ColumnShape& c = shape[i];
    if (c.key) continue;
    nlohmann::json value = value_of(row[static_cast<pqxx::row::size_type>(i)], c.kind);
    if (c.path.size() == 1) {
      object[c.path[0]] = std::move(value);
      continue;
    }
    auto g = std::find_if(groups.begin(), groups.end(), [&](auto& p) { return *p.first == c.path[0]; });
    if (g == groups.end()) g = groups.insert(groups.end(), {&c.path[0], false});
    g->second = g->second || !value.is_null();
    nlohmann::json* at = &object;
    for (std::size_t k = 0; k + 1 < c.path.size(); ++k) at = &(*at)[c.path[k]];
    (*at)[c.path.back()] = std::move(value);
  }
  for (const auto& [name, has_value] : groups)
    if (!has_value) object.erase(*name);
}

}  // namespace

struct HouseholdReader::Source {
  std::string name;    // "households", "members", "lists.members[].nhi_periods"
  std::string cursor;
  std::vector<ColumnShape>* shape = nullptr;
  int household_column = -1, person_column = -1;
  pqxx::result block;
  pqxx::result::size_type index = 0;
  bool done = false;
  std::string previous_key;
};

HouseholdReader::HouseholdReader(pqxx::transaction_base& tx, const Mapping& mapping, int fiscal_year,
                                 std::optional<std::string> household, int fetch_rows)
    : tx_(tx), mapping_(mapping), shapes_(std::make_shared<Shapes>()) {
  struct Spec { std::string name, sql; std::vector<ColumnShape>* shape; bool emit_household_id, person_key; };
  std::vector<Spec> specs = {
      {"households", mapping.households_sql, &shapes_->household, true, false},
      {"members", mapping.members_sql, &shapes_->member, false, false}};
  shapes_->lists.resize(mapping.lists.size());
  for (std::size_t i = 0; i < mapping.lists.size(); ++i) {
    const auto& l = mapping.lists[i];
    specs.push_back({"lists." + (l.per_member ? "members[]." : std::string()) + l.field, l.sql,
                     &shapes_->lists[i], false, l.per_member});
  }
  const char* one = household ? household->c_str() : nullptr;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto s = std::make_unique<Source>();
    s->name = specs[i].name;
    s->cursor = fmt::format("shiki_source_{}", i);
    s->shape = specs[i].shape;
    try {
      tx_.exec_params(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", s->cursor, specs[i].sql),
                      fiscal_year, one);
    } catch (const pqxx::sql_error& e) {
      throw MappingError(fmt::format("mapping {}: {}: {}", mapping.name, s->name, e.what()));
    }
    s->block = tx_.exec(fmt::format("FETCH FORWARD {} FROM {}", fetch_rows, s->cursor));
    for (pqxx::row::size_type c = 0; c < s->block.columns(); ++c) {
      std::string column = s->block.column_name(c);
      ColumnShape shape{split_path(column), kind_of(s->block.column_type(c), s->name, column)};
      if (column == "household_id") {
        s->household_column = static_cast<int>(c);
        shape.key = !specs[i].emit_household_id;
      } else if (column == "person_id" && specs[i].person_key) {
        s->person_column = static_cast<int>(c);
        shape.key = true;
      }
      s->shape->push_back(std::move(shape));
    }
    if (s->household_column < 0)
      throw MappingError(fmt::format("mapping {}: {}: the query has no household_id column",
                                     mapping.name, s->name));
    if (specs[i].person_key && s->person_column < 0)
      throw MappingError(fmt::format("mapping {}: {}: the query has no person_id column",
                                     mapping.name, s->name));
    s->done = s->block.empty();
    sources_.push_back(std::move(s));
  }
  auto has = [](const std::vector<ColumnShape>& shape, const char* name) {
    return std::any_of(shape.begin(), shape.end(), [&](auto& c) { return c.path == std::vector<std::string>{name}; });
  };
  if (!has(shapes_->household, "fiscal_year"))
    throw MappingError(fmt::format("mapping {}: households: the query has no fiscal_year column", mapping.name));
  if (!has(shapes_->member, "person_id"))
    throw MappingError(fmt::format("mapping {}: members: the query has no person_id column", mapping.name));
  fetch_rows_ = fetch_rows;
}

HouseholdReader::~HouseholdReader() = default;

bool HouseholdReader::peek(Source& s) {
  if (s.done) return false;
  if (s.index < s.block.size()) return true;
  s.block = tx_.exec(fmt::format("FETCH FORWARD {} FROM {}", fetch_rows_, s.cursor));
  s.index = 0;
  s.done = s.block.empty();
  return !s.done;
}

std::string_view HouseholdReader::key(Source& s) {
  const pqxx::field f = s.block[s.index][s.household_column];
  if (f.is_null())
    throw MappingError(fmt::format("mapping {}: {}: a row has a NULL household_id", mapping_.name, s.name));
  std::string_view k(f.c_str(), f.size());
  // The merge below needs every source in one order: byte order, which is
  // ORDER BY household_id COLLATE "C".
  if (k < s.previous_key)
    throw MappingError(fmt::format(
        "mapping {}: {}: rows are not ordered by household_id COLLATE \"C\" (\"{}\" after \"{}\")",
        mapping_.name, s.name, k, s.previous_key));
  s.previous_key.assign(k);
  return k;
}

void HouseholdReader::take(Source& s, const std::string& id, std::vector<pqxx::row>& out) {
  while (peek(s)) {
    std::string_view k = key(s);
    if (k > id) return;
    if (k < id) ++orphans_;
    else out.push_back(s.block[s.index]);
    ++s.index;
  }
}

std::optional<HouseholdRows> HouseholdReader::next() {
  Source& hs = *sources_[0];
  if (!peek(hs)) return std::nullopt;
  HouseholdRows rows;
  rows.household_id = std::string(key(hs));
  if (rows.household_id == last_id_)
    throw MappingError(fmt::format("mapping {}: households: household {} appears twice",
                                   mapping_.name, rows.household_id));
  last_id_ = rows.household_id;
  rows.household.push_back(hs.block[hs.index++]);
  take(*sources_[1], rows.household_id, rows.members);
  rows.lists.resize(sources_.size() - 2);
  for (std::size_t i = 2; i < sources_.size(); ++i) take(*sources_[i], rows.household_id, rows.lists[i - 2]);
  return rows;
}

long count_households(pqxx::transaction_base& tx, const Mapping& mapping, int fiscal_year,
                      const std::optional<std::string>& household) {
  const char* one = household ? household->c_str() : nullptr;
  return tx.exec_params1("SELECT count(*) FROM (" + mapping.households_sql + "\n) AS households",
                         fiscal_year, one)[0].as<long>();
}

nlohmann::json to_household_json(const HouseholdRows& rows, const Shapes& shapes,
                                 const Mapping& mapping) {
  nlohmann::json household = nlohmann::json::object();
  fill(household, rows.household.front(), shapes.household);
  nlohmann::json members = nlohmann::json::array();
  std::vector<std::string> person_ids;
  for (const auto& row : rows.members) {
    nlohmann::json member = nlohmann::json::object();
    fill(member, row, shapes.member);
    const auto& pid = member["person_id"];
    person_ids.push_back(pid.is_string() ? pid.get<std::string>() : std::string());
    // A list field is always present, [] when the ledger has no rows for it:
    // nhi_periods is required by the contract, and "none" is a valid answer.
    for (const auto& l : mapping.lists)
      if (l.per_member) member[l.field] = nlohmann::json::array();
    members.push_back(std::move(member));
  }
  for (std::size_t i = 0; i < mapping.lists.size(); ++i) {
    const auto& l = mapping.lists[i];
    if (!l.per_member) household[l.field] = nlohmann::json::array();
    for (const auto& row : rows.lists[i]) {
      nlohmann::json element = nlohmann::json::object();
      fill(element, row, shapes.lists[i]);
      if (!l.per_member) {
        household[l.field].push_back(std::move(element));
        continue;
      }
      int person_column = -1;
      for (std::size_t c = 0; c < shapes.lists[i].size(); ++c)
        if (shapes.lists[i][c].key && shapes.lists[i][c].path[0] == "person_id") person_column = int(c);
      std::string_view pid(row[person_column].c_str(), row[person_column].size());
      for (std::size_t m = 0; m < person_ids.size(); ++m)
        if (person_ids[m] == pid) members[m][l.field].push_back(element);
    }
  }
  household["members"] = std::move(members);
  return household;
}

}  // namespace shiki::ledger
