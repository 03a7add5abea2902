// Calendar arithmetic for the rules: dates, calendar months, fiscal years
// (April to March) and age by 年齢計算ニ関スル法律 (a person attains age N at
// the end of the day before the Nth birthday; 民法第143条 for 29 February).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shiki::time {

// A civil date as a day count from 1970-01-01 (proleptic Gregorian).
struct Date {
  std::int32_t days = 0;
  friend auto operator<=>(Date, Date) = default;
};

// A calendar month as year × 12 + (month − 1).
struct Month {
  std::int32_t index = 0;
  friend auto operator<=>(Month, Month) = default;
};

struct Ymd {
  int year, month, day;
};

// nullopt when the day does not exist (2025-02-29, 2025-13-01).
std::optional<Date> make_date(int year, int month, int day);
Ymd ymd(Date d);
// Strictly "YYYY-MM-DD"; nullopt otherwise or when the day does not exist.
std::optional<Date> parse_date(std::string_view text);
std::string to_string(Date d);
// 0 = Sunday … 6 = Saturday.
int weekday(Date d);
Date add_days(Date d, int n);

std::optional<Month> make_month(int year, int month);
std::optional<Month> parse_month(std::string_view text);  // "YYYY-MM"
std::string to_string(Month m);
int year_of(Month m);
int month_number(Month m);  // 1–12
Month month_of(Date d);
Date first_day(Month m);
Date last_day(Month m);
Month add_months(Month m, int n);
int months_between(Month from, Month to);  // to − from, in months

// The first day of fiscal year fy (fy-04-01) and its last (fy+1-03-31).
Date fiscal_year_start(int fy);
Date fiscal_year_end(int fy);
// The fiscal year a date or month falls in (April–March).
int fiscal_year_of(Date d);
int fiscal_year_of(Month m);

// The last day of a period of n months that starts on `start` (民法第143条第2項):
// the day before the start day's number in the nth month after, or that
// month's last day when it has no such day (a start on 29–31 January, n = 1).
Date period_end(Date start, int n);

// The date on which a person born on `birth` attains age n: the day before
// the nth birthday; for a 29 February birth in a common year, 28 February.
Date attains(Date birth, int n);
// Age on a date: the largest n with attains(birth, n) <= on (0 before the
// first birthday's eve).
int age_on(Date birth, Date on);

}  // namespace shiki::time
