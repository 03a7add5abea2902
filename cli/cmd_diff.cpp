// shiki diff: what a reform does to the population. Each household is
// evaluated under the base ruleset and the new one; the report gives the
// revenue by part before and after, the change by income band and by
// reduction class, and the households that gain and lose most.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace shiki::cli {
namespace {

using nlohmann::json;

const char* const kParts[] = {"medical", "support", "care", "child"};

struct Args {
  std::string base, ruleset, file, out, format = "text";
  int year = 0;
};

struct Totals {
  long households = 0;
  std::map<std::string, long long> base, next;  // by part, and "total"
};

struct Row {
  std::string id;
  long long base, next;
};

// The household's declared gross income, for the bands of the report: the
// revenues and incomes the record carries, as the ledger gives them.
long long declared_income(const json& h) {
  long long sum = 0;
  for (const auto& m : h.value("members", json::array())) {
    const json income = m.value("income", json::object());
    for (const char* k : {"salary_revenue", "public_pension_revenue", "business_income", "real_estate_income",
                          "miscellaneous_income", "dividend_income", "occasional_income"})
      if (income.contains(k) && income[k].is_number_integer()) sum += income[k].get<long long>();
  }
  return sum;
}

std::string band_of(long long income) {
  static const std::pair<long long, const char*> kBands[] = {
      {1, "0"}, {1'000'000, "1 – 999,999"}, {2'000'000, "1,000,000 – 1,999,999"},
      {4'000'000, "2,000,000 – 3,999,999"}, {7'000'000, "4,000,000 – 6,999,999"}};
  for (const auto& [upper, name] : kBands)
    if (income < upper) return name;
  return "7,000,000 and over";
}

long long part_of(const json& record, const std::string& part) {
  if (part == "total") return record["premium"].value("annual", 0LL);
  const json& p = record["premium"].value(part, json::object());
  return p.value("annual", 0LL);
}

std::string yen(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

struct Report {
  Totals totals;
  long changed = 0, failed = 0;
  std::map<std::string, std::pair<long, long long>> by_band, by_class;  // households, Σ delta
  std::vector<Row> rows;
};

json to_json(const Report& r) {
  json revenue = {{"base", json::object()}, {"new", json::object()}, {"delta", json::object()}};
  for (const auto& [part, v] : r.totals.base) {
    revenue["base"][part] = v;
    revenue["new"][part] = r.totals.next.at(part);
    revenue["delta"][part] = r.totals.next.at(part) - v;
  }
  json bands = json::object(), classes = json::object();
  for (const auto& [k, v] : r.by_band) bands[k] = {{"households", v.first}, {"delta", v.second}};
  for (const auto& [k, v] : r.by_class) classes[k] = {{"households", v.first}, {"delta", v.second}};
  return {{"households", r.totals.households}, {"changed", r.changed}, {"failed", r.failed},
          {"revenue", revenue}, {"by_income_band", bands}, {"by_statutory_reduction", classes}};
}

void print_text(const Report& r, std::ostream& out) {
  out << fmt::format("{} households assessed under both, {} changed, {} failed under either\n",
                     r.totals.households, r.changed, r.failed);
  out << fmt::format("{:<10}{:>18}{:>18}{:>16}\n", "revenue", "base", "new", "difference");
  for (const char* part : {"medical", "support", "care", "child", "total"}) {
    long long b = r.totals.base.at(part), n = r.totals.next.at(part);
    out << fmt::format("{:<10}{:>18}{:>18}{:>16}\n", part, yen(b), yen(n), yen(n - b));
  }
  out << "by declared income:\n";
  for (const auto& [k, v] : r.by_band)
    out << fmt::format("  {:<24}{:>8} households  {:>14} yen\n", k, v.first, yen(v.second));
  out << "by statutory reduction:\n";
  for (const auto& [k, v] : r.by_class)
    out << fmt::format("  {:<24}{:>8} households  {:>14} yen\n", k, v.first, yen(v.second));
  auto rows = r.rows;
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.next - a.base < b.next - b.base; });
  out << "largest decreases:\n";
  for (std::size_t i = 0; i < rows.size() && i < 5 && rows[i].next < rows[i].base; ++i)
    out << fmt::format("  {:<12}{:>12} → {:>12}  ({})\n", rows[i].id, yen(rows[i].base), yen(rows[i].next),
                       yen(rows[i].next - rows[i].base));
  out << "largest increases:\n";
  for (std::size_t i = 0; i < rows.size() && i < 5 && rows[rows.size() - 1 - i].next > rows[rows.size() - 1 - i].base; ++i) {
    const Row& x = rows[rows.size() - 1 - i];
    out << fmt::format("  {:<12}{:>12} → {:>12}  (+{})\n", x.id, yen(x.base), yen(x.next), yen(x.next - x.base));
  }
}

int run_diff(const Args& a) {
  diag::TextSink sink(std::cerr);
  auto base = engine::Ruleset::load(a.base, sink);
  auto next = engine::Ruleset::load(a.ruleset, sink);
  if (!base || !next) return 1;
  std::ifstream in(a.file);
  if (!in) {
    std::cerr << "cannot read " << a.file << "\n";
    return 1;
  }
  std::ofstream per_household;
  if (!a.out.empty()) per_household.open(a.out);
  auto eb = base->evaluator(), en = next->evaluator();
  engine::EvalOptions opt;
  Report r;
  for (const char* part : {"medical", "support", "care", "child", "total"}) r.totals.base[part] = r.totals.next[part] = 0;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json h = json::parse(line, nullptr, false);
    if (!h.is_object() || h.value("fiscal_year", 0) != a.year) { ++r.failed; continue; }
    auto ob = eb->evaluate(h, opt, n), on = en->evaluate(h, opt, n);
    if (!ob.ok || !on.ok) { ++r.failed; continue; }
    ++r.totals.households;
    for (const char* part : {"medical", "support", "care", "child", "total"}) {
      r.totals.base[part] += part_of(ob.record, part);
      r.totals.next[part] += part_of(on.record, part);
    }
    long long b = part_of(ob.record, "total"), x = part_of(on.record, "total");
    if (b != x) ++r.changed;
    auto& band = r.by_band[band_of(declared_income(h))];
    ++band.first, band.second += x - b;
    auto& cls = r.by_class[ob.record["premium"].value("statutory_reduction", std::string("0"))];
    ++cls.first, cls.second += x - b;
    std::string id = h.value("household_id", "");
    r.rows.push_back({id, b, x});
    if (per_household) {
      json row = {{"household_id", id}, {"base", {{"annual", b}}}, {"new", {{"annual", x}}}, {"delta", x - b}};
      for (const char* part : kParts) {
        row["base"][part] = part_of(ob.record, part);
        row["new"][part] = part_of(on.record, part);
      }
      per_household << row.dump() << "\n";
    }
  }
  if (a.format == "json") std::cout << to_json(r).dump(2) << "\n";
  else print_text(r, std::cout);
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
  d->add_option("file", args.file, "JSON Lines households")->required();
  d->callback([] { std::exit(run_diff(args)); });
}

}  // namespace shiki::cli
