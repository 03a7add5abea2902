#include "analysis/solve/parts.h"

namespace shiki::analysis::solve {

namespace {

const Decimal kHundred = Decimal::from_int(100);
const Decimal kTenth{1, 1};

// "27000" -> "27_000" (the language's digit separator) or "27,000" (a report's).
std::string grouped(const std::string& plain, char sep) {
  std::size_t dot = plain.find('.');
  std::string whole = plain.substr(0, dot), fraction = dot == std::string::npos ? "" : plain.substr(dot);
  bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out += sep;
    out += whole[i];
  }
  return (negative ? "-" : "") + out + fraction;
}

bool multiple_of(const Decimal& value, const Decimal& step) {
  auto q = Decimal::divide_exact(value, step);
  return q && q->is_integer();
}

// A rate in percent with at least two places, as cities publish it: "0.20%".
std::string percent(const Decimal& rate) {
  std::string text = (rate * kHundred).to_string();
  std::size_t dot = text.find('.');
  std::size_t places = dot == std::string::npos ? 0 : text.size() - dot - 1;
  if (dot == std::string::npos) text += '.';
  for (; places < 2; ++places) text += '0';
  return text + "%";
}

}  // namespace

std::optional<std::size_t> part_index(std::string_view name) {
  for (std::size_t i = 0; i < kParts.size(); ++i)
    if (name == kParts[i].id || name == kParts[i].staff) return i;
  return std::nullopt;
}

std::vector<Figure> figures_of(std::size_t part) {
  std::string p = kParts[part].staff;
  std::vector<Figure> out = {
      {p + ".所得割率", "所得割率", true, Side::kIncome, {}},
      {p + ".被保険者均等割額", "被保険者均等割額", false, Side::kFlat, {}},
  };
  if (std::string_view(kParts[part].id) == "child")
    out.push_back({p + ".十八歳以上被保険者均等割額", "十八歳以上被保険者均等割額", false, Side::kFlat, {}});
  out.push_back({p + ".世帯別平等割額", "世帯別平等割額", false, Side::kFlat, {}});
  return out;
}

std::string literal(const Decimal& value, bool is_rate) {
  if (is_rate) return percent(value);
  return grouped(value.to_string(), '_') + "円";
}

std::string shown(const Decimal& value, bool is_rate) {
  if (is_rate) return percent(value);
  return grouped(value.to_string(), ',');
}

Decimal round_to_step(const Decimal& value, const Decimal& step) {
  return Decimal::divide_round(value, step, 0, decimal::Rounding::kHalfUp) * step;
}

Decimal step_for(const std::vector<Decimal>& today, const std::optional<Decimal>& given, const Decimal& coarsest,
                 const Decimal& finest) {
  if (given) return *given;
  Decimal step = coarsest;
  auto fits = [&] {
    for (const auto& t : today)
      if (!t.is_zero() && !multiple_of(t, step)) return false;
    return true;
  };
  while (!fits() && finest < step) step = step * kTenth;
  return step;
}

std::string module_text(const std::string& header, const std::string& import_line, int year,
                        const std::vector<Amendment>& amendments) {
  std::string out = header + "\n" + import_line + "\n";
  std::string from = " from " + std::to_string(year) + "-04-01";
  for (const auto& a : amendments)
    out += "\namend parameter " + a.parameter + "\n  " + literal(a.value, a.is_rate) + from + "\n    source \"" +
           a.source + "\"" + (a.unconfirmed.empty() ? "" : "\n    unconfirmed \"" + a.unconfirmed + "\"") + "\n";
  return out;
}

std::string probe_text(const std::string& import_line, int year, const std::vector<std::string>& parameters) {
  // Guarded by the year so that a figure first set in a later year than the
  // ruleset's first (子ども分 from FY2026) is not asked for earlier years.
  std::string out = import_line + "\n\noutput 世帯 {\n";
  for (std::size_t i = 0; i < parameters.size(); ++i)
    out += "  \"solve.f" + std::to_string(i) + "\" = " + parameters[i] + " when fiscal_year >= " +
           std::to_string(year) + "\n";
  return out + "}\n";
}

std::string yen(long long v, bool sign) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : sign ? "+" : "") + out;
}

}  // namespace shiki::analysis::solve
