// shiki solve: the rates of a premium part (所得割率, 均等割額, 平等割額) that
// raise a target revenue over the population, reductions and caps applied
// as the ruleset says. This file reads the command line and the --write
// folder and prints the report; the search is analysis/solve/run.h's, which
// the studio's solver form runs too (docs/solve.md).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "interpreter/diag/diag.h"
#include "solve_report.h"

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
  Setup setup{a.ruleset, today->info().id, a.file, a.year, a.jobs,
              parse_step(a.rate_step, true), parse_step(a.amount_step, false), &sink};
  Outcome o = analysis::solve::run(setup, *today, *population, parts, written);
  Report r;
  r.fiscal_year = a.year;
  r.ruleset = setup.id;
  r.today = o.today;
  r.solved = o.solved;
  if (!a.write.empty()) r.written = (written / "rates.shiki").generic_string();
  r.parts = parts;
  r.evaluations = o.evaluations;
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
  } catch (const Error& e) {
    std::cerr << "shiki solve: " << e.message << "\n";
    return e.kind == Error::Kind::kUnreachable ? kUnreachable : kCannotRun;
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
