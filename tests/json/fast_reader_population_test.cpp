// The fast reader against the strict one over whole populations: generated
// households (compact, every field written, with benefits, four fiscal
// years), the bundled sample, every golden case's input, the fuzzer's
// corpus and its crashes, and random corruptions of good records. The fast
// reader must take every good record, and the outcome must be the strict
// reader's on every line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/golden_case.h"
#include "benefit_events.h"
#include "population.h"
#include "two_readers.h"

namespace {

namespace fs = std::filesystem;
using shiki::engine::EvalOptions;

shiki::test::TwoReaders& readers(const std::string& ruleset = "matsudo") {
  static std::map<std::string, std::unique_ptr<shiki::test::TwoReaders>> loaded;
  auto& r = loaded[ruleset];
  if (!r) r = std::make_unique<shiki::test::TwoReaders>(shiki::test::rulesets_dir() + "/" + ruleset);
  return *r;
}

std::vector<std::string> generated(int count, int year, bool full, bool benefits) {
  shiki::population::Generator g({1, year, full});
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i) {
    std::string line = g.household(static_cast<std::uint64_t>(i));
    if (benefits) line = shiki::population::with_benefit_events(line, 1, static_cast<std::uint64_t>(i));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<EvalOptions> runs() {
  EvalOptions streaming;  // as shiki eval runs
  streaming.record_as_text = true;
  streaming.fiscal_year = 2026;
  streaming.evaluation_date = "2026-11-25";
  EvalOptions explained;
  explained.explain = true;
  explained.explain_text = true;
  return {EvalOptions{}, streaming, explained};
}

// Every line taken by the fast reader, read and assessed as by the strict one.
void expect_taken_alike(const std::vector<std::string>& lines, const std::vector<EvalOptions>& options) {
  auto& r = readers();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_TRUE(r.fast_takes(lines[i])) << lines[i];
    for (const auto& o : options) {
      ASSERT_EQ(r.difference(lines[i], o), "") << lines[i];
      ASSERT_EQ(r.outcome(lines[i], o, true), r.outcome(lines[i], o, false)) << lines[i];
    }
  }
}

TEST(FastReaderPopulation, GeneratedHouseholdsAreReadAlike) {
  expect_taken_alike(generated(1000, 2026, false, false), {EvalOptions{}, runs()[1]});
  expect_taken_alike(generated(200, 2026, true, false), runs());
  for (int year : {2023, 2024, 2025}) expect_taken_alike(generated(100, year, year == 2024, false), {EvalOptions{}});
}

TEST(FastReaderPopulation, HouseholdsWithBenefitsAreReadAlike) {
  expect_taken_alike(generated(300, 2026, false, true), {runs()[1]});
  expect_taken_alike(generated(30, 2026, true, true), {EvalOptions{}, runs()[2]});
  expect_taken_alike(generated(50, 2025, true, true), {EvalOptions{}});
}

TEST(FastReaderPopulation, TheBundledSampleIsReadAlike) {
  std::ifstream in(std::string(SHIKI_SAMPLES_DIR) + "/matsudo-fy2026.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 1000u);
  expect_taken_alike(lines, {EvalOptions{}, runs()[1]});
}

// The golden cases, errors among them, as shiki golden reads them.
TEST(FastReaderPopulation, GoldenCaseInputsGiveTheSameOutcome) {
  int taken = 0, cases = 0;
  for (const auto& file : shiki::analysis::case_files(SHIKI_GOLDEN_DIR)) {
    const auto c = shiki::analysis::read_case(file);
    if (!c.error.empty() || c.input.empty()) continue;
    auto& r = readers(c.ruleset);
    ++cases;
    taken += r.fast_takes(c.input);
    EXPECT_EQ(r.difference(c.input), "") << file;
    EXPECT_EQ(r.outcome(c.input, {}, true), r.outcome(c.input, {}, false)) << file;
  }
  EXPECT_GT(cases, 300);
  EXPECT_GT(taken, cases / 2);
}

// The fuzzer's seeds and every input that once broke the JSON adapter.
TEST(FastReaderPopulation, FuzzInputsGiveTheSameOutcome) {
  int files = 0;
  for (const char* dir : {SHIKI_FUZZ_CORPUS_DIR "/json", SHIKI_FUZZ_REGRESSIONS_DIR "/json"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      ++files;
      for (const auto& o : {EvalOptions{}, runs()[1]}) {
        EXPECT_EQ(readers().difference(text.str(), o), "") << e.path();
        EXPECT_EQ(readers().outcome(text.str(), o, true), readers().outcome(text.str(), o, false)) << e.path();
      }
    }
  }
  EXPECT_GT(files, 100);
}

// Good records broken at random: a byte deleted, inserted, replaced or
// doubled, a stretch repeated (a key given twice, an array longer), two bytes
// swapped. Whatever the fast reader takes, it takes as the strict one reads.
TEST(FastReaderPopulation, CorruptedRecordsGiveTheSameOutcome) {
  std::vector<std::string> good = generated(20, 2026, true, false);
  for (auto& line : generated(20, 2026, false, true)) good.push_back(std::move(line));
  static const char kBytes[] = "{}[]\":,\\ \t\r\n0123456789-+.eEtrufalsn\x00\x1f\x7f\x80\xbf\xc3\xe3\xed\xff";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  std::uint64_t state = 88172645463325252ull;  // xorshift64: the same corruptions on every machine
  auto next = [&](std::size_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::size_t>(state % n);
  };
  int taken = 0, left = 0;
  EvalOptions o = runs()[1];
  for (int round = 0; round < 12000; ++round) {
    std::string s = good[next(good.size())];
    for (std::size_t edits = 1 + next(3); edits > 0; --edits) {
      const std::size_t at = next(s.size());
      switch (next(6)) {
        case 0: s.erase(at, 1); break;
        case 1: s.insert(at, 1, bytes[next(bytes.size())]); break;
        case 2: s[at] = bytes[next(bytes.size())]; break;
        case 3: s.insert(at, 1, s[at]); break;
        case 4: s.insert(at, s.substr(at, 1 + next(60))); break;
        default: std::swap(s[at], s[next(s.size())]);
      }
      if (s.empty()) s = "{";
    }
    const bool fast = readers().fast_takes(s, o.limits);
    (fast ? taken : left) += 1;
    ASSERT_EQ(readers().difference(s, o), "") << s;
    ASSERT_EQ(readers().outcome(s, o, true), readers().outcome(s, o, false)) << s;
  }
  // Both kinds occur: the test exercises taking a corrupted record as well
  // as leaving it.
  EXPECT_GT(taken, 100);
  EXPECT_GT(left, 5000);
}

}  // namespace
