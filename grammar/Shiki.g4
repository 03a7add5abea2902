// The shiki rule language: the only definition of its syntax.
// Keywords are English; names may be Japanese (所得割額, 18歳以上均等割額).
// Statements are keyword-led, so line breaks carry no meaning and an
// expression may span lines. docs/language.md is the guide for policy staff.
grammar Shiki;

file        : importDecl* decl* EOF ;
// `import national` reads the sibling folder national/; `import matsudo from
// "../rulesets/matsudo"` reads the folder at that path (relative to this
// module's folder), whose name must be the module's name.
importDecl  : 'import' IDENT ('from' path=STRING)? ;

decl        : entityDecl | enumDecl | inputDecl | paramDecl | tableDecl
            | ruleDecl | outputDecl | checkDecl | holidaysDecl | yearsDecl
            | amendParam | amendRule | partDecl ;

// The rules of the premium parts stated once: each rule is copied for each
// part named, with the placeholder (分) replaced by the part's name; `分.X`
// is the part's own X where it has one, the shared X otherwise.
partDecl    : 'part' IDENT (',' IDENT)* 'as' placeholder=IDENT '{' ruleDecl* '}' ;

// The fiscal years a ruleset assesses; the importing module's line wins.
yearsDecl   : 'fiscal_years' from=NUMBER 'to' to=NUMBER ;

// entity 被保険者 of 世帯 field "members"
// entity 出産 of 世帯 field "births" optional   (an absent or null array is empty)
// entity 年分所得 of 被保険者 field "income_by_year" keyed   (one instance per key of an object)
// entity 月 of 世帯 months as 当月          (the twelve months of the fiscal year)
// entity 月 of 世帯 months as 当月 alike when 年間変動なし
//   (when that rule of the parent holds, the members' month rules are the same
//   in every month: an aggregation over the months is computed from the first)
// entity 診療月 of 世帯 group 請求 by 月 : month = 診療年月
//   one instance per distinct key of the grouped entity's instances (in key order)
// entity 延滞日 of 期別 days 起算日 to 終了日 as 日     (one instance per day)
entityDecl  : 'entity' name=IDENT ('of' parent=IDENT)?
              ( 'field' STRING entityOption*
              | 'months' 'as' monthName=IDENT ('alike' 'when' alike=IDENT)?
              | 'group' source=IDENT ('where' filter=expr)? 'by' groupKey (',' groupKey)*
              | 'days' first=expr 'to' last=expr 'as' dayName=IDENT )? ;
groupKey    : IDENT ':' type '=' expr ;
entityOption: 'optional' | 'keyed' ;

enumDecl    : 'enum' IDENT '{' IDENT (',' IDENT)* ','? '}' ;

// input 被保険者.給与収入 : money field "income.salary_revenue" default 0
// input 年分所得.年分 : integer key      (the key of a keyed entity's instance)
inputDecl   : 'input' qname ':' type ('field' STRING | isKey='key') inputOption* ;
inputOption : 'optional' | 'nonnegative' | 'default' literal ;

// `set by ordinance`: the statute leaves the figure to each city (料率,
// 限度額, 納期); the declaration has no value and every city module must set
// it. A national figure may still be written, as for any parameter.
paramDecl   : OVERRIDE? 'parameter' qname ':' type (ordinance='set' 'by' 'ordinance')? citation?
              paramVersion* ;
paramVersion: expr 'from' DATE citation? unconfirmed? ;

// `amend` changes part of an imported declaration without restating it: a
// version from a date (added, or replacing the one of that date), or a
// citation or an `unconfirmed` mark on a version (no value) or on a rule.
amendParam  : 'amend' 'parameter' qname amendVersion+ ;
amendVersion: expr? 'from' DATE citation? unconfirmed? ;
amendRule   : 'amend' 'rule' qname citation? unconfirmed? ;
// A figure or rule the sources do not settle; `shiki check --list-unconfirmed`.
unconfirmed : 'unconfirmed' STRING ;

// A table is a function of its first argument, split into rows over ranges.
tableDecl   : OVERRIDE? 'table' qname '(' param (',' param)* ')' ':' type citation?
              (tableVersion+ | tableRow+) ;
tableVersion: 'from' DATE citation? tableRow+ ;
tableRow    : lo=('[' | '(') loBound=bound ',' hiBound=bound hi=(']' | ')') '=>' expr ;
bound       : '..' | expr ;

ruleDecl    : OVERRIDE? 'rule' qname ('(' param (',' param)* ')')? ':' type citation?
              unconfirmed? ruleBody ;
ruleBody    : '=' expr                                   # plainBody
            | 'default' expr exceptionClause*            # defaultBody
            ;
exceptionClause
            : 'exception' label=IDENT ('over' IDENT (',' IDENT)*)?
              'when' cond=expr '=>' value=expr citation? ;

// output 被保険者 into "members" { "person_id" = 宛名番号 }
// output 出産 into "benefits.lump_sums" given present(評価日) { … }
//   `given` (about the whole record) decides whether the array is written at all;
//   `when` (about each instance) whether an instance is.
outputDecl  : 'output' entity=IDENT ('into' into=STRING ('given' given=expr)?)? ('when' when=expr)?
              '{' outputField* '}' ;
outputField : STRING '=' expr ('when' expr)? ;

// check 被保険者 field "birth_date" require 生年月日 <= 年度末日 message "..."
checkDecl   : 'check' entity=IDENT 'field' STRING 'require' expr 'message' STRING ;

holidaysDecl: 'holidays' citation? DATE (',' DATE)* ;

citation    : 'source' STRING ;
param       : IDENT ':' type ;
type        : IDENT ;
qname       : IDENT ('.' IDENT)* ;

expr
  : '-' expr                                               # negate
  | expr op=('*' | '/') expr                               # mulDiv
  | expr op=('+' | '-') expr                               # addSub
  | expr op=('<' | '<=' | '>' | '>=' | '=' | '!=') expr    # compare
  | 'not' expr                                             # not
  | expr 'and' expr                                        # and
  | expr 'or' expr                                         # or
  | 'if' expr 'then' expr 'else' expr                      # ifThenElse
  | 'let' IDENT '=' expr 'in' expr                         # letIn
  | 'match' expr '{' matchArm+ '}'                         # match
  | qname '(' (arg (',' arg)*)? ')'                        # call
  | literal                                                # lit
  | qname                                                  # name
  | '(' expr ')'                                           # paren
  ;
// count(earlier 食事 where …): the instances before the current one of the same entity
arg         : earlier='earlier'? expr ('where' expr)? ;
matchArm    : IDENT '=>' expr ;
literal     : NUMBER | PERCENT | YEN | DATE | MONTH | STRING | 'true' | 'false' | 'none' ;

OVERRIDE    : 'override' ;
DATE        : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
MONTH       : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT ;
PERCENT     : NUM '%' ;
YEN         : NUM '円' ;
NUMBER      : NUM ;
// A name may start with digits when a letter follows (18歳以上均等割額).
IDENT       : [\p{N}]* [\p{L}_] [\p{L}\p{N}_]* ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
COMMENT     : '#' ~[\r\n]* -> skip ;
WS          : [ \t\r\n\u3000]+ -> skip ;
ERRCHAR     : . ;

fragment NUM   : DIGIT (DIGIT | '_')* ('.' DIGIT+)? ;
fragment DIGIT : [0-9] ;
