// `part A, B, C as 分 { rule … }`: rules stated once for several premium
// parts. Each rule is copied for each part with the placeholder replaced by
// the part's name. A name written `分.X` in a rule means the part's own X
// where the part has one (a rule or parameter `P.X`), and the shared X
// where it has none: the parts supply their figures (医療分.所得割率) and
// only the part that differs states its own (介護分.被保険者数, the members
// liable to the care part). A part that declares one of the rules itself,
// outside the block, keeps its own and gets no copy.
#include "parts.h"

#include <algorithm>

namespace shiki::resolve {

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (std::size_t dot; (dot = s.find('.', from)) != std::string::npos; from = dot + 1) out.push_back(s.substr(from, dot - from));
  out.push_back(s.substr(from));
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

// A rule's name in one part: 分.当月所得割 -> 医療分.当月所得割.
std::string renamed(const std::string& name, const std::string& placeholder, const std::string& part) {
  auto segs = split(name);
  for (auto& s : segs)
    if (s == placeholder) s = part;
  return join(segs);
}

class Instance {
 public:
  Instance(const ast::PartBlock& block, const std::string& part, const std::set<std::string>& names)
      : block_(block), part_(part), names_(names) {}

  // 分.X -> P.X where P has its own X, else X; other names unchanged.
  std::string name(const std::string& text) const {
    auto segs = split(text);
    auto at = std::find(segs.begin(), segs.end(), block_.placeholder);
    if (at == segs.end()) return text;
    std::vector<std::string> own = segs, shared = segs;
    own[at - segs.begin()] = part_;
    shared.erase(shared.begin() + (at - segs.begin()));
    // `names` holds names without their entity (医療分.被保険者数,
    // 医療分.所得割率); a name written with its entity (月.分.X) is looked
    // up without it.
    for (std::size_t skip = 0; skip < 2 && skip + 2 <= own.size(); ++skip) {
      std::vector<std::string> tail(own.begin() + static_cast<long>(skip), own.end());
      if (names_.count(join(tail))) return join(own);
    }
    return join(shared);
  }

  ast::ExprPtr clone(const ast::Expr* e) const {
    if (!e) return nullptr;
    auto out = std::make_unique<ast::Expr>();
    out->kind = e->kind;
    out->loc = e->loc;
    out->text = e->kind == ast::ExprKind::Name || e->kind == ast::ExprKind::Call ? name(e->text) : e->text;
    for (const auto& k : e->kids) out->kids.push_back(clone(k.get()));
    out->filter = clone(e->filter.get());
    out->arm_names = e->arm_names;
    out->arm_locs = e->arm_locs;
    return out;
  }

  ast::Rule rule(const ast::Rule& r) const {
    ast::Rule out;
    out.entity = r.entity;
    out.name = renamed(r.name, block_.placeholder, part_);
    out.params = r.params;
    out.type = r.type;
    out.source = r.source;
    out.body = clone(r.body.get());
    for (const auto& x : r.exceptions)
      out.exceptions.push_back({x.label, x.over, x.over_locs, clone(x.cond.get()), clone(x.value.get()), x.source, x.loc});
    out.has_exceptions = r.has_exceptions;
    out.is_override = r.is_override;
    out.unconfirmed = r.unconfirmed;
    out.loc = r.loc;
    return out;
  }

 private:
  const ast::PartBlock& block_;
  const std::string& part_;
  const std::set<std::string>& names_;
};

}  // namespace

void expand_parts(std::vector<std::unique_ptr<ast::Module>>& modules) {
  // Every name a part could supply: rules (without their entity), the
  // block's own rules for every part, parameters.
  std::set<std::string> names, declared;
  for (auto& m : modules)
    for (auto& f : m->files) {
      for (const auto& r : f.rules) {
        names.insert(r.name);
        declared.insert(r.entity + "." + r.name);
      }
      for (const auto& p : f.parameters) names.insert(p.name);
      for (const auto& b : f.parts)
        for (const auto& part : b.names)
          for (const auto& r : b.rules) names.insert(renamed(r.name, b.placeholder, part));
    }
  for (auto& m : modules)
    for (auto& f : m->files)
      for (const auto& b : f.parts)
        for (const auto& part : b.names) {
          Instance inst(b, part, names);
          for (const auto& r : b.rules) {
            ast::Rule copy = inst.rule(r);
            if (!declared.count(copy.entity + "." + copy.name)) f.rules.push_back(std::move(copy));
          }
        }
}

}  // namespace shiki::resolve
