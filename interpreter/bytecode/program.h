// bytecode::Program: the compiled ruleset. Immutable once built and shared
// by every thread. specialise/ derives a copy for one fiscal year.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../resolve/program.h"
#include "value.h"

namespace shiki::bytecode {

enum class Op : std::uint8_t {
#define OP(name, operands, stack, meaning) name,
#include "opcodes.def"
#undef OP
};

struct OpInfo {
  const char* name;
  const char* operands;
  int stack;
  const char* meaning;
};
const OpInfo& op_info(Op op);
int op_count();

struct Instr {
  Op op;
  std::int32_t a = 0, b = 0, c = 0;
};

struct Chunk {
  std::string name;               // 世帯.医療分.所得割額, table 給与所得 (2026-04-01), output …
  const source::SourceFile* file = nullptr;
  std::vector<Instr> code;
  std::vector<int> lines;         // source line of each instruction
  int nargs = 0;
  int nlocals = 0;                // including the arguments
  int rule = -1;                  // the rule whose body this is, if any
};

struct EntityLayout {
  std::string name;
  int parent = -1;
  std::string field;              // JSON array under the parent's object
  bool is_months = false;
  int alike_rule = -1;            // months: `alike when` rule of the parent, or -1
  bool optional = false;          // an absent or null field has no instances
  bool keyed = false;             // the field is an object: one instance per key
  int key_slot = -1;              // the input slot that receives the key
  // Derived entities (ast::EntityKind Group / Days): built by the VM before
  // evaluation (vm/derive.cpp), never read from the record.
  ast::EntityKind kind = ast::EntityKind::Record;
  int source = -1;                // Group: the grouped entity
  int filter = -1;                // Group: chunk, or -1
  std::vector<int> keys;          // Group: one chunk per key, in key-input slot order
  int first = -1, last = -1;      // Days: chunks of the first and last day
  int ninputs = 0, nrules = 0;
  int nmonth_rules = 0;           // rules whose one argument is a month: memoised per month
};

struct InputLayout {
  int entity, slot;
  std::string name;               // display name
  std::vector<std::string> path;  // JSON path inside the entity's object
  ast::Base type;
  int enum_id = -1;
  bool optional = false, nonnegative = false;
  bool is_key = false;            // receives the instance's key (path empty)
  std::optional<Value> default_value;
};

struct ParamVersions {
  std::string name;
  std::vector<std::pair<time::Date, Value>> versions;  // in date order
  std::vector<std::string> sources;                    // the citation of each version
  ast::Base type = ast::Base::Decimal;
};

struct TableVersions {
  std::string name;
  std::vector<std::pair<std::optional<time::Date>, int>> versions;  // (from, chunk)
};

struct ExceptionTable {
  std::string rule;
  std::vector<std::string> labels;
  std::vector<std::string> sources;  // each exception's citation
  std::vector<std::uint64_t> beats;
};

struct OutputField {
  std::vector<std::string> path;  // "premium.medical.annual" split on '.'
  int value = -1, when = -1;      // chunks
  ast::Type type;
};

struct OutputBlock {
  int entity;
  std::vector<std::string> into;  // array path for child entities; empty for the root
  int outer = -1;                 // `into "a.b[].c"`: the block writing "a.b", whose
                                  // elements hold this array (`into` is then "c")
  int given = -1;                 // chunk, in the root's scope: is the array written at all
  int when = -1;
  std::vector<OutputField> fields;
};

struct CheckSpec {
  int entity;
  std::string field, message;
  int require;                    // chunk
};

struct Program {
  std::shared_ptr<const void> sources;  // keeps the source files (and the AST) alive
  std::string id, hash;
  int first_year = 0, last_year = -1;
  int root_entity = 0, months_entity = -1;
  std::vector<EntityLayout> entities;
  std::vector<InputLayout> inputs;
  std::vector<std::vector<int>> entity_inputs;  // entity -> input ids by slot
  std::vector<std::vector<int>> entity_rules;   // entity -> rule ids by slot
  std::vector<int> rule_entity, rule_slot, rule_chunk;
  std::vector<int> rule_month_slot;             // -1 unless the rule's one argument is a month
  std::vector<std::string> rule_names, rule_sources;
  std::vector<ast::Base> rule_types;             // for showing a value (a rate as 7.62%)
  std::vector<const source::SourceFile*> rule_files;
  std::vector<int> rule_lines;
  std::vector<std::vector<std::string>> enum_cases;
  std::vector<Value> constants;
  std::vector<std::unique_ptr<std::string>> strings;  // text constants
  std::vector<Chunk> chunks;
  std::vector<ParamVersions> params;
  std::vector<TableVersions> tables;
  std::vector<ExceptionTable> exceptions;
  std::vector<OutputBlock> outputs;
  std::vector<CheckSpec> checks;
  std::vector<time::Date> holidays;
};

// "" when the chunk is well formed, else what is wrong (bytecode/verify.cpp).
std::string verify(const Program& p, const Chunk& c);

// `shiki dis`: clox-style listing of one chunk.
std::string disassemble(const Program& p, const Chunk& c);
// The same against another constant pool (specialise/ appends the year's
// parameter values to p's), `label(k)` saying where constant k came from.
std::string disassemble(const Program& p, const Chunk& c, const std::vector<Value>& constants,
                        const std::function<std::string(int k)>& label);

}  // namespace shiki::bytecode
