// Throughput of the full Matsudo FY2026 assessment over a generated
// population (100,000 households by default; $SHIKI_BENCH_HOUSEHOLDS), and
// its cost per household by stage. See bench/README.md.
//
//   BM_Pipeline    parse + evaluate + serialise, one line at a time, as
//                  `shiki eval` does: 1 thread and 2 threads (one evaluator
//                  per thread; thread t takes every household i with
//                  i % threads == t), each pass covering the whole population.
//   BM_Evaluate    evaluate alone, from households parsed beforehand: 1 and 2 threads.
//   BM_Parse       nlohmann::json::parse of one line.
//   BM_Serialise   record.dump() of one output record.
//
// Each reports households/s (a rate over wall-clock time); the time column
// is per household and per thread.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "common.h"

namespace {

using namespace shiki;
using nlohmann::json;

const std::vector<json>& parsed() {
  static const std::vector<json> v = [] {
    const auto& lines = bench::population();
    std::vector<json> out;
    out.reserve(lines.size());
    for (const auto& l : lines) out.push_back(json::parse(l));
    return out;
  }();
  return v;
}

const std::vector<json>& outputs() {
  static const std::vector<json> v = [] {
    auto ev = bench::matsudo()->evaluator();
    std::vector<json> out;
    out.reserve(parsed().size());
    for (const auto& h : parsed()) out.push_back(ev->evaluate(h, {}, 0).record);
    return out;
  }();
  return v;
}

void rate(benchmark::State& state) {
  state.counters["households/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

// Households that came back as error records (should be 0: a benchmark of
// error records would measure the wrong thing).
void count_errors(benchmark::State& state, std::size_t errors) {
  state.counters["errors"] = benchmark::Counter(static_cast<double>(errors));
}

void BM_Pipeline(benchmark::State& state) {
  const auto& lines = bench::population();
  auto ev = bench::matsudo()->evaluator();
  const std::size_t step = static_cast<std::size_t>(state.threads());
  std::size_t i = static_cast<std::size_t>(state.thread_index()), errors = 0;
  for (auto _ : state) {
    json in = json::parse(lines[i]);
    auto outcome = ev->evaluate(in, {}, static_cast<int>(i + 1));
    std::string out = outcome.record.dump();
    errors += !outcome.ok;
    benchmark::DoNotOptimize(out.data());
    i += step;
    if (i >= lines.size()) i -= lines.size();
  }
  rate(state);
  count_errors(state, errors);
}

void BM_Evaluate(benchmark::State& state) {
  const auto& hs = parsed();
  auto ev = bench::matsudo()->evaluator();
  const std::size_t step = static_cast<std::size_t>(state.threads());
  std::size_t i = static_cast<std::size_t>(state.thread_index()), errors = 0;
  for (auto _ : state) {
    auto outcome = ev->evaluate(hs[i], {}, static_cast<int>(i + 1));
    errors += !outcome.ok;
    benchmark::DoNotOptimize(outcome.record);
    i += step;
    if (i >= hs.size()) i -= hs.size();
  }
  rate(state);
  count_errors(state, errors);
}

void BM_Parse(benchmark::State& state) {
  const auto& lines = bench::population();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    json in = json::parse(lines[i]);
    benchmark::DoNotOptimize(in);
    bytes += lines[i].size();
    if (++i == lines.size()) i = 0;
  }
  rate(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_Serialise(benchmark::State& state) {
  const auto& rs = outputs();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    std::string out = rs[i].dump();
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
    if (++i == rs.size()) i = 0;
  }
  rate(state);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

const auto n = static_cast<benchmark::IterationCount>(bench::population_size());

// One pass over the population per run, the iterations being the households:
// 1 thread takes every household once; 2 threads take half each.
BENCHMARK(BM_Pipeline)->Iterations(n)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Pipeline)->Iterations(n / 2)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Evaluate)->Iterations(n)->Threads(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Evaluate)->Iterations(n / 2)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Parse)->Iterations(n)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Serialise)->Iterations(n)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
