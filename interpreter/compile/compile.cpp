// The program's layout (entities, inputs, rules) and one chunk per body.
#include "compile.h"

#include <sstream>

#include "emitter.h"

namespace shiki::compile {

using bytecode::Chunk;
using bytecode::Op;
using bytecode::Value;

namespace {

std::vector<std::string> split_path(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, '.');) out.push_back(part);
  return out;
}

class Compiler {
 public:
  Compiler(const resolve::Program& src, bytecode::Program& out) : src_(src), out_(out) {}

  int chunk_for(const std::string& name, const source::Location& loc, int nargs, const ast::Expr& body) {
    Chunk c;
    c.name = name;
    c.file = loc.file;
    c.nargs = c.nlocals = nargs;
    out_.chunks.push_back(std::move(c));
    int id = static_cast<int>(out_.chunks.size() - 1);
    Emitter em(src_, out_, out_.chunks[id]);
    em.expr(body);
    em.emit(Op::RETURN);
    return id;
  }

  void layout() {
    out_.id = src_.id;
    out_.hash = src_.hash;
    out_.first_year = src_.first_year;
    out_.last_year = src_.last_year;
    out_.root_entity = src_.root_entity;
    out_.months_entity = src_.months_entity;
    out_.holidays = src_.holidays;
    for (const auto& e : src_.entities) {
      bytecode::EntityLayout l;
      l.name = e.decl->name;
      l.parent = e.parent;
      l.field = e.decl->field;
      l.is_months = e.is_months;
      l.alike_rule = e.alike_rule;
      l.optional = e.decl->optional;
      l.keyed = e.decl->keyed;
      l.ninputs = static_cast<int>(e.inputs.size());
      l.nrules = static_cast<int>(e.rules.size());
      for (int in : e.inputs)
        if (src_.inputs[in].decl->is_key) l.key_slot = src_.inputs[in].slot;
      out_.entities.push_back(std::move(l));
      out_.entity_inputs.push_back(e.inputs);
      out_.entity_rules.push_back(e.rules);
    }
    for (const auto& en : src_.enums) out_.enum_cases.push_back(en.decl->cases);
    for (const auto& in : src_.inputs) {
      bytecode::InputLayout l{in.entity, in.slot, in.display,
                              in.decl->is_key ? std::vector<std::string>{} : split_path(in.decl->field),
                              in.type.base, in.type.enum_id, in.decl->optional, in.decl->nonnegative,
                              in.decl->is_key, std::nullopt};
      if (in.decl->default_value) l.default_value = literal_value(*in.decl->default_value, out_);
      out_.inputs.push_back(std::move(l));
    }
    for (const auto& p : src_.params) {
      bytecode::ParamVersions pv{p.decl->name, {}, {}, p.type.base};
      for (const auto& v : p.decl->versions) {
        pv.versions.push_back({v.from, literal_value(*v.value, out_)});
        pv.sources.push_back(v.source.text.empty() ? p.decl->source.text : v.source.text);
      }
      out_.params.push_back(std::move(pv));
    }
  }

  void rules() {
    for (const auto& r : src_.rules) {
      Chunk c;
      c.name = r.display;
      c.file = r.decl->loc.file;
      c.nargs = c.nlocals = static_cast<int>(r.params.size());
      c.rule = static_cast<int>(&r - src_.rules.data());
      out_.chunks.push_back(std::move(c));
      int id = static_cast<int>(out_.chunks.size() - 1);
      Emitter em(src_, out_, out_.chunks[id]);
      if (r.decl->has_exceptions) em.exceptions(r);
      else em.expr(*r.decl->body);
      em.emit(Op::RETURN);
      out_.rule_entity.push_back(r.entity);
      out_.rule_slot.push_back(r.slot);
      // A rule of one month argument is a pure function of (instance, month):
      // the VM memoises it for the twelve months of the fiscal year.
      bool month_arg = r.params.size() == 1 && r.params[0].base == ast::Base::Month;
      out_.rule_month_slot.push_back(month_arg ? out_.entities[r.entity].nmonth_rules++ : -1);
      out_.rule_chunk.push_back(id);
      out_.rule_names.push_back(r.display);
      out_.rule_types.push_back(r.type.base);
      out_.rule_sources.push_back(r.decl->source.text);
      out_.rule_files.push_back(r.decl->loc.file);
      out_.rule_lines.push_back(r.decl->loc.line);
    }
  }

