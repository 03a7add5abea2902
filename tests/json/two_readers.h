// The fast reader against the strict one on the same text: through the
// engine's door (evaluate_text, read_text) with EvalOptions::fast_reader on
// and off, and the fast reader alone, to see whether it took the record.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "adapters/json/fast_reader.h"
#include "adapters/json/fast_shape.h"
#include "interpreter/engine/engine.h"

namespace shiki::test {

class TwoReaders {
 public:
  explicit TwoReaders(const std::string& ruleset_dir);
  // Whether the fast reader alone takes the text.
  bool fast_takes(std::string_view text, const engine::InputLimits& limits = {});
  // evaluate_text's record (and explanation) as shiki eval writes them.
  std::string outcome(std::string_view text, engine::EvalOptions options, bool fast);
  // "" when read_text gives both readers the same problem or the same
  // household (every instance, value and text); else what differs.
  std::string difference(std::string_view text, const engine::EvalOptions& options = {});

 private:
  std::shared_ptr<const bytecode::Program> program_;
  std::unique_ptr<json_adapter::FastShape> shape_;
  std::unique_ptr<json_adapter::FastReader> reader_;
  std::shared_ptr<const engine::Ruleset> ruleset_;
  std::unique_ptr<engine::Evaluator> evaluator_;
};

// The bundled rulesets' folder, the source tree's rulesets/.
std::string rulesets_dir();

}  // namespace shiki::test
