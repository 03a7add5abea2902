// The output record written straight to JSON text: byte for byte what
// nlohmann's dump() of the same record gives (keys in the same sorted
// order), from a typed Result, without building a JSON tree or touching the
// VM.
#pragma once
#include <string>
#include <vector>

#include "interpreter/bytecode/program.h"
#include "interpreter/engine/output_layout.h"
#include "interpreter/engine/result.h"

namespace shiki::json_adapter {

// One output value as the record writes it: null, true/false, a whole number
// or a quoted string; and a string quoted as the record quotes it. For
// writers of a part of the record (the ledger's `extra` column).
void append_json_value(const bytecode::Program& p, const bytecode::Value& v, const ast::Type& type,
                       const std::vector<std::string>& path, std::string& out);
void append_json_string(const std::string& s, std::string& out);
// When the record writes the value as a string (a decimal, date, month, enum
// case or text): appends its text, unquoted, and returns true.
bool append_string_text(const bytecode::Program& p, const bytecode::Value& v, const ast::Type& type,
                        std::string& out);

class RecordText {
 public:
  RecordText(const bytecode::Program& p, const engine::OutputLayout& layout);
  // Appends the record; `ruleset_json` is the serialised {"hash","id"}.
  void write(const engine::Result& r, const std::string& ruleset_json, std::string& out);

 private:
  void fill(const engine::Result& r, int element);
  void mark_present(const engine::Result& r, int root);
  void emit(const engine::Result& r, int node, std::string& out);

  const bytecode::Program& p_;
  const engine::OutputLayout& layout_;
  std::vector<std::uint32_t> slot_;       // per leaf: its value's index in the Result
  std::vector<char> has_;                 // per leaf: present this time
  std::vector<char> present_;             // per node: something to write below it
  std::vector<std::string> key_;          // per node: its key quoted, with the colon
  std::vector<std::vector<int>> scope_;   // per scope root: its object nodes, parents first
  const std::string* ruleset_json_ = nullptr;
  int element_ = 0;                 // the next array element of the Result
  std::size_t run_ = 0;             // the next array run of the Result
};

}  // namespace shiki::json_adapter