  void tables() {
    for (const auto& t : src_.tables) {
      bytecode::TableVersions tv{t.decl->name, {}};
      int table_id = static_cast<int>(&t - src_.tables.data());
      for (const auto& v : t.decl->versions) {
        Chunk c;
        c.name = "table " + t.decl->name + (v.from ? " (" + time::to_string(*v.from) + ")" : "");
        c.file = t.decl->loc.file;
        c.nargs = c.nlocals = static_cast<int>(t.params.size());
        out_.chunks.push_back(std::move(c));
        int id = static_cast<int>(out_.chunks.size() - 1);
        Emitter em(src_, out_, out_.chunks[id]);
        for (const auto& row : v.rows) {
          std::vector<int> to_next;
          int line = row.loc.line;
          for (auto [bound, closed, lower] : {std::tuple{row.lo.get(), row.lo_closed, true},
                                              std::tuple{row.hi.get(), row.hi_closed, false}}) {
            if (!bound) continue;
            em.emit(Op::LOCAL, 0, 0, 0, line);
            em.emit(Op::CONST, em.constant(literal_value(*bound, out_)), 0, 0, line);
            em.emit(lower ? (closed ? Op::GE : Op::GT) : (closed ? Op::LE : Op::LT), 0, 0, 0, line);
            to_next.push_back(em.here());
            em.emit(Op::JUMP_IF_NOT, 0, 0, 0, line);
          }
          em.expr(*row.value);
          em.emit(Op::RETURN);
          for (int j : to_next) em.patch(j);
        }
        em.emit(Op::NO_ROW, table_id);
        tv.versions.push_back({v.from, id});
      }
      out_.tables.push_back(std::move(tv));
    }
  }

  // The chunks that build derived entities: a group's filter and keys, a
  // span's first and last day.
  void derived_entities() {
    for (std::size_t e = 0; e < src_.entities.size(); ++e) {
      const auto& d = *src_.entities[e].decl;
      auto& l = out_.entities[e];
      l.kind = d.kind;
      if (d.kind == ast::EntityKind::Days) {
        l.first = chunk_for("entity " + d.name + " first day", d.loc, 0, *d.first);
        l.last = chunk_for("entity " + d.name + " last day", d.loc, 0, *d.last);
      } else if (d.kind == ast::EntityKind::Group) {
        l.source = src_.entity_by_name.at(d.source);
        if (d.filter) l.filter = chunk_for("entity " + d.name + " where", d.loc, 0, *d.filter);
        for (const auto& k : d.keys) l.keys.push_back(chunk_for("entity " + d.name + " key", d.loc, 0, *k));
      }
    }
  }

  void outputs() {
    for (const auto* o : src_.outputs) {
      bytecode::OutputBlock b;
      b.entity = src_.entity_by_name.at(o->entity);
      if (auto nest = o->into.find("[]."); nest != std::string::npos) {
        std::string outer = o->into.substr(0, nest);
        for (std::size_t k = 0; k < src_.outputs.size(); ++k)
          if (src_.outputs[k]->into == outer) b.outer = static_cast<int>(k);
        b.into = split_path(o->into.substr(nest + 3));
      } else if (!o->into.empty()) {
        b.into = split_path(o->into);
      }
      if (o->given) b.given = chunk_for("output " + o->entity + " given", o->loc, 0, *o->given);
      if (o->when) b.when = chunk_for("output " + o->entity + " when", o->loc, 0, *o->when);
      for (const auto& f : o->fields) {
        bytecode::OutputField of;
        of.path = split_path(f.path);
        of.type = f.value->type;
        of.value = chunk_for("output " + f.path, f.loc, 0, *f.value);
        if (f.when) of.when = chunk_for("output " + f.path + " when", f.loc, 0, *f.when);
        b.fields.push_back(std::move(of));
      }
      out_.outputs.push_back(std::move(b));
    }
    for (const auto* k : src_.checks)
      out_.checks.push_back({src_.entity_by_name.at(k->entity), k->field, k->message,
                             chunk_for("check " + k->field, k->loc, 0, *k->require)});
  }

 private:
  const resolve::Program& src_;
  bytecode::Program& out_;
};

}  // namespace

std::unique_ptr<bytecode::Program> run(const resolve::Program& p, diag::Sink&) {
  auto out = std::make_unique<bytecode::Program>();
  Compiler c(p, *out);
  c.layout();
  c.rules();
  c.tables();
  c.derived_entities();
  c.outputs();
  return out;
}

}  // namespace shiki::compile
