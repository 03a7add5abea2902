#include "resolve.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "../syntax/syntax.h"
#include "amend.h"
#include "parts.h"

namespace shiki::resolve {

namespace fs = std::filesystem;
using diag::Code;

namespace {

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// The folder an import reads: the sibling folder of that name, or the path
// written after `from`, relative to the importing module's folder.
fs::path imported_folder(const fs::path& dir, const ast::Import& imp) {
  if (imp.path.empty()) return dir.parent_path() / imp.module;
  fs::path p = (dir / fs::path(imp.path)).lexically_normal();
  if (fs::path(imp.path).is_absolute()) p = fs::path(imp.path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

class Loader {
 public:
  Loader(Program& p, diag::Sink& sink) : p_(p), sink_(sink) {}

  // Loads `dir` after everything it imports; modules end up in dependency order.
  void load(const fs::path& dir, const ast::Import* via) {
    std::string name = dir.filename().string();
    std::error_code ec;
    if (via && !via->path.empty()) {
      // `import X from "…"` must name the folder it reads: the module's name
      // is its folder's name everywhere else (ids, hashes, diagnostics).
      std::string why = !fs::is_directory(dir, ec) ? "「" + dir.string() + "」にフォルダがありません"
                        : name != via->module      ? "「" + via->path + "」のフォルダ名は「" + name + "」です"
                                                   : "";
      if (!why.empty()) {
        sink_.report({Code::E0105, via->loc, {via->module}, {{{}, why}}});
        return;
      }
    }
    if (auto it = folder_.find(name); it != folder_.end()) {
      // One name, one folder: a second folder of the same name would be
      // silently skipped, and its figures silently missing.
      if (via && !fs::equivalent(it->second, dir, ec) && fs::is_directory(dir, ec))
        sink_.report({Code::E0105, via->loc, {via->module},
                      {{{}, "「" + name + "」は別のフォルダ「" + it->second.string() + "」から読み込み済みです"}}});
      return;
    }
    folder_[name] = dir;
    if (!fs::is_directory(dir, ec)) {
      if (via) sink_.report({Code::E0105, via->loc, {name}, {}});
      else sink_.report({Code::E0002, {}, {dir.string()}, {}});
      return;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".shiki") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    auto module = std::make_unique<ast::Module>();
    module->name = name;
    module->dir = dir.string();
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      hash_input_ += name + "/" + f.filename().string() + '\0' + ss.str() + '\0';
      auto parsed = syntax::run(std::make_shared<const source::SourceFile>(f.string(), ss.str()), sink_);
      if (parsed) module->files.push_back(std::move(*parsed));
    }
    for (const auto& file : module->files)
      for (const auto& imp : file.imports) load(imported_folder(dir, imp), &imp);
    ordered_.push_back(std::move(module));
  }

  std::vector<std::unique_ptr<ast::Module>> ordered_;
  std::string hash_input_;

 private:
  Program& p_;
  diag::Sink& sink_;
  std::map<std::string, fs::path> folder_;  // each module's name and the folder it was read from
};

// Registers one named declaration, honouring `override`.
// Returns the slot to fill, or -1 when the declaration is rejected.
// `spell` turns a key of the map back into the name as written, for "did
// you mean".
template <class Map, class Spell>
int declare(Map& map, const typename Map::key_type& key, const std::string& shown, bool is_override,
            const source::Location& loc, const std::string& module,
            std::map<typename Map::key_type, std::string>& owner, int next, diag::Sink& sink, Spell spell) {
  auto it = map.find(key);
  if (it == map.end()) {
    if (is_override) {
      // Never suggest dropping `override`: a new name beside the imported
      // one would leave the imported figure in force, silently.
      diag::Diagnostic d{Code::E0103, loc, {shown}, {}};
      std::vector<std::string> names;
      for (const auto& [k, _] : map) names.push_back(spell(k));
      if (auto s = diag::did_you_mean(shown, names); !s.empty()) {
        d.notes.push_back({{}, "もしかして「" + s + "」"});
        d.fixits.push_back({loc, s});
      } else {
        d.notes.push_back({{}, "取り込んだモジュールでの名前を、そのとおりに書きます"});
      }
      sink.report(std::move(d));
      return -1;
    }
    map[key] = next;
    owner[key] = module;
    return next;
  }
  if (owner[key] == module) {
    sink.report({Code::E0102, loc, {shown}, {}});
    return -1;
  }
  if (!is_override) {
    sink.report({Code::E0104, loc, {shown}, {{{}, "override " + shown + " と書くと置き換えます"}}});
    return -1;
  }
  owner[key] = module;
  return it->second;
}

}  // namespace

ast::Type type_of(const Program& p, const ast::TypeName& t, diag::Sink& sink) {
  using ast::Base;
  static const std::map<std::string, Base> kBuiltin = {
      {"money", Base::Money}, {"decimal", Base::Decimal}, {"rate", Base::Rate},
      {"integer", Base::Integer}, {"boolean", Base::Boolean}, {"date", Base::Date},
      {"month", Base::Month}, {"text", Base::Text}};
  if (auto it = kBuiltin.find(t.name); it != kBuiltin.end()) return ast::Type::of(it->second);
  if (auto it = p.enum_by_name.find(t.name); it != p.enum_by_name.end()) return {Base::Enum, it->second, false};
  std::vector<std::string> names;
  for (auto& [n, _] : kBuiltin) names.push_back(n);
  for (auto& [n, _] : p.enum_by_name) names.push_back(n);
  diag::Diagnostic d{Code::E0107, t.loc, {t.name}, {}};
  if (auto s = diag::did_you_mean(t.name, names); !s.empty()) d.notes.push_back({{}, "もしかして「" + s + "」"});
  sink.report(d);
  return {};
}

namespace {

void index_declarations(Program& p, diag::Sink& sink) {
  std::map<std::string, std::string> own_entity, own_param, own_table, own_enum;
  std::map<std::pair<int, std::string>, std::string> own_input, own_rule;
  auto same = [](const std::string& k) { return k; };
  auto spell_member = [&p](const std::pair<int, std::string>& k) {
    return p.entities[k.first].decl->name + "." + k.second;
  };
  // Entities and enums first: everything else refers to them.
  for (auto& m : p.modules)
    for (auto& f : m->files) {
      for (auto& e : f.entities) {
        int id = declare(p.entity_by_name, e.name, e.name, false, e.loc, m->name, own_entity,
                         static_cast<int>(p.entities.size()), sink, same);
        if (id == static_cast<int>(p.entities.size())) p.entities.push_back({&e});
      }
      for (auto& e : f.enums) {
        int id = declare(p.enum_by_name, e.name, e.name, false, e.loc, m->name, own_enum,
                         static_cast<int>(p.enums.size()), sink, same);
        if (id == static_cast<int>(p.enums.size())) p.enums.push_back({&e});
      }
      if (f.fiscal_years) {
        p.first_year = f.fiscal_years->first;
        p.last_year = f.fiscal_years->second;
      }
      for (auto& h : f.holidays) p.holidays.insert(p.holidays.end(), h.dates.begin(), h.dates.end());
    }
  std::sort(p.holidays.begin(), p.holidays.end());
  for (auto& e : p.entities) {
    const auto& d = *e.decl;
    if (d.parent.empty()) {
      if (p.root_entity < 0) p.root_entity = static_cast<int>(&e - p.entities.data());
      continue;
    }
    auto it = p.entity_by_name.find(d.parent);
    if (it == p.entity_by_name.end()) {
      sink.report({Code::E0106, d.loc, {d.parent}, {}});
      continue;
    }
    e.parent = it->second;
    e.is_months = !d.month_name.empty();
    int self = static_cast<int>(&e - p.entities.data());
    p.entities[it->second].children.push_back(self);
    if (e.is_months) p.months_entity = self;
  }
  auto entity_of = [&](const std::string& name, const source::Location& loc) {
    auto it = p.entity_by_name.find(name);
    if (it != p.entity_by_name.end()) return it->second;
    std::vector<std::string> names;
    for (auto& [n, _] : p.entity_by_name) names.push_back(n);
    diag::Diagnostic d{Code::E0106, loc, {name}, {{{}, "規則と入力の名前は「実体.名前」で始めます（例: 世帯.平等割額）"}}};
    if (auto s = diag::did_you_mean(name, names); !s.empty()) d.notes.push_back({{}, "もしかして「" + s + "」"});
    sink.report(d);
    return -1;
  };
  for (auto& m : p.modules) {
    for (auto& f : m->files) {
      for (auto& in : f.inputs) {
        int e = entity_of(in.entity, in.loc);
        if (e < 0) continue;
        int next = static_cast<int>(p.inputs.size());
        int id = declare(p.input_by_name, {e, in.name}, in.entity + "." + in.name, false, in.loc, m->name,
                         own_input, next, sink, spell_member);
        if (id != next) continue;
        p.inputs.push_back({&in, e, static_cast<int>(p.entities[e].inputs.size()), {}, in.entity + "." + in.name});
        p.entities[e].inputs.push_back(id);
      }
      for (auto& pr : f.parameters) {
        int next = static_cast<int>(p.params.size());
        int id = declare(p.param_by_name, pr.name, pr.name, pr.is_override, pr.loc, m->name, own_param, next, sink, same);
        if (id == next) p.params.push_back({&pr, {}, m->name, &pr, m->name});
        else if (id >= 0) p.params[id] = {&pr, {}, m->name, p.params[id].first, p.params[id].first_module};
      }
      for (auto& t : f.tables) {
        int next = static_cast<int>(p.tables.size());
        int id = declare(p.table_by_name, t.name, t.name, t.is_override, t.loc, m->name, own_table, next, sink, same);
        if (id == next) p.tables.push_back({&t, {}, {}, m->name});
        else if (id >= 0) p.tables[id] = {&t, {}, {}, m->name};
      }
      for (auto& r : f.rules) {
        int e = entity_of(r.entity, r.loc);
        if (e < 0) continue;
        int next = static_cast<int>(p.rules.size());
        std::string shown = r.entity + "." + r.name;
        int id = declare(p.rule_by_name, {e, r.name}, shown, r.is_override, r.loc, m->name, own_rule, next, sink, spell_member);
        if (id < 0) continue;
        RuleInfo info{&r, e, -1, {}, {}, shown, m->name, {}, {}};
        if (id == next) {
          if (r.params.empty()) {
            info.slot = static_cast<int>(p.entities[e].rules.size());
            p.entities[e].rules.push_back(id);
          }
          p.rules.push_back(info);
        } else {
          info.slot = p.rules[id].slot;
          if ((info.slot < 0) != r.params.empty()) p.rules[id] = info;  // arity kept; checked later
          else p.rules[id] = info;
          if (p.rules[id].slot < 0 && r.params.empty()) {
            p.rules[id].slot = static_cast<int>(p.entities[e].rules.size());
            p.entities[e].rules.push_back(id);
          }
        }
      }
      for (auto& o : f.outputs) p.outputs.push_back(&o);
      for (auto& c : f.checks) p.checks.push_back(&c);
    }
    // A module amends what the modules before it declared, after its own
    // declarations (an override and an amendment may sit in one module).
    apply_amendments(p, *m, sink);
  }
}

}  // namespace

std::unique_ptr<Program> run(const fs::path& dir, diag::Sink& sink) {
  auto p = std::make_unique<Program>();
  int before = sink.error_count();
  // Paths stay as the user gave them so that diagnostics show short,
  // relative locations; the id comes from the folder's own name.
  fs::path clean = dir.lexically_normal();
  if (clean.filename().empty()) clean = clean.parent_path();
  if (clean.filename() == "." || clean.empty()) clean = fs::weakly_canonical(dir);
  Loader loader(*p, sink);
  loader.load(clean, nullptr);
  if (loader.ordered_.empty()) return nullptr;
  p->id = clean.filename().string();
  p->hash = "sha256:" + sha256_hex(loader.hash_input_);
  p->modules = std::move(loader.ordered_);
  expand_parts(p->modules);
  index_declarations(*p, sink);
  if (p->root_entity < 0 && sink.error_count() == before)
    sink.report({Code::E0106, {}, {"(root)"}, {{{}, "entity 世帯 のように親のない実体を一つ宣言します"}}});
  return p;
}

}  // namespace shiki::resolve
