// `shiki dump --stage=plan`: the bytecode of one fiscal year, listed by the
// disassembler of `shiki dis` against the year's constant pool.
#include <map>

#include "specialise.h"

namespace shiki::specialise {

namespace {

using bytecode::Op;

// What specialisation did, found where the base and the plan differ.
struct Folding {
  std::map<int, std::string> labels;  // constant -> "医療分.所得割率 from 2026-04-01"
  std::size_t instructions = 0, replaced = 0, left = 0;
};

Folding folding(const Program& plan) {
  const bytecode::Program& base = *plan.base;
  time::Date on = time::fiscal_year_start(plan.fiscal_year);
  Folding out;
  for (std::size_t c = 0; c < base.chunks.size(); ++c)
    for (std::size_t i = 0; i < base.chunks[c].code.size(); ++i) {
      const auto &was = base.chunks[c].code[i], &now = plan.chunks[c].code[i];
      ++out.instructions;
      out.left += now.op == Op::PARAM;
      if (was.op != Op::PARAM || now.op != Op::CONST) continue;
      ++out.replaced;
      const auto& param = base.params[was.a];
      std::string from;
      for (const auto& [date, value] : param.versions)
        if (date <= on) from = time::to_string(date);
      out.labels[now.a] = param.name + " from " + from;
    }
  return out;
}

std::string count(std::size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

std::string dump(const Program& plan, int rule) {
  const bytecode::Program& base = *plan.base;
  Folding f = folding(plan);
  std::string out = "== plan FY" + std::to_string(plan.fiscal_year) + " of " + base.id + ": " +
                    count(plan.chunks.size(), "chunk") + ", " + count(f.instructions, "instruction") + "; " +
                    std::to_string(f.replaced) + " PARAM -> CONST, " + std::to_string(f.left) +
                    " PARAM left (no version in force) ==\n";
  auto label = [&f](int k) {
    auto it = f.labels.find(k);
    return it == f.labels.end() ? std::string() : it->second;
  };
  if (rule >= 0) return out + bytecode::disassemble(base, plan.chunks[base.rule_chunk[rule]], plan.constants, label);
  for (const auto& c : plan.chunks) out += bytecode::disassemble(base, c, plan.constants, label);
  return out;
}

}  // namespace shiki::specialise
