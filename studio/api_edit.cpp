// The editor's endpoints: diagnostics of a draft as staff type, the
// comparison of the draft with the saved ruleset over the population,
// saving, and the rate solver's form.
#include <chrono>
#include <optional>

#include "analysis/compare.h"
#include "studio/compare_view.h"
#include "studio/request.h"
#include "studio/solver.h"
#include "studio/studio.h"

namespace shiki::studio {
using nlohmann::json;

namespace {

json check_view(const Draft& d) {
  return {{"compiles", d.ruleset != nullptr}, {"digest", d.digest},
          {"hash", d.ruleset ? json(d.ruleset->info().hash) : json(nullptr)},
          {"errors", d.errors}, {"warnings", d.warnings}, {"diagnostics", d.diagnostics}};
}

json moved_view(const std::vector<MovedCase>& moved) {
  json out = json::array();
  for (const auto& m : moved) {
    json fields = json::array();
    for (const auto& f : m.fields) fields.push_back({{"path", f.path}, {"expected", f.expected}, {"actual", f.actual}});
    out.push_back({{"file", m.file}, {"fields", fields}, {"note", m.note}});
  }
  return out;
}

}  // namespace

std::optional<Studio::DraftRequest> Studio::read_draft(const http::Request& req, http::Response& refused) {
  auto body = parse_body(req, refused);
  if (!body) return std::nullopt;
  auto files = files_of(*body, refused);
  if (!files) return std::nullopt;
  auto draft = ws_->draft(*files);
  if (!draft) {
    refused = refusal(400, "files", "the files are not the ruleset's own");
    return std::nullopt;
  }
  return DraftRequest{std::move(*body), std::move(*files), std::move(draft)};
}

http::Response Studio::check(const http::Request& req, http::ExtensionCall& call) {
  http::Response refused;
  const auto r = read_draft(req, refused);
  if (!r) return refused;
  if (r->draft->ruleset) call.audit.ruleset_hash = r->draft->ruleset->info().hash;
  return json_answer(200, check_view(*r->draft));
}

http::Response Studio::compare(const http::Request& req, http::ExtensionCall& call) {
  http::Response refused;
  const auto r = read_draft(req, refused);
  if (!r) return refused;
  const auto& draft = r->draft;
  if (!draft->ruleset) return json_answer(422, {{"check", check_view(*draft)}});
  call.audit.ruleset_hash = draft->ruleset->info().hash;
  const auto start = std::chrono::steady_clock::now();
  const auto saved = ws_->saved();
  const auto next = analysis::assess(*draft->ruleset, ws_->population(), ws_->fiscal_year());
  const auto report = analysis::compare(ws_->population(), saved->assessment, next);
  json view = comparison_view(report, ws_->population(), call.audit.household_ids);
  view["fiscal_year"] = ws_->fiscal_year();
  view["saved_hash"] = saved->ruleset->info().hash;
  view["draft_hash"] = draft->ruleset->info().hash;
  view["elapsed_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  return json_answer(200, view);
}

http::Response Studio::save(const http::Request& req, http::ExtensionCall& call) {
  if (!call.caller->admin) return refusal(403, "", call.caller->holder + " may not save rulesets (an admin token may)");
  http::Response refused;
  auto body = parse_body(req, refused);
  if (!body) return refused;
  auto files = files_of(*body, refused);
  if (!files) return refused;
  if (!ws_->same_names(*files)) return refusal(400, "files", "the files are not the ruleset's own");
  const std::string from = body->value("from", std::string());
  const auto out = ws_->save(*files, from);
  if (out.draft && out.draft->ruleset) call.audit.ruleset_hash = out.draft->ruleset->info().hash;
  using S = SaveOutcome::Status;
  switch (out.status) {
    case S::kConflict:
      return json_answer(409, {{"saved", false}, {"reason", "conflict"},
                               {"message", "読み込んだ後に規則集が変更されています。読み込み直してください"}});
    case S::kUnchanged:
      return json_answer(200, {{"saved", false}, {"reason", "unchanged"}, {"message", "変更はありません"}});
    case S::kDoesNotCompile:
      return json_answer(422, {{"saved", false}, {"reason", "does_not_compile"},
                               {"message", "翻訳できないため保存しませんでした"}, {"check", check_view(*out.draft)}});
    case S::kGoldenMoved:
      return json_answer(422, {{"saved", false}, {"reason", "golden_moved"}, {"cases_run", out.cases_run},
                               {"message", "ゴールデンケースの結果が変わるため保存しませんでした"},
                               {"moved", moved_view(out.moved)}});
    case S::kSaved: break;
  }
  if (on_saved_) on_saved_();
  const auto saved = ws_->saved();
  return json_answer(200, {{"saved", true}, {"written", out.written}, {"cases_run", out.cases_run},
                           {"saved_digest", saved->digest}, {"hash", saved->ruleset->info().hash},
                           {"message", "保存しました"}});
}

http::Response Studio::solve(const http::Request& req, http::ExtensionCall& call) {
  if (!solver_available())
    return json_answer(200, {{"available", false}, {"ok", false}, {"message", studio::solve(SolveRequest{}).message}});
  http::Response refused;
  const auto r = read_draft(req, refused);
  if (!r) return refused;
  const auto& draft = r->draft;
  const json* body = &r->body;
  if (!draft->ruleset) return json_answer(422, {{"check", check_view(*draft)}});
  call.audit.ruleset_hash = draft->ruleset->info().hash;
  SolveRequest sr{ws_->ruleset_dir(), r->files, draft->ruleset.get(), &ws_->population(), ws_->fiscal_year(), {}};
  const auto targets = body->find("targets");
  if (targets == body->end() || !targets->is_array()) return refusal(400, "targets", "must be an array");
  for (const auto& t : *targets) {
    if (!t.is_object() || !t.value("part", json()).is_string() || !t.value("revenue", json()).is_number_integer())
      return refusal(400, "targets", "each target needs a part and a revenue in whole yen");
    SolveTarget st{t["part"].get<std::string>(), t["revenue"].get<long long>(), t.value("ratio", std::string())};
    sr.targets.push_back(std::move(st));
  }
  const auto answer = studio::solve(sr);
  return json_answer(answer.ok ? 200 : 422,
                     {{"available", answer.available}, {"ok", answer.ok}, {"message", answer.message}, {"result", answer.result}});
}

}  // namespace shiki::studio
