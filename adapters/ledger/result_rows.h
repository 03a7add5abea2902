// The typed Result of one household -> its rows of shiki.household_results
// and shiki.member_results as COPY text, byte for byte what append_outcome
// (results.h) writes from the output record's JSON, without that JSON: the
// output layout is matched to the columns once, and each Result is read in
// the order the engine filled it (interpreter/engine/outputs.cpp). Fields
// beyond the columns go to `extra` as the record would write them.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/ledger/results.h"
#include "interpreter/bytecode/program.h"
#include "interpreter/engine/output_layout.h"
#include "interpreter/engine/result.h"

namespace shiki::ledger {

class ResultRows {
 public:
  ResultRows(const bytecode::Program& p, const engine::OutputLayout& layout);
  // Whether the record's shape is the one the columns take (premium an
  // object, members and premium.installments arrays, every figure a plain
  // value). When not, the batch stores each record through its JSON text,
  // which reports what is wrong as it always has.
  bool fits() const { return fits_; }
  // Appends the rows of one assessed household; throws LedgerError, as
  // append_outcome does, for a record not in household.md's shape.
  void append(ResultBlock& block, std::int64_t run_id, const std::string& household_id, const engine::Result& r);

 private:
  enum class Role : std::uint8_t { Extra, Skip, Mixed, Column, Installments, Members };
  enum class Kind { Null, Boolean, Integer, String };  // how the record writes a value
  struct Leaf {
    const bytecode::Value* value = nullptr;  // nullptr: not in the record
    const bytecode::OutputField* field = nullptr;
  };
  struct MemberRow {
    Leaf person, category, rate;
    std::string extra;
    bool has_extra = false;
  };

  void assign_roles();
  void index_scopes();
  void read(const engine::Result& r);
  void fill(int element);
  void mark(int root);
  void walk(int node, std::string* json);
  void emit(int node, std::string& out);
  void consume(int node);
  void installments(int node);
  void members(int node);
  Leaf leaf(int node) const;
  // append_outcome's checks of a value, with its messages; `path()` spells
  // the field only for an error.
  static Kind kind(const Leaf& l);
  template <typename Path>
  std::int64_t yen(const Leaf& l, const std::string& id, const Path& path) const;
  bool string(const Leaf& l);  // the text of a string value into text_
  template <typename Path>
  const std::string& decimal(const Leaf& l, const std::string& id, const Path& path);
  template <typename Path>
  const std::string& date(const Leaf& l, const std::string& id, const Path& path, bool month);
  void append_household(std::string& line, std::int64_t run_id, const std::string& id);
  void append_installments(std::string& line, const std::string& id);
  void append_members(std::string& rows, std::int64_t run_id, const std::string& id);

  const bytecode::Program& p_;
  const engine::OutputLayout& layout_;
  bool fits_ = true;
  std::vector<Role> role_;                  // per node
  std::vector<char> arrays_below_;          // per node: an array at or below it
  std::vector<std::string> key_;            // per node: its key quoted, with the colon
  std::vector<std::vector<int>> scope_;     // per scope root: its object nodes, parents first
  int household_id_ = -1, premium_ = -1, annual_ = -1, statutory_ = -1;
  std::array<int, 4> part_{-1, -1, -1, -1};              // kParts
  std::array<std::array<int, 7>, 4> figure_{};            // kParts × kPartFigures
  std::vector<std::array<int, 4>> installment_;          // per node (an element root): period month due amount
  std::vector<std::array<int, 3>> member_;               // per node (an element root): person category rate

  // One household's reading.
  const engine::Result* r_ = nullptr;
  std::vector<std::uint32_t> slot_;
  std::vector<char> has_, present_, extra_;  // per node: in the record; something for `extra` below it
  int element_ = 0;
  std::size_t run_ = 0;
  bool installments_given_ = false;
  std::vector<std::array<Leaf, 4>> installments_;
  std::vector<MemberRow> members_;
  std::size_t member_count_ = 0;
  std::string extra_text_, text_;
  std::array<std::string, 4> arrays_;  // installment periods, months, dues, amounts
};

}  // namespace shiki::ledger
