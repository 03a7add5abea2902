// summarize: a short summary of `shiki eval` output (JSON Lines in the output
// shape of household.md): households, errors, the total of each part's
// figures, the 法定軽減 distribution and the average annual premium.
//
//   summarize [FILE|-]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using nlohmann::json;

constexpr const char* kParts[] = {"medical", "support", "care", "child"};
constexpr const char* kFields[] = {"income_levy", "per_capita", "per_household", "reduction",
                                   "over_cap",    "rounding",   "annual"};

std::string yen(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

long long as_yen(const json& j) { return j.is_number_integer() ? j.get<long long>() : 0; }

}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : "-";
  if (path == "-h" || path == "--help" || argc > 2) {
    std::fprintf(stderr, "usage: summarize [FILE|-]   (shiki eval output, JSON Lines)\n");
    return argc > 2 ? 2 : 0;
  }
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      std::perror(path.c_str());
      return 1;
    }
  }
  std::istream& in = path == "-" ? std::cin : file;

  long long lines = 0, assessed = 0, errors = 0, unreadable = 0, members = 0, paying = 0, total_annual = 0;
  std::map<std::string, std::map<std::string, long long>> totals;  // part -> field -> yen
  std::map<std::string, long long> parts_present;                  // part -> households charged for it
  std::map<std::string, long long> reduction_ratio;                // "0.7" -> households
  std::map<std::string, long long> error_fields;                   // field -> households
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++lines;
    json r = json::parse(line, nullptr, false);
    if (r.is_discarded() || !r.is_object()) {
      ++unreadable;
      continue;
    }
    if (auto e = r.find("error"); e != r.end()) {
      ++errors;
      std::string field = e->is_object() && e->contains("field") && (*e)["field"].is_string()
                              ? (*e)["field"].get<std::string>() : "";
      // members[3].birth_date -> members[].birth_date
      std::string shape;
      for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '[') {
          shape += "[]";
          while (i < field.size() && field[i] != ']') ++i;
        } else {
          shape += field[i];
        }
      }
      ++error_fields[shape.empty() ? "(none)" : shape];
      continue;
    }
    auto p = r.find("premium");
    if (p == r.end() || !p->is_object()) {
      ++unreadable;
      continue;
    }
    ++assessed;
    if (auto m = r.find("members"); m != r.end() && m->is_array()) members += static_cast<long long>(m->size());
    for (const char* part : kParts) {
      auto q = p->find(part);
      if (q == p->end() || !q->is_object()) continue;
      if (as_yen(q->value("annual", json())) > 0) ++parts_present[part];
      for (const char* f : kFields) totals[part][f] += as_yen(q->value(f, json()));
    }
    long long annual = as_yen(p->value("annual", json()));
    total_annual += annual;
    if (annual > 0) ++paying;
    const json& sr = p->value("statutory_reduction", json());
    ++reduction_ratio[sr.is_string() ? sr.get<std::string>() : sr.dump()];
  }

  std::printf("records            %lld\n", lines);
  std::printf("  assessed         %lld (%lld members listed)\n", assessed, members);
  std::printf("  errors           %lld\n", errors);
  for (const auto& [field, n] : error_fields) std::printf("    %-30s %lld\n", field.c_str(), n);
  if (unreadable) std::printf("  unreadable       %lld (not an output record)\n", unreadable);
  std::printf("\n%-8s %15s %15s %15s %15s %13s %11s %15s\n", "part", "income_levy", "per_capita", "per_household",
              "reduction", "over_cap", "rounding", "annual");
  for (const char* part : kParts) {
    if (!totals.count(part)) continue;
    auto& t = totals[part];
    std::printf("%-8s %15s %15s %15s %15s %13s %11s %15s\n", part, yen(t["income_levy"]).c_str(),
                yen(t["per_capita"]).c_str(), yen(t["per_household"]).c_str(), yen(t["reduction"]).c_str(),
                yen(t["over_cap"]).c_str(), yen(t["rounding"]).c_str(), yen(t["annual"]).c_str());
  }
  std::printf("%-8s %15s\n", "total", yen(total_annual).c_str());
  std::printf("\nstatutory_reduction (法定軽減)\n");
  for (const char* k : {"0.7", "0.5", "0.2", "0"}) {
    long long n = reduction_ratio.count(k) ? reduction_ratio[k] : 0;
    std::printf("  %-5s %8lld  %5.1f%%\n", k, n, assessed ? 100.0 * n / assessed : 0.0);
  }
  for (const auto& [k, n] : reduction_ratio)
    if (k != "0.7" && k != "0.5" && k != "0.2" && k != "0") std::printf("  %-5s %8lld  (unexpected)\n", k.c_str(), n);
  std::printf("\naverage annual premium  %s yen per assessed household", yen(assessed ? total_annual / assessed : 0).c_str());
  std::printf(" (%s per household that pays, %lld of them)\n", yen(paying ? total_annual / paying : 0).c_str(), paying);
  return errors || unreadable ? 3 : 0;
}
