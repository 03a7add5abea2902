// shiki solve: the rates of a premium part (所得割率, 均等割額, 平等割額) that
// raise a target revenue over the population, reductions and caps applied
// as the ruleset says. Every candidate is a small city module that imports
// the ruleset and amends the part's figures from 1 April of the year; the
// engine compiles and evaluates it like any ruleset, so the module written
// with --write is the one whose revenue is reported (docs/solve.md).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "interpreter/diag/diag.h"
#include "solve_population.h"
#include "solve_report.h"
#include "solve_search.h"

namespace shiki::cli {
namespace {

namespace fs = std::filesystem;
using namespace solve;

struct Args {
  std::string ruleset, file, format = "text", write, rate_step, amount_step;
  std::vector<std::string> targets, ratios;
  int year = 0, jobs = 2;
};

// Exit statuses (docs/solve.md): 0 solved; 1 the ruleset, the population or
// --write could not be used; 2 the command line is wrong; 3 solved, but some
// households got an error record and are not in the revenue; 4 the target
// cannot be reached by scaling the part's figures.
constexpr int kCannotRun = 1, kUsage = 2, kSomeFailed = 3, kUnreachable = 4;

struct Failure {
  int status;
  std::string message;
};

const char* const kPartList = "医療分 (medical), 支援金分 (support), 介護分 (care), 子ども分 (child)";
const Decimal kOne = Decimal::from_int(1);
const Decimal kHundred = Decimal::from_int(100);

// "120,000,000", "120_000_000", "120000000円" -> 120000000.
std::optional<long long> parse_yen(std::string text) {
  if (text.size() >= 3 && text.compare(text.size() - 3, 3, "円") == 0) text.resize(text.size() - 3);
  std::string digits;
  for (char c : text)
    if (c != ',' && c != '_') digits += c;
  try {
    auto d = Decimal::parse(digits);
    if (!d || !d->is_integer()) return std::nullopt;
    return d->to_int64();
  } catch (const decimal::OverflowError&) {
    return std::nullopt;  // more yen than any city raises
  }
}

std::size_t parse_part(const std::string& name, const std::string& flag) {
  if (auto p = part_index(name)) return *p;
  throw Failure{kUsage, flag + ": unknown part 「" + name + "」; the parts are " + kPartList};
}

// A part's one `--ratio`: "50:50" for every part, "医療分=50:50" for one.
std::optional<Ratio> ratio_for(const Args& a, std::size_t part) {
  std::optional<Ratio> found;
  for (const auto& text : a.ratios) {
    std::size_t eq = text.find('=');
    if (eq != std::string::npos && parse_part(text.substr(0, eq), "--ratio") != part) continue;
    std::string body = eq == std::string::npos ? text : text.substr(eq + 1);
    std::size_t colon = body.find(':');
    auto income = Decimal::parse(body.substr(0, colon));
    auto flat = colon == std::string::npos ? std::nullopt : Decimal::parse(body.substr(colon + 1));
    if (!income || !flat || income->is_negative() || flat->is_negative() || (income->is_zero() && flat->is_zero()))
      throw Failure{kUsage, "--ratio " + text + ": write INCOME:FLAT with numbers not both 0, e.g. 50:50 or 医療分=55:45"};
    found = Ratio{*income, *flat};
  }
  return found;
}

std::optional<Decimal> parse_step(const std::string& text, bool rate) {
  if (text.empty()) return std::nullopt;
  std::string body = text;
  if (rate && (body.empty() || body.back() != '%'))
    throw Failure{kUsage, "--rate-step " + text + ": write the step as a percentage, e.g. 0.01%"};
  if (rate) body.pop_back();
  if (!rate && body.size() >= 3 && body.compare(body.size() - 3, 3, "円") == 0) body.resize(body.size() - 3);
  auto d = Decimal::parse(body);
  if (!d || d->is_negative() || d->is_zero())
    throw Failure{kUsage, std::string(rate ? "--rate-step " : "--amount-step ") + text + ": not a positive step"};
  return rate ? Decimal::divide_exact(*d, kHundred) : d;
}

std::vector<PartResult> parse_targets(const Args& a) {
  if (a.targets.empty())
    throw Failure{kUsage, "give at least one --target PART=YEN (e.g. --target 医療分=120,000,000); the parts are " +
                              std::string(kPartList)};
  std::vector<PartResult> out;
  for (const auto& t : a.targets) {
    std::size_t eq = t.find('=');
    if (eq == std::string::npos) throw Failure{kUsage, "--target " + t + ": write PART=YEN, e.g. 医療分=120,000,000"};
    PartResult p;
    p.part = parse_part(t.substr(0, eq), "--target");
    auto target = parse_yen(t.substr(eq + 1));
    if (!target) throw Failure{kUsage, "--target " + t + ": the revenue is a whole number of yen"};
    for (const auto& q : out)
      if (q.part == p.part) throw Failure{kUsage, "--target: 「" + t.substr(0, eq) + "」 is given twice"};
    p.target = *target;
    if (p.target < 0)
      throw Failure{kUnreachable, std::string(kParts[p.part].staff) + ": the target " + yen(p.target) +
                                      " yen cannot be reached; a part's revenue is never below 0"};
    p.ratio = ratio_for(a, p.part);
    p.figures = figures_of(p.part);
    out.push_back(std::move(p));
  }
  for (const auto& text : a.ratios)  // a ratio for a part not solved is a mistake
    if (auto eq = text.find('='); eq != std::string::npos) {
      std::size_t part = parse_part(text.substr(0, eq), "--ratio");
      bool solved = false;
      for (const auto& p : out) solved |= p.part == part;
      if (!solved) throw Failure{kUsage, "--ratio " + text + ": no --target for that part"};
    }
  return out;
}

// A temporary folder for the candidate modules, removed when done.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "shiki-solve-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw Failure{kCannotRun, "cannot make a temporary folder"};
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

// What every evaluation needs: the ruleset, the population, the options.
struct Context {
  const Args& args;
  fs::path ruleset;
  std::string id;
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
  if (!out) throw Failure{kCannotRun, "cannot write " + (dir / "rates.shiki").string()};
  diag::TextSink sink(std::cerr);
  auto rs = engine::Ruleset::load(dir, sink);
  if (!rs) throw Failure{kCannotRun, "the module of rates did not compile (diagnostics above)"};
  ++c.evaluations;
  Sums sums = c.population.evaluate(*rs, c.options, c.args.jobs);
  if (sums.assessed == 0)  // a search over nothing would run to its limit
    throw Failure{kCannotRun, "no household is assessed under the module of rates: " + sums.first_error};
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
  std::ofstream(dir / "probe.shiki", std::ios::binary) << probe_text(import_line(dir, c.ruleset, c.id), c.args.year, names);
  diag::TextSink sink(std::cerr);
  auto rs = engine::Ruleset::load(dir, sink);
  if (!rs) throw Failure{kCannotRun, "cannot read the part's figures from " + c.id + " (diagnostics above)"};
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
  throw Failure{kCannotRun, "no household of the file is assessed for FY" + std::to_string(c.args.year)};
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
    throw Failure{kUnreachable, part + ": nothing is levied in FY" + std::to_string(year) +
                                    " under today's figures, so there is nothing to scale"};
  if (!p.ratio) return;
  const Ratio& r = *p.ratio;
  Decimal all = Decimal::from_int(income + flat), parts_sum = r.income + r.flat;
  auto factor = [&](const Decimal& share, long long levied, const char* side) {
    if (share.is_zero()) return Decimal::from_int(0);
    if (levied == 0)
      throw Failure{kUnreachable, part + ": no " + side + " is levied today, so a ratio with a share for it " +
                                      "cannot be reached by scaling today's figures"};
    return Decimal::divide_round(share * all, parts_sum * Decimal::from_int(levied), -12, decimal::Rounding::kHalfEven);
  };
  j.income_factor = factor(r.income, income, "所得割");
  j.flat_factor = factor(r.flat, flat, "均等割 or 平等割");
}

std::string source_of(const Context& c, const PartResult& p) {
  return "shiki solve: FY" + std::to_string(c.args.year) + " " + kParts[p.part].staff + " target " + yen(p.target) +
         "円 over " + yen(static_cast<long long>(c.population.size())) + " households";
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
  std::string out = "# Rates for FY" + std::to_string(c.args.year) + " found by shiki solve: each part's revenue\n# over " +
                    yen(static_cast<long long>(c.population.size())) + " households, after reductions and caps as " + c.id +
                    " assesses them,\n# raises its target within the rounding of the rates.\n";
  for (const auto& j : jobs) {
    const PartResult& p = *j.result;
    out += "# " + std::string(kParts[p.part].staff) + ": target " + yen(p.target) + " yen; split 所得割 : 均等割・平等割 " +
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
  std::string import = import_line(dir, c.ruleset, c.id);
  for (;;) {
    bool any = false;
    for (auto& j : jobs) {
      auto k = j.search.next();
      j.pending = k.has_value();
      j.k = k ? *k : j.search.best_k();
      any |= j.pending;
    }
    if (!any) break;
    Sums sums = evaluate_module(c, dir, module_text(header_of(c, jobs), import, c.args.year, amendments(c, jobs, false)));
    for (auto& j : jobs)
      if (j.pending) {
        j.search.record(j.k, sums.parts[j.result->part].annual);
        if (auto b = j.search.bracket(); b && !j.search.converged() && published(j, b->first) == published(j, b->second))
          j.search.settle();
      }
  }
  for (const auto& j : jobs)
    if (j.search.unreachable())
      throw Failure{kUnreachable, std::string(kParts[j.result->part].staff) + ": the target " + yen(j.result->target) +
                                      " yen cannot be reached; at " + Search::kMaxFactor.to_string() +
                                      " times today's figures the caps hold the revenue to " +
                                      yen(j.search.highest_revenue()) + " yen"};
}

// The folder --write names: named unlike the ruleset, and holding no module
// but the rates.shiki of an earlier solve. Checked before any evaluation;
// made only once the rates are found.
fs::path write_folder(const Args& a, const std::string& id) {
  fs::path dir = fs::path(a.write).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  if (dir.filename().string() == id)
    throw Failure{kUsage, "--write " + a.write + ": the module needs a folder named otherwise than the ruleset (" + id + ")"};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".shiki" && e.path().filename() != "rates.shiki")
      throw Failure{kCannotRun, "--write " + a.write + ": the folder already holds a module (" +
                                    e.path().filename().string() + "); name an empty folder"};
  return dir;
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
  auto rate_step = parse_step(c.args.rate_step, true), amount_step = parse_step(c.args.amount_step, false);
  std::vector<Job> jobs;
  for (auto& p : parts) {
    std::vector<Decimal> rates, amounts;
    for (const auto& f : p.figures) (f.is_rate ? rates : amounts).push_back(f.today);
    p.rate_step = step_for(rates, rate_step, Decimal(1, 4), Decimal(1, 9));  // 0.01%, down to 0.0000001%
    p.amount_step = step_for(amounts, amount_step, kHundred, kOne);
    // Within 100 yen (one household's rounding) or a hundred-thousandth of
    // the target: a hundred times finer than one step of a published figure.
    Job j{&p, kOne, kOne, Search(p.target, std::max(100LL, p.target / 100'000)), kOne, false};
    set_factors(j, today.parts[p.part], c.args.year);
    if (!p.ratio) {
      j.search.record(kOne, today.parts[p.part].annual);  // today's figures are k = 1
      if (auto k = first_guess(today.parts[p.part], p.target)) j.search.hint(*k);
    }
    jobs.push_back(std::move(j));
  }
  return jobs;
}

int run(const Args& a) {
  auto start = std::chrono::steady_clock::now();
  std::vector<PartResult> parts = parse_targets(a);
  diag::TextSink sink(std::cerr);
  auto today = engine::Ruleset::load(a.ruleset, sink);
  if (!today) throw Failure{kCannotRun, "the ruleset " + a.ruleset + " does not compile"};
  const auto& years = today->info().fiscal_years;
  if (std::find(years.begin(), years.end(), a.year) == years.end())
    throw Failure{kCannotRun, "fiscal year " + std::to_string(a.year) + " is not covered by ruleset " + today->info().id};
  std::string error;
  auto population = Population::read(a.file, error);
  if (!population) throw Failure{kCannotRun, error};
  fs::path written = a.write.empty() ? fs::path() : write_folder(a, today->info().id);
  Context c{a, a.ruleset, today->info().id, *population, {}, 0};
  c.options.fiscal_year = a.year;
  Report r;
  r.fiscal_year = a.year;
  r.ruleset = c.id;
  r.today = population->evaluate_today(*today, c.options, a.jobs);
  ++c.evaluations;
  if (r.today.assessed == 0)
    throw Failure{kCannotRun, "no household of " + a.file + " is assessed for FY" + std::to_string(a.year) +
                                  (r.today.first_error.empty() ? "" : ": " + r.today.first_error)};
  TempDir tmp;
  read_today(c, parts, tmp.path / "shiki_solve_probe");
  std::vector<Job> jobs = make_jobs(c, parts, r.today);
  search(c, jobs, tmp.path / "shiki_solve_candidate");
  for (auto& j : jobs) j.result->solved = published(j, j.search.best_k());
  fs::path dir = a.write.empty() ? tmp.path / "shiki_solve_rates" : written;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) throw Failure{kCannotRun, "--write: cannot make the folder " + a.write};
  r.solved = evaluate_module(c, dir, module_text(header_of(c, jobs), import_line(dir, c.ruleset, c.id), a.year,
                                                 amendments(c, jobs, true)));
  if (!a.write.empty()) r.written = (dir / "rates.shiki").generic_string();
  r.parts = parts;
  r.evaluations = c.evaluations;
  r.milliseconds = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start).count());
  if (a.format == "json") std::cout << to_json(r).dump(2) << "\n";
  else print_text(r, std::cout);
  return r.solved.failed ? kSomeFailed : 0;
}

int run_solve(const Args& a) {
  try {
    return run(a);
  } catch (const Failure& f) {
    std::cerr << "shiki solve: " << f.message << "\n";
    return f.status;
  } catch (const std::exception& e) {
    std::cerr << "shiki solve: " << e.what() << "\n";
    return kCannotRun;
  }
}

}  // namespace

void register_solve_commands(CLI::App& app) {
  auto* s = app.add_subcommand("solve", "目標の収入を上げる料率を求めます (the rates that raise a target revenue)");
  static Args args;
  s->add_option("--ruleset", args.ruleset, "the ruleset in force")->required();
  s->add_option("--year", args.year, "fiscal year")->required();
  s->add_option("--target", args.targets, "PART=YEN: the revenue a part must raise (repeat for several parts)")
      ->allow_extra_args(false);
  s->add_option("--ratio", args.ratios, "[PART=]INCOME:FLAT: the split 所得割 : 均等割・平等割 to reach instead of today's")
      ->allow_extra_args(false);
  s->add_option("--rate-step", args.rate_step, "the step 所得割率 is published in (default 0.01%)");
  s->add_option("--amount-step", args.amount_step, "the step 均等割額 and 平等割額 are published in (default 100 yen)");
  s->add_option("--jobs", args.jobs, "worker threads")->default_val(2);
  s->add_option("--format", args.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  s->add_option("--write", args.write, "folder for the city module that sets the rates found");
  s->add_option("file", args.file, "JSON Lines households")->required();
  s->callback([] { std::exit(run_solve(args)); });
}

}  // namespace shiki::cli
