// Stage 3: type and unit checking of a resolve::Program, in place. Also the
// checks that need values known at compile time: table gaps and overlaps,
// effective dates in order, match exhaustiveness, divisions that need a
// rounding, exception precedence.
#pragma once
#include "../diag/diag.h"
#include "../resolve/program.h"

namespace shiki::check {

// Returns false when an error was reported.
bool run(resolve::Program& program, diag::Sink& sink);

// After run(): figures `set by ordinance` that the city did not set (E0110),
// and parameters in use without a value for a declared fiscal year (E0307).
bool check_ordinance(resolve::Program& program, diag::Sink& sink);

// After a successful build: what compiles but is likely wrong (W0001–W0004).
void warn(const resolve::Program& program, diag::Sink& sink);

// Built-in functions and values, by name. Ids are stable: compile/ uses them.
enum class Builtin : int {
  FiscalYear, FiscalYearStart, FiscalYearEnd,
  Age, Attains, MonthOf, FirstDay, LastDay, MakeMonth, MakeDate, Year, MonthNumber, MonthsBetween,
  Min, Max, Abs, Present, NextBusinessDay, PeriodEnd, StartsWith,
  Truncate, RoundUp, RoundHalfUp, RoundHalfEven,
};
enum class Aggregate : int { Sum, Count, Any, All, Max, Min };

const char* type_name(const ast::Type& t, const resolve::Program& p);

// `shiki dump --stage=checked` (check/dump.cpp), after run(): the print of
// --stage=resolved with each expression's type and what each name turned
// out to be, and each rule's uses. The checker annotates the AST in place,
// so this is that same tree, annotated.
std::string dump(const resolve::Program& p, int rule = -1);

}  // namespace shiki::check
