// Reads one JSON text the way the household contract wants it read: a key
// given twice, an array longer than its limit or nesting deeper than the
// contract's are problems named by their field path, never taken silently
// (nlohmann's own parser keeps the last of two equal keys). What is over a
// limit is dropped while parsing, so a hostile record costs no more memory
// than one at the limit.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "adapters/json/household_reader.h"
#include "interpreter/engine/engine.h"

namespace shiki::json_adapter {

struct StrictJson {
  nlohmann::json value;             // discarded (is_discarded()) when not JSON at all
  std::optional<FieldError> problem;  // the first problem, with its path ("members[1].birth_date")
  std::size_t error_byte = 0;       // where the syntax error is, when not JSON
};

StrictJson parse_strict(std::string_view text, const engine::InputLimits& limits);

}  // namespace shiki::json_adapter
