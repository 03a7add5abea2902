#include "interpreter/time/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

namespace shiki::time {
namespace {

Date date(std::string_view text) {
  auto d = parse_date(text);
  if (!d) throw std::invalid_argument("bad test date " + std::string(text));
  return *d;
}

Month month(std::string_view text) {
  auto m = parse_month(text);
  if (!m) throw std::invalid_argument("bad test month " + std::string(text));
  return *m;
}

TEST(Date, KnownDayCounts) {
  EXPECT_EQ(date("1970-01-01").days, 0);
  EXPECT_EQ(date("1969-12-31").days, -1);
  EXPECT_EQ(date("2000-03-01").days, 11017);
  EXPECT_EQ(date("2026-04-01").days, 20544);
  EXPECT_EQ(date("2024-02-29").days, 19782);
  EXPECT_EQ(date("1961-05-01").days, -3167);
  EXPECT_EQ(date("0001-01-01").days, -719162);
  EXPECT_EQ(date("9999-12-31").days, 2932896);
  EXPECT_EQ(to_string(Date{-3167}), "1961-05-01");
  EXPECT_EQ(to_string(add_days(date("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(to_string(add_days(date("2025-03-01"), -1)), "2025-02-28");
}

TEST(Date, Weekday) {
  EXPECT_EQ(weekday(date("1970-01-01")), 4);
  EXPECT_EQ(weekday(date("2000-01-01")), 6);
  EXPECT_EQ(weekday(date("2026-04-01")), 3);
  EXPECT_EQ(weekday(date("1961-05-01")), 1);
  EXPECT_EQ(weekday(date("0001-01-01")), 1);
  EXPECT_EQ(weekday(date("1969-12-28")), 0);
}

TEST(Date, StrictParsing) {
  for (const char* text : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-04-00", "2025-4-01",
                           "2025-04-1", " 2025-04-01", "2025-04-01 ", "2025/04/01", "20250401", "2025-04-01T00",
                           "+025-04-01", "-025-04-01", "0000-01-01", "2025-04-0a", "", "2025-04", "1900-02-29",
                           "2025-04--1"}) {
    EXPECT_FALSE(parse_date(text).has_value()) << '"' << text << '"';
  }
  EXPECT_TRUE(parse_date("2024-02-29").has_value());
  EXPECT_TRUE(parse_date("2000-02-29").has_value());
  EXPECT_FALSE(make_date(2025, 2, 29).has_value());
  EXPECT_FALSE(make_date(10000, 1, 1).has_value());
  EXPECT_EQ(make_date(2025, 12, 31)->days, date("2025-12-31").days);
}

// Walks every day of years 1–9999 with its own calendar rules and checks
// both conversions, the weekday and the text form against the walk.
TEST(Date, EveryDayAgainstAWalk) {
  auto leap = [](int y) { return y % 400 == 0 || (y % 4 == 0 && y % 100 != 0); };
  const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int32_t days = -719162;
  int wd = 1, checked = 0;
  for (int y = 1; y <= 9999; ++y) {
    for (int m = 1; m <= 12; ++m) {
      const int n = lengths[m - 1] + (m == 2 && leap(y) ? 1 : 0);
      for (int d = 1; d <= n; ++d, ++days, wd = (wd + 1) % 7) {
        const auto made = make_date(y, m, d);
        ASSERT_TRUE(made && made->days == days) << y << '-' << m << '-' << d;
        const Ymd back = ymd(Date{days});
        ASSERT_TRUE(back.year == y && back.month == m && back.day == d) << days;
        ASSERT_EQ(weekday(Date{days}), wd) << days;
        ASSERT_EQ(month_of(Date{days}).index, y * 12 + m - 1);
        ++checked;
      }
      ASSERT_FALSE(make_date(y, m, n + 1).has_value()) << y << '-' << m;
    }
    const std::string text = to_string(Date{days - 1});
    ASSERT_EQ(parse_date(text)->days, days - 1) << text;
  }
  EXPECT_EQ(days, 2932897);
  EXPECT_EQ(checked, 3652059);
}

// The text forms against snprintf's "%04d-%02d-%02d" and "%04d-%02d", on
// both sides of the years written digit by digit (0–9999).
TEST(Date, TextFormsAsPrintf) {
  for (std::int32_t days = -719528 - 800; days <= 2932897 + 800; ++days) {
    const Ymd v = ymd(Date{days});
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
    ASSERT_EQ(to_string(Date{days}), buf) << days;
  }
  for (int index = -40; index <= 10000 * 12 + 40; ++index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year_of(Month{index}), month_number(Month{index}));
    ASSERT_EQ(to_string(Month{index}), buf) << index;
  }
}

TEST(Month, ParseAndArithmetic) {
  EXPECT_EQ(month("2026-04").index, 2026 * 12 + 3);
  EXPECT_EQ(to_string(month("0987-01")), "0987-01");
  for (const char* text : {"2026-4", "2026-13", "2026-00", "2026-04-01", "2026/04", "202604", " 2026-04", ""}) {
    EXPECT_FALSE(parse_month(text).has_value()) << '"' << text << '"';
  }
  EXPECT_EQ(to_string(add_months(month("2026-11"), 3)), "2027-02");
  EXPECT_EQ(to_string(add_months(month("2026-01"), -1)), "2025-12");
  EXPECT_EQ(months_between(month("2025-04"), month("2026-03")), 11);
  EXPECT_EQ(months_between(month("2026-03"), month("2025-04")), -11);
  EXPECT_EQ(year_of(month("2026-12")), 2026);
  EXPECT_EQ(month_number(month("2026-12")), 12);
  EXPECT_EQ(to_string(first_day(month("2026-07"))), "2026-07-01");
  EXPECT_EQ(to_string(last_day(month("2024-02"))), "2024-02-29");
  EXPECT_EQ(to_string(last_day(month("2025-02"))), "2025-02-28");
  EXPECT_EQ(to_string(last_day(month("2026-12"))), "2026-12-31");
  EXPECT_EQ(to_string(month_of(date("2026-05-31"))), "2026-05");
  EXPECT_EQ(make_month(2026, 4)->index, month("2026-04").index);
  EXPECT_FALSE(make_month(2026, 0).has_value());
}

TEST(FiscalYear, AprilToMarch) {
  EXPECT_EQ(to_string(fiscal_year_start(2026)), "2026-04-01");
  EXPECT_EQ(to_string(fiscal_year_end(2026)), "2027-03-31");
  EXPECT_EQ(fiscal_year_of(date("2026-03-31")), 2025);
  EXPECT_EQ(fiscal_year_of(date("2026-04-01")), 2026);
  EXPECT_EQ(fiscal_year_of(date("2026-12-31")), 2026);
  EXPECT_EQ(fiscal_year_of(date("2027-01-01")), 2026);
  EXPECT_EQ(fiscal_year_of(month("2026-03")), 2025);
  EXPECT_EQ(fiscal_year_of(month("2026-04")), 2026);
  EXPECT_EQ(fiscal_year_of(month("2027-03")), 2026);
}

TEST(Age, StatutoryExamples) {
  EXPECT_EQ(to_string(attains(date("1961-05-01"), 65)), "2026-04-30");
  EXPECT_EQ(to_string(attains(date("1961-05-02"), 65)), "2026-05-01");
  EXPECT_EQ(to_string(attains(date("1986-05-02"), 40)), "2026-05-01");
  EXPECT_EQ(to_string(attains(date("2000-02-29"), 1)), "2001-02-28");
  EXPECT_EQ(to_string(attains(date("2000-02-29"), 4)), "2004-02-28");
  EXPECT_EQ(to_string(attains(date("1990-01-01"), 1)), "1990-12-31");
  EXPECT_EQ(to_string(attains(date("1990-03-01"), 2)), "1992-02-29");
}

TEST(Age, AgeOn) {
  const Date b = date("1961-05-01");
  EXPECT_EQ(age_on(b, date("2026-04-29")), 64);
  EXPECT_EQ(age_on(b, date("2026-04-30")), 65);
  EXPECT_EQ(age_on(b, date("2026-05-01")), 65);
  const Date leapling = date("2000-02-29");
  EXPECT_EQ(age_on(leapling, date("2001-02-27")), 0);
  EXPECT_EQ(age_on(leapling, date("2001-02-28")), 1);
  EXPECT_EQ(age_on(leapling, date("2004-02-27")), 3);
  EXPECT_EQ(age_on(leapling, date("2004-02-28")), 4);
  EXPECT_EQ(age_on(leapling, date("2004-02-29")), 4);
  const Date new_year = date("1990-01-01");
  EXPECT_EQ(age_on(new_year, date("1990-12-30")), 0);
  EXPECT_EQ(age_on(new_year, date("1990-12-31")), 1);
  EXPECT_EQ(age_on(new_year, date("2025-12-31")), 36);
  EXPECT_EQ(age_on(new_year, date("1990-01-01")), 0);
  EXPECT_EQ(age_on(new_year, date("1980-06-01")), 0);
}

// The textbook form of the law: on day D a person has had every birthday
// that falls on or before D + 1, a 29 February birthday in a common year
// falling on 1 March.
int age_by_birthdays(Ymd b, Ymd next) {
  const bool leap = next.year % 400 == 0 || (next.year % 4 == 0 && next.year % 100 != 0);
  int bm = b.month, bd = b.day;
  if (bm == 2 && bd == 29 && !leap) bm = 3, bd = 1;
  const int age = next.year - b.year - ((next.month < bm || (next.month == bm && next.day < bd)) ? 1 : 0);
  return age < 0 ? 0 : age;
}

TEST(Age, AgainstBirthdayCounting) {
  std::mt19937_64 rng(1961);
  const std::int32_t lo = date("1900-01-01").days, hi = date("2100-12-31").days;
  std::uniform_int_distribution<std::int32_t> any_day(lo, hi), near(-3, 3);
  for (int i = 0; i < 200000; ++i) {
    const Date birth{any_day(rng)};
    // Half the time land within days of an attain date, where errors live.
    Date on{any_day(rng)};
    if (i % 2 == 0) on = add_days(attains(birth, static_cast<int>(i % 100)), near(rng));
    const int want = age_by_birthdays(ymd(birth), ymd(add_days(on, 1)));
    ASSERT_EQ(age_on(birth, on), want) << to_string(birth) << " on " << to_string(on);
    if (want > 0) {
      ASSERT_LE(attains(birth, want), on);
      ASSERT_GT(attains(birth, want + 1), on);
    }
  }
}

}  // namespace
}  // namespace shiki::time
