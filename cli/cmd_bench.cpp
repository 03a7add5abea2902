// shiki bench: the figures for capacity planning. For each thread count,
// one line per stage of the streaming path, households per second:
//   parse      JSON text -> typed household (the JSON adapter)
//   evaluate   typed household in memory -> typed result (the engine alone)
//   write      typed result -> the output record's JSON text
//   end-to-end JSON text -> JSON text, as `shiki eval` does, without file I/O
// Each stage runs --repeat times over the whole file; the best run counts.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "commands.h"
#include "interpreter/diag/diag.h"
#include "interpreter/engine/engine.h"

namespace shiki::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string ruleset, file, date;
  int year = 0, repeat = 3;
  std::vector<int> jobs{1, 2};
};

// Runs body(worker, i) for every i, interleaved over `jobs` threads; the
// best wall time of `repeat` runs, in seconds.
template <class Body>
double timed(int jobs, std::size_t n, int repeat, Body body) {
  double best = 1e300;  // a duration for the report, never a household's figure
  for (int r = 0; r < repeat; ++r) {
    auto start = Clock::now();
    auto work = [&](int w) {
      for (std::size_t i = w; i < n; i += jobs) body(w, i);
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < jobs; ++w) threads.emplace_back(work, w);
    work(0);
    for (auto& t : threads) t.join();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

int run_bench(const Args& args) {
  diag::TextSink sink(std::cerr);
  const auto start = Clock::now();
  auto ruleset = engine::Ruleset::load(args.ruleset, sink);
  if (!ruleset) return 1;
  const auto compile_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::ifstream in(args.file);
  if (!in) {
    std::cerr << "cannot read " << args.file << "\n";
    return 1;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(std::move(line));
  const std::size_t n = lines.size();
  if (n == 0) {
    std::cerr << "no households in " << args.file << "\n";
    return 1;
  }
  engine::EvalOptions opt;
  opt.fiscal_year = args.year;
  opt.record_as_text = true;
  opt.evaluation_date = args.date;

  std::cout << fmt::format("compile and specialise {}: {} ms\n", ruleset->info().id, compile_ms);
  std::cout << fmt::format("households: {} ({})\n", n, args.file);
  std::vector<engine::Household> households(n);
  std::vector<engine::Result> results(n);
  std::vector<char> read_ok(n), evaluated(n);
  for (int jobs : args.jobs) {
    std::vector<std::unique_ptr<engine::Evaluator>> ev;
    for (int w = 0; w < jobs; ++w) ev.push_back(ruleset->evaluator());
    std::vector<std::string> out(jobs);
    auto report = [&](const char* stage, double secs) {
      std::cout << fmt::format("{} {} thread{}: {} households/s\n", stage, jobs, jobs == 1 ? "" : "s",
                               static_cast<long long>(static_cast<double>(n) / secs));
    };
    report("parse", timed(jobs, n, args.repeat, [&](int w, std::size_t i) {
      read_ok[i] = !ev[w]->read_text(lines[i], opt, households[i]);
    }));
    report("evaluate", timed(jobs, n, args.repeat, [&](int w, std::size_t i) {
      evaluated[i] = read_ok[i] && !ev[w]->evaluate(households[i], results[i]);
    }));
    report("write", timed(jobs, n, args.repeat, [&](int w, std::size_t i) {
      if (!evaluated[i]) return;
      out[w].clear();
      ev[w]->write_text(results[i], out[w]);
    }));
    report("end-to-end", timed(jobs, n, args.repeat, [&](int w, std::size_t i) {
      ev[w]->evaluate_text(lines[i], opt, static_cast<int>(i) + 1);
    }));
  }
  const auto failed = std::count(evaluated.begin(), evaluated.end(), 0);
  if (failed) std::cout << fmt::format("households with an error record (not in evaluate or write): {}\n", failed);
  return 0;
}

}  // namespace

void register_bench_commands(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("bench", "households per second by stage and thread count, for capacity planning");
  cmd->add_option("--ruleset", args->ruleset, "ruleset folder")->required();
  cmd->add_option("--year", args->year, "fiscal year")->required();
  cmd->add_option("--jobs", args->jobs, "thread counts, e.g. 1,2")->delimiter(',');
  cmd->add_option("--date", args->date, "evaluation date for records without one (YYYY-MM-DD)");
  cmd->add_option("--repeat", args->repeat, "runs of each stage; the best counts")->check(CLI::PositiveNumber);
  cmd->add_option("file", args->file, "households, JSON Lines")->required();
  cmd->callback([args] {
    if (int rc = run_bench(*args)) std::exit(rc);
  });
}

}  // namespace shiki::cli
