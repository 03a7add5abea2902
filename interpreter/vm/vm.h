// Stage 7: the virtual machine. Evaluates a specialised Program for one
// household at a time, on demand: a rule runs the first time something
// needs it for an instance and is then memoised. One VM per thread; its
// buffers are reused from household to household.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "../specialise/specialise.h"
#include "household.h"

namespace shiki::vm {

// An evaluation that cannot finish: overflow, a missing value, two
// exceptions without precedence. Names the rule (or output) being evaluated.
struct EvalError : std::runtime_error {
  EvalError(const std::string& message, std::string where)
      : std::runtime_error(message), where(std::move(where)) {}
  std::string where;
};

// What `--explain` records: every rule evaluated, its value and what it read.
struct TraceNode {
  int rule;
  int instance;
  bytecode::Value value;
  std::vector<std::pair<int, int>> rules_used;   // (rule, instance)
  std::vector<std::pair<int, int>> inputs_used;  // (input, instance)
  std::vector<int> calls;                        // trace nodes of rules with arguments it called
  std::string args;                              // a call's arguments, shown
  std::string exception;                         // the exception that decided the value, if any
  std::string exception_source;                  // and its citation
};

class VM {
 public:
  explicit VM(const specialise::Program& program);
  ~VM();
  VM(const VM&) = delete;
  VM& operator=(const VM&) = delete;

  // Prepares for a household (sizes the memo; keeps capacity).
  void start(const Household& household, bool trace);
  // Builds the household's derived entities (group, days: vm/derive.cpp);
  // when it built any, call start() again before evaluating.
  bool derive(Household& household);
  // Evaluates a chunk with no arguments in the current instances (`set_instance`).
  bytecode::Value run(int chunk);
  void set_instance(int entity, int instance);
  // Makes `instance` of `entity` current, with its ancestors.
  void set_ancestors(const Household& h, int entity, int instance);
  int instance(int entity) const { return cur_[entity]; }
  // Every month computed, even where `alike when` holds: to check that
  // promise against the one-month computation (shiki eval --every-month).
  void set_every_month(bool on) { every_month_ = on; }
  const std::vector<TraceNode>& trace() const { return trace_; }
  // The trace node of a rule at an instance, or -1 when it was not evaluated.
  int trace_node(int rule, int instance) const;
  const specialise::Program& program() const { return prog_; }
  std::string describe(const bytecode::Value& v) const;

 private:
  bytecode::Value call(int chunk, int nargs);
  int table_version_at(int table, const bytecode::Value& date) const;
  void derived_rows(const Household& h, const bytecode::EntityLayout& entity,
                    std::vector<std::vector<bytecode::Value>>& rows);
  bytecode::Value traced_call(int rule, int nargs);
  bytecode::Value month_call(int rule);
  bytecode::Value rule(int r);
  bytecode::Value builtin(int b, int nargs);
  bool months_alike(int entity);
  [[noreturn]] void fail(const std::string& message) const;

  const specialise::Program& prog_;
  const bytecode::Program& base_;
  const Household* hh_ = nullptr;
  std::vector<bytecode::Value> stack_;
  std::size_t sp_ = 0;
  std::vector<int> cur_;
  std::vector<std::size_t> memo_base_;
  std::vector<bytecode::Value> memo_;
  std::vector<std::uint8_t> done_;              // 0 not yet, 1 done, 2 done and depends on which month
  std::vector<std::uint8_t> month_rule_;        // per rule: a rule of a months entity
  struct RuleSlot {                             // per rule: where its memo is, for the RULE fast path
    int entity, slot, stride;                   // stride: the entity's rules per instance
  };
  std::vector<RuleSlot> rule_slot_;
  std::vector<std::uint8_t> months_entity_;     // per entity
  // Whether the value being computed depends on which month is current (not
  // only on the members' month rules): a months rule's value that does not
  // is the same in every month where `alike when` holds.
  bool month_dep_ = false;
  bool every_month_ = false;
  bool alike_busy_ = false;                     // evaluating an `alike when` rule
  std::vector<std::size_t> month_memo_base_;    // per entity
  std::vector<bytecode::Value> month_memo_;
  std::vector<std::uint8_t> month_done_;
  std::vector<int> chunk_stack_;
  bool tracing_ = false;
  std::vector<TraceNode> trace_;
  std::vector<int> trace_of_memo_;
  std::vector<int> trace_stack_;
  int first_month_ = 0;
  bytecode::WideArena wide_;  // this household's numbers past 64 bits
};

}  // namespace shiki::vm
