#include "studio/workspace.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analysis/golden_case.h"
#include "interpreter/diag/diag.h"

namespace shiki::studio {
namespace fs = std::filesystem;

namespace {

fs::path normal_dir(const fs::path& p) {
  fs::path d = fs::absolute(p).lexically_normal();
  return d.filename().empty() ? d.parent_path() : d;
}

// Written beside the file, flushed to disk, then renamed over it: a reader
// (the API's reload, `shiki golden`, an editor) sees the old text or the
// new, never half of one.
void write_atomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.parent_path() / ("." + file.filename().string() + ".saving");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      fs::remove(tmp);
      throw std::runtime_error("cannot write " + tmp.string());
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (synced) fs::rename(tmp, file, ec);
  if (!synced || ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot replace " + file.string());
  }
}

void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) ::fsync(fd), ::close(fd);
}

}  // namespace

Workspace::Workspace(WorkspaceOptions options)
    : options_(std::move(options)),
      dir_(normal_dir(options_.ruleset_dir)),
      id_(dir_.filename().string()),
      population_(analysis::Population::read_file(options_.population)),
      drafts_(dir_) {
  if (options_.fiscal_year == 0) options_.fiscal_year = population_.first_fiscal_year();
  Files files = read_files();
  if (files.empty()) throw std::runtime_error(dir_.string() + " holds no .shiki files");
  diag::CaptureSink sink;
  auto ruleset = engine::Ruleset::load(dir_, sink);
  if (!ruleset) throw std::runtime_error(dir_.string() + " does not compile; `shiki check` shows why");
  const auto& years = ruleset->info().fiscal_years;
  if (std::find(years.begin(), years.end(), options_.fiscal_year) == years.end())
    throw std::runtime_error(id_ + " does not cover fiscal year " + std::to_string(options_.fiscal_year));
  // A save is only as safe as the cases it runs: a missing folder is a
  // mistake in the command, not a reason to save unchecked.
  if (!fs::is_directory(options_.golden_dir))
    throw std::runtime_error("no golden case folder at " + options_.golden_dir.string() + " (give --golden)");
  for (const auto& file : analysis::case_files(options_.golden_dir))
    if (analysis::read_case(file).ruleset == id_) ++golden_cases_;
  saved_.store(load_saved(std::move(files), std::move(ruleset)));
}

Files Workspace::read_files() const {
  Files files;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.is_regular_file() && e.path().extension() == ".shiki") {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      files[e.path().filename().string()] = ss.str();
    }
  return files;
}

std::shared_ptr<const Saved> Workspace::load_saved(Files files, std::shared_ptr<const engine::Ruleset> ruleset) const {
  auto s = std::make_shared<Saved>();
  s->digest = digest_of(files);
  s->files = std::move(files);
  s->assessment = analysis::assess(*ruleset, population_, options_.fiscal_year, options_.jobs);
  s->ruleset = std::move(ruleset);
  return s;
}

bool Workspace::same_names(const Files& files) const {
  const auto saved = saved_.load();
  if (files.size() != saved->files.size()) return false;
  for (const auto& [name, text] : files)
    if (!saved->files.count(name)) return false;
  return true;
}

std::shared_ptr<const Draft> Workspace::draft(const Files& files) {
  if (!same_names(files)) return nullptr;
  return drafts_.compile(files);
}

std::vector<MovedCase> Workspace::moved_cases(const engine::Ruleset& draft, int& cases_run) const {
  std::vector<MovedCase> moved;
  cases_run = 0;
  auto evaluator = draft.evaluator();
  for (const auto& file : analysis::case_files(options_.golden_dir)) {
    const auto c = analysis::read_case(file);
    if (!c.error.empty() || c.ruleset != id_) continue;  // `shiki golden` reports malformed cases
    ++cases_run;
    const auto run = analysis::run_case(c, *evaluator);
    using V = analysis::CaseRun::Verdict;
    if (run.verdict == V::kPassed || run.verdict == V::kPending) continue;
    MovedCase m{file.lexically_relative(options_.golden_dir).generic_string(), {}, {}};
    if (run.verdict == V::kPendingPasses) m.note = "passes now: remove its `pending` line";
    for (const auto& x : run.mismatches)
      m.fields.push_back({x.expectation->path, x.expectation->value, x.actual ? *x.actual : "absent"});
    if (!run.evaluation_error.empty()) m.note = run.evaluation_error;
    moved.push_back(std::move(m));
  }
  return moved;
}

SaveOutcome Workspace::save(const Files& files, const std::string& from_digest) {
  std::lock_guard lock(save_mutex_);
  SaveOutcome out{SaveOutcome::Status::kSaved, nullptr, 0, {}, {}};
  const auto saved = saved_.load();
  // Changed since the editor loaded it: in the studio, or on disk by hand.
  if (from_digest != saved->digest || digest_of(read_files()) != saved->digest)
    return out.status = SaveOutcome::Status::kConflict, out;
  if (digest_of(files) == saved->digest) return out.status = SaveOutcome::Status::kUnchanged, out;
  out.draft = draft(files);
  if (!out.draft || !out.draft->ruleset) return out.status = SaveOutcome::Status::kDoesNotCompile, out;
  out.moved = moved_cases(*out.draft->ruleset, out.cases_run);
  if (!out.moved.empty()) return out.status = SaveOutcome::Status::kGoldenMoved, out;
  for (const auto& [name, text] : files)
    if (saved->files.at(name) != text) {
      write_atomically(dir_ / name, text);
      out.written.push_back(name);
    }
  sync_folder(dir_);
  saved_.store(load_saved(files, out.draft->ruleset));
  return out;
}

}  // namespace shiki::studio
