#include "specialise.h"

namespace shiki::specialise {

using bytecode::Op;

std::unique_ptr<Program> run(std::shared_ptr<const bytecode::Program> base, int fy) {
  auto out = std::make_unique<Program>();
  out->fiscal_year = fy;
  out->chunks = base->chunks;
  out->constants = base->constants;
  time::Date on = time::fiscal_year_start(fy);
  std::vector<int> param_const(base->params.size(), -1);
  for (std::size_t p = 0; p < base->params.size(); ++p) {
    const auto& versions = base->params[p].versions;
    for (const auto& [from, value] : versions)
      if (from <= on) {
        if (param_const[p] < 0) {
          out->constants.push_back(value);
          param_const[p] = static_cast<int>(out->constants.size() - 1);
        } else {
          out->constants[param_const[p]] = value;
        }
      }
  }
  std::vector<int> table_chunk(base->tables.size(), -1);
  for (std::size_t t = 0; t < base->tables.size(); ++t)
    for (const auto& [from, chunk] : base->tables[t].versions)
      if (!from || *from <= on) table_chunk[t] = chunk;
  for (auto& chunk : out->chunks)
    for (auto& in : chunk.code) {
      if (in.op == Op::PARAM) {
        // A parameter not yet in force (the child part before FY2026) stays
        // PARAM: reaching it is an evaluation error naming the parameter.
        if (param_const[in.a] >= 0) in = {Op::CONST, param_const[in.a], 0, 0};
      } else if (in.op == Op::TABLE) {
        if (table_chunk[in.a] >= 0) in = {Op::CHUNK, table_chunk[in.a], in.b, 0};
      }
    }
  out->base = std::move(base);
  return out;
}

}  // namespace shiki::specialise
