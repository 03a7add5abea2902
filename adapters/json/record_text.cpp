#include "record_text.h"

#include "record_writer.h"

namespace shiki::json_adapter {

using bytecode::Tag;
using bytecode::Value;

namespace {

// nlohmann's string escaping: quotes, backslash and control characters;
// UTF-8 passes through.
void quote(const std::string& s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void serialise(const bytecode::Program& p, const Value& v, const ast::Type& type,
               const std::vector<std::string>& path, std::string& out) {
  switch (v.tag) {
    case Tag::None: out += "null"; return;
    case Tag::Bool: out += v.i ? "true" : "false"; return;
    case Tag::Num:
      if (type.base == ast::Base::Money || type.base == ast::Base::Integer) {
        out += std::to_string(whole_number(v, path));
      } else {
        quote(v.num().to_string(), out);
      }
      return;
    case Tag::Date: quote(time::to_string(time::Date{v.i}), out); return;
    case Tag::Month: quote(time::to_string(time::Month{v.i}), out); return;
    case Tag::Enum:
      if (type.base == ast::Base::Enum && type.enum_id >= 0) quote(p.enum_cases[type.enum_id][v.i], out);
      else out += std::to_string(v.i);
      return;
    case Tag::Text: quote(*v.text, out); return;
  }
}

}  // namespace

RecordText::RecordText(const bytecode::Program& p) : p_(p) {
  nodes_.emplace_back();  // the record
  element_root_.assign(p.outputs.size(), -1);
  // Top-level blocks first, then nested arrays inside their outer block's
  // element (an outer block may be declared after the one nested in it).
  std::vector<char> placed(p.outputs.size(), 0);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t b = 0; b < p.outputs.size(); ++b) {
      const auto& block = p.outputs[b];
      if (placed[b] || (block.outer >= 0 && !placed[block.outer])) continue;
      place(static_cast<int>(b), block.outer >= 0 ? element_root_[block.outer] : 0);
      placed[b] = progress = true;
    }
  }
  ruleset_leaf_ = add_path(0, {"ruleset"});
  value_.resize(nodes_.size());
  given_.assign(p.outputs.size(), 1);
  has_.resize(nodes_.size());
}

// The nodes of block b's fields, below `parent` (the record, or the element
// of the block its array is nested in).
void RecordText::place(int b, int parent) {
  const auto& block = p_.outputs[b];
  int root = parent;
  if (!block.into.empty()) {
    int arr = add_path(parent, block.into);
    nodes_[arr].arrays.push_back(b);
    nodes_.emplace_back();
    root = element_root_[b] = static_cast<int>(nodes_.size() - 1);
  }
  for (std::size_t f = 0; f < block.fields.size(); ++f) {
    int leaf = add_path(root, block.fields[f].path);
    nodes_[leaf].block = b;
    nodes_[leaf].field = static_cast<int>(f);
  }
}

int RecordText::add_path(int node, const std::vector<std::string>& path) {
  for (const auto& seg : path) {
    auto it = nodes_[node].children.find(seg);
    if (it != nodes_[node].children.end()) {
      node = it->second;
      continue;
    }
    nodes_.emplace_back();
    int id = static_cast<int>(nodes_.size() - 1);
    nodes_[node].children[seg] = id;
    node = id;
  }
  return node;
}

// Evaluates the fields of `block` into the leaves below `root`.
void RecordText::fill(int root, int block, const vm::Household&, vm::VM& vm) {
  const auto& b = p_.outputs[block];
  auto& stack = work_;
  stack.assign(1, root);
  while (!stack.empty()) {
    int n = stack.back();
    stack.pop_back();
    for (const auto& [key, child] : nodes_[n].children) stack.push_back(child);
    if (nodes_[n].block != block) continue;
    const auto& f = b.fields[nodes_[n].field];
    has_[n] = 0;
    if (f.when >= 0) {
      Value w = vm.run(f.when);
      if (w.tag != Tag::Bool || !w.i) continue;
    }
    value_[n].clear();
    serialise(p_, vm.run(f.value), f.type, f.path, value_[n]);
    has_[n] = 1;
  }
}

bool RecordText::present(int node) const {
  const auto& n = nodes_[node];
  if (n.field >= 0 || node == ruleset_leaf_) return has_[node];
  for (int b : n.arrays)
    if (given_[b]) return true;
  for (const auto& [key, child] : n.children)
    if (present(child)) return true;
  return false;
}

void RecordText::emit(int node, const vm::Household& h, vm::VM& vm, std::string& out) {
  const auto& n = nodes_[node];
  if (n.field >= 0 || node == ruleset_leaf_) {
    out += value_[node];
    return;
  }
  if (!n.arrays.empty()) {
    out += '[';
    bool first = true;
    for (int b : n.arrays) {
      if (!given_[b]) continue;
      const auto& block = p_.outputs[b];
      int outer_entity = block.outer >= 0 ? p_.outputs[block.outer].entity : -1;
      int outer = outer_entity >= 0 ? vm.instance(outer_entity) : -1;
      for (int i = 0; i < h.count[block.entity]; ++i) {
        if (outer_entity >= 0 && !under(p_, h, block.entity, i, outer_entity, outer)) continue;
        set_ancestors(p_, h, vm, block.entity, i);
        if (block.when >= 0) {
          Value w = vm.run(block.when);
          if (w.tag != Tag::Bool || !w.i) continue;
        }
        fill(element_root_[b], b, h, vm);
        if (!first) out += ',';
        first = false;
        emit(element_root_[b], h, vm, out);
      }
    }
    out += ']';
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [key, child] : n.children) {
    if (!present(child)) continue;
    if (!first) out += ',';
    first = false;
    quote(key, out);
    out += ':';
    emit(child, h, vm, out);
  }
  out += '}';
}

void RecordText::write(const vm::Household& h, vm::VM& vm, const std::string& ruleset_json, std::string& out) {
  std::fill(has_.begin(), has_.end(), 0);
  for (std::size_t b = 0; b < p_.outputs.size(); ++b) {
    const auto& block = p_.outputs[b];
    given_[b] = 1;
    if (block.given >= 0) {
      set_ancestors(p_, h, vm, p_.root_entity, 0);
      Value g = vm.run(block.given);
      given_[b] = g.tag == Tag::Bool && g.i;
    }
    if (!block.into.empty()) continue;
    set_ancestors(p_, h, vm, block.entity, 0);
    if (block.when >= 0) {
      Value w = vm.run(block.when);
      if (w.tag != Tag::Bool || !w.i) continue;
    }
    fill(0, static_cast<int>(b), h, vm);
  }
  value_[ruleset_leaf_] = ruleset_json;
  has_[ruleset_leaf_] = 1;
  emit(0, h, vm, out);
}

}  // namespace shiki::json_adapter
