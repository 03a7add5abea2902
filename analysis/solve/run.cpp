#include "analysis/solve/run.h"

#include <cstdlib>
#include <fstream>

#include "analysis/solve/search.h"

namespace shiki::analysis::solve {
namespace {

namespace fs = std::filesystem;

const Decimal kOne = Decimal::from_int(1);
const Decimal kHundred = Decimal::from_int(100);

Error cannot_run(std::string message) { return Error{Error::Kind::kCannotRun, std::move(message)}; }
Error unreachable(std::string message) { return Error{Error::Kind::kUnreachable, std::move(message)}; }

// A temporary folder for the candidate modules, removed when done.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "shiki-solve-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw cannot_run("cannot make a temporary folder");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// `import matsudo` when the module sits beside the ruleset, else `import
// matsudo from "<path>"`, so that the module is checked and evaluated from
// wherever it is (docs/language.md): the path from the module to the ruleset
// when they share a folder below the root (the two move together, as in a
// repository), else the ruleset's absolute path.
std::string import_line(const fs::path& module, const fs::path& ruleset, const std::string& id) {
  std::error_code ec;
  fs::path m = fs::weakly_canonical(module, ec), r = fs::weakly_canonical(ruleset, ec);
  if (m.parent_path() == r.parent_path()) return "import " + id;
  auto mi = m.begin(), ri = r.begin();
  int shared = 0;
  for (; mi != m.end() && ri != r.end() && *mi == *ri; ++mi, ++ri) ++shared;
  fs::path path = shared > 1 ? r.lexically_relative(m) : r;  // 1: only the root
  return "import " + id + " from \"" + path.generic_string() + "\"";
}

// What every evaluation needs: the setup, the population, the options.
struct Context {
  const Setup& setup;
  const Population& population;
  engine::EvalOptions options;
  int evaluations = 0;
};

// Writes `text` as the module in `dir`, compiles it and evaluates the
// population under it.
Sums evaluate_module(Context& c, const fs::path& dir, const std::string& text) {
  std::ofstream out(dir / "rates.shiki", std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw cannot_run("cannot write " + (dir / "rates.shiki").string());
  auto rs = engine::Ruleset::load(dir, *c.setup.sink);
  if (!rs) throw cannot_run("the module of rates did not compile (diagnostics above)");
  ++c.evaluations;
  Sums sums = c.population.evaluate(*rs, c.options, c.setup.jobs);
  if (sums.assessed == 0)  // a search over nothing would run to its limit
    throw cannot_run("no household is assessed under the module of rates: " + sums.first_error);
  return sums;
}

// Today's figures, read through the engine: a module that imports the
// ruleset and outputs each figure's value for the year, evaluated on the
// first household it assesses.
void read_today(Context& c, std::vector<PartResult>& parts, const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& p : parts)
    for (const auto& f : p.figures) names.push_back(f.parameter);
  fs::create_directories(dir);
  std::ofstream(dir / "probe.shiki", std::ios::binary)
      << probe_text(import_line(dir, c.setup.ruleset, c.setup.id), c.setup.fiscal_year, names);
  auto rs = engine::Ruleset::load(dir, *c.setup.sink);
  if (!rs) throw cannot_run("cannot read the part's figures from " + c.setup.id + " (diagnostics above)");
  auto evaluator = rs->evaluator();
  for (std::size_t i = 0; i < c.population.size(); ++i) {
    auto out = evaluator->evaluate(c.population.household(i), c.options, c.population.line_of(i));
    if (!out.ok) continue;
    const auto& got = out.record.at("solve");
    std::size_t n = 0;
    for (auto& p : parts)
      for (auto& f : p.figures) {
        const auto& v = got.at("f" + std::to_string(n++));
        f.today = v.is_string() ? Decimal::parse(v.get<std::string>()).value() : Decimal::from_int(v.get<long long>());
      }
    return;
  }
  throw cannot_run("no household of the file is assessed for FY" + std::to_string(c.setup.fiscal_year));
}

// One part being solved: its figures are today's × factor × k, the factor
// per side of the split (1 and 1 keep today's split).
struct Job {
  PartResult* result;
  Decimal income_factor = kOne, flat_factor = kOne;
  Search search;
  Decimal k;
  bool pending = false;
};

Decimal scaled(const Job& j, const Figure& f, const Decimal& k) {
  const Decimal& factor = f.side == Side::kIncome ? j.income_factor : j.flat_factor;
  return (f.today * factor * k).round(f.is_rate ? -12 : -6, decimal::Rounding::kHalfEven);
}

// The factors that turn today's split into the asked one: the 所得割 levied
// against the 均等割 and 平等割 levied, before reductions and cap, which
// scale with their figures (docs/solve.md).
void set_factors(Job& j, const PartSums& today, int year) {
  const PartResult& p = *j.result;
  const std::string part = kParts[p.part].staff;
  long long income = today.income_levy, flat = today.per_capita + today.per_household;
  if (income + flat == 0)
    throw unreachable(part + ": nothing is levied in FY" + std::to_string(year) +
                      " under today's figures, so there is nothing to scale");
  if (!p.ratio) return;
  const Ratio& r = *p.ratio;
  Decimal all = Decimal::from_int(income + flat), parts_sum = r.income + r.flat;
  auto factor = [&](const Decimal& share, long long levied, const char* side) {
    if (share.is_zero()) return Decimal::from_int(0);
    if (levied == 0)
      throw unreachable(part + ": no " + side + " is levied today, so a ratio with a share for it " +
                        "cannot be reached by scaling today's figures");
    return Decimal::divide_round(share * all, parts_sum * Decimal::from_int(levied), -12, decimal::Rounding::kHalfEven);
  };
  j.income_factor = factor(r.income, income, "所得割");
  j.flat_factor = factor(r.flat, flat, "均等割 or 平等割");
}

std::string source_of(const Context& c, const PartResult& p) {
  return "shiki solve: FY" + std::to_string(c.setup.fiscal_year) + " " + kParts[p.part].staff + " target " +
         yen(p.target) + "円 over " + yen(static_cast<long long>(c.population.size())) + " households";
}

// The module's amendments: each figure of each part at factor k (the search)
// or as published (`published`: the rounded figures).
std::vector<Amendment> amendments(const Context& c, const std::vector<Job>& jobs, bool published) {
  std::vector<Amendment> out;
  for (const auto& j : jobs) {
    const PartResult& p = *j.result;
    for (std::size_t i = 0; i < p.figures.size(); ++i) {
      const Figure& f = p.figures[i];
      Decimal v = published ? p.solved[i] : scaled(j, f, j.k);
      if (f.today.is_zero() && v.is_zero()) continue;  // a figure the city does not levy stays unset
      out.push_back({f.parameter, v, f.is_rate, source_of(c, p),
                     "proposed by shiki solve; not yet the ordinance's figure"});
    }
  }
  return out;
}

std::string header_of(const Context& c, const std::vector<Job>& jobs) {
  std::string out = "# Rates for FY" + std::to_string(c.setup.fiscal_year) +
                    " found by shiki solve: each part's revenue\n# over " +
                    yen(static_cast<long long>(c.population.size())) +
                    " households, after reductions and caps as " + c.setup.id +
                    " assesses them,\n# raises its target within the rounding of the rates.\n";
  for (const auto& j : jobs) {
    const PartResult& p = *j.result;
    out += "# " + std::string(kParts[p.part].staff) + ": target " + yen(p.target) +
           " yen; split 所得割 : 均等割・平等割 " +
           (p.ratio ? p.ratio->income.to_string() + " : " + p.ratio->flat.to_string() : std::string("as today")) +
           ";\n#   published in steps of " + shown(p.rate_step, true) + " and " + shown(p.amount_step, false) + " yen.\n";
  }
  return out + "# docs/solve.md says what the split and the steps mean.\n";
}

// The part's figures at factor k, rounded as the city publishes them.
std::vector<Decimal> published(const Job& j, const Decimal& k) {
  std::vector<Decimal> out;
  for (const auto& f : j.result->figures)
    out.push_back(round_to_step(scaled(j, f, k), f.is_rate ? j.result->rate_step : j.result->amount_step));
  return out;
}

// Searches every part's factor at once: each evaluation of a candidate
// module gives every part its revenue, and the parts do not depend on one
// another's figures.
void search(Context& c, std::vector<Job>& jobs, const fs::path& dir) {
  fs::create_directories(dir);
  std::string import = import_line(dir, c.setup.ruleset, c.setup.id);
  for (;;) {
    bool any = false;
    for (auto& j : jobs) {
      auto k = j.search.next();
      j.pending = k.has_value();
      j.k = k ? *k : j.search.best_k();
      any |= j.pending;
    }
    if (!any) break;
    Sums sums = evaluate_module(c, dir, module_text(header_of(c, jobs), import, c.setup.fiscal_year,
                                                    amendments(c, jobs, false)));
    for (auto& j : jobs)
      if (j.pending) {
        j.search.record(j.k, sums.parts[j.result->part].annual);
        if (auto b = j.search.bracket(); b && !j.search.converged() && published(j, b->first) == published(j, b->second))
          j.search.settle();
      }
  }
  for (const auto& j : jobs)
    if (j.search.unreachable())
      throw unreachable(std::string(kParts[j.result->part].staff) + ": the target " + yen(j.result->target) +
                        " yen cannot be reached; at " + Search::kMaxFactor.to_string() +
                        " times today's figures the caps hold the revenue to " +
                        yen(j.search.highest_revenue()) + " yen");
}

// Where the revenue of today's figures times k should meet the target. The
// households at the cap pay the cap whatever k; the others pay k times what
// they pay today until they reach it. So above today's revenue the root is
// at least (T − C) / (R − C) (C: what the capped pay), and below it lies
// between that and T / R, the secant's first step. A guess only: the
// engine's evaluation decides.
std::optional<Decimal> first_guess(const PartSums& today, long long target) {
  long long r = today.annual, capped = today.capped_annual;
  if (r <= capped || target <= capped) return std::nullopt;
  Decimal k = Decimal::divide_round(Decimal::from_int(target - capped), Decimal::from_int(r - capped), -9,
                                    decimal::Rounding::kHalfEven);
  if (target >= r) return k;
  Decimal plain = Decimal::divide_round(Decimal::from_int(target), Decimal::from_int(r), -9, decimal::Rounding::kHalfEven);
  return Decimal::divide_round(k + plain, Decimal::from_int(2), -9, decimal::Rounding::kHalfEven);
}

std::vector<Job> make_jobs(const Context& c, std::vector<PartResult>& parts, const Sums& today) {
  std::vector<Job> jobs;
  for (auto& p : parts) {
    std::vector<Decimal> rates, amounts;
    for (const auto& f : p.figures) (f.is_rate ? rates : amounts).push_back(f.today);
    p.rate_step = step_for(rates, c.setup.rate_step, Decimal(1, 4), Decimal(1, 9));  // 0.01%, down to 0.0000001%
    p.amount_step = step_for(amounts, c.setup.amount_step, kHundred, kOne);
    // Within 100 yen (one household's rounding) or a hundred-thousandth of
    // the target: a hundred times finer than one step of a published figure.
    Job j{&p, kOne, kOne, Search(p.target, std::max(100LL, p.target / 100'000)), kOne, false};
    set_factors(j, today.parts[p.part], c.setup.fiscal_year);
    if (!p.ratio) {
      j.search.record(kOne, today.parts[p.part].annual);  // today's figures are k = 1
      if (auto k = first_guess(today.parts[p.part], p.target)) j.search.hint(*k);
    }
    jobs.push_back(std::move(j));
  }
  return jobs;
}

}  // namespace

Outcome run(const Setup& setup, const engine::Ruleset& today, Population& population, std::vector<PartResult>& parts,
            const fs::path& out_dir) {
  Context c{setup, population, {}, 0};
  c.options.fiscal_year = setup.fiscal_year;
  Outcome o;
  o.today = population.evaluate_today(today, c.options, setup.jobs);
  ++c.evaluations;
  if (o.today.assessed == 0)
    throw cannot_run("no household of " + setup.population_name + " is assessed for FY" +
                     std::to_string(setup.fiscal_year) + (o.today.first_error.empty() ? "" : ": " + o.today.first_error));
  TempDir tmp;
  read_today(c, parts, tmp.path / "shiki_solve_probe");
  std::vector<Job> jobs = make_jobs(c, parts, o.today);
  search(c, jobs, tmp.path / "shiki_solve_candidate");
  for (auto& j : jobs) j.result->solved = published(j, j.search.best_k());
  fs::path dir = out_dir.empty() ? tmp.path / "shiki_solve_rates" : out_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) throw cannot_run("cannot make the folder " + dir.string());
  o.module = module_text(header_of(c, jobs), import_line(dir, setup.ruleset, setup.id), setup.fiscal_year,
                         amendments(c, jobs, true));
  o.solved = evaluate_module(c, dir, o.module);
  o.evaluations = c.evaluations;
  return o;
}

}  // namespace shiki::analysis::solve
