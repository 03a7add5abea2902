// A plain loop for profilers: generate N households (default 3,000), compile
// rulesets/matsudo, then parse + evaluate + serialise each one, like one
// thread of `shiki eval`. Under callgrind only the loop is measured (the
// set-up runs with instrumentation off):
//
//   valgrind --tool=callgrind --instr-atstart=no bench/shiki_profile_eval 3000
//
// Run natively it prints the wall time per household by stage, and the
// loop's wall and thread CPU time per household.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#include "common.h"

int main(int argc, char** argv) {
  using namespace shiki;
  using clock = std::chrono::steady_clock;
  std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 3000;
  population::Generator gen({bench::kSeed, bench::kFiscalYear, true});
  std::vector<std::string> lines(n);
  for (std::size_t i = 0; i < n; ++i) lines[i] = gen.household(i);
  auto ev = bench::matsudo()->evaluator();

  // warm the evaluator (its per-year VM and buffers) outside the measurement
  ev->evaluate(nlohmann::json::parse(lines[0]), {}, 1);

  auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
  };
  clock::duration parse{}, evaluate{}, serialise{};
  std::size_t errors = 0, bytes = 0;
  const double cpu0 = thread_cpu();
  const auto wall0 = clock::now();
  CALLGRIND_START_INSTRUMENTATION;
  for (std::size_t i = 0; i < n; ++i) {
    auto t0 = clock::now();
    nlohmann::json in = nlohmann::json::parse(lines[i]);
    auto t1 = clock::now();
    auto outcome = ev->evaluate(in, {}, static_cast<int>(i + 1));
    auto t2 = clock::now();
    std::string out = outcome.record.dump();
    auto t3 = clock::now();
    parse += t1 - t0;
    evaluate += t2 - t1;
    serialise += t3 - t2;
    errors += !outcome.ok;
    bytes += out.size();
  }
  CALLGRIND_STOP_INSTRUMENTATION;
  const double cpu = thread_cpu() - cpu0;
  const double wall = std::chrono::duration<double, std::micro>(clock::now() - wall0).count();
  auto us = [&](clock::duration d) { return std::chrono::duration<double, std::micro>(d).count() / static_cast<double>(n); };
  std::printf("%zu households, %zu error records, %zu output bytes\n", n, errors, bytes);
  std::printf("per household: parse %.2f us, evaluate %.2f us, serialise %.2f us\n", us(parse), us(evaluate),
              us(serialise));
  // Wall time counts time the thread waited for a core; on a loaded machine
  // the CPU time is the steadier figure.
  std::printf("per household in all: %.2f us wall, %.2f us thread CPU\n", wall / static_cast<double>(n),
              cpu / static_cast<double>(n));
  return 0;
}
