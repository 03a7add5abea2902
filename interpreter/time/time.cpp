// Day counts follow Howard Hinnant's civil-calendar algorithms
// (http://howardhinnant.github.io/date_algorithms.html): the year is shifted
// to start in March so the leap day falls at the end, and eras of 400 years
// repeat exactly, which makes both directions branch-light and exact.
#include "interpreter/time/time.h"

#include <cstdio>

namespace shiki::time {
namespace {

// The years a YYYY field can spell; year 0 is left out because the civil
// calendar the rules speak of has none.
constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Floor division, so negative month indices and day counts stay on the
// calendar instead of rounding toward zero.
int floor_div(int a, int b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

std::int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = floor_div(y, 400);
  const int yoe = y - era * 400;                                  // [0, 399]
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return era * 146097 + doe - 719468;
}

Ymd civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = floor_div(z, 146097);
  const int doe = z - era * 146097;                                      // [0, 146096]
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
  const int mp = (5 * doy + 2) / 153;                                    // [0, 11]
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// Exactly `n` ASCII digits at text[pos, pos + n), or -1.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// The nth birthday: 29 February becomes 1 March in a common year, so the
// day before it is 28 February as 民法第143条 reads the 年齢計算ニ関スル法律.
std::int32_t birthday(Ymd b, int n) {
  const int y = b.year + n;
  if (b.month == 2 && b.day == 29 && !is_leap(y)) return days_from_civil(y, 3, 1);
  return days_from_civil(y, b.month, b.day);
}

}  // namespace

std::optional<Date> make_date(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return Date{days_from_civil(year, month, day)};
}

Ymd ymd(Date d) { return civil_from_days(d.days); }

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return make_date(y, m, d);
}

namespace {

// `value` in `width` digits at `at`: "%04d" and "%02d" for the years 0–9999
// that records hold, without snprintf's parsing of its format (a household's
// record and its ledger row write some twenty dates and months).
void put_digits(char* at, int value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

std::string to_string(Date d) {
  const Ymd v = ymd(d);
  if (v.year >= 0 && v.year <= 9999) {
    std::string s = "0000-00-00";
    put_digits(&s[0], v.year, 4), put_digits(&s[5], v.month, 2), put_digits(&s[8], v.day, 2);
    return s;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buf;
}

int weekday(Date d) {
  // 1970-01-01 was a Thursday (4).
  const int r = (d.days + 4) % 7;
  return r < 0 ? r + 7 : r;
}

Date add_days(Date d, int n) { return Date{d.days + n}; }

std::optional<Month> make_month(int year, int month) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  return Month{year * 12 + (month - 1)};
}

std::optional<Month> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  const int y = digits(text, 0, 4), m = digits(text, 5, 2);
  if (y < 0 || m < 0) return std::nullopt;
  return make_month(y, m);
}

std::string to_string(Month m) {
  if (const int y = year_of(m); y >= 0 && y <= 9999) {
    std::string s = "0000-00";
    put_digits(&s[0], y, 4), put_digits(&s[5], month_number(m), 2);
    return s;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year_of(m), month_number(m));
  return buf;
}

int year_of(Month m) { return floor_div(m.index, 12); }
int month_number(Month m) { return m.index - year_of(m) * 12 + 1; }

Month month_of(Date d) {
  const Ymd v = ymd(d);
  return Month{v.year * 12 + (v.month - 1)};
}

Date first_day(Month m) { return Date{days_from_civil(year_of(m), month_number(m), 1)}; }

Date last_day(Month m) {
  const int y = year_of(m), mo = month_number(m);
  return Date{days_from_civil(y, mo, days_in_month(y, mo))};
}

Month add_months(Month m, int n) { return Month{m.index + n}; }
int months_between(Month from, Month to) { return to.index - from.index; }

Date fiscal_year_start(int fy) { return Date{days_from_civil(fy, 4, 1)}; }
Date fiscal_year_end(int fy) { return Date{days_from_civil(fy + 1, 3, 31)}; }

int fiscal_year_of(Date d) { return fiscal_year_of(month_of(d)); }

int fiscal_year_of(Month m) {
  const int y = year_of(m);
  return month_number(m) >= 4 ? y : y - 1;
}

Date attains(Date birth, int n) { return Date{birthday(ymd(birth), n) - 1}; }

int age_on(Date birth, Date on) {
  // The age attained in the year of `on` is one of these three; checking
  // from the top finds the largest without a loop.
  const int n = ymd(on).year - ymd(birth).year;
  for (int k = n + 1; k >= n - 1 && k > 0; --k) {
    if (attains(birth, k) <= on) return k;
  }
  return 0;
}

}  // namespace shiki::time

namespace shiki::time {

Date period_end(Date start, int n) {
  Ymd s = ymd(start);
  Month m = add_months(*make_month(s.year, s.month), n);
  if (auto same = make_date(year_of(m), month_number(m), s.day)) return add_days(*same, -1);
  return last_day(m);
}

}  // namespace shiki::time
