// engine.h implemented on the pipeline: compile once, specialise per fiscal
// year on first use, evaluate with one VM per evaluator.
#include "interpreter/engine/engine.h"

#include <map>
#include <mutex>

#include "fast_reader.h"
#include "fast_shape.h"
#include "household_reader.h"
#include "interpreter/engine/pipeline.h"
#include "interpreter/explain/explain.h"
#include "interpreter/engine/output_layout.h"
#include "interpreter/engine/outputs.h"
#include "record_text.h"
#include "strict_json.h"

namespace shiki::engine {

using nlohmann::json;

namespace {

class CompiledRuleset;

class VmEvaluator : public Evaluator {
 public:
  explicit VmEvaluator(const CompiledRuleset& rs);
  Outcome evaluate(const json& household, const EvalOptions& options, int line) override;
  Outcome evaluate_text(std::string_view text, const EvalOptions& options, int line) override;
  std::optional<Problem> read_text(std::string_view text, const EvalOptions& options, Household& h) override;
  std::optional<Problem> evaluate(Household& h, Result& result) override { return run(h, result, false, false); }
  void write_text(const Result& result, std::string& out) override;

 private:
  std::optional<Problem> read(const json& record, const EvalOptions& options, Household& h) const;
  bool read_fast(std::string_view text, const EvalOptions& options, Household& h);
  void complete(const EvalOptions& options, int fiscal_year, Household& h) const;
  Outcome assess(const EvalOptions& options, int line);
  std::optional<Problem> run(Household& h, Result& result, bool trace, bool every_month);

  const CompiledRuleset& rs_;
  json_adapter::FastReader fast_;
  vm::Household household_;
  std::map<int, std::unique_ptr<vm::VM>> vms_;  // by fiscal year
  engine::Result result_;
  json_adapter::RecordText text_writer_;
  std::string ruleset_json_;
};

class CompiledRuleset : public Ruleset {
 public:
  explicit CompiledRuleset(std::shared_ptr<const bytecode::Program> p)
      : program(std::move(p)), reader(*program), fast_shape(*program), layout(*program) {
    // The record's own evaluation_date, if the ruleset reads one (the run's
    // date fills it in for a record without it).
    const auto& root = program->entity_inputs[program->root_entity];
    for (std::size_t slot = 0; slot < root.size(); ++slot)
      if (program->inputs[root[slot]].path == std::vector<std::string>{"evaluation_date"})
        evaluation_date_slot = static_cast<int>(slot);
    schema_ = {program.get(), &layout, evaluation_date_slot};
    info_.id = program->id;
    info_.hash = program->hash;
    for (int y = program->first_year; y <= program->last_year; ++y) {
      info_.fiscal_years.push_back(y);
      years.emplace(y, specialise::run(program, y));
    }
  }
  const RulesetInfo& info() const override { return info_; }
  const Schema* schema() const override { return &schema_; }
  std::unique_ptr<Evaluator> evaluator() const override { return std::make_unique<VmEvaluator>(*this); }

  std::shared_ptr<const bytecode::Program> program;
  json_adapter::HouseholdReader reader;
  json_adapter::FastShape fast_shape;
  engine::OutputLayout layout;
  int evaluation_date_slot = -1;
  std::map<int, std::unique_ptr<specialise::Program>> years;

