#include <ShikiLexer.h>
#include <ShikiParser.h>
#include <antlr4-runtime.h>

#include "syntax.h"
#include "typing.h"

#include <algorithm>

namespace shiki::syntax {

using P = shiki_gen::ShikiParser;
using namespace ast;

namespace {

int code_points(const std::string& s) {
  int n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Collects the first syntax error; ANTLR's recovery would otherwise report
// a cascade of follow-ups for one mistake.
class FirstError : public antlr4::BaseErrorListener {
 public:
  explicit FirstError(const source::SourceFile* file) : file_(file) {}
  std::optional<diag::Diagnostic> error;

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* token, size_t line, size_t col,
                   const std::string& msg, std::exception_ptr) override {
    if (error) return;
    std::string what = token ? token->getText() : msg;
    if (token && token->getType() == antlr4::Token::EOF) {
      // The end of the file: point just after the last text, not at a line
      // past the end that the caret could not show.
      what = "ファイルの終わり";
      int last = static_cast<int>(line);
      while (last > 1 && file_->line(last).find_first_not_of(" \t\r") == std::string_view::npos) --last;
      line = static_cast<std::size_t>(last);
      col = static_cast<std::size_t>(code_points(std::string(file_->line(last))));
    }
    diag::Diagnostic d{diag::Code::E0001, {file_, static_cast<int>(line), static_cast<int>(col) + 1,
                                            std::max(1, token ? code_points(token->getText()) : 1)},
                       {"「" + what + "」"}, {}};
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) {
      auto expected = parser->getExpectedTokens().toString(parser->getVocabulary());
      if (expected.size() < 200) d.notes.push_back({{}, "ここに書けるもの: " + expected});
    } else {
      d.notes.push_back({{}, "使えない文字です。名前は文字で始め、記号は + - * / ( ) などに限ります"});
    }
    error = std::move(d);
  }

