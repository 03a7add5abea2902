#include "output_layout.h"

namespace shiki::engine {

OutputLayout::OutputLayout(const bytecode::Program& p) {
  nodes.emplace_back();  // the record
  element_root.assign(p.outputs.size(), -1);
  // Top-level blocks first, then nested arrays inside their outer block's
  // element (an outer block may be declared after the one nested in it).
  std::vector<char> placed(p.outputs.size(), 0);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t b = 0; b < p.outputs.size(); ++b) {
      const auto& block = p.outputs[b];
      if (placed[b] || (block.outer >= 0 && !placed[block.outer])) continue;
      place(p, static_cast<int>(b), block.outer >= 0 ? element_root[block.outer] : 0);
      placed[b] = progress = true;
    }
  }
  ruleset_leaf = add_path(0, {"ruleset"});
}

// The nodes of block b's fields, below `parent` (the record, or the element
// of the block its array is nested in).
void OutputLayout::place(const bytecode::Program& p, int b, int parent) {
  const auto& block = p.outputs[b];
  int root = parent;
  if (!block.into.empty()) {
    int arr = add_path(parent, block.into);
    nodes[arr].arrays.push_back(b);
    nodes.emplace_back();
    root = element_root[b] = static_cast<int>(nodes.size() - 1);
  }
  fill_order.resize(p.outputs.size());
  for (std::size_t f = 0; f < block.fields.size(); ++f) {
    int leaf = add_path(root, block.fields[f].path);
    nodes[leaf].block = b;
    nodes[leaf].field = static_cast<int>(f);
    fill_order[b].push_back(leaf);
  }
}

int OutputLayout::add_path(int node, const std::vector<std::string>& path) {
  for (const auto& seg : path) {
    auto it = nodes[node].children.find(seg);
    if (it != nodes[node].children.end()) {
      node = it->second;
      continue;
    }
    nodes.emplace_back();
    int id = static_cast<int>(nodes.size() - 1);
    nodes[node].children[seg] = id;
    node = id;
  }
  return node;
}

}  // namespace shiki::engine
