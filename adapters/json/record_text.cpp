#include "record_text.h"

#include <algorithm>

#include "interpreter/engine/outputs.h"

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
        out += std::to_string(engine::whole_number(v, path));
      } else {
        out += '"';
        if (v.is_fixed()) decimal::fixed::append_text(v.as_fixed(), out);
        else out += v.num().to_string();
        out += '"';
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

void append_json_value(const bytecode::Program& p, const Value& v, const ast::Type& type,
                       const std::vector<std::string>& path, std::string& out) {
  serialise(p, v, type, path, out);
}

void append_json_string(const std::string& s, std::string& out) { quote(s, out); }

// The strings of serialise() above, unquoted.
bool append_string_text(const bytecode::Program& p, const Value& v, const ast::Type& type, std::string& out) {
  switch (v.tag) {
    case Tag::Num:
      if (type.base == ast::Base::Money || type.base == ast::Base::Integer) return false;
      if (v.is_fixed()) decimal::fixed::append_text(v.as_fixed(), out);
      else out += v.num().to_string();
      return true;
    case Tag::Date: out += time::to_string(time::Date{v.i}); return true;
    case Tag::Month: out += time::to_string(time::Month{v.i}); return true;
    case Tag::Enum:
      if (type.base != ast::Base::Enum || type.enum_id < 0) return false;
      out += p.enum_cases[type.enum_id][v.i];
      return true;
    case Tag::Text: out += *v.text; return true;
    default: return false;
  }
}

RecordText::RecordText(const bytecode::Program& p, const engine::OutputLayout& layout) : p_(p), layout_(layout) {
  const std::size_t n = layout.nodes.size();
  slot_.resize(n);
  has_.resize(n);
  present_.resize(n);
  key_.resize(n);
  scope_.resize(n);
  // Each node's key written once: "\"key\":".
  for (const auto& node : layout.nodes)
    for (const auto& [key, child] : node.children) {
      quote(key, key_[child]);
      key_[child] += ':';
    }
  // Per scope (the record, each element root): its object nodes, parents
  // before children, not descending into the arrays' elements.
  std::vector<int> roots{0};
  for (int r : layout.element_root)
    if (r >= 0) roots.push_back(r);
  for (int root : roots) {
    std::vector<int> stack{root};
    while (!stack.empty()) {
      int node = stack.back();
      stack.pop_back();
      const auto& nd = layout.nodes[node];
      if (nd.field >= 0 || node == layout.ruleset_leaf || !nd.arrays.empty()) continue;
      scope_[root].push_back(node);
      for (const auto& [key, child] : nd.children) stack.push_back(child);
    }
  }
}

// The leaves of one element: where their values are in the Result.
void RecordText::fill(const engine::Result& r, int element) {
  const auto& e = r.elements[element];
  const auto& order = layout_.fill_order[e.block];
  for (std::size_t k = 0; k < order.size(); ++k) {
    slot_[order[k]] = e.first + static_cast<std::uint32_t>(k);
    has_[order[k]] = r.present[e.first + k];
  }
}

// Whether each node of the scope has something to write: a leaf its value,
// an array its `given`, an object any of these below it. One pass, children
// before parents, instead of a search below every key.
void RecordText::mark_present(const engine::Result& r, int root) {
  const auto& nodes = scope_[root];
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    bool any = false;
    for (const auto& [key, child] : layout_.nodes[*it].children) {
      const auto& c = layout_.nodes[child];
      if (c.field >= 0 || child == layout_.ruleset_leaf) {
        present_[child] = has_[child];
      } else if (!c.arrays.empty()) {
        present_[child] = std::any_of(c.arrays.begin(), c.arrays.end(), [&](int b) { return r.given[b] != 0; });
      }
      any = any || present_[child];
    }
    present_[*it] = any;
  }
}

void RecordText::emit(const engine::Result& r, int node, std::string& out) {
  const auto& n = layout_.nodes[node];
  if (node == layout_.ruleset_leaf) {
    out += *ruleset_json_;
    return;
  }
  if (n.field >= 0) {
    const auto& f = p_.outputs[n.block].fields[n.field];
    serialise(p_, r.values[slot_[node]], f.type, f.path, out);
    return;
  }
  if (!n.arrays.empty()) {
    out += '[';
    bool first = true;
    for (int b : n.arrays) {
      if (!r.given[b]) continue;
      const std::uint32_t count = r.runs[run_++];
      const int root = layout_.element_root[b];
      for (std::uint32_t k = 0; k < count; ++k) {
        fill(r, element_++);
        mark_present(r, root);
        if (!first) out += ',';
        first = false;
        emit(r, root, out);
      }
    }
    out += ']';
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [key, child] : n.children) {
    if (!present_[child]) continue;
    if (!first) out += ',';
    first = false;
    out += key_[child];
    emit(r, child, out);
  }
  out += '}';
}

void RecordText::write(const engine::Result& r, const std::string& ruleset_json, std::string& out) {
  std::fill(has_.begin(), has_.end(), 0);
  element_ = 0;
  for (int e : r.top)
    if (e >= 0) {
      fill(r, e);
      element_ = std::max(element_, e + 1);
    }
  run_ = 0;
  ruleset_json_ = &ruleset_json;
  has_[layout_.ruleset_leaf] = 1;
  mark_present(r, 0);
  emit(r, 0, out);
}

}  // namespace shiki::json_adapter
