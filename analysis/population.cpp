#include "analysis/population.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shiki::analysis {
namespace {

using nlohmann::json;

long long declared_income(const json& h) {
  long long sum = 0;
  const auto members = h.find("members");
  if (members == h.end() || !members->is_array()) return 0;
  for (const auto& m : *members) {
    if (!m.is_object()) continue;
    const auto income = m.find("income");
    if (income == m.end() || !income->is_object()) continue;
    for (const char* k : {"salary_revenue", "public_pension_revenue", "business_income", "real_estate_income",
                          "miscellaneous_income", "dividend_income", "occasional_income"})
      if (auto v = income->find(k); v != income->end() && v->is_number_integer()) sum += v->get<long long>();
  }
  return sum;
}

}  // namespace

const std::vector<IncomeBand>& income_bands() {
  static const std::vector<IncomeBand> kBands = {
      {"0", "0円", 1},
      {"1 – 999,999", "1〜99万円", 1'000'000},
      {"1,000,000 – 1,999,999", "100〜199万円", 2'000'000},
      {"2,000,000 – 3,999,999", "200〜399万円", 4'000'000},
      {"4,000,000 – 6,999,999", "400〜699万円", 7'000'000},
      {"7,000,000 and over", "700万円以上", 0},
  };
  return kBands;
}

int band_of(long long income) {
  const auto& bands = income_bands();
  for (std::size_t i = 0; i + 1 < bands.size(); ++i)
    if (income < bands[i].upper) return static_cast<int>(i);
  return static_cast<int>(bands.size() - 1);
}

Population Population::read(std::istream& in) {
  Population p;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    PopulationRecord r;
    r.line = n;
    // Parsed once here for the id and the band; evaluation reads the text again.
    const json h = json::parse(line, nullptr, false);
    if (h.is_object()) {
      r.band = band_of(declared_income(h));
      if (auto y = h.find("fiscal_year"); y != h.end() && y->is_number_integer()) r.fiscal_year = y->get<int>();
      if (auto id = h.find("household_id"); id != h.end() && id->is_string()) r.id = id->get<std::string>();
    }
    r.text = std::move(line);
    if (!r.id.empty()) p.by_id_.emplace(r.id, p.records_.size());
    p.records_.push_back(std::move(r));
  }
  return p;
}

Population Population::read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return read(in);
}

long Population::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? -1 : static_cast<long>(it->second);
}

std::vector<std::size_t> Population::search(std::string_view text, std::size_t limit) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < records_.size() && out.size() < limit; ++i)
    if (!records_[i].id.empty() && records_[i].id.find(text) != std::string::npos) out.push_back(i);
  return out;
}

int Population::first_fiscal_year() const {
  for (const auto& r : records_)
    if (r.fiscal_year) return r.fiscal_year;
  return 0;
}

}  // namespace shiki::analysis
