// The premium parts `shiki solve` sets rates for, the figures of each part
// it scales, and the city module text that sets them (docs/solve.md).
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/decimal/decimal.h"

namespace shiki::analysis::solve {

using decimal::Decimal;

// A part as the output record names it (premium.medical) and as staff and
// the rulesets name it (医療分).
struct Part {
  const char* id;
  const char* staff;
};
inline constexpr std::array<Part, 4> kParts = {{
    {"medical", "医療分"}, {"support", "支援金分"}, {"care", "介護分"}, {"child", "子ども分"}}};

// The index in kParts of "medical" or "医療分"; nullopt for anything else.
std::optional<std::size_t> part_index(std::string_view name);

// Which side of the split a figure is on: 所得割 (income-based) or
// 均等割 and 平等割 (per capita and per household).
enum class Side { kIncome, kFlat };

// One figure of a part the ordinance sets, e.g. 医療分.所得割率.
struct Figure {
  std::string parameter;  // "医療分.所得割率"
  std::string label;      // "所得割率"
  bool is_rate = false;   // rate (a fraction: 0.0762) or money (yen)
  Side side = Side::kFlat;
  Decimal today;          // the value in force on 1 April of the fiscal year
};

// The figures `shiki solve` scales for part `p`: 所得割率, 被保険者均等割額,
// 世帯別平等割額 and, for 子ども分, 十八歳以上被保険者均等割額 (scaled with the
// 均等割: it funds the 均等割 of the members under 18, so it moves with it).
std::vector<Figure> figures_of(std::size_t part);

// A figure's value as a literal of the language: "7.62%", "27_000円".
std::string literal(const Decimal& value, bool is_rate);
// As staff read it in a report: "7.62%", "27,000".
std::string shown(const Decimal& value, bool is_rate);

// "1,234,567"; "+3,400" / "-3,400" with `sign`: yen as reports and modules show them.
std::string yen(long long v, bool sign = false);

// `value` rounded half up to a multiple of `step` (> 0).
Decimal round_to_step(const Decimal& value, const Decimal& step);
// The step a part's figures are published in: `given` when the user gave
// one, else `coarsest`, made ten times finer (down to `finest`) until every
// non-zero figure of today is a multiple of it, so that today's figures can
// come back unchanged (子ども分's 1,860 and 140 are in tens).
Decimal step_for(const std::vector<Decimal>& today, const std::optional<Decimal>& given, const Decimal& coarsest,
                 const Decimal& finest);

// One `amend parameter` of a module that `shiki solve` writes.
struct Amendment {
  std::string parameter;
  Decimal value;
  bool is_rate = false;
  std::string source;
  std::string unconfirmed;  // the mark `shiki check --list-unconfirmed` lists; "" none
};

// The text of a city module that imports `ruleset` (`import_line`, e.g.
// "import matsudo from \"../rulesets/matsudo\"") and sets each figure from
// 1 April of `year`. `header` is a comment block (each line starting "# ").
std::string module_text(const std::string& header, const std::string& import_line, int year,
                        const std::vector<Amendment>& amendments);

// The text of a module that imports `ruleset` and outputs the value in force
// for `year` of each parameter named, as "solve.f0", "solve.f1", …: how
// `shiki solve` reads today's figures through the engine's own door.
std::string probe_text(const std::string& import_line, int year, const std::vector<std::string>& parameters);

}  // namespace shiki::analysis::solve
