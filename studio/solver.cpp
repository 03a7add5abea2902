// The studio's solver form on the rate solver of analysis/solve: the draft
// is laid out in a temporary folder (the candidates import it as they would
// the real folder), the population is the studio's, and the answer is the
// figures found with the revenue they raise. Nothing of the ruleset folder
// is written: staff read the rates and put them in the editor themselves.
#include "studio/solver.h"

#include <optional>

#include "analysis/solve/run.h"
#include "studio/drafts.h"

namespace shiki::studio {
namespace {

namespace solve = analysis::solve;
using decimal::Decimal;
using nlohmann::json;

// The threads one solve uses: the form is one staff member's question, and
// the server's other workers keep answering the editor meanwhile.
constexpr int kJobs = 2;

struct Refusal {
  std::string message;
};

// "50:50" → 50 and 50; "" → nullopt (today's split is kept).
std::optional<solve::Ratio> ratio_of(const std::string& text, const std::string& part) {
  if (text.empty()) return std::nullopt;
  const std::size_t colon = text.find(':');
  auto income = Decimal::parse(text.substr(0, colon));
  auto flat = colon == std::string::npos ? std::nullopt : Decimal::parse(text.substr(colon + 1));
  if (!income || !flat || income->is_negative() || flat->is_negative() || (income->is_zero() && flat->is_zero()))
    throw Refusal{part + "の所得割:均等割・平等割は 50:50 のように書きます"};
  return solve::Ratio{*income, *flat};
}

std::vector<solve::PartResult> parts_of(const SolveRequest& r) {
  if (r.targets.empty()) throw Refusal{"目標額を入れた区分がありません"};
  std::vector<solve::PartResult> out;
  for (const auto& t : r.targets) {
    auto index = solve::part_index(t.part);
    if (!index) throw Refusal{"区分「" + t.part + "」はありません"};
    const std::string staff = solve::kParts[*index].staff;
    for (const auto& p : out)
      if (p.part == *index) throw Refusal{staff + "の目標額が二つあります"};
    if (t.revenue < 0) throw Refusal{staff + "の目標額は 0 円以上です"};
    solve::PartResult p;
    p.part = *index;
    p.target = t.revenue;
    p.ratio = ratio_of(t.ratio, staff);
    p.figures = solve::figures_of(*index);
    out.push_back(std::move(p));
  }
  return out;
}

solve::Population population_of(const analysis::Population& p) {
  std::vector<std::string> text;
  std::vector<int> lines;
  for (const auto& r : p.records()) text.push_back(r.text), lines.push_back(r.line);
  return solve::Population::of_lines(std::move(text), std::move(lines));
}

// {"parameters": [{"name", "before", "value"}], "revenue": {part: yen}} as
// solver.h promises, with each part's target, today's revenue and the gap
// so that the form can show how close the published figures come.
json result_of(const std::vector<solve::PartResult>& parts, const solve::Outcome& o) {
  json parameters = json::array(), revenue = json::object(), by_part = json::object();
  for (const auto& p : parts) {
    const char* id = solve::kParts[p.part].id;
    for (std::size_t i = 0; i < p.figures.size(); ++i) {
      const auto& f = p.figures[i];
      if (f.today.is_zero() && p.solved[i].is_zero()) continue;  // not levied, not written
      parameters.push_back({{"name", f.parameter}, {"part", id}, {"before", solve::literal(f.today, f.is_rate)},
                            {"value", solve::literal(p.solved[i], f.is_rate)}});
    }
    const long long solved = o.solved.parts[p.part].annual;
    revenue[id] = solved;
    by_part[id] = {{"label", solve::kParts[p.part].staff}, {"target", p.target},
                   {"today", o.today.parts[p.part].annual}, {"revenue", solved}, {"gap", solved - p.target}};
  }
  return {{"parameters", parameters}, {"revenue", revenue}, {"parts", by_part},
          {"households", o.solved.assessed}, {"failed", o.solved.failed}, {"evaluations", o.evaluations}};
}

}  // namespace

bool solver_available() { return true; }

SolveAnswer solve(const SolveRequest& request) {
  SolveAnswer a;
  a.available = true;
  try {
    auto parts = parts_of(request);
    TempFolder tmp;
    const auto own = lay_out(request.ruleset_dir, request.files, tmp.path());
    diag::CaptureSink sink;
    solve::Setup setup{own, request.draft->info().id, "the population", request.fiscal_year, kJobs,
                       std::nullopt, std::nullopt, &sink};
    auto population = population_of(*request.population);
    const auto outcome = solve::run(setup, *request.draft, population, parts);
    a.ok = true;
    a.message = "料率を求めました";
    a.result = result_of(parts, outcome);
  } catch (const Refusal& r) {
    a.message = r.message;
  } catch (const solve::Error& e) {
    a.message = (e.kind == solve::Error::Kind::kUnreachable ? "この目標額に届く料率はありません: "
                                                            : "料率を求められませんでした: ") + e.message;
  } catch (const std::exception& e) {
    a.message = std::string("料率を求められませんでした: ") + e.what();
  }
  return a;
}

}  // namespace shiki::studio
