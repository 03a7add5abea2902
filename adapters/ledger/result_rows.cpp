#include "adapters/ledger/result_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "adapters/json/record_text.h"
#include "adapters/ledger/copy_text.h"
#include "interpreter/engine/outputs.h"

namespace shiki::ledger {

using bytecode::Tag;
using bytecode::Value;

namespace {

bool is_money(const ast::Type& type) { return type.base == ast::Base::Money || type.base == ast::Base::Integer; }

}  // namespace

ResultRows::ResultRows(const bytecode::Program& p, const engine::OutputLayout& layout) : p_(p), layout_(layout) {
  const std::size_t n = layout.nodes.size();
  role_.assign(n, Role::Extra);
  arrays_below_.assign(n, 0);
  key_.resize(n);
  scope_.resize(n);
  slot_.resize(n);
  has_.resize(n);
  present_.resize(n);
  extra_.resize(n);
  installment_.assign(n, {-1, -1, -1, -1});
  member_.assign(n, {-1, -1, -1});
  for (auto& f : figure_) f.fill(-1);
  for (const auto& node : layout.nodes)
    for (const auto& [key, child] : node.children) {
      json_adapter::append_json_string(key, key_[child]);
      key_[child] += ':';
    }
  assign_roles();
  index_scopes();
}

// The record's nodes that become columns, and what their shape must be for
// that; the rest goes to `extra` (or, for an installment's, nowhere).
void ResultRows::assign_roles() {
  const auto& nodes = layout_.nodes;
  auto is_branch = [&](int node) { return nodes[node].field < 0 && node != layout_.ruleset_leaf; };
  auto place = [&](int parent, const char* key, Role role) {
    if (parent < 0) return -1;
    auto it = nodes[parent].children.find(key);
    if (it == nodes[parent].children.end()) return -1;
    const int node = it->second;
    const bool ok = role == Role::Skip ? true
                    : role == Role::Column ? !is_branch(node) && node != layout_.ruleset_leaf
                    : role == Role::Mixed ? is_branch(node) && nodes[node].arrays.empty()
                                          : is_branch(node) && !nodes[node].arrays.empty();
    fits_ = fits_ && ok;
    role_[node] = role;
    return node;
  };
  role_[0] = Role::Mixed;
  household_id_ = place(0, "household_id", Role::Column);
  place(0, "fiscal_year", Role::Skip);
  place(0, "ruleset", Role::Skip);
  premium_ = place(0, "premium", Role::Mixed);
  annual_ = place(premium_, "annual", Role::Column);
  statutory_ = place(premium_, "statutory_reduction", Role::Column);
  for (std::size_t i = 0; i < kParts.size(); ++i) {
    part_[i] = place(premium_, kParts[i].c_str(), Role::Mixed);
    for (std::size_t f = 0; f < kPartFigures.size(); ++f)
      figure_[i][f] = place(part_[i], kPartFigures[f].c_str(), Role::Column);
  }
  if (int list = place(premium_, "installments", Role::Installments); list >= 0 && fits_)
    for (int b : nodes[list].arrays) {
      const int root = layout_.element_root[b];
      for (const auto& [key, child] : nodes[root].children) role_[child] = Role::Skip;  // not stored
      installment_[root] = {place(root, "period", Role::Column), place(root, "month", Role::Column),
                            place(root, "due", Role::Column), place(root, "amount", Role::Column)};
    }
  if (int list = place(0, "members", Role::Members); list >= 0 && fits_)
    for (int b : nodes[list].arrays) {
      const int root = layout_.element_root[b];
      role_[root] = Role::Mixed;
      member_[root] = {place(root, "person_id", Role::Column), place(root, "limit_category", Role::Column),
                       place(root, "copay_rate", Role::Column)};
    }
}

// Per scope (the record, each element), its object nodes, parents first, as
// the record's writer marks them; and where there are arrays to pass over.
void ResultRows::index_scopes() {
  const auto& nodes = layout_.nodes;
  std::vector<int> roots{0};
  for (int r : layout_.element_root)
    if (r >= 0) roots.push_back(r);
  for (int root : roots) {
    std::vector<int> stack{root};
    while (!stack.empty()) {
      int node = stack.back();
      stack.pop_back();
      const auto& nd = nodes[node];
      if (nd.field >= 0 || node == layout_.ruleset_leaf || !nd.arrays.empty()) continue;
      scope_[root].push_back(node);
      for (const auto& [key, child] : nd.children) stack.push_back(child);
    }
  }
  std::function<bool(int)> below = [&](int node) {
    bool any = !nodes[node].arrays.empty();
    for (const auto& [key, child] : nodes[node].children) any = below(child) || any;
    for (int b : nodes[node].arrays)
      if (layout_.element_root[b] >= 0) any = below(layout_.element_root[b]) || any;
    arrays_below_[node] = any;
    return any;
  };
  below(0);
}

void ResultRows::fill(int element) {
  const auto& e = r_->elements[element];
  const auto& order = layout_.fill_order[e.block];
  for (std::size_t k = 0; k < order.size(); ++k) {
    slot_[order[k]] = e.first + static_cast<std::uint32_t>(k);
    has_[order[k]] = r_->present[e.first + k];
  }
}

// The record's presence of each object of the scope (RecordText's), and
// whether anything below it goes to `extra`.
void ResultRows::mark(int root) {
  const auto& nodes = scope_[root];
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    bool any = false, extra = false;
    for (const auto& [key, child] : layout_.nodes[*it].children) {
      const auto& c = layout_.nodes[child];
      if (c.field >= 0 || child == layout_.ruleset_leaf) {
        present_[child] = has_[child];
      } else if (!c.arrays.empty()) {
        present_[child] = std::any_of(c.arrays.begin(), c.arrays.end(), [&](int b) { return r_->given[b] != 0; });
      }
      any = any || present_[child];
      extra = extra || (role_[child] == Role::Extra && present_[child]) ||
              (role_[child] == Role::Mixed && extra_[child]);
    }
    present_[*it] = any;
    extra_[*it] = extra;
  }
}

