// The shape of household.md's output record, built once per ruleset from its
// `output` declarations: a tree of named nodes (keys in byte order, as the
// record is written), leaves naming an output field, arrays naming the
// blocks whose elements they hold. Evaluation (outputs.h) and every writer
// walk it in the same order, so a Result is read back without the VM.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "../bytecode/program.h"

namespace shiki::engine {

struct OutputLayout {
  struct Node {
    std::map<std::string, int> children;  // sorted: the record's key order
    int block = -1, field = -1;           // a leaf: the output field
    std::vector<int> arrays;              // blocks whose elements form this array
  };
  explicit OutputLayout(const bytecode::Program& p);

  std::vector<Node> nodes;          // nodes[0] is the record
  std::vector<int> element_root;    // per array block: the root of one element's tree
  // Per block: its leaves in the order the fields are declared, which is the
  // order they are evaluated in (and stored in a Result): of two failing
  // outputs, the one written first in the ruleset is reported.
  std::vector<std::vector<int>> fill_order;
  int ruleset_leaf = -1;            // "ruleset": {"id", "hash"}, written by the adapter

 private:
  void place(const bytecode::Program& p, int block, int parent);
  int add_path(int node, const std::vector<std::string>& path);
};

}  // namespace shiki::engine