 private:
  const source::SourceFile* file_;
};

std::string unquote(const std::string& s) {
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

class Builder {
 public:
  Builder(const source::SourceFile* file, diag::Sink& sink) : file_(file), sink_(sink) {}

  Location loc(antlr4::Token* t) const {
    return {file_, static_cast<int>(t->getLine()), static_cast<int>(t->getCharPositionInLine()) + 1,
            std::max(1, code_points(t->getText()))};
  }
  Location loc(antlr4::ParserRuleContext* c) const {
    Location l = loc(c->getStart());
    if (c->getStop() && c->getStop()->getLine() == c->getStart()->getLine()) {
      auto end = c->getStop()->getCharPositionInLine() + code_points(c->getStop()->getText());
      l.length = std::max<int>(1, static_cast<int>(end) - static_cast<int>(c->getStart()->getCharPositionInLine()));
    }
    return l;
  }

  std::string qname(P::QnameContext* q) const { return q->getText(); }
  TypeName type(P::TypeContext* t) const { return {t->getText(), loc(t)}; }
  Citation cite(P::CitationContext* c) const { return {c ? unquote(c->STRING()->getText()) : ""}; }
  std::string mark(P::UnconfirmedContext* u) const { return u ? unquote(u->STRING()->getText()) : ""; }

  std::optional<time::Date> date(antlr4::tree::TerminalNode* n) {
    auto d = time::parse_date(n->getText());
    if (!d) sink_.report({diag::Code::E0209, loc(n->getSymbol()), {n->getText()}, {}});
    return d;
  }

  ExprPtr expr(P::ExprContext* c);
  void file(P::FileContext* c, File& out);

 private:
  ExprPtr make(ExprKind k, antlr4::ParserRuleContext* c, std::string text = "") {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->loc = loc(c);
    e->text = std::move(text);
    return e;
  }
  ExprPtr binary(antlr4::ParserRuleContext* c, const std::string& op, P::ExprContext* a, P::ExprContext* b) {
    auto e = make(ExprKind::Binary, c, op);
    e->kids.push_back(expr(a));
    e->kids.push_back(expr(b));
    return e;
  }
  ExprPtr literal(P::LiteralContext* l);
  void rule(P::RuleDeclContext* r, File& out);
  Rule make_rule(P::RuleDeclContext* r);
  void table(P::TableDeclContext* t, File& out);
  void years(P::YearsDeclContext* y, File& out);

  const source::SourceFile* file_;
  diag::Sink& sink_;
};

ExprPtr Builder::literal(P::LiteralContext* l) {
  ExprKind k = l->NUMBER() ? ExprKind::Number : l->PERCENT() ? ExprKind::Percent
             : l->YEN() ? ExprKind::Yen : l->DATE() ? ExprKind::Date : l->MONTH() ? ExprKind::Month
             : l->STRING() ? ExprKind::String : l->getText() == "none" ? ExprKind::None : ExprKind::Bool;
  std::string text = l->STRING() ? unquote(l->getText()) : l->getText();
  return make(k, l, text);
}

ExprPtr Builder::expr(P::ExprContext* c) {
  if (auto* x = dynamic_cast<P::NegateContext*>(c)) {
    auto e = make(ExprKind::Negate, c);
    e->kids.push_back(expr(x->expr()));
    return e;
  }
  if (auto* x = dynamic_cast<P::NotContext*>(c)) {
    auto e = make(ExprKind::Not, c);
    e->kids.push_back(expr(x->expr()));
    return e;
  }
  if (auto* x = dynamic_cast<P::MulDivContext*>(c)) return binary(c, x->op->getText(), x->expr(0), x->expr(1));
  if (auto* x = dynamic_cast<P::AddSubContext*>(c)) return binary(c, x->op->getText(), x->expr(0), x->expr(1));
  if (auto* x = dynamic_cast<P::CompareContext*>(c)) return binary(c, x->op->getText(), x->expr(0), x->expr(1));
  if (auto* x = dynamic_cast<P::AndContext*>(c)) return binary(c, "and", x->expr(0), x->expr(1));
  if (auto* x = dynamic_cast<P::OrContext*>(c)) return binary(c, "or", x->expr(0), x->expr(1));
  if (auto* x = dynamic_cast<P::IfThenElseContext*>(c)) {
    auto e = make(ExprKind::If, c);
    for (auto* k : x->expr()) e->kids.push_back(expr(k));
    return e;
  }
  if (auto* x = dynamic_cast<P::LetInContext*>(c)) {
    auto e = make(ExprKind::Let, c, x->IDENT()->getText());
    for (auto* k : x->expr()) e->kids.push_back(expr(k));
    return e;
  }
  if (auto* x = dynamic_cast<P::MatchContext*>(c)) {
    auto e = make(ExprKind::Match, c);
    e->kids.push_back(expr(x->expr()));
    for (auto* arm : x->matchArm()) {
      e->arm_names.push_back(arm->IDENT()->getText());
      e->arm_locs.push_back(loc(arm->IDENT()->getSymbol()));
      e->kids.push_back(expr(arm->expr()));
    }
    return e;
  }
  if (auto* x = dynamic_cast<P::CallContext*>(c)) {
    auto e = make(ExprKind::Call, c, qname(x->qname()));
    e->loc = loc(x->qname());
    for (std::size_t i = 0; i < x->arg().size(); ++i) {
      auto* a = x->arg(i);
      e->kids.push_back(expr(a->expr(0)));
      if (a->earlier) {
        if (i == 0) e->earlier = true;
        else sink_.report({diag::Code::E0001, loc(a), {"earlier"}, {{{}, "earlier は集計の最初の引数にだけ書けます"}}});
      }
      if (a->expr().size() > 1) {
        if (i == 0) {
          e->filter = expr(a->expr(1));
        } else {
          sink_.report({diag::Code::E0001, loc(a), {"where"}, {{{}, "where は集計の最初の引数にだけ書けます"}}});
        }
      }
    }
    return e;
  }
  if (auto* x = dynamic_cast<P::LitContext*>(c)) return literal(x->literal());
  if (auto* x = dynamic_cast<P::NameContext*>(c)) return make(ExprKind::Name, c, qname(x->qname()));
  if (auto* x = dynamic_cast<P::ParenContext*>(c)) return expr(x->expr());
  return make(ExprKind::None, c);
}

void Builder::rule(P::RuleDeclContext* r, File& out) { out.rules.push_back(make_rule(r)); }

Rule Builder::make_rule(P::RuleDeclContext* r) {
  Rule rule;
  std::string full = qname(r->qname());
  auto dot = full.find('.');
  rule.entity = dot == std::string::npos ? "" : full.substr(0, dot);
  rule.name = dot == std::string::npos ? full : full.substr(dot + 1);
  rule.loc = loc(r->qname());
  rule.is_override = r->OVERRIDE() != nullptr;
  for (auto* p : r->param()) rule.params.push_back({p->IDENT()->getText(), type(p->type()), loc(p)});
  rule.type = type(r->type());
  rule.source = cite(r->citation());
  rule.unconfirmed = mark(r->unconfirmed());
  if (auto* b = dynamic_cast<P::PlainBodyContext*>(r->ruleBody())) {
    rule.body = expr(b->expr());
  } else if (auto* d = dynamic_cast<P::DefaultBodyContext*>(r->ruleBody())) {
    rule.has_exceptions = true;
    rule.body = expr(d->expr());
    for (auto* x : d->exceptionClause()) {
      ExceptionClause ex;
      ex.label = x->label->getText();
      ex.loc = loc(x->label);
      for (std::size_t i = 1; i < x->IDENT().size(); ++i) {
        ex.over.push_back(x->IDENT(i)->getText());
        ex.over_locs.push_back(loc(x->IDENT(i)->getSymbol()));
      }
      ex.cond = expr(x->cond);
      ex.value = expr(x->value);
      ex.source = cite(x->citation());
      rule.exceptions.push_back(std::move(ex));
    }
  }
  return rule;
}

void Builder::table(P::TableDeclContext* t, File& out) {
  Table table;
  table.name = qname(t->qname());
  table.loc = loc(t->qname());
  table.is_override = t->OVERRIDE() != nullptr;
  for (auto* p : t->param()) table.params.push_back({p->IDENT()->getText(), type(p->type()), loc(p)});
  table.type = type(t->type());
  table.source = cite(t->citation());
  auto rows = [&](const std::vector<P::TableRowContext*>& in, TableVersion& v) {
    for (auto* r : in) {
      TableRow row;
      row.loc = loc(r);
      row.lo_closed = r->lo->getText() == "[";
      row.hi_closed = r->hi->getText() == "]";
      if (r->loBound->expr()) row.lo = expr(r->loBound->expr());
      if (r->hiBound->expr()) row.hi = expr(r->hiBound->expr());
      row.value = expr(r->expr());
      v.rows.push_back(std::move(row));
    }
  };
  if (!t->tableRow().empty()) {
    TableVersion v;
    v.loc = table.loc;
    rows(t->tableRow(), v);
    table.versions.push_back(std::move(v));
  }
  for (auto* tv : t->tableVersion()) {
    TableVersion v;
    v.loc = loc(tv->DATE()->getSymbol());
    v.from = date(tv->DATE());
    v.source = cite(tv->citation());
    rows(tv->tableRow(), v);
    table.versions.push_back(std::move(v));
  }
  out.tables.push_back(std::move(table));
}

// `fiscal_years 2026 to 2023` would compile and then fail every household.
void Builder::years(P::YearsDeclContext* y, File& out) {
  int from = std::stoi(y->from->getText()), to = std::stoi(y->to->getText());
  if (from > to) {
    diag::Diagnostic d{diag::Code::E0306, loc(y), {y->from->getText(), y->to->getText()},
                       {{{}, "始めの年度を先に書きます"}}};
    d.fixits.push_back({loc(y), "fiscal_years " + std::to_string(to) + " to " + std::to_string(from)});
    sink_.report(std::move(d));
    return;
  }
  out.fiscal_years = {from, to};
  out.fiscal_years_loc = loc(y);
}

void Builder::file(P::FileContext* c, File& out) {
  for (auto* i : c->importDecl())
    out.imports.push_back({i->IDENT()->getText(), i->path ? unquote(i->path->getText()) : "",
                           loc(i->IDENT()->getSymbol())});
  for (auto* d : c->decl()) {
    if (auto* y = d->yearsDecl()) {
      years(y, out);
    } else if (auto* e = d->entityDecl()) {
      Entity ent;
      ent.name = e->name->getText();
      ent.loc = loc(e->name);
      if (e->parent) ent.parent = e->parent->getText();
      if (e->STRING()) ent.field = unquote(e->STRING()->getText());
      if (e->monthName) {
        ent.kind = EntityKind::Months;
        ent.month_name = e->monthName->getText();
        if (e->alike) {
          ent.alike = e->alike->getText();
          ent.alike_loc = loc(e->alike);
        }
      }
      for (auto* o : e->entityOption()) {
        if (o->getText() == "optional") ent.optional = true;
        else ent.keyed = true;
      }
      // A derived entity's keys are inputs of their own: `by 月 : month = …`
      // declares 診療月.月, `days … as 日` declares 延滞日.日.
      auto key_input = [&](const std::string& name, TypeName t, Location l) {
        Input in;
        in.entity = ent.name;
        in.name = name;
        in.type = std::move(t);
        in.is_key = true;
        in.loc = l;
        out.inputs.push_back(std::move(in));
      };
      if (e->source) {
        ent.kind = EntityKind::Group;
        ent.source = e->source->getText();
        ent.source_loc = loc(e->source);
        if (e->filter) ent.filter = expr(e->filter);
        for (auto* k : e->groupKey()) {
          ent.keys.push_back(expr(k->expr()));
          key_input(k->IDENT()->getText(), type(k->type()), loc(k->IDENT()->getSymbol()));
        }
      }
      if (e->dayName) {
        ent.kind = EntityKind::Days;
        ent.first = expr(e->first);
        ent.last = expr(e->last);
        key_input(e->dayName->getText(), {"date", loc(e->dayName)}, loc(e->dayName));
      }
      out.entities.push_back(std::move(ent));
    } else if (auto* en = d->enumDecl()) {
      Enum enm;
      enm.name = en->IDENT(0)->getText();
      enm.loc = loc(en->IDENT(0)->getSymbol());
      for (std::size_t i = 1; i < en->IDENT().size(); ++i) enm.cases.push_back(en->IDENT(i)->getText());
      out.enums.push_back(std::move(enm));
    } else if (auto* in = d->inputDecl()) {
      Input input;
      std::string full = qname(in->qname());
      auto dot = full.find('.');
      input.entity = dot == std::string::npos ? "" : full.substr(0, dot);
      input.name = dot == std::string::npos ? full : full.substr(dot + 1);
      input.loc = loc(in->qname());
      input.type = type(in->type());
      if (in->isKey) input.is_key = true;
      else input.field = unquote(in->STRING()->getText());
      for (auto* o : in->inputOption()) {
        std::string kw = o->getStart()->getText();
        if (kw == "optional") input.optional = true;
        else if (kw == "nonnegative") input.nonnegative = true;
        else input.default_value = literal(o->literal());
      }
      out.inputs.push_back(std::move(input));
    } else if (auto* p = d->paramDecl()) {
      Parameter param;
      param.name = qname(p->qname());
      param.loc = loc(p->qname());
      param.is_override = p->OVERRIDE() != nullptr;
      param.type = type(p->type());
      param.source = cite(p->citation());
      param.set_by_ordinance = p->ordinance != nullptr;
      if (p->paramVersion().empty() && !param.set_by_ordinance) {
        // Only a figure the ordinance sets may be declared without a value.
        sink_.report({diag::Code::E0001, param.loc, {"「" + param.name + "」の値がありません"},
                      {{{}, "値を「27_000円 from 2026-04-01」のように書くか、市町村が定める値なら set by ordinance と書きます"}}});
        continue;
      }
      for (auto* v : p->paramVersion()) {
        auto from = date(v->DATE());
        param.versions.push_back({expr(v->expr()), from.value_or(time::Date{}), loc(v->DATE()->getSymbol()),
                                  cite(v->citation()), mark(v->unconfirmed())});
      }
      out.parameters.push_back(std::move(param));
    } else if (auto* t = d->tableDecl()) {
      table(t, out);
    } else if (auto* r = d->ruleDecl()) {
      rule(r, out);
    } else if (auto* o = d->outputDecl()) {
      Output output;
      output.entity = o->entity->getText();
      output.loc = loc(o->entity);
      if (o->into) output.into = unquote(o->into->getText());
      if (o->given) output.given = expr(o->given);
      if (o->when) output.when = expr(o->when);
      for (auto* f : o->outputField()) {
        OutputField field;
        field.path = unquote(f->STRING()->getText());
        field.loc = loc(f->STRING()->getSymbol());
        field.value = expr(f->expr(0));
        if (f->expr().size() > 1) field.when = expr(f->expr(1));
        output.fields.push_back(std::move(field));
      }
      out.outputs.push_back(std::move(output));
    } else if (auto* k = d->checkDecl()) {
      Check check;
      check.entity = k->entity->getText();
      check.loc = loc(k->entity);
      check.field = unquote(k->STRING(0)->getText());
      check.message = unquote(k->STRING(1)->getText());
      check.require = expr(k->expr());
      out.checks.push_back(std::move(check));
    } else if (auto* a = d->amendParam()) {
      Amendment am;
      am.name = qname(a->qname());
      am.loc = loc(a->qname());
      for (auto* v : a->amendVersion()) {
        auto from = date(v->DATE());
        am.versions.push_back({v->expr() ? expr(v->expr()) : nullptr, from.value_or(time::Date{}),
                               loc(v->DATE()->getSymbol()), cite(v->citation()), mark(v->unconfirmed())});
      }
      out.amendments.push_back(std::move(am));
    } else if (auto* a = d->amendRule()) {
      Amendment am;
      am.is_rule = true;
      am.name = qname(a->qname());
      am.loc = loc(a->qname());
      am.source = cite(a->citation());
      am.unconfirmed = mark(a->unconfirmed());
      out.amendments.push_back(std::move(am));
    } else if (auto* pd = d->partDecl()) {
      PartBlock block;
      for (std::size_t i = 0; i + 1 < pd->IDENT().size(); ++i) block.names.push_back(pd->IDENT(i)->getText());
      block.placeholder = pd->placeholder->getText();
      block.loc = loc(pd->placeholder);
      for (auto* r : pd->ruleDecl()) block.rules.push_back(make_rule(r));
      out.parts.push_back(std::move(block));
    } else if (auto* h = d->holidaysDecl()) {
      Holidays hol;
      hol.loc = loc(h);
      hol.source = cite(h->citation());
      for (auto* n : h->DATE())
        if (auto dd = date(n)) hol.dates.push_back(*dd);
      out.holidays.push_back(std::move(hol));
    }
  }
}

}  // namespace

// The first byte that is not well-formed UTF-8, or npos.
std::size_t invalid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    char32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += n;
  }
  return std::string::npos;
}

