// The syntax stage's two forms as `shiki dump` prints them: the ANTLR parse
// tree (--stage=parse) and the AST as read (--stage=ast). The expected text
// is the rule below, read node by node.
#include <gtest/gtest.h>

#include "interpreter/ast/dump.h"
#include "interpreter/syntax/syntax.h"

namespace {

using shiki::source::SourceFile;

// Line 4 declares the rule; its name starts in column 6.
const char* kText =
    "fiscal_years 2025 to 2026\n"
    "entity 世帯\n"
    "parameter 率 : rate set by ordinance\n"
    "rule 世帯.額 : money source \"条例 第2条\"\n"
    "  = truncate(所得 * 率, 100)\n"
    "input 世帯.所得 : money field \"income\"\n";

TEST(ParseTree, OneNodeALineForOneRule) {
  SourceFile file("main.shiki", kText);
  EXPECT_EQ(shiki::syntax::dump_parse_tree(file, 4, 6),
            "ruleDecl\n"
            "  'rule'\n"
            "  qname\n"
            "    IDENT 世帯\n"
            "    '.'\n"
            "    IDENT 額\n"
            "  ':'\n"
            "  type\n"
            "    IDENT money\n"
            "  citation\n"
            "    'source'\n"
            "    STRING \"条例 第2条\"\n"
            "  ruleBody #plainBody\n"
            "    '='\n"
            "    expr #call\n"
            "      qname\n"
            "        IDENT truncate\n"
            "      '('\n"
            "      arg\n"
            "        expr #mulDiv\n"
            "          expr #name\n"
            "            qname\n"
            "              IDENT 所得\n"
            "          '*'\n"
            "          expr #name\n"
            "            qname\n"
            "              IDENT 率\n"
            "      ','\n"
            "      arg\n"
            "        expr #lit\n"
            "          literal\n"
            "            NUMBER 100\n"
            "      ')'\n");
  // No rule is declared at line 3.
  EXPECT_EQ(shiki::syntax::dump_parse_tree(file, 3, 11), "");
}

TEST(ParseTree, WholeFileEndsAtEof) {
  SourceFile file("main.shiki", kText);
  std::string tree = shiki::syntax::dump_parse_tree(file);
  EXPECT_EQ(tree.substr(0, tree.find("  decl\n", 30)),
            "file\n"
            "  decl\n"
            "    yearsDecl\n"
            "      'fiscal_years'\n"
            "      NUMBER 2025\n"
            "      'to'\n"
            "      NUMBER 2026\n");
  EXPECT_EQ(tree.substr(tree.size() - 8), "  <EOF>\n");
}

TEST(Ast, RuleAsRead) {
  auto file = std::make_shared<const SourceFile>("main.shiki", kText);
  shiki::diag::CaptureSink sink;
  auto ast = shiki::syntax::run(file, sink);
  ASSERT_TRUE(ast);
  EXPECT_EQ(shiki::ast::dump_rule_at(*ast, 4, 6),
            "rule 世帯.額 : money\n"
            "  source \"条例 第2条\"\n"
            "  =\n"
            "    call truncate\n"
            "      *\n"
            "        所得\n"
            "        率\n"
            "      100\n");
}

// Every declaration in the order written, although the AST keeps them by kind.
TEST(Ast, FileInSourceOrder) {
  auto file = std::make_shared<const SourceFile>("main.shiki", kText);
  shiki::diag::CaptureSink sink;
  auto ast = shiki::syntax::run(file, sink);
  ASSERT_TRUE(ast);
  std::string text = shiki::ast::dump(*ast);
  EXPECT_EQ(text.substr(0, text.find("rule ")),
            "== main.shiki ==\n"
            "fiscal_years 2025 to 2026\n"
            "entity 世帯\n"
            "parameter 率 : rate set by ordinance\n");
  EXPECT_EQ(text.substr(text.find("input ")), "input 世帯.所得 : money field \"income\"\n");
}

// A rule of a `part` block is shown in its block, written with the placeholder.
TEST(Ast, PartRuleInItsBlock) {
  auto file = std::make_shared<const SourceFile>("main.shiki",
                                                 "entity 世帯\n"
                                                 "part 甲分, 乙分 as 分 {\n"
                                                 "  rule 世帯.分.額 : money\n"
                                                 "    default 0円\n"
                                                 "    exception 上限 over 下限 when 分.率 > 10% => 1円\n"
                                                 "}\n");
  shiki::diag::CaptureSink sink;
  auto ast = shiki::syntax::run(file, sink);
  ASSERT_TRUE(ast);
  EXPECT_EQ(shiki::ast::dump_rule_at(*ast, 3, 8),
            "part 甲分, 乙分 as 分\n"
            "  rule 世帯.分.額 : money\n"
            "    default\n"
            "      0円\n"
            "    exception 上限 over 下限\n"
            "      when\n"
            "        >\n"
            "          分.率\n"
            "          10%\n"
            "      =>\n"
            "        1円\n");
}

}  // namespace
