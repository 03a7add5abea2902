// Matsudo-like NHI households (see population.h). The shape, roughly as the
// city's NHI looks: about 100,000 households of about 140,000 insured, most of
// one or two people, many of them pensioners aged 60–74; salaried part-timers,
// the self-employed, the unemployed; a few large families. Every rule of
// premium.md has households that reach it: mid-year joins and leaves, turning
// 40, 65 and 75 during the year, 擬制世帯主, 特定同一世帯所属者 (特定世帯 and
// 特定継続世帯), 旧被扶養者, 非自発的失業, 産前産後, 未就学児 and under-18
// children, undeclared income, every income kind, incomes up to the caps.
//
// Every household is valid for the matsudo ruleset: exactly one head, each
// period's `until` after its `from`, no date before the member's birth, no
// unknown field.
#include "population.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

namespace shiki::population {
namespace {

// ---- random numbers: splitmix64, seeded per household ----------------------
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double u01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return u01() < p; }
  // uniform in [lo, hi]
  long long between(long long lo, long long hi) {
    return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  // an amount in [lo, hi] in steps of `step` yen
  long long yen(long long lo, long long hi, long long step = 1000) { return between(lo / step, hi / step) * step; }
  // the index of a weight, chosen with probability weight / sum
  template <std::size_t N>
  int pick(const std::array<double, N>& w) {
    double total = 0;
    for (double x : w) total += x;
    double r = u01() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (r < w[i]) return static_cast<int>(i);
      r -= w[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  std::uint64_t s_;
};

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

// ---- civil dates ----------------------------------------------------------
struct Date {
  int y = 1970, m = 1, d = 1;
  friend bool operator==(const Date&, const Date&) = default;
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int month_days(int y, int m) {
  static constexpr int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}
// days since 1970-01-01 (H. Hinnant's algorithm)
long days(Date t) {
  int y = t.y - (t.m <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (t.m + (t.m > 2 ? -3 : 9)) + 2) / 5 + t.d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
Date civil(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}
Date add_days(Date t, long n) { return civil(days(t) + n); }
bool before(Date a, Date b) { return days(a) < days(b); }
Date later(Date a, Date b) { return before(a, b) ? b : a; }
// The Nth birthday; a 29 February birth has it on 1 March in a common year
// (premium.md §12.11).
Date birthday(Date birth, int n) {
  int y = birth.y + n;
  if (birth.m == 2 && birth.d == 29 && !leap(y)) return {y, 3, 1};
  return {y, birth.m, birth.d};
}
// Age on `on` by the age law: N is attained on the day before the Nth birthday.
int age_on(Date birth, Date on) {
  Date next = add_days(on, 1);
  int a = next.y - birth.y;
  if (next.m < birth.m || (next.m == birth.m && next.d < birth.d)) --a;
  return a;
}

// ---- the household model ----------------------------------------------------
struct Income {
  bool declared = true;
  long long salary = 0, pension = 0, business = 0, real_estate = 0, misc = 0, dividend = 0, occasional = 0,
            separate_gains = 0, gains_deduction = 0, family_worker_deduction = 0, family_worker_pay = 0,
            net_loss = 0, casualty_loss = 0;
  bool adjustment_dependents = false;
  bool tax_exempt = false;
  long long taxable = 0;
};

struct Period {
  Date from;
  std::optional<Date> until;
};

struct Member {
  bool head = false;
  bool insured = true;
  Date birth;
  std::vector<Period> periods;
  std::optional<Date> late_elderly_since, former_dependent_since, separation;
  std::optional<std::pair<int, int>> expected_month;  // year, month
  bool multiple = false;
  Income income;
};

class Builder {
 public:
  Builder(const Options& o, std::uint64_t index)
      : o_(o), rng_(mix(o.seed * 0x9E3779B97F4A7C15ULL ^ mix(index + 1) ^ (static_cast<std::uint64_t>(o.fiscal_year) << 48))),
        index_(index), fy_start_{o.fiscal_year, 4, 1}, fy_end_{o.fiscal_year + 1, 3, 31} {}

  std::string build();

 private:
  // A birth date making the person `age` on 1 April of the fiscal year.
  Date born_aged(int age) {
    Date lo = add_days(Date{fy_start_.y - age - 1, 4, 2}, 1);  // 3 April
    Date hi{fy_start_.y - age, 4, 2};
    return civil(rng_.between(days(lo), days(hi)));
  }
  Date day_in_fy() { return civil(rng_.between(days(fy_start_), days(fy_end_))); }
  // A date in the fiscal year for an insurance change: a third of them on the 1st.
  Date change_in_fy() {
    Date d = day_in_fy();
    if (rng_.chance(0.35)) d.d = 1;
    return d;
  }
  // 資格取得 long before the fiscal year: at the earliest at `min_age`, at birth, or 30 years back.
  Date past_from(const Member& m, int min_age) {
    Date lo = later(later(m.birth, birthday(m.birth, min_age)), Date{fy_start_.y - 30, 4, 1});
    Date hi = add_days(fy_start_, -1);
    if (!before(lo, hi)) return lo;
    // pensioners mostly joined at 60 or 65 (retirement), on the day after
    if (min_age >= 60 && rng_.chance(0.6)) {
      Date r = birthday(m.birth, rng_.chance(0.5) ? 60 : 65);
      if (!before(r, lo) && before(r, fy_start_)) return r;
    }
    Date d = civil(rng_.between(days(lo), days(hi)));
    if (rng_.chance(0.3) && d.d != 1 && before(Date{d.y, d.m, 1}, lo) == false) d.d = 1;
    return d;
  }
  int age(const Member& m) const { return age_on(m.birth, fy_start_); }
  // Age on 31 December of the income year (65+ for the pension deduction).
  int income_year_age(const Member& m) const { return age_on(m.birth, Date{fy_start_.y - 1, 12, 31}); }

  Member insured(int age_at_april, bool head = false) {
    Member m;
    m.head = head;
    m.birth = born_aged(age_at_april);
    m.periods.push_back({past_from(m, age_at_april >= 60 ? 60 : 0), std::nullopt});
    return m;
  }

  void pensioner_income(Member& m);
  void working_income(Member& m, bool main_earner);
  void child_income(Member& m);
  void extras(Member& m);
  void resident_tax(Member& m);

  // NHI ends on the 75th birthday (後期高齢者医療 starts that day).
  void turn_75(Member& m) {
    Date b75 = birthday(m.birth, 75);
    if (before(fy_end_, b75)) return;
    for (auto& p : m.periods) {
      if (!before(p.from, b75)) p.from = add_days(b75, -30);  // joined after 75: make it just before
      if (!p.until || before(b75, *p.until)) p.until = b75;
    }
    m.late_elderly_since = b75;
  }

  void household_events();
  std::string json() const;

  const Options& o_;
  Rng rng_;
  std::uint64_t index_;
  Date fy_start_, fy_end_;
  std::vector<Member> members_;
};

// ---- incomes -------------------------------------------------------------
void Builder::pensioner_income(Member& m) {
  Income& in = m.income;
  switch (rng_.pick(std::array<double, 6>{6, 31, 34, 19, 8, 2})) {
    case 0: in.pension = 0; break;
    case 1: in.pension = rng_.yen(400'000, 1'000'000); break;
    case 2: in.pension = rng_.yen(1'000'000, 1'800'000); break;
    case 3: in.pension = rng_.yen(1'800'000, 2'800'000); break;
    case 4: in.pension = rng_.yen(2'800'000, 4'000'000); break;
    default: in.pension = rng_.yen(4'000'000, 7'000'000); break;
  }
  if (income_year_age(m) < 65 && rng_.chance(0.5)) in.pension = in.pension / 2;  // 繰上げ or none yet
  if (rng_.chance(0.12)) in.salary = rng_.yen(300'000, rng_.chance(0.15) ? 6'000'000 : 2'000'000);
  if (rng_.chance(0.04)) in.business = rng_.yen(-300'000, 3'000'000);
  if (rng_.chance(0.05)) in.real_estate = rng_.yen(-400'000, rng_.chance(0.1) ? 12'000'000 : 3'000'000);
  if (rng_.chance(0.05)) in.misc = rng_.yen(-100'000, 600'000);
  extras(m);
}

void Builder::working_income(Member& m, bool main_earner) {
  Income& in = m.income;
  auto salary = [&] {
    switch (rng_.pick(std::array<double, 7>{28, 30, 21, 12, 6, 2.4, 0.6})) {
      case 0: return rng_.yen(100'000, 1'030'000);
      case 1: return rng_.yen(1'030'000, 2'500'000);
      case 2: return rng_.yen(2'500'000, 4'000'000);
      case 3: return rng_.yen(4'000'000, 6'000'000);
      case 4: return rng_.yen(6'000'000, 9'000'000);
      case 5: return rng_.yen(9'000'000, 15'000'000);
      default: return rng_.yen(15'000'000, 40'000'000);
    }
  };
  int kind = main_earner ? rng_.pick(std::array<double, 5>{26, 44, 14, 7, 9})   // none, salary, business, misc, mixed
                         : rng_.pick(std::array<double, 5>{42, 46, 3, 6, 3});
  switch (kind) {
    case 0: break;
    case 1: in.salary = salary(); break;
    case 2:
      switch (rng_.pick(std::array<double, 4>{10, 60, 22, 8})) {
        case 0: in.business = rng_.yen(-1'500'000, 200'000); break;
        case 1: in.business = rng_.yen(200'000, 3'000'000); break;
        case 2: in.business = rng_.yen(3'000'000, 6'000'000); break;
        default: in.business = rng_.yen(6'000'000, 18'000'000); break;
      }
      if (in.business > 1'500'000 && rng_.chance(0.25)) in.family_worker_deduction = rng_.chance(0.7) ? 860'000 : 500'000;
      if (in.business > 0 && rng_.chance(0.04)) in.net_loss = rng_.yen(100'000, 2'000'000);
      break;
    case 3: in.misc = rng_.yen(200'000, 3'500'000); break;
    default:
      in.salary = rng_.yen(300'000, 2'000'000);
      in.business = rng_.yen(-200'000, 2'500'000);
      break;
  }
  if (income_year_age(m) >= 20 && rng_.chance(0.04)) in.pension = rng_.yen(500'000, 1'800'000);  // 障害・遺族 are not taxable; 繰上げ, 企業年金
  if (rng_.chance(0.03)) in.real_estate = rng_.yen(-600'000, 6'000'000);
  if (m.separation) in.salary = std::max(in.salary, rng_.yen(2'000'000, 7'000'000));  // worked until the separation
  extras(m);
}

void Builder::child_income(Member& m) {
  if (income_year_age(m) >= 15 && rng_.chance(0.35)) m.income.salary = rng_.yen(100'000, 1'300'000);  // アルバイト
}

void Builder::extras(Member& m) {
  Income& in = m.income;
  if (rng_.chance(0.04)) in.dividend = rng_.yen(10'000, rng_.chance(0.1) ? 3'000'000 : 400'000);
  if (rng_.chance(0.012)) in.occasional = rng_.yen(10'000, 1'500'000);
  if (rng_.chance(0.01)) {
    // 土地・建物の分離譲渡: after the special deduction (often the 3,000万 home-sale one)
    in.gains_deduction = rng_.chance(0.6) ? 30'000'000 : rng_.yen(1'000'000, 20'000'000);
    in.separate_gains = rng_.chance(0.5) ? 0 : rng_.yen(100'000, 12'000'000);
  }
  if (rng_.chance(0.004)) in.casualty_loss = rng_.yen(50'000, 1'000'000);
}

// The resident tax fields, roughly (the premium does not use them; the 70–74
// copay rate does): 合計所得 less 43万 and a social-insurance guess.
void Builder::resident_tax(Member& m) {
  Income& in = m.income;
  long long s = in.salary + in.family_worker_pay;
  long long salary_income = s <= 650'000 ? 0 : s - std::max(650'000LL, std::min(1'950'000LL, s * 3 / 10));
  long long pension_income = std::max(0LL, in.pension - (income_year_age(m) >= 65 ? 1'100'000 : 600'000));
  long long total = std::max(0LL, salary_income + pension_income + in.business + in.real_estate + in.misc +
                                      in.dividend + in.occasional + in.separate_gains);
  in.tax_exempt = total <= 450'000;
  in.taxable = in.tax_exempt ? 0 : std::max(0LL, (total - 430'000 - total / 7) / 1000 * 1000);
}

// ---- household types ------------------------------------------------------
std::string Builder::build() {
  enum Type { SinglePensioner, SinglePre65, SingleWorking, PensionerCouple, WorkingCouple, Family, Specified, Deemed };
  Type type = static_cast<Type>(rng_.pick(std::array<double, 8>{270, 60, 220, 150, 50, 110, 40, 100}));
  switch (type) {
    case SinglePensioner: {
      Member h = insured(static_cast<int>(rng_.between(65, 74)), true);
      pensioner_income(h);
      members_.push_back(h);
      break;
    }
    case SinglePre65: {
      Member h = insured(static_cast<int>(rng_.between(60, 64)), true);
      if (rng_.chance(0.5)) pensioner_income(h);
      else working_income(h, true);
      members_.push_back(h);
      break;
    }
    case SingleWorking: {
      int a = static_cast<int>(rng_.chance(0.3) ? rng_.between(18, 29) : rng_.between(30, 59));
      Member h = insured(a, true);
      if (a >= 20 && a <= 44 && rng_.chance(0.006)) {
        h.expected_month = std::pair{fy_start_.y - (rng_.chance(0.2) ? 1 : 0), static_cast<int>(rng_.between(1, 12))};
      }
      working_income(h, true);
      members_.push_back(h);
      break;
    }
    case PensionerCouple: {
      int a = static_cast<int>(rng_.between(63, 74));
      Member h = insured(a, true);
      Member w = insured(static_cast<int>(std::clamp<long long>(a - rng_.between(-2, 6), 60, 74)));
      pensioner_income(h);
      pensioner_income(w);
      w.income.pension /= 2;
      members_.push_back(h);
      members_.push_back(w);
      if (rng_.chance(0.12)) {  // an adult child, unemployed or part-time
        Member c = insured(static_cast<int>(rng_.between(25, 45)));
        working_income(c, false);
        members_.push_back(c);
      }
      break;
    }
    case WorkingCouple:
    case Family: {
      int a = static_cast<int>(type == Family ? rng_.between(26, 54) : rng_.between(22, 59));
      Member h = insured(a, true);
      Member w = insured(static_cast<int>(std::clamp<long long>(a - rng_.between(-3, 6), 18, 64)));
      if (age(w) >= 20 && age(w) <= 44 && rng_.chance(type == Family ? 0.05 : 0.07)) {
        // 産前産後: expected between February of the fiscal year's start and May after it ends
        long k = rng_.between(0, 15);
        int mo = 2 + static_cast<int>(k);
        w.expected_month = std::pair{fy_start_.y + (mo - 1) / 12, (mo - 1) % 12 + 1};
        w.multiple = rng_.chance(0.15);  // over-represented, so that a small sample has one
      }
      working_income(h, true);
      working_income(w, false);
      if (h.income.family_worker_deduction > 0) w.income.family_worker_pay = h.income.family_worker_deduction;
      members_.push_back(h);
      members_.push_back(w);
      if (type == Family) {
        int kids = static_cast<int>(rng_.pick(std::array<double, 4>{45, 38, 13, 4})) + 1;
        int oldest = std::max(0, std::min(age(w) - 18, 24));
        for (int i = 0; i < kids; ++i) {
          int ka = static_cast<int>(rng_.between(0, std::max(0, oldest - 2 * i)));
          Member c;
          c.birth = born_aged(ka);
          c.periods.push_back({before(c.birth, fy_start_) ? later(c.birth, h.periods[0].from) : c.birth, std::nullopt});
          child_income(c);
          members_.push_back(c);
        }
        if (members_.size() < 6 && rng_.chance(0.08)) {  // a child born during the year, insured from birth (newborn)
          Member c;
          c.birth = day_in_fy();
          c.periods.push_back({c.birth, std::nullopt});
          members_.push_back(c);
        }
        if (members_.size() < 6 && rng_.chance(0.07)) {  // a grandparent
          Member g = insured(static_cast<int>(rng_.between(65, 74)));
          pensioner_income(g);
          members_.push_back(g);
        }
      }
      break;
    }
    case Specified: {
      // 特定同一世帯所属者: a spouse who moved from NHI to 後期高齢者医療 at 75
      // and stays; the household's only insured member is the head (特定世帯
      // for 5 years, 特定継続世帯 for 3 more).
      int a = static_cast<int>(rng_.between(65, 74));
      Member h = insured(a, true);
      pensioner_income(h);
      Member s;
      s.insured = false;
      s.birth = born_aged(static_cast<int>(rng_.between(std::max(75, a + 1), std::min(90, a + 10))));
      s.late_elderly_since = birthday(s.birth, 75);
      Date from = past_from(s, 60);
      if (!before(from, *s.late_elderly_since)) from = add_days(*s.late_elderly_since, -3650);
      s.periods.push_back({from, s.late_elderly_since});
      pensioner_income(s);
      members_.push_back(h);
      members_.push_back(s);
      if (rng_.chance(0.15)) {  // an adult child in NHI as well: no longer 特定世帯
        Member c = insured(static_cast<int>(rng_.between(30, 50)));
        working_income(c, false);
        members_.push_back(c);
      }
      break;
    }
    case Deemed: {
      // 擬制世帯主: the head is not in NHI.
      Member h;
      h.head = true;
      h.insured = false;
      switch (rng_.pick(std::array<double, 3>{40, 30, 30})) {
        case 0: {  // employee-insured head; an adult child or a parent in NHI
          h.birth = born_aged(static_cast<int>(rng_.between(40, 64)));
          h.income.salary = rng_.yen(2'500'000, 9'000'000);
          extras(h);
          members_.push_back(h);
          if (rng_.chance(0.6)) {
            Member c = insured(static_cast<int>(rng_.between(18, std::max(18, age(h) - 20))));
            working_income(c, false);
            members_.push_back(c);
          } else {
            Member p = insured(static_cast<int>(rng_.between(std::min(74, age(h) + 20), 74)));
            pensioner_income(p);
            members_.push_back(p);
          }
          break;
        }
        case 1: {  // head moved from employee insurance to 後期; the spouse, his dependant, is a 旧被扶養者
          h.birth = born_aged(static_cast<int>(rng_.between(75, 82)));
          pensioner_income(h);
          h.income.pension += 1'000'000;
          members_.push_back(h);
          Date moved = birthday(h.birth, 75);
          Member w;
          w.birth = born_aged(static_cast<int>(std::clamp<long long>(age(h) - rng_.between(-1, 8), 60, 74)));
          if (before(moved, w.birth)) moved = add_days(w.birth, 1);
          w.former_dependent_since = moved;
          w.periods.push_back({moved, std::nullopt});
          pensioner_income(w);
          w.income.pension /= 3;
          members_.push_back(w);
          break;
        }
        default: {  // head left NHI for 後期 at 75 and stays: a 特定同一世帯所属者 himself
          h.birth = born_aged(static_cast<int>(rng_.between(75, 85)));
          h.late_elderly_since = birthday(h.birth, 75);
          Date from = past_from(h, 60);
          if (!before(from, *h.late_elderly_since)) from = add_days(*h.late_elderly_since, -3650);
          h.periods.push_back({from, h.late_elderly_since});
          pensioner_income(h);
          members_.push_back(h);
          Member w = insured(static_cast<int>(rng_.between(65, 74)));
          pensioner_income(w);
          members_.push_back(w);
          break;
        }
      }
      break;
    }
  }
  household_events();
  return json();
}

// Mid-year changes, 非自発的失業, undeclared income, turning 75; then the
// resident tax fields and 所得金額調整控除.
void Builder::household_events() {
  auto insured_now = [](const Member& m) { return m.insured && !m.periods.empty(); };
  double r = rng_.u01();
  if (r < 0.07) {
    // the whole household joins during the year (moved in, or left employee insurance)
    Date j = change_in_fy();
    for (auto& m : members_) {
      if (!insured_now(m) || m.former_dependent_since) continue;
      m.periods.back().from = later(j, m.birth);
    }
    Member& h = members_.front();
    if (insured_now(h) && !h.former_dependent_since && age_on(h.birth, j) < 65 && age_on(h.birth, j) >= 18 &&
        rng_.chance(0.35)) {
      h.separation = add_days(h.periods.back().from, -1);  // 離職日; NHI from the next day
      h.income.salary = std::max(h.income.salary, rng_.yen(2'000'000, 7'000'000));
    }
  } else if (r < 0.11) {
    // the whole household leaves (moved out, or joined employee insurance)
    Date l = change_in_fy();
    for (auto& m : members_) {
      if (!insured_now(m)) continue;
      Period& p = m.periods.back();
      if (before(p.from, l)) p.until = l;
    }
  } else if (r < 0.115) {
    // 同月得喪: joined and left within one month
    Date j = day_in_fy();
    if (j.d == month_days(j.y, j.m)) j.d -= 1;
    Date l{j.y, j.m, static_cast<int>(rng_.between(j.d + 1, month_days(j.y, j.m)))};
    for (auto& m : members_) {
      if (!insured_now(m) || !before(m.birth, j) || m.former_dependent_since) continue;
      m.periods.back() = {j, l};
    }
  } else if (r < 0.14) {
    // 非自発的失業 in the previous fiscal year: the relief runs to the end of this one
    Member& h = members_.front();
    if (insured_now(h) && age(h) >= 19 && age(h) < 65 && !h.former_dependent_since) {
      Date sep = civil(rng_.between(days(Date{fy_start_.y - 1, 4, 1}), days(Date{fy_start_.y, 3, 30})));
      h.separation = sep;
      h.periods.back().from = add_days(sep, 1);  // NHI from the day after the separation
      h.income.salary = std::max(h.income.salary, rng_.yen(2'000'000, 7'000'000));
    }
  }
  // single members: a child leaves for a job, someone comes back
  for (std::size_t i = 1; i < members_.size(); ++i) {
    Member& m = members_[i];
    if (!insured_now(m) || m.former_dependent_since) continue;
    Period& p = m.periods.back();
    if (p.until) continue;
    double e = rng_.u01();
    if (e < 0.03) {
      Date l = change_in_fy();
      if (before(p.from, l)) p.until = l;
    } else if (e < 0.05 && before(m.birth, fy_start_)) {
      // a gap: left in an earlier year, back during this one
      Date back = change_in_fy();
      Date left = add_days(fy_start_, -static_cast<long>(rng_.between(30, 900)));
      if (before(p.from, left) && before(m.birth, back)) {
        p.until = left;
        m.periods.push_back({back, std::nullopt});
      }
    }
  }
  for (auto& m : members_)
    if (insured_now(m) && !m.late_elderly_since) turn_75(m);
  // incomes that nobody declared (未申告), never for young children
  for (auto& m : members_) {
    if (age(m) >= 16 && rng_.chance(m.head ? 0.035 : 0.02)) m.income = Income{false};
  }
  bool young = false;
  for (auto& m : members_) young |= age(m) < 23;
  for (auto& m : members_) {
    if (!m.income.declared) continue;
    if (young && m.income.salary > 8'500'000) m.income.adjustment_dependents = true;
    resident_tax(m);
  }
}

// ---- JSON -------------------------------------------------------------------
void put_date(std::string& s, Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02d\"", d.y, d.m, d.d);
  s += buf;
}

std::string Builder::json() const {
  const bool full = o_.full;
  std::string s;
  s.reserve(256 + members_.size() * (full ? 900 : 260));
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"household_id\":\"H%07llu\",\"fiscal_year\":%d,\"members\":[",
                static_cast<unsigned long long>(index_ + 1), o_.fiscal_year);
  s += buf;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    const Member& m = members_[i];
    if (i) s += ',';
    std::snprintf(buf, sizeof buf, "{\"person_id\":\"P%09llu\",\"head\":%s,\"insured\":%s,\"birth_date\":",
                  static_cast<unsigned long long>(index_ * 8 + i + 1), m.head ? "true" : "false",
                  m.insured ? "true" : "false");
    s += buf;
    put_date(s, m.birth);
    s += ",\"nhi_periods\":[";
    for (std::size_t k = 0; k < m.periods.size(); ++k) {
      if (k) s += ',';
      s += "{\"from\":";
      put_date(s, m.periods[k].from);
      s += ",\"until\":";
      if (m.periods[k].until) put_date(s, *m.periods[k].until);
      else s += "null";
      s += '}';
    }
    s += ']';
    auto opt_date = [&](const char* key, const std::optional<Date>& d) {
      if (!d && !full) return;
      s += ",\"";
      s += key;
      s += "\":";
      if (d) put_date(s, *d);
      else s += "null";
    };
    opt_date("late_elderly_since", m.late_elderly_since);
    opt_date("former_dependent_since", m.former_dependent_since);
    if (m.separation) {
      s += ",\"involuntary_unemployment\":{\"separation_date\":";
      put_date(s, *m.separation);
      s += '}';
    } else if (full) {
      s += ",\"involuntary_unemployment\":null";
    }
    if (m.expected_month) {
      std::snprintf(buf, sizeof buf, ",\"childbirth\":{\"expected_month\":\"%04d-%02d\",\"multiple\":%s}",
                    m.expected_month->first, m.expected_month->second, m.multiple ? "true" : "false");
      s += buf;
    } else if (full) {
      s += ",\"childbirth\":null";
    }
    const Income& in = m.income;
    s += ",\"income\":{\"declared\":";
    s += in.declared ? "true" : "false";
    auto amount = [&](const char* key, long long v) {
      if (v == 0 && !full) return;
      std::snprintf(buf, sizeof buf, ",\"%s\":%lld", key, v);
      s += buf;
    };
    auto flag = [&](const char* key, bool v) {
      if (!v && !full) return;
      s += ",\"";
      s += key;
      s += v ? "\":true" : "\":false";
    };
    amount("salary_revenue", in.salary);
    amount("public_pension_revenue", in.pension);
    amount("business_income", in.business);
    amount("real_estate_income", in.real_estate);
    amount("miscellaneous_income", in.misc);
    amount("dividend_income", in.dividend);
    amount("occasional_income", in.occasional);
    amount("separate_capital_gains", in.separate_gains);
    amount("capital_gains_special_deduction", in.gains_deduction);
    amount("family_worker_deduction", in.family_worker_deduction);
    amount("family_worker_pay", in.family_worker_pay);
    amount("net_loss_carryforward", in.net_loss);
    amount("casualty_loss_carryforward", in.casualty_loss);
    flag("income_adjustment_dependents", in.adjustment_dependents);
    flag("resident_tax_exempt", in.tax_exempt);
    amount("taxable_income", in.taxable);
    s += "}}";
  }
  s += "]}";
  return s;
}

}  // namespace

std::string Generator::household(std::uint64_t index) const { return Builder(options_, index).build(); }

}  // namespace shiki::population