std::optional<File> run(std::shared_ptr<const source::SourceFile> src, diag::Sink& sink) {
  sink.keep(src);
  // ANTLR's input stream throws on bytes that are not UTF-8 (a file saved
  // as Shift_JIS): say where, and what to do, instead.
  if (auto bad = invalid_utf8(src->text()); bad != std::string::npos) {
    int line = 1 + static_cast<int>(std::count(src->text().begin(), src->text().begin() + bad, '\n'));
    auto line_start = src->text().rfind('\n', bad == 0 ? 0 : bad - 1);
    std::size_t from = line_start == std::string::npos || bad == 0 ? 0 : line_start + 1;
    int col = 1 + code_points(src->text().substr(from, bad - from));
    sink.report({diag::Code::E0001, {src.get(), line, col, 1}, {"UTF-8 でないバイト"},
                 {{{}, "ファイルを UTF-8 で保存し直します（Shift_JIS などは読めません）"}}});
    return std::nullopt;
  }
  if (report_typing(*src, sink) > 0) return std::nullopt;
  std::unique_ptr<antlr4::ANTLRInputStream> stream;
  try {
    stream = std::make_unique<antlr4::ANTLRInputStream>(src->text());
  } catch (const std::exception&) {  // a backstop: the check above should have caught it
    sink.report({diag::Code::E0001, {src.get(), 1, 1, 1}, {"UTF-8 でないバイト"},
                 {{{}, "ファイルを UTF-8 で保存し直します"}}});
    return std::nullopt;
  }
  antlr4::ANTLRInputStream& input = *stream;
  shiki_gen::ShikiLexer lexer(&input);
  FirstError errors(src.get());
  lexer.removeErrorListeners();
  lexer.addErrorListener(&errors);
  antlr4::CommonTokenStream tokens(&lexer);
  shiki_gen::ShikiParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&errors);
  // ERRCHAR tokens reach the parser as unexpected input: one diagnostic.
  auto* tree = parser.file();
  if (errors.error) {
    sink.report(*errors.error);
    return std::nullopt;
  }
  File out;
  int before = sink.error_count();
  Builder(src.get(), sink).file(tree, out);
  out.source = src;
  if (sink.error_count() != before) return std::nullopt;
  return out;
}

}  // namespace shiki::syntax
