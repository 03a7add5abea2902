// Compilation time of rulesets/matsudo: the front end (parse, resolve, check,
// graph, bytecode; shiki::engine::build) and the whole load (build, then
// specialise every fiscal year; shiki::engine::Ruleset::load).
#include <benchmark/benchmark.h>

#include "common.h"
#include "interpreter/engine/pipeline.h"

namespace {

using namespace shiki;

void BM_Build(benchmark::State& state) {
  auto dir = bench::ruleset_dir();
  for (auto _ : state) {
    diag::CaptureSink sink;
    auto program = engine::build(dir, sink);
    if (!program) {
      state.SkipWithError("the ruleset does not compile");
      break;
    }
    benchmark::DoNotOptimize(program.get());
  }
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Load(benchmark::State& state) {
  auto dir = bench::ruleset_dir();
  for (auto _ : state) {
    diag::CaptureSink sink;
    auto rs = engine::Ruleset::load(dir, sink);
    if (!rs) {
      state.SkipWithError("the ruleset does not compile");
      break;
    }
    benchmark::DoNotOptimize(rs.get());
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
