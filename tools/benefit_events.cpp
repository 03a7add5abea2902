#include "benefit_events.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

namespace shiki::population {
namespace {

using nlohmann::json;

// splitmix64, as population.cpp: the same seed gives the same events anywhere.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  long between(long lo, long hi) { return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  bool chance(int percent) { return between(1, 100) <= percent; }
};

std::string ymd(int y, int m, int d) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}
std::string ym(int y, int m) { return ymd(y, m, 1).substr(0, 7); }

// A member insured through the whole stretch the events use: in NHI since
// before the fiscal year, with no end, and not reaching 75 in it.
bool steady(const json& m, int fy) {
  if (!m.value("insured", false) || !m.contains("nhi_periods") || m["nhi_periods"].size() != 1) return false;
  const json& p = m["nhi_periods"][0];
  if (!p["until"].is_null() || p["from"].get<std::string>() >= ymd(fy, 4, 1)) return false;
  if (m.contains("late_elderly_since") && !m["late_elderly_since"].is_null()) return false;
  int born = std::stoi(m["birth_date"].get<std::string>().substr(0, 4));
  return fy + 1 - born < 75 && m.value("former_dependent_since", json()).is_null();
}

// Claims of one month: an outpatient visit, sometimes with its pharmacy row,
// and now and then a hospital stay (with the window cap applied).
void claims_of_month(Rng& r, const std::string& pid, const std::string& month, json& claims) {
  long cost = r.between(3, 60) * 1000;
  std::string clinic = "13" + std::to_string(10000 + r.between(0, 89999));
  claims.push_back({{"person_id", pid}, {"service_month", month}, {"provider_id", clinic}, {"setting", "outpatient"},
                    {"dept", r.chance(20) ? "dental" : "medical"}, {"total_cost", cost}, {"copay", cost * 3 / 10}});
  if (r.chance(50)) {
    long drugs = r.between(1, 20) * 1000;
    claims.push_back({{"person_id", pid}, {"service_month", month}, {"provider_id", "14" + clinic.substr(2)},
                      {"setting", "pharmacy"}, {"dept", "medical"}, {"prescriber_id", clinic},
                      {"total_cost", drugs}, {"copay", drugs * 3 / 10}});
  }
  if (r.chance(15)) {
    long stay = r.between(20, 150) * 10000;
    long copay = stay * 3 / 10;
    json c = {{"person_id", pid}, {"service_month", month}, {"provider_id", "1310001"}, {"setting", "inpatient"},
              {"dept", "medical"}, {"total_cost", stay}, {"copay", copay}};
    if (r.chance(60)) c["paid_at_window"] = std::min(copay, 80100L);
    claims.push_back(c);
  }
}

// Ten installments June–March as Matsudo notifies them (end of month; the
// weekends are the ledger's business: these are the due dates as notified),
// each paid on time, late, in part, or not yet.
void collection(Rng& r, int fy, const std::string& eval, json& h) {
  long amount = r.between(20, 600) * 100;
  json installments = json::array(), payments = json::array(), notices = json::array(), refunds = json::array();
  static const int kMonths[] = {6, 7, 8, 9, 10, 11, 12, 1, 2, 3};
  static const int kLast[] = {30, 31, 31, 30, 31, 30, 28, 31, 28, 31};
  for (int k = 0; k < 10; ++k) {
    int y = kMonths[k] < 4 ? fy + 1 : fy;
    std::string due = ymd(y, kMonths[k], kLast[k]);
    if (due >= eval) break;
    installments.push_back({{"fiscal_year", fy}, {"period", k + 1}, {"due", due}, {"amount", amount}});
    int kind = static_cast<int>(r.between(1, 10));
    if (kind <= 6) {
      payments.push_back({{"fiscal_year", fy}, {"period", k + 1}, {"date", due}, {"amount", amount}});
    } else if (kind <= 8) {
      std::string late = ymd(y, kMonths[k], 10 + static_cast<int>(r.between(0, 15)));
      std::string when = late > due ? late : due;
      int m = kMonths[k] % 12 + 1;
      std::string next = ymd(m == 1 ? y + 1 : y, m, static_cast<int>(r.between(1, 28)));
      if (next < eval) payments.push_back({{"fiscal_year", fy}, {"period", k + 1}, {"date", next}, {"amount", amount}});
      (void)when;
    } else if (kind == 9) {
      payments.push_back({{"fiscal_year", fy}, {"period", k + 1}, {"date", due}, {"amount", amount / 2}});
    }
    if (kind >= 7) {
      int m = kMonths[k] % 12 + 1;
      std::string notice = ymd(m == 1 ? y + 1 : y, m, 20);
      if (notice < eval) notices.push_back({{"fiscal_year", fy}, {"period", k + 1}, {"issued_on", notice}});
    }
  }
  if (!installments.empty() && !payments.empty() && r.chance(3)) {
    const json& p = payments[0];
    refunds.push_back({{"fiscal_year", fy}, {"period", p["period"]}, {"amount", 5000}, {"paid_on", p["date"]},
                       {"decided_on", eval}});
  }
  h["installments"] = installments;
  h["payments"] = payments;
  h["demand_notices"] = notices;
  h["refunds"] = refunds;
}

}  // namespace

std::string with_benefit_events(const std::string& line, std::uint64_t seed, std::uint64_t index) {
  json h = json::parse(line);
  Rng r{seed * 0x9E3779B97F4A7C15ULL ^ (index + 1) * 0xD1B54A32D192ED03ULL};
  const int fy = h["fiscal_year"].get<int>();
  // Evaluated in late November: the year's rates for 延滞金 cover every late day.
  const std::string eval = ymd(fy, 11, 25);
  h["evaluation_date"] = eval;
  json claims = json::array(), meals = json::array(), births = json::array(), funerals = json::array();
  bool died = false;
  for (const auto& m : h["members"]) {
    if (!steady(m, fy)) continue;
    const std::string pid = m["person_id"];
    for (int month = 4; month <= 10; ++month)
      if (r.chance(35)) claims_of_month(r, pid, ym(fy, month), claims);
    if (r.chance(4)) {
      int day = static_cast<int>(r.between(1, 20));
      for (int d = day; d < day + 5; ++d)
        meals.push_back({{"person_id", pid}, {"date", ymd(fy, 9, d)}, {"count", 3}});
    }
    int born = std::stoi(m["birth_date"].get<std::string>().substr(0, 4));
    if (fy - born >= 20 && fy - born <= 40 && r.chance(4))
      births.push_back({{"person_id", pid}, {"date", ymd(fy, 7, static_cast<int>(r.between(1, 31)))},
                        {"children", r.chance(3) ? 2 : 1}, {"gestation_days", r.between(250, 285)},
                        {"participating_facility", !r.chance(5)}});
    if (!died && fy - born >= 70 && r.chance(1)) {
      died = true;
      funerals.push_back({{"person_id", pid}, {"death_date", ymd(fy, 10, 20)}, {"funeral_date", ymd(fy, 10, 24)}});
    }
  }
  if (!claims.empty() && r.chance(10)) h["high_cost_history"] = json::array({{{"month", ym(fy - 1, 12)}}});
  h["claims"] = claims;
  h["meals"] = meals;
  h["births"] = births;
  h["funerals"] = funerals;
  collection(r, fy, eval, h);
  return h.dump();
}

}  // namespace shiki::population
