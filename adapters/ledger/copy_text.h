// PostgreSQL COPY text format: one row a line, tab-separated, \N for NULL.
// The batch formats rows itself (in the worker threads) and hands the writer
// whole blocks of lines, because libpqxx's per-field stream_to formatting
// would put that work on the single writer thread.
#pragma once
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace shiki::ledger::copy {

inline void null(std::string& line) { line += "\\N"; }

inline void text(std::string& line, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

inline void integer(std::string& line, std::int64_t value) {
  char digits[24];
  line.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

inline void boolean(std::string& line, bool value) { line += value ? 't' : 'f'; }

inline void tab(std::string& line) { line += '\t'; }

// Ends a row; the block is sent without its final newline (libpqxx adds one).
inline void end_row(std::string& block) { block += '\n'; }

}  // namespace shiki::ledger::copy

#include <pqxx/stream_to>

namespace shiki::ledger::copy {
// A block of COPY lines formatted above, sent as it is.
struct RawBlock {
  const std::string* lines;  // without the final newline
};
}  // namespace shiki::ledger::copy

// libpqxx 6.4 keeps stream_to::write_raw_line private and escapes every field
// it is given, which would escape our already-formatted lines a second time.
// Its row operator is a member template, so a specialisation for our own type
// is a member too and may pass the block through: one PQputCopyData a block.
namespace pqxx {
template <>
inline stream_to& stream_to::operator<< <shiki::ledger::copy::RawBlock>(
    const shiki::ledger::copy::RawBlock& block) {
  write_raw_line(*block.lines);
  return *this;
}
}  // namespace pqxx
