// The AST as text, for `shiki dump`: one node a line, operator before
// operands, two spaces a level. The same printer shows the tree as read
// (--stage=ast), after resolve and after check; a later stage says what it
// learnt about an expression through a Note, appended to the node's line.
#pragma once
#include <functional>
#include <string>

#include "ast.h"

namespace shiki::ast {

// Text appended to an expression's line ("" for nothing).
using Note = std::function<std::string(const Expr&)>;

void print(const Expr& e, int indent, std::string& out, const Note& note = {});
// A rule's header line (`rule 世帯.X(a : money) : money`) and its body.
void print(const Rule& r, int indent, std::string& out, const Note& note = {});
void print(const Parameter& p, int indent, std::string& out, const Note& note = {});
void print(const Table& t, int indent, std::string& out, const Note& note = {});
void print(const Output& o, int indent, std::string& out, const Note& note = {});
void print(const Check& c, int indent, std::string& out, const Note& note = {});
// `rule 世帯.X(a : money) : money` without the body.
std::string signature(const Rule& r);

// `shiki dump --stage=ast`: every declaration of a file in source order.
std::string dump(const File& f);
// The rule of `f` declared at `line`:`column` (a rule of a `part` block is
// shown inside its block's header); "" when there is none.
std::string dump_rule_at(const File& f, int line, int column);

}  // namespace shiki::ast
