#include "adapters/json/input_value.h"

namespace shiki::json_adapter {

using ast::Base;
using bytecode::Value;

namespace {
const time::Date kEarliestDate = *time::parse_date("1900-01-01");
}

bool written_as_string(Base type) {
  switch (type) {
    case Base::Decimal: case Base::Rate: case Base::Date: case Base::Month: case Base::Text: case Base::Enum:
      return true;
    default: return false;
  }
}

std::string_view not_a_string(Base type) {
  switch (type) {
    case Base::Decimal: case Base::Rate: return "not a decimal string (write it as \"0.5\"): ";
    case Base::Date: return "not a date: ";
    case Base::Month: return "not a month (YYYY-MM): ";
    case Base::Enum: return "not one of the allowed values: ";
    default: return "not a string: ";
  }
}

// Decimals come as strings so that nothing passes through binary floating
// point.
std::optional<std::string_view> from_string(std::string_view s, const bytecode::InputLayout& in,
                                            const bytecode::Program& p, vm::Household& h, Value& out) {
  switch (in.type) {
    case Base::Decimal: case Base::Rate: {
      std::optional<decimal::Decimal> d;
      try {
        d = decimal::Decimal::parse(s);
      } catch (const decimal::OverflowError&) {
        return "too large: ";
      }
      if (!d) return "not a decimal: ";
      auto f = decimal::fixed::narrow(*d);
      if (!f) return "too large: ";
      out = Value::fixed(*f);
      return std::nullopt;
    }
    case Base::Date: {
      auto d = time::parse_date(s);
      if (!d) return "not a date: ";
      // No one insured today was born, or joined, before 1900: such a date
      // is a typing or conversion mistake (a year 0019 for 2019).
      if (*d < kEarliestDate) return "before 1900-01-01, not a plausible date: ";
      out = Value::date(d->days);
      return std::nullopt;
    }
    case Base::Month: {
      auto m = time::parse_month(s);
      if (!m) return "not a month (YYYY-MM): ";
      out = Value::month(m->index);
      return std::nullopt;
    }
    case Base::Text:
      h.texts.emplace_back(s);
      out = Value::string(&h.texts.back());
      return std::nullopt;
    case Base::Enum: {
      const auto& cases = p.enum_cases[in.enum_id];
      for (std::size_t c = 0; c < cases.size(); ++c)
        if (cases[c] == s) {
          out = Value::enumeration(static_cast<int>(c));
          return std::nullopt;
        }
      return "not one of the allowed values: ";
    }
    default: return not_a_string(in.type);
  }
}

// An integer key must be written in plain digits.
std::optional<std::string> from_key(std::string_view key, const bytecode::InputLayout& in, vm::Household& h,
                                    Value& out) {
  if (in.type == Base::Integer) {
    if (key.empty() || key.size() > 9 || key.find_first_not_of("0123456789") != std::string_view::npos)
      return "not an integer key: \"" + std::string(key) + "\"";
    out = Value::integer(std::stoll(std::string(key)));
    return std::nullopt;
  }
  h.texts.emplace_back(key);
  out = Value::string(&h.texts.back());
  return std::nullopt;
}

}  // namespace shiki::json_adapter
