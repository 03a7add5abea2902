// Stage 6: bytecode::Program + fiscal year -> specialise::Program. Every
// parameter becomes the constant in force on 1 April of the year (賦課期日)
// and every table call goes straight to the rows of the year's version, so
// the VM never looks up a date while evaluating a household.
#pragma once
#include <memory>
#include <string>

#include "../bytecode/program.h"

namespace shiki::specialise {

struct Program {
  std::shared_ptr<const bytecode::Program> base;
  int fiscal_year = 0;
  std::vector<bytecode::Chunk> chunks;       // base chunks with PARAM and TABLE rewritten
  std::vector<bytecode::Value> constants;    // base constants + the year's parameter values
};

// A parameter or table with no version in force stays unspecialised; the VM
// reports it if an evaluation reaches it.
std::unique_ptr<Program> run(std::shared_ptr<const bytecode::Program> base, int fiscal_year);

// `shiki dump --stage=plan` (specialise/dump.cpp): every chunk as the year
// runs it, each constant that was a parameter named with the version in
// force; only the chunk of the rule with id `rule` when it is >= 0.
std::string dump(const Program& plan, int rule = -1);

}  // namespace shiki::specialise
