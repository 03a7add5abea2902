// The typed result of one household: every output figure as a runtime
// value, in the order OutputLayout's walk meets them. Writers (JSON text,
// the ledger's COPY rows) read it without the VM; its text values point
// into the household and the program, so it is read before the next
// household is evaluated.
#pragma once
#include <cstdint>
#include <vector>

#include "../bytecode/value.h"

namespace shiki::engine {

struct Result {
  // One element: a top-level block's record, or one element of an array.
  struct Element {
    int block;
    int instance;            // of the block's entity
    std::uint32_t first;     // its fields: values[first .. first + fill_order[block].size())
  };
  std::vector<char> given;              // per block: its `given` held (arrays only are affected)
  std::vector<int> top;                 // per top-level block: its element, or -1 (its `when` failed)
  std::vector<Element> elements;        // top-level records, then array elements in walk order
  std::vector<std::uint32_t> runs;      // per array met in the walk: how many elements it holds
  std::vector<bytecode::Value> values;  // per field of an element, in fill order
  std::vector<char> present;            // per value: its field's `when` held

  void clear(std::size_t blocks) {
    given.assign(blocks, 1);
    top.assign(blocks, -1);
    elements.clear();
    runs.clear();
    values.clear();
    present.clear();
  }
};

}  // namespace shiki::engine
