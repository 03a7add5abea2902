#include "adapters/json/fast_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "adapters/json/input_value.h"

namespace shiki::json_adapter {

namespace od = simdjson::ondemand;
using bytecode::Value;
using Holds = FastShape::Holds;

namespace {

// A longer record is left to the strict reader: the parser keeps the memory
// of the longest record it has indexed (a few times its size), and the
// contract's households are a few kilobytes.
constexpr std::size_t kMaxText = 256 * 1024;

constexpr std::uint64_t bit(int i) { return std::uint64_t{1} << i; }

// A scalar's token runs to the next token, spaces included.
std::string_view trimmed(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
    t.remove_suffix(1);
  return t;
}

// A JSON integer as its text spells it (-?(0|[1-9][0-9]*)), up to 18 digits
// so that it cannot overflow: the value nlohmann reads from the same text.
// Fractions, exponents and longer numbers are the strict reader's to judge.
bool integer_token(std::string_view t, std::int64_t& out) {
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  if (t.empty() || t.size() > 18 || (t[0] == '0' && t.size() > 1)) return false;
  std::int64_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  out = negative ? -n : n;
  return true;
}

// The text of a string token without escapes or control characters: then
// the token's bytes are the string (the parser has checked the whole text is
// UTF-8). Escapes are decoded by the strict reader alone, so that a lone
// surrogate is refused as it refuses it.
bool plain_string(std::string_view t, std::string_view& out) {
  if (t.size() < 2 || t.front() != '"' || t.back() != '"') return false;
  t = t.substr(1, t.size() - 2);
  for (char c : t)
    if (c == '\\' || c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
  out = t;
  return true;
}

// A key as written, when it has no escapes (then it is the key).
bool plain_key(od::field& f, std::string_view& out) {
  const char* begin = f.key().raw();
  const char* end = begin;
  for (; *end != '"'; ++end)
    if (*end == '\\' || static_cast<unsigned char>(*end) < 0x20) return false;
  out = std::string_view(begin, static_cast<std::size_t>(end - begin));
  return true;
}

// The key's place in the object's shape, looked for from `from` on (records
// are written in one order, so the next key is usually the next declared).
int find(const FastShape::Object& o, std::string_view name, std::size_t from) {
  const std::size_t n = o.keys.size();
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = (from + j) % n;
    if (o.keys[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// One record being read. Containers are numbered by depth from 1 (the
// record) and named as the strict parser names them for its limits: by the
// key they sit under, "" in an array or at the root.
class Reading {
 public:
  Reading(const bytecode::Program& p, const FastShape& shape, const engine::InputLimits& limits, vm::Household& h)
      : p_(p), shape_(shape), limits_(limits), h_(h) {
    // items_for() falls back to "default", then to 100: a count within every
    // listed limit needs no look-up by name.
    least_limit_ = limits.max_array_items.count("default") ? SIZE_MAX : 100;
    for (const auto& [name, n] : limits.max_array_items) least_limit_ = std::min(least_limit_, n);
  }

  bool record(od::object& root) { return instance(root, p_.root_entity, nullptr, "", 1) && year_ > 0; }
  int fiscal_year() const { return year_; }

 private:
  bool within(std::size_t count, std::string_view name) const {
    return count <= least_limit_ || count <= limits_.items_for(name);
  }
  bool too_deep(std::size_t depth) const { return depth > limits_.max_depth; }

  bool instance(od::object& obj, int e, const std::string_view* key, std::string_view name, std::size_t depth);
  bool fields(od::object& obj, int object, int e, std::size_t base, std::string_view name, std::size_t depth,
              std::uint64_t& given, std::uint64_t& given_children);
  bool input(od::value& v, const FastShape::Key& key, int e, std::size_t base, std::uint64_t& given);
  bool instances(od::value& v, const FastShape::Key& key, std::size_t depth);

  const bytecode::Program& p_;
  const FastShape& shape_;
  const engine::InputLimits& limits_;
  vm::Household& h_;
  std::size_t least_limit_;
  int year_ = 0;
};

// One instance of entity e: its inputs, then (as HouseholdReader counts
// them) the months, and where its child entities' instances end.
bool Reading::instance(od::object& obj, int e, const std::string_view* key, std::string_view name,
                       std::size_t depth) {
  if (too_deep(depth)) return false;
  const auto& layout = p_.entities[e];
  const auto& shape = shape_.entities[e];
  const std::size_t base = static_cast<std::size_t>(h_.count[e]++) * layout.ninputs;
  h_.inputs[e].resize(base + layout.ninputs);
  std::uint64_t given = 0, given_children = 0;
  for (int slot : shape.key_slots) {
    const auto& in = p_.inputs[p_.entity_inputs[e][slot]];
    if (from_key(key ? *key : std::string_view(), in, h_, h_.inputs[e][base + slot])) return false;
    given |= bit(slot);
  }
  if (!fields(obj, shape.object, e, base, name, depth, given, given_children)) return false;
  for (int slot = 0; slot < layout.ninputs; ++slot) {
    if (given & bit(slot)) continue;
    if (!shape.absent[slot]) return false;  // a required field is missing
    h_.inputs[e][base + slot] = *shape.absent[slot];
  }
  for (std::size_t c = 0; c < shape.children.size(); ++c) {
    const int child = shape.children[c];
    const auto& cl = p_.entities[child];
    auto& begin = h_.child_begin[child];
    if (begin.empty()) begin.push_back(0);
    if (cl.is_months) {
      h_.count[child] += 12;
      h_.inputs[child].resize(static_cast<std::size_t>(h_.count[child]) * cl.ninputs);
    } else if (cl.kind == ast::EntityKind::Record && !cl.optional && !(given_children & bit(static_cast<int>(c)))) {
      return false;  // a required array is missing
    }
    begin.push_back(h_.count[child]);
  }
  return true;
}

// The keys of one object of entity e's instance (its own, or one nested in
// it): each at most once, each known to the ruleset.
bool Reading::fields(od::object& obj, int object, int e, std::size_t base, std::string_view name, std::size_t depth,
                     std::uint64_t& given, std::uint64_t& given_children) {
  const auto& shape = shape_.objects[object];
  std::uint64_t seen = 0;
  std::size_t count = 0, next = 0;
  for (auto item : obj) {
    od::field field;
    std::string_view k;
    if (std::move(item).get(field) || !plain_key(field, k)) return false;
    const int i = find(shape, k, next);
    if (i < 0 || (seen & bit(i)) || !within(++count, name)) return false;
    seen |= bit(i);
    next = static_cast<std::size_t>(i) + 1;
    const auto& key = shape.keys[i];
    od::value& v = field.value();
    switch (key.holds) {
      case Holds::kInput: case Holds::kNothing:
        if (!input(v, key, e, base, given)) return false;
        break;
      case Holds::kObject: {
        // An object of inputs (income); null stands for all of them absent.
        if (trimmed(v.raw_json_token()) == "null") break;
        od::object inner;
        if (too_deep(depth + 1) || v.get_object().get(inner) ||
            !fields(inner, key.index, e, base, key.name, depth + 1, given, given_children))
          return false;
        break;
      }
      case Holds::kEntity:
        if (trimmed(v.raw_json_token()) == "null") break;
        if (!instances(v, key, depth)) return false;
        given_children |= bit(key.child);
        break;
      case Holds::kDecline: return false;
    }
  }
  return true;
}

// A scalar read from its own token: nothing passes through a double, and
// what the token does not spell exactly is left to the strict reader.
bool Reading::input(od::value& v, const FastShape::Key& key, int e, std::size_t base, std::uint64_t& given) {
  const std::string_view t = trimmed(v.raw_json_token());
  if (key.fiscal_year) {
    std::int64_t year = 0;
    if (!integer_token(t, year) || year < 1 || year > 9999) return false;
    year_ = static_cast<int>(year);
  }
  std::string_view s;
  const bool is_string = plain_string(t, s);
  if (key.household_id && is_string) h_.id = s;
  if (key.holds == Holds::kNothing || t == "null") return true;  // null: absent, as if not written
  const auto& in = p_.inputs[p_.entity_inputs[e][key.index]];
  Value& out = h_.inputs[e][base + key.index];
  switch (in.type) {
    case ast::Base::Money: case ast::Base::Integer: {
      std::int64_t n = 0;
      if (!integer_token(t, n)) return false;
      out = Value::integer(n);
      break;
    }
    case ast::Base::Boolean:
      if (t != "true" && t != "false") return false;
      out = Value::boolean(t == "true");
      break;
    default:
      if (!written_as_string(in.type) || !is_string || from_string(s, in, p_, h_, out)) return false;
  }
  if (in.nonnegative && out.tag == bytecode::Tag::Num && out.coeff < 0) return false;
  given |= bit(key.index);
  return true;
}

// A child entity's instances: an array of objects, or for a keyed entity an
// object of objects by key, which the strict reader holds in a std::map, so
// in key order: keys out of that order are left to it.
bool Reading::instances(od::value& v, const FastShape::Key& key, std::size_t depth) {
  if (too_deep(depth + 1)) return false;
  const int c = key.index;
  std::size_t count = 0;
  if (p_.entities[c].keyed) {
    od::object items;
    if (v.get_object().get(items)) return false;
    std::string_view previous;
    for (auto item : items) {
      od::field field;
      std::string_view k;
      od::object obj;
      if (std::move(item).get(field) || !plain_key(field, k) || (count > 0 && !(previous < k)) ||
          !within(++count, key.name))
        return false;
      previous = k;
      if (field.value().get_object().get(obj) || !instance(obj, c, &k, k, depth + 2)) return false;
    }
    return true;
  }
  od::array items;
  if (v.get_array().get(items)) return false;
  for (auto item : items) {
    od::value element;
    od::object obj;
    if (std::move(item).get(element) || !within(++count, key.name) || element.get_object().get(obj) ||
        !instance(obj, c, nullptr, "", depth + 2))
      return false;
  }
  return true;
}

}  // namespace

// simdjson reads up to SIMDJSON_PADDING bytes past the text: each record is
// copied into a buffer with that room, zeroed (a stray '}' there could make
// an unbalanced record look closed).
struct FastReader::Parser {
  od::parser parser;
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;
};

FastReader::FastReader(const bytecode::Program& p, const FastShape& shape)
    : p_(p), shape_(shape), parser_(std::make_unique<Parser>()) {}

FastReader::~FastReader() = default;

bool FastReader::read(std::string_view text, const engine::InputLimits& limits, vm::Household& h, int& fiscal_year) {
  if (!shape_.usable || text.size() > kMaxText) return false;
  Parser& s = *parser_;
  if (s.capacity < text.size() + simdjson::SIMDJSON_PADDING) {
    s.capacity = text.size() + simdjson::SIMDJSON_PADDING + 4096;
    s.buffer = std::make_unique<char[]>(s.capacity);
  }
  std::memcpy(s.buffer.get(), text.data(), text.size());
  std::memset(s.buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  h.reset(p_.entities.size());
  od::document doc;
  od::object root;
  if (s.parser.iterate(s.buffer.get(), text.size(), s.capacity).get(doc) || doc.get_object().get(root)) return false;
  Reading reading(p_, shape_, limits, h);
  if (!reading.record(root)) return false;
  // Nothing may follow the record but spaces.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return false;
  fiscal_year = reading.fiscal_year();
  return true;
}

}  // namespace shiki::json_adapter
