#include "adapters/ledger/mapping.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/ledger/embedded.h"
#include "adapters/ledger/errors.h"

namespace shiki::ledger {
namespace {

constexpr std::string_view kFormat = "shiki-ledger-mapping/1";

// SQL is long; JSON has no multi-line strings, so a query may also be an array
// of lines (kept as lines, so a server error's position still reads well).
std::string sql_of(const nlohmann::json& value, const std::string& where, const std::string& file) {
  std::string sql;
  if (value.is_string()) {
    sql = value.get<std::string>();
  } else if (value.is_array()) {
    for (const auto& line : value) {
      if (!line.is_string())
        throw MappingError(fmt::format("{}: {}: every line of a query must be a string", file, where));
      sql += line.get<std::string>();
      sql += '\n';
    }
  } else {
    throw MappingError(fmt::format("{}: {}: expected an SQL string or an array of lines", file, where));
  }
  // The query is wrapped (DECLARE … CURSOR FOR, count(*) over it), so a
  // trailing semicolon would end the statement early.
  while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
    sql.pop_back();
  if (sql.empty()) throw MappingError(fmt::format("{}: {}: the query is empty", file, where));
  return sql;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Mapping Mapping::parse(std::string_view text, std::string name) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw MappingError(fmt::format("{}: not JSON: {}", name, e.what()));
  }
  if (!doc.is_object() || doc.value("format", "") != kFormat)
    throw MappingError(fmt::format("{}: expected an object with \"format\": \"{}\"", name, kFormat));
  Mapping m;
  m.name = name;
  m.hash = "sha256:" + sha256_hex(text);
  for (const auto& [key, value] : doc.items()) {
    if (key == "format" || key == "comment") continue;
    if (key == "households") {
      m.households_sql = sql_of(value, key, name);
    } else if (key == "members") {
      m.members_sql = sql_of(value, key, name);
    } else if (key == "lists") {
      if (!value.is_object()) throw MappingError(fmt::format("{}: \"lists\" must be an object", name));
      for (const auto& [path, sql] : value.items()) {
        List list;
        list.per_member = path.starts_with("members[].");
        list.field = list.per_member ? path.substr(10) : path;
        if (list.field.empty() || list.field.find_first_of(".[]") != std::string::npos)
          throw MappingError(fmt::format(
              "{}: lists: \"{}\" must be FIELD or members[].FIELD", name, path));
        list.sql = sql_of(sql, "lists." + path, name);
        m.lists.push_back(std::move(list));
      }
    } else if (key == "settings") {
      if (!value.is_object()) throw MappingError(fmt::format("{}: \"settings\" must be an object", name));
      for (const auto& [setting, v] : value.items()) {
        if (!v.is_string())
          throw MappingError(fmt::format("{}: settings.{}: value must be a string", name, setting));
        m.settings[setting] = v.get<std::string>();
      }
    } else {
      // An unknown key is most likely a typo ("member"), which would otherwise
      // silently leave a part of every household empty.
      throw MappingError(fmt::format("{}: unknown key \"{}\"", name, key));
    }
  }
  if (m.households_sql.empty()) throw MappingError(fmt::format("{}: \"households\" is missing", name));
  if (m.members_sql.empty()) throw MappingError(fmt::format("{}: \"members\" is missing", name));
  return m;
}

Mapping Mapping::load_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw MappingError(fmt::format("{}: cannot open the mapping file", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

Mapping Mapping::reference() {
  for (const auto& f : embedded_files())
    if (f.path == "mappings/reference.json") return parse(f.contents, "reference");
  throw MappingError("the reference mapping is not embedded in this build");
}

}  // namespace shiki::ledger
