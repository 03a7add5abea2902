#include "adapters/json/fast_shape.h"

namespace shiki::json_adapter {

namespace {

using Holds = FastShape::Holds;

int find_key(const FastShape::Object& o, const std::string& name) {
  for (std::size_t i = 0; i < o.keys.size(); ++i)
    if (o.keys[i].name == name) return static_cast<int>(i);
  return -1;
}

// An input's path, one key a segment, in its entity's object. A key met
// both as a leaf and as an object, or as two leaves, is left to the strict
// reader, which reads such paths in a way of its own.
void add_path(FastShape& shape, int object, const std::vector<std::string>& path, int slot) {
  for (std::size_t s = 0; s < path.size(); ++s) {
    const bool leaf = s + 1 == path.size();
    const int k = find_key(shape.objects[object], path[s]);
    if (k < 0) {
      const int inner = static_cast<int>(shape.objects.size());
      if (!leaf) shape.objects.emplace_back();
      shape.objects[object].keys.push_back({path[s], leaf ? Holds::kInput : Holds::kObject, leaf ? slot : inner});
      object = inner;
      continue;
    }
    auto& key = shape.objects[object].keys[k];
    if (leaf || key.holds != Holds::kObject) {
      key.holds = Holds::kDecline;
      return;
    }
    object = key.index;
  }
}

void add_inputs(FastShape& shape, const bytecode::Program& p, std::size_t e) {
  auto& entity = shape.entities[e];
  entity.absent.resize(p.entities[e].ninputs);
  for (int slot = 0; slot < p.entities[e].ninputs; ++slot) {
    const auto& in = p.inputs[p.entity_inputs[e][slot]];
    if (in.default_value) entity.absent[slot] = *in.default_value;
    else if (in.optional) entity.absent[slot] = bytecode::Value{};
    if (in.is_key) entity.key_slots.push_back(slot);
    else if (in.path.empty()) shape.usable = false;  // the strict reader would read the instance's object itself
    else add_path(shape, entity.object, in.path, slot);
  }
}

// A record entity's instances sit under its field in the parent's object
// (the months entity's field, which the strict reader allows and ignores,
// is left to it); derived entities are built by the VM, never read.
void add_child(FastShape& shape, const bytecode::Program& p, std::size_t e) {
  const auto& layout = p.entities[e];
  auto& parent = shape.entities[layout.parent];
  const int child = static_cast<int>(parent.children.size());
  parent.children.push_back(static_cast<int>(e));
  if (layout.kind != ast::EntityKind::Record) return;
  auto& object = shape.objects[parent.object];
  const int k = find_key(object, layout.field);
  if (k >= 0) object.keys[k].holds = Holds::kDecline;
  else if (layout.is_months) object.keys.push_back({layout.field, Holds::kDecline});
  else object.keys.push_back({layout.field, Holds::kEntity, static_cast<int>(e), child});
}

// The root's fiscal_year, which the engine reads (an integer), whether or
// not an input reads it too; and its household_id, the name in errors.
void mark_root(FastShape& shape, const bytecode::Program& p) {
  auto& root = shape.objects[shape.entities[p.root_entity].object];
  int year = find_key(root, "fiscal_year");
  if (year < 0) {
    root.keys.push_back({"fiscal_year", Holds::kNothing});
    year = static_cast<int>(root.keys.size()) - 1;
  } else if (root.keys[year].holds != Holds::kInput) {
    root.keys[year].holds = Holds::kDecline;
  }
  root.keys[year].fiscal_year = true;
  if (const int id = find_key(root, "household_id"); id >= 0) root.keys[id].household_id = true;
}

}  // namespace

FastShape::FastShape(const bytecode::Program& p) : entities(p.entities.size()) {
  for (auto& e : entities) {
    e.object = static_cast<int>(objects.size());
    objects.emplace_back();
  }
  for (std::size_t e = 0; e < p.entities.size(); ++e) add_inputs(*this, p, e);
  for (std::size_t e = 0; e < p.entities.size(); ++e)
    if (p.entities[e].parent >= 0) add_child(*this, p, e);
  mark_root(*this, p);
  for (const auto& o : objects) usable = usable && o.keys.size() <= 64;
  for (std::size_t e = 0; e < p.entities.size(); ++e)
    usable = usable && p.entities[e].ninputs <= 64 && entities[e].children.size() <= 64;
}

}  // namespace shiki::json_adapter
