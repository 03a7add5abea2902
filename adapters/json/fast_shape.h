// The record's shape as the ruleset declares it (the declarations
// HouseholdReader reads by), laid out for the fast reader: for each object
// its keys, each with what it holds. Built once per ruleset, immutable.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bytecode/program.h"

namespace shiki::json_adapter {

struct FastShape {
  enum class Holds : std::uint8_t {
    kInput,    // an input of the object's entity (index: its slot)
    kObject,   // an object of further keys of the same entity (index: its shape in `objects`)
    kEntity,   // the instances of a child entity, an array or an object by key (index: the entity)
    kNothing,  // the root's fiscal_year, when no input reads it: the engine reads it
    kDecline,  // a key the strict reader takes in a way of its own (a path that is both an input
               // and an object, the months entity's field): the fast reader leaves the record to it
  };
  struct Key {
    std::string name;
    Holds holds = Holds::kDecline;
    int index = -1;
    int child = -1;             // kEntity: its place among the entity's children
    bool fiscal_year = false;   // the root's fiscal_year, which picks the year's program
    bool household_id = false;  // the root's household_id, the household's name in errors
  };
  struct Object {
    std::vector<Key> keys;  // in declaration order, the order records are usually written in
  };
  struct Entity {
    int object = -1;            // the shape of an instance's object
    std::vector<int> children;  // child entities (derived ones too), in entity order
    // Per slot, the value of a field absent or null: its default, or none
    // when optional; nullopt when the field is required.
    std::vector<std::optional<bytecode::Value>> absent;
    std::vector<int> key_slots;  // the slots that receive an instance's key
  };

  explicit FastShape(const bytecode::Program& p);

  std::vector<Object> objects;
  std::vector<Entity> entities;
  // False when an object has more keys, an entity more inputs or children
  // than the reader's bit masks hold (64): it then declines every record.
  bool usable = true;
};

}  // namespace shiki::json_adapter
