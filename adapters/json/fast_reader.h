// The streaming paths' reader: one record's text straight into the typed
// household with simdjson's On-Demand parser, driven by the declared shape
// (fast_shape.h), with no JSON tree in between. It takes only what it reads
// exactly as the strict path (parse_strict, then HouseholdReader) does:
// on anything else (a syntax error, a type it does not expect, a missing,
// unknown or repeated field, a number it would not read exactly, a limit
// passed, an escape in a string) it declines, and the caller reads the
// record the strict way, which names the problem. So the values read and the
// error records are the strict path's.
#pragma once
#include <memory>
#include <string_view>

#include "adapters/json/fast_shape.h"
#include "interpreter/engine/engine.h"
#include "interpreter/vm/household.h"

namespace shiki::json_adapter {

class FastReader {
 public:
  // One per evaluator (a thread): it holds the parser and its buffers.
  FastReader(const bytecode::Program& p, const FastShape& shape);
  ~FastReader();
  FastReader(const FastReader&) = delete;
  FastReader& operator=(const FastReader&) = delete;

  // True when `text` was read into `h` (every input, instance and id; the
  // record's fiscal_year, 1–9999, into `fiscal_year`) as the strict path
  // reads it with unknown fields refused; false when the record is left to
  // the strict path, `h` then being anything.
  bool read(std::string_view text, const engine::InputLimits& limits, vm::Household& h, int& fiscal_year);

 private:
  struct Parser;
  const bytecode::Program& p_;
  const FastShape& shape_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace shiki::json_adapter
