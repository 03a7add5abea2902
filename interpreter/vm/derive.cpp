// Derived entities, built before a household is evaluated: a group's
// instances are the distinct keys of the grouped entity's instances visible
// from each parent instance, in key order (SQL's GROUP BY … ORDER BY); a span's
// instances are its days. They are built in declaration order, so one may
// group or span over another declared before it.
#include <algorithm>

#include "values.h"
#include "vm.h"

namespace shiki::vm {

using bytecode::Tag;
using bytecode::Value;

namespace {

// A span longer than this is a mistake in the data or the rules, not a
// late charge: ten years of days.
constexpr int kMaxDays = 3660;

bool less_row(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (int c = compare(a[i], b[i])) return c < 0;
  return false;
}

bool same_row(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (compare(a[i], b[i]) != 0) return false;
  return true;
}

}  // namespace

void VM::set_ancestors(const Household& h, int entity, int instance) {
  for (int e = entity; e >= 0; e = base_.entities[e].parent) {
    cur_[e] = instance;
    if (base_.entities[e].parent < 0) break;
    instance = h.parent_of(e, instance);
  }
}

// The key rows of one parent instance (its ancestors are current).
void VM::derived_rows(const Household& h, const bytecode::EntityLayout& ent, std::vector<std::vector<Value>>& rows) {
  rows.clear();
  if (ent.kind == ast::EntityKind::Days) {
    Value first = run(ent.first), last = run(ent.last);
    if (first.tag != Tag::Date || last.tag != Tag::Date) return;
    if (last.i - first.i >= kMaxDays) fail("日の範囲が長すぎます（" + describe(first) + " から " + describe(last) + "）");
    for (int d = first.i; d <= last.i; ++d) rows.push_back({Value::date(d)});
    return;
  }
  int s = ent.source, sp = base_.entities[s].parent;
  const auto& begin = h.child_begin[s];
  int saved = cur_[s];
  for (int i = begin[cur_[sp]]; i < begin[cur_[sp] + 1]; ++i) {
    cur_[s] = i;
    if (ent.filter >= 0) {
      Value keep = run(ent.filter);
      if (keep.tag != Tag::Bool || !keep.i) continue;
    }
    std::vector<Value> row;
    for (int k : ent.keys) row.push_back(run(k));
    rows.push_back(std::move(row));
  }
  cur_[s] = saved;
  std::sort(rows.begin(), rows.end(), less_row);
  rows.erase(std::unique(rows.begin(), rows.end(), same_row), rows.end());
}

bool VM::derive(Household& h) {
  bool any = false;
  std::vector<std::vector<Value>> rows;
  for (std::size_t d = 0; d < base_.entities.size(); ++d) {
    const auto& ent = base_.entities[d];
    if (ent.kind != ast::EntityKind::Group && ent.kind != ast::EntityKind::Days) continue;
    any = true;
    start(h, false);  // the memo, sized for the entities built so far
    std::vector<int> key_slots;
    for (int slot = 0; slot < ent.ninputs; ++slot)
      if (base_.inputs[base_.entity_inputs[d][slot]].is_key) key_slots.push_back(slot);
    auto& begin = h.child_begin[d];
    begin.assign(1, 0);
    h.count[d] = 0;
    h.inputs[d].clear();
    for (int p = 0; p < h.count[ent.parent]; ++p) {
      set_ancestors(h, ent.parent, p);
      derived_rows(h, ent, rows);
      for (const auto& row : rows) {
        int inst = h.count[d]++;
        h.inputs[d].resize(static_cast<std::size_t>(h.count[d]) * ent.ninputs);
        for (std::size_t k = 0; k < key_slots.size() && k < row.size(); ++k)
          h.inputs[d][static_cast<std::size_t>(inst) * ent.ninputs + key_slots[k]] = row[k];
      }
      begin.push_back(h.count[d]);
    }
  }
  return any;
}

}  // namespace shiki::vm
