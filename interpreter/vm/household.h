// One household as the VM sees it: instances of every entity, how they nest,
// and their input values. The JSON and ledger adapters fill it; it is reused
// from household to household so that its buffers are allocated once.
#pragma once
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "../bytecode/value.h"

namespace shiki::vm {

struct Household {
  std::string id;                              // household_id, for errors
  int fiscal_year = 0;
  std::vector<int> count;                      // per entity
  // per child entity e: child_begin[e][p] .. child_begin[e][p+1] are the
  // instances of e under instance p of its parent (size count[parent] + 1).
  std::vector<std::vector<int>> child_begin;
  std::vector<std::vector<bytecode::Value>> inputs;  // per entity: count × ninputs
  std::deque<std::string> texts;               // storage for text inputs

  // The instance of the parent entity that instance `i` of child entity `e` sits under.
  int parent_of(int e, int i) const {
    const auto& begin = child_begin[e];
    return static_cast<int>(std::upper_bound(begin.begin(), begin.end(), i) - begin.begin()) - 1;
  }

  void reset(std::size_t entities) {
    id.clear();
    count.assign(entities, 0);
    child_begin.resize(entities);
    inputs.resize(entities);
    for (auto& c : child_begin) c.clear();
    for (auto& i : inputs) i.clear();
    texts.clear();
  }
};

}  // namespace shiki::vm