// An object that holds columns and `extra` fields: the columns are read
// where they are, the fields written into `json` (when not null) as the
// record writes them, the arrays' elements taken in the engine's order.
void ResultRows::walk(int node, std::string* json) {
  bool first = true;
  if (json) *json += '{';
  for (const auto& [key, child] : layout_.nodes[node].children) {
    switch (role_[child]) {
      case Role::Column: break;
      case Role::Skip: consume(child); break;
      case Role::Installments: installments(child); break;
      case Role::Members: members(child); break;
      case Role::Extra:
        if (!json || !present_[child]) {
          consume(child);
          break;
        }
        if (!first) *json += ',';
        first = false;
        *json += key_[child];
        emit(child, *json);
        break;
      case Role::Mixed:
        if (!json || !extra_[child]) {
          walk(child, nullptr);
          break;
        }
        if (!first) *json += ',';
        first = false;
        *json += key_[child];
        walk(child, json);
        break;
    }
  }
  if (json) *json += '}';
}

// RecordText::emit: a field of `extra`, as the record writes it.
void ResultRows::emit(int node, std::string& out) {
  const auto& n = layout_.nodes[node];
  if (n.field >= 0) {
    const auto& f = p_.outputs[n.block].fields[n.field];
    json_adapter::append_json_value(p_, r_->values[slot_[node]], f.type, f.path, out);
    return;
  }
  if (!n.arrays.empty()) {
    out += '[';
    bool first = true;
    for (int b : n.arrays) {
      if (!r_->given[b]) continue;
      const std::uint32_t count = r_->runs[run_++];
      const int root = layout_.element_root[b];
      for (std::uint32_t k = 0; k < count; ++k) {
        fill(element_++);
        mark(root);
        if (!first) out += ',';
        first = false;
        emit(root, out);
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
    emit(child, out);
  }
  out += '}';
}

// What is not stored: its arrays' elements are passed over, in the order
// the engine filled them (outputs.cpp's visit).
void ResultRows::consume(int node) {
  const auto& n = layout_.nodes[node];
  if (!arrays_below_[node] || n.field >= 0 || node == layout_.ruleset_leaf) return;
  if (n.arrays.empty()) {
    for (const auto& [key, child] : n.children) consume(child);
    return;
  }
  for (int b : n.arrays) {
    if (!r_->given[b]) continue;
    const std::uint32_t count = r_->runs[run_++];
    for (std::uint32_t k = 0; k < count; ++k) {
      ++element_;
      consume(layout_.element_root[b]);
    }
  }
}

void ResultRows::installments(int node) {
  for (int b : layout_.nodes[node].arrays) {
    if (!r_->given[b]) continue;
    installments_given_ = true;
    const std::uint32_t count = r_->runs[run_++];
    const int root = layout_.element_root[b];
    const auto& columns = installment_[root];
    for (std::uint32_t k = 0; k < count; ++k) {
      fill(element_++);
      installments_.push_back({leaf(columns[0]), leaf(columns[1]), leaf(columns[2]), leaf(columns[3])});
      for (const auto& [key, child] : layout_.nodes[root].children)
        if (role_[child] == Role::Skip) consume(child);
    }
  }
}

void ResultRows::members(int node) {
  for (int b : layout_.nodes[node].arrays) {
    if (!r_->given[b]) continue;
    const std::uint32_t count = r_->runs[run_++];
    const int root = layout_.element_root[b];
    const auto& columns = member_[root];
    for (std::uint32_t k = 0; k < count; ++k) {
      fill(element_++);
      mark(root);
      if (member_count_ == members_.size()) members_.emplace_back();
      MemberRow& m = members_[member_count_++];
      m.person = leaf(columns[0]);
      m.category = leaf(columns[1]);
      m.rate = leaf(columns[2]);
      m.extra.clear();
      m.has_extra = extra_[root];
      walk(root, m.has_extra ? &m.extra : nullptr);
    }
  }
}

ResultRows::Leaf ResultRows::leaf(int node) const {
  if (node < 0 || !has_[node]) return {};
  const auto& n = layout_.nodes[node];
  return {&r_->values[slot_[node]], &p_.outputs[n.block].fields[n.field]};
}

// The whole Result in the engine's order: the columns found, `extra` and
// each member's written, the arrays' elements taken.
void ResultRows::read(const engine::Result& r) {
  r_ = &r;
  std::fill(has_.begin(), has_.end(), 0);
  element_ = 0;
  for (int e : r.top)
    if (e >= 0) {
      fill(e);
      element_ = std::max(element_, e + 1);
    }
  run_ = 0;
  has_[layout_.ruleset_leaf] = 1;
  mark(0);
  installments_given_ = false;
  installments_.clear();
  member_count_ = 0;
  extra_text_.clear();
  walk(0, extra_[0] ? &extra_text_ : nullptr);
}

ResultRows::Kind ResultRows::kind(const Leaf& l) {
  if (!l.value) return Kind::Null;
  switch (l.value->tag) {
    case Tag::None: return Kind::Null;
    case Tag::Bool: return Kind::Boolean;
    case Tag::Num: return is_money(l.field->type) ? Kind::Integer : Kind::String;
    case Tag::Enum:
      return l.field->type.base == ast::Base::Enum && l.field->type.enum_id >= 0 ? Kind::String : Kind::Integer;
    default: return Kind::String;
  }
}

template <typename Path>
std::int64_t ResultRows::yen(const Leaf& l, const std::string& id, const Path& path) const {
  if (kind(l) != Kind::Integer) throw BadRecord(id, path(), "a whole-yen integer");
  return l.value->tag == Tag::Enum ? std::int64_t{l.value->i} : engine::whole_number(*l.value, l.field->path);
}

bool ResultRows::string(const Leaf& l) {
  text_.clear();
  return kind(l) == Kind::String && json_adapter::append_string_text(p_, *l.value, l.field->type, text_);
}

template <typename Path>
const std::string& ResultRows::decimal(const Leaf& l, const std::string& id, const Path& path) {
  if (!string(l) || !is_decimal_text(text_)) throw BadRecord(id, path(), "a decimal string");
  return text_;
}

template <typename Path>
const std::string& ResultRows::date(const Leaf& l, const std::string& id, const Path& path, bool month) {
  if (!string(l) || !is_shaped(text_, month ? "dddd-dd" : "dddd-dd-dd"))
    throw BadRecord(id, path(), month ? "a month YYYY-MM" : "a date YYYY-MM-DD");
  if (month) text_ += "-01";
  return text_;
}

void ResultRows::append(ResultBlock& block, std::int64_t run_id, const std::string& id, const engine::Result& r) {
  ++block.household_count;
  read(r);
  append_household(block.households, run_id, id);
  append_members(block.members, run_id, id);
}

// The columns in append_outcome's order, checked as it checks them.
void ResultRows::append_household(std::string& line, std::int64_t run_id, const std::string& id) {
  auto named = [](const char* path) { return [path] { return std::string(path); }; };
  if (!string(leaf(household_id_)) || text_ != id) throw BadRecord(id, "household_id", "the household's own id");
  if (premium_ < 0 || !present_[premium_]) throw BadRecord(id, "premium", "an object");
  copy::integer(line, run_id), copy::tab(line);
  copy::text(line, id), copy::tab(line);
  copy::boolean(line, true), copy::tab(line);
  copy::null(line), copy::tab(line), copy::null(line), copy::tab(line);
  copy::integer(line, yen(leaf(annual_), id, named("premium.annual"))), copy::tab(line);
  copy::text(line, decimal(leaf(statutory_), id, named("premium.statutory_reduction"))), copy::tab(line);
  for (std::size_t i = 0; i < kParts.size(); ++i) {
    if (part_[i] < 0 || !present_[part_[i]]) {  // the child part before FY2026
      for (std::size_t f = 0; f < kPartFigures.size(); ++f) copy::null(line), copy::tab(line);
      continue;
    }
    for (std::size_t f = 0; f < kPartFigures.size(); ++f) {
      auto path = [&] { return "premium." + kParts[i] + "." + kPartFigures[f]; };
      copy::integer(line, yen(leaf(figure_[i][f]), id, path)), copy::tab(line);
    }
  }
  append_installments(line, id);
  if (extra_[0]) copy::text(line, extra_text_);
  else copy::null(line);
  copy::end_row(line);
}

// Four parallel arrays: periods, months (their first day), dues, amounts.
void ResultRows::append_installments(std::string& line, const std::string& id) {
  if (!installments_given_) throw BadRecord(id, "premium.installments", "an array");
  for (auto& a : arrays_) a = "{";
  for (std::size_t i = 0; i < installments_.size(); ++i) {
    const auto& it = installments_[i];
    auto at = [&](const char* field) {
      return [i, field] { return fmt::format("premium.installments[{}].{}", i, field); };
    };
    if (i)
      for (auto& a : arrays_) a += ',';
    copy::integer(arrays_[0], yen(it[0], id, at("period")));
    arrays_[1] += date(it[1], id, at("month"), true);
    arrays_[2] += date(it[2], id, at("due"), false);
    copy::integer(arrays_[3], yen(it[3], id, at("amount")));
  }
  for (auto& a : arrays_) {
    a += '}';
    line += a;
    copy::tab(line);
  }
}

void ResultRows::append_members(std::string& rows, std::int64_t run_id, const std::string& id) {
  for (std::size_t i = 0; i < member_count_; ++i) {
    const MemberRow& m = members_[i];
    auto at = [&](const char* field) { return [i, field] { return fmt::format("members[{}].{}", i, field); }; };
    if (!string(m.person)) throw BadRecord(id, at("person_id")(), "a string");
    copy::integer(rows, run_id), copy::tab(rows);
    copy::text(rows, id), copy::tab(rows);
    copy::integer(rows, static_cast<std::int64_t>(i)), copy::tab(rows);
    copy::text(rows, text_), copy::tab(rows);
    if (string(m.category)) copy::text(rows, text_);
    else if (kind(m.category) == Kind::Null) copy::null(rows);
    else throw BadRecord(id, at("limit_category")(), "a string or null");
    copy::tab(rows);
    if (kind(m.rate) == Kind::Null) copy::null(rows);
    else copy::text(rows, decimal(m.rate, id, at("copay_rate")));
    copy::tab(rows);
    if (m.has_extra) copy::text(rows, m.extra);
    else copy::null(rows);
    copy::end_row(rows);
  }
}

}  // namespace shiki::ledger