 private:
  RulesetInfo info_;
  Schema schema_;
};

json error_record(const std::string& id, int line, const std::string& field, const std::string& message) {
  json r;
  if (!id.empty()) r["household_id"] = id;
  else r["line"] = line;
  r["error"] = {{"field", field}, {"message", message}};
  return r;
}

VmEvaluator::VmEvaluator(const CompiledRuleset& rs)
    : rs_(rs), fast_(*rs.program, rs.fast_shape), text_writer_(*rs.program, rs.layout) {
  ruleset_json_ = json{{"id", rs.info().id}, {"hash", rs.info().hash}}.dump();
}

Outcome VmEvaluator::evaluate_text(std::string_view text, const EvalOptions& options, int line) {
  if (read_fast(text, options, household_)) return assess(options, line);
  auto parsed = json_adapter::parse_strict(text, options.limits);
  if (parsed.value.is_discarded())
    return {false, error_record("", line, "", "not valid JSON (error at byte " + std::to_string(parsed.error_byte) + ")")};
  if (parsed.problem) {
    std::string id;
    if (auto it = parsed.value.find("household_id"); parsed.value.is_object() && it != parsed.value.end() && it->is_string())
      id = it->get<std::string>();
    return {false, error_record(id, line, parsed.problem->field, parsed.problem->message)};
  }
  return evaluate(parsed.value, options, line);
}

Outcome VmEvaluator::evaluate(const json& record, const EvalOptions& options, int line) {
  std::string id;
  if (record.is_object())
    if (auto it = record.find("household_id"); it != record.end() && it->is_string()) id = it->get<std::string>();
  if (auto problem = read(record, options, household_)) return {false, error_record(id, line, problem->field, problem->message)};
  return assess(options, line);
}

// Stages 2 and 3 for the household just read (whose id, when it has one, is
// its record's household_id).
Outcome VmEvaluator::assess(const EvalOptions& options, int line) {
  const std::string& id = household_.id;
  const bool trace = options.explain || options.explain_text;
  if (auto problem = run(household_, result_, trace, options.every_month)) return {false, error_record(id, line, problem->field, problem->message)};
  std::string text;
  text_writer_.write(result_, ruleset_json_, text);
  if (!trace && options.record_as_text) return {true, nullptr, std::move(text)};
  // The tree is the same record read back: one writer, one set of bytes.
  json out = json::parse(text);
  auto& vm = *vms_[household_.fiscal_year];
  auto namer = [&](int e, int i) { return rs_.reader.instance_path(household_, e, i); };
  if (options.explain) out["explain"] = explain::to_json(vm, household_, namer);
  Outcome result{true, std::move(out), {}};
  if (options.explain_text)
    result.text = options.explain_full ? explain::to_text(vm, household_, namer) : explain::summary(vm, result.record, namer);
  return result;
}

// Stage 1, the JSON adapter's: one record into the typed household.
std::optional<Problem> VmEvaluator::read(const json& record, const EvalOptions& options, Household& h) const {
  if (!record.is_object()) return Problem{"", "not a JSON object"};
  auto fy_it = record.find("fiscal_year");
  if (fy_it == record.end()) return Problem{"fiscal_year", "missing required field"};
  if (!fy_it->is_number_integer()) return Problem{"fiscal_year", "not an integer: " + fy_it->dump()};
  if (fy_it->is_number_unsigned() ? fy_it->get<std::uint64_t>() > 9999 : fy_it->get<std::int64_t>() < 1 || fy_it->get<std::int64_t>() > 9999)
    return Problem{"fiscal_year", "not a year: " + fy_it->dump()};
  const int fy = static_cast<int>(fy_it->get<std::int64_t>());
  if (options.fiscal_year != 0 && fy != options.fiscal_year)
    return Problem{"fiscal_year", "fiscal year " + std::to_string(fy) + ", but fiscal year " +
                                      std::to_string(options.fiscal_year) + " was asked for (--year)"};
  if (!rs_.years.count(fy))
    return Problem{"fiscal_year", "fiscal year " + std::to_string(fy) + " is not covered by ruleset " + rs_.info().id +
                                      " (" + std::to_string(rs_.program->first_year) + "–" +
                                      std::to_string(rs_.program->last_year) + ")"};
  if (auto err = rs_.reader.read(record, h, options.ignore_unknown_fields, options.limits))
    return Problem{err->field, err->message};
  complete(options, fy, h);
  return std::nullopt;
}

// The fast reader's stage 1, when it reads the record as the strict path
// would and the record's year is the one asked for and covered; false
// leaves the record to the strict path, which names what is wrong. Records
// read with unknown fields ignored are all the strict path's.
bool VmEvaluator::read_fast(std::string_view text, const EvalOptions& options, Household& h) {
  int fy = 0;
  if (!options.fast_reader || options.ignore_unknown_fields || !fast_.read(text, options.limits, h, fy)) return false;
  if ((options.fiscal_year != 0 && fy != options.fiscal_year) || !rs_.years.count(fy)) return false;
  complete(options, fy, h);
  return true;
}

void VmEvaluator::complete(const EvalOptions& options, int fy, Household& h) const {
  // The run's evaluation date stands in for a record without one of its own
  // (benefits.md §10.1: the record's date wins; null counts as absent): set
  // in the household as read, not by copying the record.
  if (!options.evaluation_date.empty() && rs_.evaluation_date_slot >= 0) {
    auto& own = h.inputs[rs_.program->root_entity][rs_.evaluation_date_slot];
    if (own.is_none())
      if (auto d = time::parse_date(options.evaluation_date)) own = bytecode::Value::date(d->days);
  }
  h.fiscal_year = fy;
}

std::optional<Problem> VmEvaluator::read_text(std::string_view text, const EvalOptions& options, Household& h) {
  if (read_fast(text, options, h)) return std::nullopt;
  auto parsed = json_adapter::parse_strict(text, options.limits);
  if (parsed.value.is_discarded()) return Problem{"", "not valid JSON (error at byte " + std::to_string(parsed.error_byte) + ")"};
  if (parsed.problem) return Problem{parsed.problem->field, parsed.problem->message};
  return read(parsed.value, options, h);
}

// Stage 2, no JSON: the household's checks, its derived entities, then
// every output figure into the Result.
std::optional<Problem> VmEvaluator::run(Household& h, Result& result, bool trace, bool every_month) {
  auto& vm = vms_[h.fiscal_year];
  if (!vm) vm = std::make_unique<vm::VM>(*rs_.years.at(h.fiscal_year));
  vm->set_every_month(every_month);
  vm->start(h, trace);
  try {
    const auto& p = *rs_.program;
    for (const auto& c : p.checks) {
      for (int i = 0; i < h.count[c.entity]; ++i) {
        vm->set_ancestors(h, c.entity, i);
        auto ok = vm->run(c.require);
        if (ok.tag == bytecode::Tag::Bool && !ok.i) {
          std::string prefix = rs_.reader.instance_path(h, c.entity, i);
          // An empty field names the instance itself (a key of income_by_year).
          return Problem{prefix.empty() ? c.field : c.field.empty() ? prefix : prefix + "." + c.field, c.message};
        }
      }
    }
    if (vm->derive(h)) vm->start(h, trace);
    engine::evaluate_outputs(p, rs_.layout, h, *vm, result);
    return std::nullopt;
  } catch (const vm::EvalError& e) {
    return Problem{e.where, e.what()};
  } catch (const decimal::OverflowError&) {
    return Problem{"output", "桁あふれ: 出力の金額が大きすぎます"};
  }
}

void VmEvaluator::write_text(const Result& result, std::string& out) { text_writer_.write(result, ruleset_json_, out); }

}  // namespace

std::shared_ptr<const Ruleset> Ruleset::load(const std::filesystem::path& dir, diag::Sink& sink) {
  auto program = build(dir, sink);
  if (!program) return nullptr;
  return std::make_shared<CompiledRuleset>(std::move(program));
}

}  // namespace shiki::engine
