// shiki diff: what a reform does to the population. Each household is
// evaluated under the base ruleset and the new one; the report gives the
// revenue by part before and after, the change by income band and by
// reduction class, and the households that gain and lose most. The
// computation is analysis/compare.h, which the studio shares.
#include <fstream>
#include <iostream>

#include "analysis/compare.h"
#include "commands.h"
#include "interpreter/diag/diag.h"

namespace shiki::cli {
namespace {

using nlohmann::json;

struct Args {
  std::string base, ruleset, file, out, format = "text";
  int year = 0;
  int jobs = 0;
};

void write_per_household(const analysis::Population& population, const analysis::Assessment& base,
                         const analysis::Assessment& next, std::ostream& out) {
  for (std::size_t i = 0; i < population.size(); ++i) {
    const auto &b = base.households[i], &n = next.households[i];
    if (!b.ok || !n.ok) continue;
    json row = {{"household_id", population.records()[i].id},
                {"base", {{"annual", b.annual[analysis::kTotal]}}},
                {"new", {{"annual", n.annual[analysis::kTotal]}}},
                {"delta", n.annual[analysis::kTotal] - b.annual[analysis::kTotal]}};
    for (int p = analysis::kMedical; p < analysis::kTotal; ++p) {
      row["base"][analysis::part_key(p)] = b.annual[p];
      row["new"][analysis::part_key(p)] = n.annual[p];
    }
    out << row.dump() << "\n";
  }
}

int run_diff(const Args& a) {
  diag::TextSink sink(std::cerr);
  auto base = engine::Ruleset::load(a.base, sink);
  auto next = engine::Ruleset::load(a.ruleset, sink);
  if (!base || !next) return 1;
  analysis::Population population;
  try {
    population = analysis::Population::read_file(a.file);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  const auto before = analysis::assess(*base, population, a.year, a.jobs);
  const auto after = analysis::assess(*next, population, a.year, a.jobs);
  const auto report = analysis::compare(population, before, after);
  if (!a.out.empty()) {
    std::ofstream per_household(a.out);
    write_per_household(population, before, after, per_household);
  }
  if (a.format == "json") std::cout << analysis::to_json(report).dump(2) << "\n";
  else analysis::print_text(report, population, std::cout);
  return 0;
}

}  // namespace

void register_diff_commands(CLI::App& app) {
  auto* d = app.add_subcommand("diff", "二つの規則集で世帯を評価し、変化を示します (reform comparison)");
  static Args args;
  d->add_option("--base", args.base, "the ruleset in force")->required();
  d->add_option("--ruleset", args.ruleset, "the edited ruleset")->required();
  d->add_option("--year", args.year, "fiscal year")->required();
  d->add_option("--format", args.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  d->add_option("--out", args.out, "one JSON line per household: base, new and delta");
  d->add_option("--jobs", args.jobs, "threads (default: one per core)");
  d->add_option("file", args.file, "JSON Lines households")->required();
  d->callback([] { std::exit(run_diff(args)); });
}

}  // namespace shiki::cli
