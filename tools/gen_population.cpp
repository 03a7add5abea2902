// gen_population: Matsudo-like NHI households as JSON Lines (household.md's
// input shape), deterministic for a given seed and year.
//
//   gen_population --count 100000 --seed 1 --year 2026 [--out FILE] [--full] [--benefits]
//
// --full writes every field of the contract, nulls and zeros included, as the
// ledger sends a record; by default fields that may be left out are left out.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "benefit_events.h"
#include "population.h"

namespace {

int usage(const char* msg) {
  if (msg) std::fprintf(stderr, "gen_population: %s\n", msg);
  std::fprintf(stderr,
               "usage: gen_population [--count N] [--seed S] [--year FY] [--out FILE] [--full] [--first K] [--benefits]\n"
               "  --count N   households to write (default 100000)\n"
               "  --seed S    random seed (default 1); the same seed gives the same households\n"
               "  --year FY   fiscal year of the records (default 2026)\n"
               "  --out FILE  write there instead of standard output\n"
               "  --full      write every field of household.md, nulls and zeros included\n"
               "  --first K   start at household K (0-based), for a slice of a population\n"
               "  --benefits  add an evaluation date, claims, meals, births, funerals, installments and\n"
               "              payments (benefits.md §10.2)\n");
  return 2;
}

template <class T>
bool number(const char* s, T& out) {
  auto [p, ec] = std::from_chars(s, s + std::strlen(s), out);
  return ec == std::errc() && *p == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long long count = 100000, first = 0;
  shiki::population::Options options;
  const char* out_path = nullptr;
  bool benefits = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--count") {
      const char* v = value();
      if (!v || !number(v, count)) return usage("--count needs a number");
    } else if (a == "--seed") {
      const char* v = value();
      if (!v || !number(v, options.seed)) return usage("--seed needs a number");
    } else if (a == "--year") {
      const char* v = value();
      if (!v || !number(v, options.fiscal_year) || options.fiscal_year < 1990 || options.fiscal_year > 2100)
        return usage("--year needs a fiscal year such as 2026");
    } else if (a == "--first") {
      const char* v = value();
      if (!v || !number(v, first)) return usage("--first needs a number");
    } else if (a == "--out") {
      out_path = value();
      if (!out_path) return usage("--out needs a file name");
    } else if (a == "--full") {
      options.full = true;
    } else if (a == "--benefits") {
      benefits = true;
    } else if (a == "-h" || a == "--help") {
      return usage(nullptr) == 2 ? 0 : 0;
    } else {
      return usage(("unknown argument " + std::string(a)).c_str());
    }
  }
  std::FILE* out = out_path ? std::fopen(out_path, "wb") : stdout;
  if (!out) {
    std::perror(out_path);
    return 1;
  }
  shiki::population::Generator gen(options);
  std::string line;
  for (unsigned long long i = first; i < first + count; ++i) {
    line = gen.household(i);
    if (benefits) line = shiki::population::with_benefit_events(line, options.seed, i);
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      std::perror(out_path ? out_path : "stdout");
      return 1;
    }
  }
  if (out_path ? std::fclose(out) != 0 : std::fflush(out) != 0) {
    std::perror(out_path ? out_path : "stdout");
    return 1;
  }
  return 0;
}
