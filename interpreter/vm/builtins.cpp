// The built-in functions of the language (check/check.h Builtin).
#include <algorithm>

#include "../check/check.h"
#include "values.h"
#include "vm.h"

namespace shiki::vm {

using bytecode::Tag;
using bytecode::Value;
using check::Builtin;

std::string VM::describe(const Value& v) const {
  switch (v.tag) {
    case Tag::None: return "（なし）";
    case Tag::Bool: return v.i ? "true" : "false";
    case Tag::Num: return v.num().to_string();
    case Tag::Date: return time::to_string(time::Date{v.i});
    case Tag::Month: return time::to_string(time::Month{v.i});
    case Tag::Enum: return std::to_string(v.i);
    case Tag::Text: return *v.text;
  }
  return "";
}

Value VM::builtin(int id, int nargs) {
  Value args[3];
  for (int i = nargs - 1; i >= 0; --i) {
    args[i] = stack_[--sp_];
  }
  auto b = static_cast<Builtin>(id);
  if (b != Builtin::Present)
    for (int i = 0; i < nargs; ++i)
      if (args[i].is_none()) fail("値がありません（入力が省略されています）");
  auto num = [&](int i) {
    if (args[i].tag != Tag::Num) fail("数が必要です");
    std::int64_t n = args[i].num().to_int64();
    if (n < -100000 || n > 100000) fail("日付の計算が範囲を超えました");
    return static_cast<int>(n);
  };
  time::Date d0{args[0].i}, d1{args[1].i};
  switch (b) {
    case Builtin::FiscalYear: return Value::integer(prog_.fiscal_year);
    case Builtin::FiscalYearStart: return Value::date(time::fiscal_year_start(prog_.fiscal_year).days);
    case Builtin::FiscalYearEnd: return Value::date(time::fiscal_year_end(prog_.fiscal_year).days);
    case Builtin::Age: return Value::integer(time::age_on(d0, d1));
    case Builtin::Attains: return Value::date(time::attains(d0, num(1)).days);
    case Builtin::MonthOf: return Value::month(time::month_of(d0).index);
    case Builtin::FirstDay: return Value::date(time::first_day(time::Month{args[0].i}).days);
    case Builtin::LastDay: return Value::date(time::last_day(time::Month{args[0].i}).days);
    case Builtin::MakeMonth: {
      auto m = time::make_month(num(0), num(1));
      if (!m) fail("月が正しくありません");
      return Value::month(m->index);
    }
    case Builtin::MakeDate: {
      auto d = time::make_date(num(0), num(1), num(2));
      if (!d) fail("日付が正しくありません");
      return Value::date(d->days);
    }
    case Builtin::Year:
      return Value::integer(args[0].tag == Tag::Month ? time::year_of(time::Month{args[0].i}) : time::ymd(d0).year);
    case Builtin::StartsWith:
      if (args[0].tag != Tag::Text || args[1].tag != Tag::Text) fail("文字列が必要です");
      return Value::boolean(args[0].text->rfind(*args[1].text, 0) == 0);
    case Builtin::PeriodEnd: return Value::date(time::period_end(d0, num(1)).days);
    case Builtin::MonthNumber: return Value::integer(time::month_number(time::Month{args[0].i}));
    case Builtin::MonthsBetween: return Value::integer(time::months_between(time::Month{args[0].i}, time::Month{args[1].i}));
    case Builtin::Min: return compare(args[0], args[1]) <= 0 ? args[0] : args[1];
    case Builtin::Max: return compare(args[0], args[1]) >= 0 ? args[0] : args[1];
    case Builtin::Abs: {
      const Value& v = args[0];
      return v.coeff >= 0 ? v : sub(Value::integer(0), v);
    }
    case Builtin::Present: return Value::boolean(!args[0].is_none());
    case Builtin::NextBusinessDay: {
      time::Date d = d0;
      const auto& hol = base_.holidays;
      for (int guard = 0; guard < 60; ++guard) {
        int wd = time::weekday(d);
        if (wd != 0 && wd != 6 && !std::binary_search(hol.begin(), hol.end(), d)) return Value::date(d.days);
        d = time::add_days(d, 1);
      }
      fail("営業日が見つかりません");
    }
    default: fail("組み込み関数の誤り");
  }
}

}  // namespace shiki::vm
