#include "two_readers.h"

#include <sstream>
#include <stdexcept>

#include "interpreter/diag/diag.h"
#include "interpreter/engine/pipeline.h"

namespace shiki::test {

namespace {

bool same_value(const bytecode::Value& a, const bytecode::Value& b) {
  if (a.tag != b.tag || a.scale != b.scale || a.i != b.i) return false;
  if (a.tag == bytecode::Tag::Text) return *a.text == *b.text;
  if (a.tag == bytecode::Tag::Num && a.scale == bytecode::Value::kWide) return *a.wide == *b.wide;
  return a.coeff == b.coeff;
}

std::string compare(const engine::Household& a, const engine::Household& b) {
  if (a.id != b.id) return "id: " + a.id + " against " + b.id;
  if (a.fiscal_year != b.fiscal_year) return "fiscal_year";
  if (a.count != b.count) return "instance counts";
  if (a.child_begin != b.child_begin) return "instances under their parents";
  if (a.inputs.size() != b.inputs.size()) return "entities";
  for (std::size_t e = 0; e < a.inputs.size(); ++e) {
    if (a.inputs[e].size() != b.inputs[e].size()) return "inputs of entity " + std::to_string(e);
    for (std::size_t i = 0; i < a.inputs[e].size(); ++i)
      if (!same_value(a.inputs[e][i], b.inputs[e][i]))
        return "value " + std::to_string(i) + " of entity " + std::to_string(e);
  }
  return "";
}

}  // namespace

std::string rulesets_dir() { return SHIKI_RULESETS_DIR; }

TwoReaders::TwoReaders(const std::string& ruleset_dir) {
  std::ostringstream errors;
  diag::TextSink sink(errors);
  program_ = engine::build(ruleset_dir, sink);
  ruleset_ = engine::Ruleset::load(ruleset_dir, sink);
  if (!program_ || !ruleset_) throw std::runtime_error(errors.str());
  shape_ = std::make_unique<json_adapter::FastShape>(*program_);
  reader_ = std::make_unique<json_adapter::FastReader>(*program_, *shape_);
  evaluator_ = ruleset_->evaluator();
}

bool TwoReaders::fast_takes(std::string_view text, const engine::InputLimits& limits) {
  engine::Household h;
  int year = 0;
  return reader_->read(text, limits, h, year);
}

std::string TwoReaders::outcome(std::string_view text, engine::EvalOptions options, bool fast) {
  options.fast_reader = fast;
  auto out = evaluator_->evaluate_text(text, options, 1);
  return out.record.dump() + "\n" + out.text;
}

std::string TwoReaders::difference(std::string_view text, const engine::EvalOptions& options) {
  engine::EvalOptions fast = options, strict = options;
  fast.fast_reader = true;
  strict.fast_reader = false;
  engine::Household a, b;
  const auto pa = evaluator_->read_text(text, fast, a);
  const auto pb = evaluator_->read_text(text, strict, b);
  if (pa || pb) {
    if (!pa || !pb) return pa ? "only the strict reader read it" : "only the fast reader read it";
    if (pa->field != pb->field || pa->message != pb->message)
      return "problems: " + pa->message + " against " + pb->message;
    return "";
  }
  return compare(a, b);
}

}  // namespace shiki::test
