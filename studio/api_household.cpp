// The household panel: find a household of the population by its id, and
// show its premium under the saved ruleset and the draft, with the summary
// explanation a counter clerk reads (`shiki explain`).
#include <algorithm>

#include "studio/request.h"
#include "studio/studio.h"

namespace shiki::studio {
using nlohmann::json;

namespace {

// The figures of one assessment as the panel shows them: the premium block
// of the output record, or the error record's error.
json figures(const engine::Outcome& o) {
  if (!o.ok) return {{"ok", false}, {"error", o.record.value("error", json::object())}};
  return {{"ok", true}, {"premium", o.record.value("premium", json::object())}};
}

}  // namespace

http::Response Studio::households(const http::Request& req) const {
  const std::string q = req.param("q").value_or("");
  const auto& p = ws_->population();
  json list = json::array();
  for (std::size_t i : p.search(q.substr(0, 64), 50)) list.push_back(p.records()[i].id);
  return json_answer(200, {{"households", list}, {"of", p.size()}});
}

http::Response Studio::household(const http::Request& req, http::ExtensionCall& call) {
  http::Response refused;
  const auto r = read_draft(req, refused);
  if (!r) return refused;
  const json* body = &r->body;
  const auto id = body->find("household_id");
  if (id == body->end() || !id->is_string()) return refusal(400, "household_id", "must be a household id (a string)");
  const long index = ws_->population().find(id->get<std::string>());
  if (index < 0) return refusal(404, "household_id", "no such household in the population");
  const auto& record = ws_->population().records()[index];
  call.audit.household_ids.push_back(record.id);
  const auto& draft = r->draft;
  const auto saved = ws_->saved();

  engine::EvalOptions options;
  options.explain_text = true;
  const auto before = saved->ruleset->evaluator()->evaluate_text(record.text, options, record.line);
  json answer = {{"household_id", record.id}, {"saved", figures(before)}, {"draft_compiles", draft->ruleset != nullptr}};
  // The explanation is the draft's when it compiles: that is what staff are changing.
  std::string summary = before.text;
  if (draft->ruleset) {
    const auto after = draft->ruleset->evaluator()->evaluate_text(record.text, options, record.line);
    answer["draft"] = figures(after);
    summary = after.text;
    call.audit.ruleset_hash = draft->ruleset->info().hash;
  }
  answer["summary"] = summary;
  return json_answer(200, answer);
}

}  // namespace shiki::studio
