#include "adapters/json/strict_json.h"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace shiki::json_adapter {
namespace {

using nlohmann::json;

// A SAX handler that builds the DOM itself. Building it here rather than
// filtering nlohmann's callback parser lets a duplicate be found in the
// object being built (no second set of keys) and lets whatever is over a
// limit be skipped whole, however deeply it nests.
class Builder : public nlohmann::json_sax<json> {
 public:
  Builder(json& root, const engine::InputLimits& limits, StrictJson& out) : root_(root), limits_(limits), out_(out) {}

  bool null() override { return put(json()); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
  bool string(string_t& v) override { return put(json(std::move(v))); }
  bool binary(binary_t&) override { return put(json()); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    if (skipping_ > 0) return true;
    auto& obj = stack_.back().node->get_ref<json::object_t&>();
    // Keyed instances (an object of entries by key) are bounded like arrays.
    if (obj.size() >= stack_.back().limit && !obj.count(k)) {
      problem(path(), fmt::format("more than {} entries (the limit for {})", stack_.back().limit,
                                  limit_name(stack_.size() - 1)));
      skip_next_ = true;
      return true;
    }
    auto [it, fresh] = obj.emplace(std::move(k), json());
    if (!fresh) {
      problem(path() + (path().empty() ? "" : ".") + it->first, "the key is given twice in the same object");
      skip_next_ = true;
      return true;
    }
    stack_.back().slot = &it->second;
    stack_.back().key = &it->first;
    return true;
  }

  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception&) override {
    out_.error_byte = byte;
    return false;
  }

 private:
  struct Level {
    json* node;
    json* slot = nullptr;               // an object's member being read
    const std::string* key = nullptr;   // its key (the map's own, stable)
    std::size_t limit = 0;              // entries allowed (of an array, or keys of an object)
  };

  // True when this value is dropped: inside a skipped part, or the value of
  // a duplicate key, or an entry past its array's limit.
  bool dropped() {
    if (skipping_ > 0) return true;
    if (skip_next_) return true;
    if (stack_.empty() || !stack_.back().node->is_array()) return false;
    const Level& a = stack_.back();
    if (a.node->size() < a.limit) return false;
    problem(path(), fmt::format("more than {} entries (the limit for {})", a.limit, limit_name(stack_.size() - 1)));
    return true;
  }

  bool put(json v) {
    if (dropped()) {
      skip_next_ = false;
      return true;
    }
    place(std::move(v));
    return true;
  }

  bool open(json container) {
    if (dropped() || stack_.size() >= limits_.max_depth) {
      if (skipping_ == 0 && !skip_next_ && stack_.size() >= limits_.max_depth)
        problem(path(), fmt::format("nested deeper than {} levels", limits_.max_depth));
      skip_next_ = false;
      ++skipping_;
      return true;
    }
    std::string_view name = stack_.empty() ? std::string_view() : array_name(stack_.size());
    json* node = place(std::move(container));
    stack_.push_back({node});
    stack_.back().limit = limits_.items_for(name);
    return true;
  }

  bool close() {
    if (skipping_ > 0) {
      --skipping_;
      return true;
    }
    stack_.pop_back();
    return true;
  }

  json* place(json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Level& top = stack_.back();
    if (top.node->is_array()) {
      top.node->push_back(std::move(v));
      return &top.node->back();
    }
    *top.slot = std::move(v);
    return top.slot;
  }

  // The name a container at stack depth `depth` goes by: the key it sits
  // under ("members"), or "" inside an array or at the root.
  std::string_view array_name(std::size_t depth) const {
    if (depth == 0 || !stack_[depth - 1].node->is_object() || !stack_[depth - 1].key) return {};
    return *stack_[depth - 1].key;
  }
  std::string limit_name(std::size_t depth) const {
    const auto name = array_name(depth);
    return name.empty() ? "default" : std::string(name);
  }

  // "members[1].income": spelt only when a problem is found.
  std::string path() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Level& l = stack_[i];
      if (l.node->is_array()) p += fmt::format("[{}]", l.node->size() - 1);
      else if (l.key) p += (p.empty() ? "" : ".") + *l.key;
    }
    return p;
  }

  void problem(std::string field, std::string message) {
    if (!out_.problem) out_.problem = FieldError{std::move(field), std::move(message)};
  }

  json& root_;
  const engine::InputLimits& limits_;
  StrictJson& out_;
  std::vector<Level> stack_;
  std::size_t skipping_ = 0;  // open containers being skipped
  bool skip_next_ = false;    // drop the next value (a duplicate key's)
};

}  // namespace

StrictJson parse_strict(std::string_view text, const engine::InputLimits& limits) {
  StrictJson out;
  Builder builder(out.value, limits, out);
  if (!json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true))
    out.value = json(json::value_t::discarded);
  return out;
}

}  // namespace shiki::json_adapter
