// Throughput of the full Matsudo FY2026 assessment over a generated
// population (100,000 households by default; $SHIKI_BENCH_HOUSEHOLDS), and
// its cost per household by stage. See bench/README.md.
//
//   BM_Pipeline    parse + evaluate + serialise, one line at a time, as one
//                  thread of `shiki eval` does: 1 thread and 2 threads, one
//                  evaluator per thread.
//   BM_Evaluate    evaluator->evaluate(json) alone, from households parsed
//                  beforehand (reading the JSON into the VM's household, the
//                  VM, building the output json): 1 and 2 threads.
//   BM_Parse       nlohmann::json::parse of one line.
//   BM_Serialise   record.dump() of one output record.
//
// Every iteration is one household; `households/s` is the rate over
// wall-clock time, all threads together. Thread t of T takes households
// t, t+T, t+2T, ... and goes on where it stopped from one run of the
// benchmark to the next, so that the runs walk through the whole population
// rather than its first few thousand households.
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
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

// Output records to serialise: those of the first 10,000 households.
const std::vector<json>& outputs() {
  static const std::vector<json> v = [] {
    auto ev = bench::matsudo()->evaluator();
    const auto& lines = bench::population();
    std::vector<json> out;
    for (std::size_t i = 0; i < lines.size() && i < 10000; ++i)
      out.push_back(ev->evaluate(json::parse(lines[i]), {}, 0).record);
    return out;
  }();
  return v;
}

// Where each thread of a benchmark goes on (see above).
struct Cursor {
  std::array<std::size_t, 64> next{};
  std::size_t& at(const benchmark::State& s) {
    auto& n = next[static_cast<std::size_t>(s.thread_index())];
    if (n % static_cast<std::size_t>(s.threads()) != static_cast<std::size_t>(s.thread_index()))
      n = static_cast<std::size_t>(s.thread_index());
    return n;
  }
};

void finish(benchmark::State& state, std::size_t errors) {
  state.counters["households/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // households that came back as error records; should be 0, or the
  // benchmark measures the wrong thing
  state.counters["errors"] = benchmark::Counter(static_cast<double>(errors));
}

void BM_Pipeline(benchmark::State& state) {
  static Cursor cursor[3];
  const auto& lines = bench::population();
  auto ev = bench::matsudo()->evaluator();
  const std::size_t step = static_cast<std::size_t>(state.threads());
  std::size_t i = cursor[state.threads()].at(state);  // a local: no false sharing between threads
  std::size_t errors = 0;
  for (auto _ : state) {
    if (i >= lines.size()) i = static_cast<std::size_t>(state.thread_index());
    json in = json::parse(lines[i]);
    auto outcome = ev->evaluate(in, {}, static_cast<int>(i + 1));
    std::string out = outcome.record.dump();
    errors += !outcome.ok;
    benchmark::DoNotOptimize(out.data());
    i += step;
  }
  cursor[state.threads()].at(state) = i;
  finish(state, errors);
}

void BM_Evaluate(benchmark::State& state) {
  static Cursor cursor[3];
  const auto& hs = parsed();
  auto ev = bench::matsudo()->evaluator();
  const std::size_t step = static_cast<std::size_t>(state.threads());
  std::size_t i = cursor[state.threads()].at(state);  // a local: no false sharing between threads
  std::size_t errors = 0;
  for (auto _ : state) {
    if (i >= hs.size()) i = static_cast<std::size_t>(state.thread_index());
    auto outcome = ev->evaluate(hs[i], {}, static_cast<int>(i + 1));
    errors += !outcome.ok;
    benchmark::DoNotOptimize(outcome.record);
    i += step;
  }
  cursor[state.threads()].at(state) = i;
  finish(state, errors);
}

void BM_Parse(benchmark::State& state) {
  static Cursor cursor;
  const auto& lines = bench::population();
  std::size_t i = cursor.at(state), bytes = 0;
  for (auto _ : state) {
    if (i >= lines.size()) i = 0;
    json in = json::parse(lines[i]);
    benchmark::DoNotOptimize(in);
    bytes += lines[i].size();
    ++i;
  }
  cursor.at(state) = i;
  finish(state, 0);
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
  finish(state, 0);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

BENCHMARK(BM_Pipeline)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Evaluate)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Parse)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Serialise)->Unit(benchmark::kMicrosecond);

}  // namespace

// BENCHMARK_MAIN, with a minimum time of 2 s per benchmark unless
// --benchmark_min_time is given.
int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  static char min_time[] = "--benchmark_min_time=2";
  bool given = false;
  for (int i = 1; i < argc; ++i) given |= std::strncmp(argv[i], "--benchmark_min_time", 20) == 0;
  if (!given) args.insert(args.begin() + 1, min_time);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
