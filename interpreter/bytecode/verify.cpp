// The bytecode verifier: every operand in range, every jump inside its
// chunk, and the operand stack depth the same on every path into an
// instruction, never below the chunk's locals, and exactly one value at each
// RETURN. The compiler's output is verified in the tests and by `shiki check`.
#include <deque>

#include "program.h"

namespace shiki::bytecode {

namespace {

// Depth change along the fall-through edge and along the jump edge.
struct Effect {
  int fall, jump;
  bool jumps;
};

Effect effect(const Instr& in) {
  switch (in.op) {
    case Op::CALL: case Op::TABLE: case Op::CHUNK: case Op::BUILTIN: return {1 - in.b, 0, false};
    case Op::TABLE_AT: return {-in.b, 0, false};  // n arguments and the date in, the value out
    case Op::JUMP: return {0, 0, true};
    case Op::JUMP_IF_NOT: return {-1, -1, true};
    case Op::AND_JUMP: case Op::OR_JUMP: return {-1, 0, true};
    case Op::JUMP_IF_IS: return {0, -1, true};
    case Op::NEXT: case Op::ALIKE_END: return {0, 0, true};
    default: return {op_info(in.op).stack, 0, false};
  }
}

int jump_offset(const Instr& in) {
  return in.op == Op::JUMP_IF_IS ? in.b : in.op == Op::NEXT || in.op == Op::ALIKE_END ? in.c : in.a;
}

}  // namespace

std::string verify(const Program& p, const Chunk& c) {
  auto where = [&](std::size_t pc, const std::string& what) {
    return c.name + " @" + std::to_string(pc) + " " + op_info(c.code[pc].op).name + ": " + what;
  };
  const int n = static_cast<int>(c.code.size());
  if (n == 0) return c.name + ": empty chunk";
  std::vector<int> depth(n, -1);
  std::deque<int> work{0};
  depth[0] = 0;
  while (!work.empty()) {
    int pc = work.front();
    work.pop_front();
    const Instr& in = c.code[pc];
    auto in_range = [&](std::int64_t v, std::size_t size) { return v >= 0 && static_cast<std::size_t>(v) < size; };
    switch (in.op) {
      case Op::CONST: if (!in_range(in.a, p.constants.size())) return where(pc, "constant out of range"); break;
      case Op::PARAM: if (!in_range(in.a, p.params.size())) return where(pc, "parameter out of range"); break;
      case Op::RULE: case Op::CALL: if (!in_range(in.a, p.rule_chunk.size())) return where(pc, "rule out of range"); break;
      case Op::TABLE: case Op::TABLE_AT:
        if (!in_range(in.a, p.tables.size())) return where(pc, "table out of range");
        break;
      case Op::CHUNK: if (!in_range(in.a, p.chunks.size())) return where(pc, "chunk out of range"); break;
      case Op::INPUT:
        if (!in_range(in.a, p.entities.size()) || !in_range(in.b, p.entity_inputs[in.a].size()))
          return where(pc, "input out of range");
        break;
      case Op::LOCAL: case Op::SET_LOCAL: case Op::ACC_MAX: case Op::ACC_MIN: case Op::EXC_SET:
        if (!in_range(in.a, c.nlocals)) return where(pc, "local out of range");
        break;
      case Op::FOR: case Op::FOR_EARLIER:
        if (!in_range(in.b + 1, c.nlocals)) return where(pc, "loop locals out of range");
        break;
      case Op::FOR_ALIKE: case Op::ALIKE_END:
        if (!in_range(in.b - 1, c.nlocals) || !in_range(in.b + 3, c.nlocals)) return where(pc, "loop locals out of range");
        if (!in_range(in.a, p.entities.size()) || p.entities[in.a].alike_rule < 0) return where(pc, "not months that may be alike");
        break;
      default: break;
    }
    Effect e = effect(in);
    int d = depth[pc];
    if (in.op == Op::RETURN) {
      if (d != 1) return where(pc, "returns with " + std::to_string(d) + " values on the stack");
      continue;
    }
    if (in.op == Op::NO_ROW) continue;  // stops the evaluation: no successor
    auto flow = [&](int target, int nd) -> std::string {
      if (target < 0 || target >= n) return where(pc, "jump outside the chunk");
      if (nd < 0) return where(pc, "stack underflow");
      if (depth[target] == -1) {
        depth[target] = nd;
        work.push_back(target);
      } else if (depth[target] != nd) {
        return where(pc, "stack depth " + std::to_string(nd) + " meets " + std::to_string(depth[target]));
      }
      return "";
    };
    if (e.jumps) {
      if (auto err = flow(pc + 1 + jump_offset(in), d + e.jump); !err.empty()) return err;
      if (in.op == Op::JUMP) continue;
    }
    if (auto err = flow(pc + 1, d + e.fall); !err.empty()) return err;
  }
  return "";
}

}  // namespace shiki::bytecode
