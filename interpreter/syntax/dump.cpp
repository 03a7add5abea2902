// `shiki dump --stage=parse`: the parse tree ANTLR builds, one node a line
// (its toStringTree is one line of nested parentheses, unreadable on a real
// file). A grammar rule prints its name, and the label of its alternative
// where the grammar names one (`expr #mulDiv`); a token prints as the
// grammar writes it ('rule') or as its kind and text (IDENT 世帯).
#include <ShikiLexer.h>
#include <ShikiParser.h>
#include <antlr4-runtime.h>
#include <cxxabi.h>

#include <cctype>
#include <cstdlib>
#include <typeinfo>

#include "syntax.h"

namespace shiki::syntax {

namespace {

using P = shiki_gen::ShikiParser;

// The label of a rule's alternative (`# mulDiv` in Shiki.g4), which ANTLR
// keeps only in the generated class's name (MulDivContext); "" when the
// class is the rule's own (ExprContext).
std::string alternative(const antlr4::ParserRuleContext& ctx, const std::string& rule) {
  int status = 0;
  char* full = abi::__cxa_demangle(typeid(ctx).name(), nullptr, nullptr, &status);
  std::string name = status == 0 && full ? full : "";
  std::free(full);
  name = name.substr(name.rfind(':') + 1);
  if (name.size() <= 7 || name.compare(name.size() - 7, 7, "Context") != 0) return "";
  name.resize(name.size() - 7);
  name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name == rule ? "" : name;
}

class Printer {
 public:
  explicit Printer(const P& parser) : parser_(parser) {}

  void node(antlr4::tree::ParseTree* t, int indent) {
    out.append(static_cast<std::size_t>(indent), ' ');
    if (auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(t)) {
      const std::string& rule = parser_.getRuleNames()[ctx->getRuleIndex()];
      std::string alt = alternative(*ctx, rule);
      out += rule + (alt.empty() ? "" : " #" + alt) + "\n";
      for (auto* kid : ctx->children) node(kid, indent + 2);
      return;
    }
    auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(t);
    const antlr4::Token* tok = term ? term->getSymbol() : nullptr;
    if (!tok) {
      out += t->getText() + "\n";
    } else if (tok->getType() == antlr4::Token::EOF) {
      out += "<EOF>\n";
    } else {
      std::string literal = parser_.getVocabulary().getLiteralName(tok->getType());
      std::string kind = parser_.getVocabulary().getSymbolicName(tok->getType());
      std::string error = dynamic_cast<antlr4::tree::ErrorNode*>(t) ? "error " : "";
      out += error + (literal.empty() ? kind + " " + tok->getText() : literal) + "\n";
    }
  }

  std::string out;

 private:
  const P& parser_;
};

// The ruleDecl whose name starts at line:column, or nullptr.
antlr4::tree::ParseTree* rule_at(antlr4::tree::ParseTree* t, int line, int column) {
  if (auto* r = dynamic_cast<P::RuleDeclContext*>(t)) {
    const antlr4::Token* start = r->qname()->getStart();
    if (static_cast<int>(start->getLine()) == line && static_cast<int>(start->getCharPositionInLine()) + 1 == column)
      return r;
  }
  for (auto* kid : t->children)
    if (auto* found = rule_at(kid, line, column)) return found;
  return nullptr;
}

}  // namespace

std::string dump_parse_tree(const source::SourceFile& file, int line, int column) {
  antlr4::ANTLRInputStream input(file.text());
  shiki_gen::ShikiLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  P parser(&tokens);
  // The file was read once already (resolve/), and its errors reported then.
  parser.removeErrorListeners();
  antlr4::tree::ParseTree* tree = parser.file();
  if (line > 0 && !(tree = rule_at(tree, line, column))) return "";
  Printer printer(parser);
  printer.node(tree, 0);
  return printer.out;
}

}  // namespace shiki::syntax
