// Internal to compile/: emits the code of one chunk.
#pragma once
#include "../check/check.h"
#include "compile.h"

namespace shiki::compile {

class Emitter {
 public:
  Emitter(const resolve::Program& src, bytecode::Program& out, bytecode::Chunk& chunk)
      : src_(src), out_(out), chunk_(chunk) {}

  void expr(const ast::Expr& e);
  void emit(bytecode::Op op, int a = 0, int b = 0, int c = 0, int line = 0);
  int here() const { return static_cast<int>(chunk_.code.size()); }
  // Points the jump at `at` to the next instruction to be emitted.
  void patch(int at);
  int alloc_local() { return chunk_.nlocals++; }
  int constant(const bytecode::Value& v);
  void exceptions(const resolve::RuleInfo& rule);

 private:
  void call(const ast::Expr& e);
  void aggregate(const ast::Expr& e);
  void binary(const ast::Expr& e);
  void match(const ast::Expr& e);
  bool in_line_of(int entity, int months) const;

  const resolve::Program& src_;
  bytecode::Program& out_;
  bytecode::Chunk& chunk_;
  std::vector<int> let_slot_;  // checker's local id -> slot in this chunk
  int line_ = 0;
};

// The runtime value of a literal expression.
bytecode::Value literal_value(const ast::Expr& e, bytecode::Program& out);

}  // namespace shiki::compile
