// engine.h implemented on the pipeline: compile once, specialise per fiscal
// year on first use, evaluate with one VM per evaluator.
#include "interpreter/engine/engine.h"

#include <map>
#include <mutex>

#include "household_reader.h"
#include "interpreter/engine/pipeline.h"
#include "interpreter/explain/explain.h"
#include "record_text.h"
#include "record_writer.h"
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

 private:
  const CompiledRuleset& rs_;
  vm::Household household_;
  std::map<int, std::unique_ptr<vm::VM>> vms_;  // by fiscal year
  json_adapter::RecordText text_writer_;
  std::string ruleset_json_;
};

class CompiledRuleset : public Ruleset {
 public:
  explicit CompiledRuleset(std::shared_ptr<const bytecode::Program> p) : program(std::move(p)), reader(*program) {
    // The record's own evaluation_date, if the ruleset reads one (the run's
    // date fills it in for a record without it).
    const auto& root = program->entity_inputs[program->root_entity];
    for (std::size_t slot = 0; slot < root.size(); ++slot)
      if (program->inputs[root[slot]].path == std::vector<std::string>{"evaluation_date"})
        evaluation_date_slot = static_cast<int>(slot);
    info_.id = program->id;
    info_.hash = program->hash;
    for (int y = program->first_year; y <= program->last_year; ++y) {
      info_.fiscal_years.push_back(y);
      years.emplace(y, specialise::run(program, y));
    }
  }
  const RulesetInfo& info() const override { return info_; }
  std::unique_ptr<Evaluator> evaluator() const override { return std::make_unique<VmEvaluator>(*this); }

  std::shared_ptr<const bytecode::Program> program;
  json_adapter::HouseholdReader reader;
  int evaluation_date_slot = -1;
  std::map<int, std::unique_ptr<specialise::Program>> years;

 private:
  RulesetInfo info_;
};

json error_record(const std::string& id, int line, const std::string& field, const std::string& message) {
  json r;
  if (!id.empty()) r["household_id"] = id;
  else r["line"] = line;
  r["error"] = {{"field", field}, {"message", message}};
  return r;
}

VmEvaluator::VmEvaluator(const CompiledRuleset& rs) : rs_(rs), text_writer_(*rs.program) {
  ruleset_json_ = json{{"id", rs.info().id}, {"hash", rs.info().hash}}.dump();
}

Outcome VmEvaluator::evaluate_text(std::string_view text, const EvalOptions& options, int line) {
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
  if (!record.is_object()) return {false, error_record("", line, "", "not a JSON object")};
  auto fy_it = record.find("fiscal_year");
  if (fy_it == record.end()) return {false, error_record(id, line, "fiscal_year", "missing required field")};
  if (!fy_it->is_number_integer()) return {false, error_record(id, line, "fiscal_year", "not an integer: " + fy_it->dump())};
  if (fy_it->is_number_unsigned() ? fy_it->get<std::uint64_t>() > 9999 : fy_it->get<std::int64_t>() < 1 || fy_it->get<std::int64_t>() > 9999)
    return {false, error_record(id, line, "fiscal_year", "not a year: " + fy_it->dump())};
  const int fy = static_cast<int>(fy_it->get<std::int64_t>());
  if (options.fiscal_year != 0 && fy != options.fiscal_year)
    return {false, error_record(id, line, "fiscal_year",
                                "fiscal year " + std::to_string(fy) + ", but fiscal year " +
                                    std::to_string(options.fiscal_year) + " was asked for (--year)")};
  auto year = rs_.years.find(fy);
  if (year == rs_.years.end())
    return {false, error_record(id, line, "fiscal_year",
                                "fiscal year " + std::to_string(fy) + " is not covered by ruleset " + rs_.info().id +
                                    " (" + std::to_string(rs_.program->first_year) + "–" +
                                    std::to_string(rs_.program->last_year) + ")")};
  if (auto err = rs_.reader.read(record, household_, options.ignore_unknown_fields, options.limits))
    return {false, error_record(id, line, err->field, err->message)};
  // The run's evaluation date stands in for a record without one of its own
  // (benefits.md §10.1: the record's date wins; null counts as absent): set
  // in the household as read, not by copying the record.
  if (!options.evaluation_date.empty() && rs_.evaluation_date_slot >= 0) {
    auto& own = household_.inputs[rs_.program->root_entity][rs_.evaluation_date_slot];
    if (own.is_none())
      if (auto d = time::parse_date(options.evaluation_date)) own = bytecode::Value::date(d->days);
  }
  household_.fiscal_year = fy;
  auto& vm = vms_[fy];
  if (!vm) vm = std::make_unique<vm::VM>(*year->second);
  vm->start(household_, options.explain || options.explain_text);
  auto namer = [&](int e, int i) { return rs_.reader.instance_path(household_, e, i); };
  try {
    const auto& p = *rs_.program;
    for (const auto& c : p.checks) {
      for (int i = 0; i < household_.count[c.entity]; ++i) {
        json_adapter::set_ancestors(p, household_, *vm, c.entity, i);
        auto ok = vm->run(c.require);
        if (ok.tag == bytecode::Tag::Bool && !ok.i) {
          std::string prefix = namer(c.entity, i);
          // An empty field names the instance itself (a key of income_by_year).
          std::string field = prefix.empty() ? c.field : c.field.empty() ? prefix : prefix + "." + c.field;
          return {false, error_record(id, line, field, c.message)};
        }
      }
    }
    if (vm->derive(household_)) vm->start(household_, options.explain || options.explain_text);
    if (options.record_as_text && !options.explain && !options.explain_text) {
      Outcome result{true, nullptr, {}};
      text_writer_.write(household_, *vm, ruleset_json_, result.text);
      return result;
    }
    json out = json_adapter::write_record(p, household_, *vm);
    out["ruleset"] = {{"id", rs_.info().id}, {"hash", rs_.info().hash}};
    if (options.explain) out["explain"] = explain::to_json(*vm, household_, namer);
    Outcome result{true, std::move(out), {}};
    if (options.explain_text)
      result.text = options.explain_full ? explain::to_text(*vm, household_, namer)
                                         : explain::summary(*vm, result.record, namer);
    return result;
  } catch (const vm::EvalError& e) {
    return {false, error_record(id, line, e.where, e.what())};
  } catch (const decimal::OverflowError&) {
    return {false, error_record(id, line, "output", "桁あふれ: 出力の金額が大きすぎます")};
  }
}

}  // namespace

std::shared_ptr<const Ruleset> Ruleset::load(const std::filesystem::path& dir, diag::Sink& sink) {
  auto program = build(dir, sink);
  if (!program) return nullptr;
  return std::make_shared<CompiledRuleset>(std::move(program));
}

}  // namespace shiki::engine
