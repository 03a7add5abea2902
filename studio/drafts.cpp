#include "studio/drafts.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "adapters/http/tokens.h"
#include "interpreter/diag/diag.h"

namespace shiki::studio {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

// "<tmp>/matsudo/x.shiki" → "matsudo/x.shiki"; the editor's own file name too.
void relabel(json& place, const fs::path& root, const std::string& module) {
  if (!place.contains("file") || !place["file"].is_string()) return;
  const fs::path p = place["file"].get<std::string>();
  const fs::path rel = p.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return;
  place["file"] = rel.generic_string();
  const bool own = rel.begin() != rel.end() && *rel.begin() == module && std::distance(rel.begin(), rel.end()) == 2;
  place["editable"] = own ? json(rel.filename().string()) : json(nullptr);
}

}  // namespace

std::string digest_of(const Files& files) {
  std::string all;
  for (const auto& [name, text] : files) all += name + '\0' + std::to_string(text.size()) + '\0' + text;
  return http::sha256_hex(all);
}

DraftCompiler::DraftCompiler(fs::path ruleset_dir) : dir_(fs::absolute(ruleset_dir).lexically_normal()) {
  if (dir_.filename().empty()) dir_ = dir_.parent_path();  // "rulesets/matsudo/"
}

std::shared_ptr<const Draft> DraftCompiler::compile(const Files& files) {
  const std::string digest = digest_of(files);
  {
    std::lock_guard lock(mutex_);
    for (auto it = recent_.begin(); it != recent_.end(); ++it)
      if ((*it)->digest == digest) {
        auto found = *it;
        recent_.splice(recent_.begin(), recent_, it);
        return found;
      }
  }
  auto draft = build(files, digest);
  std::lock_guard lock(mutex_);
  recent_.push_front(draft);
  if (recent_.size() > kRecent) recent_.pop_back();
  return draft;
}

TempFolder::TempFolder() {
  std::string pattern = (fs::temp_directory_path() / "shiki-studio-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary folder");
  path_ = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path lay_out(const fs::path& ruleset_dir, const Files& files, const fs::path& into) {
  const std::string module = ruleset_dir.filename().string();
  // The sibling modules (national, …) are linked, not copied: a draft costs
  // the files staff edit, not the statute's.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(ruleset_dir.parent_path(), ec))
    if (e.is_directory() && e.path().filename() != module)
      fs::create_directory_symlink(e.path(), into / e.path().filename());
  const fs::path own = into / module;
  fs::create_directory(own);
  for (const auto& [name, text] : files) write_file(own / name, text);
  return own;
}

std::shared_ptr<const Draft> DraftCompiler::build(const Files& files, const std::string& digest) {
  TempFolder tmp;
  const std::string module = dir_.filename().string();
  const fs::path own = lay_out(dir_, files, tmp.path());

  auto draft = std::make_shared<Draft>();
  draft->digest = digest;
  diag::CaptureSink sink;
  draft->ruleset = engine::Ruleset::load(own, sink);
  for (const auto& d : sink.diagnostics) {
    std::ostringstream text;
    diag::render_json(d, text);
    json j = json::parse(text.str());
    relabel(j, tmp.path(), module);
    for (auto& n : j["notes"]) relabel(n, tmp.path(), module);
    for (auto& f : j["fixits"]) relabel(f, tmp.path(), module);
    (d.severity() == diag::Severity::error ? draft->errors : draft->warnings) += 1;
    draft->diagnostics.push_back(std::move(j));
  }
  return draft;
}

}  // namespace shiki::studio
