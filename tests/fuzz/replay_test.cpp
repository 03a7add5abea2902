// Replays every saved fuzz input — the crashes found (regressions/<target>/)
// and the seed corpora (fuzz/corpus/<target>/) — through the entry points of
// the libFuzzer targets (fuzz/entry.h), in the ordinary build: none may throw.
// A crash fixed in the engine stays fixed here, under gcc, in every CI run.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "entry.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    auto name = e.path().filename().string();
    if (e.is_regular_file() && name != "README.md" && name.front() != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class Entry>
void replay(const fs::path& dir, Entry entry, std::size_t at_least) {
  auto files = inputs(dir);
  EXPECT_GE(files.size(), at_least) << dir;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::string data = slurp(f);
    EXPECT_NO_THROW(entry(data)) << "replaying " << f;
  }
}

const fs::path kRegressions = SHIKI_FUZZ_REGRESSIONS_DIR;
const fs::path kCorpus = SHIKI_FUZZ_CORPUS_DIR;

void frontend(const std::string& s) { shiki::fuzz::frontend(s); }
void json(const std::string& s) { shiki::fuzz::json_line(s); }
void http(const std::string& s) { shiki::fuzz::http_request(s); }

}  // namespace

TEST(Replay, FrontendRegressions) { replay(kRegressions / "frontend", frontend, 0); }
TEST(Replay, JsonRegressions) { replay(kRegressions / "json", json, 0); }
TEST(Replay, FrontendCorpus) { replay(kCorpus / "frontend", frontend, 10); }
TEST(Replay, JsonCorpus) { replay(kCorpus / "json", json, 100); }

// The golden households evaluate the same way twice in a row (the
// evaluator reuses its state from household to household).
TEST(Replay, JsonSeedsAreDeterministic) {
  for (const auto& f : inputs(kCorpus / "json")) {
    if (f.filename().string().rfind("golden-", 0) != 0) continue;
    SCOPED_TRACE(f.string());
    std::string data = slurp(f);
    std::string first = shiki::fuzz::json_line(data);
    EXPECT_EQ(shiki::fuzz::json_line(data), first);
  }
}
TEST(Replay, HttpRegressions) { replay(kRegressions / "http", http, 0); }
TEST(Replay, HttpCorpus) { replay(kCorpus / "http", http, 10); }
