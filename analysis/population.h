// A population of households held in memory as their JSON Lines text, with
// what the reports need of each (its id, its income band) read once, so that
// a comparison can be run again and again without reading the file again.
#pragma once
#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shiki::analysis {

// The bands of the reports, by the household's declared gross income (the
// revenues and incomes the record carries, as the ledger gives them).
struct IncomeBand {
  const char* key;       // as `shiki diff` prints it: "1 – 999,999"
  const char* label_ja;  // as the studio shows it: "1〜99万円"
  long long upper;       // exclusive; the last band has none
};
const std::vector<IncomeBand>& income_bands();
int band_of(long long declared_income);

struct PopulationRecord {
  std::string id;    // household_id as given; "" when the line has none
  std::string text;  // the line itself, evaluated as it is
  int line = 0;      // 1-based line of the file
  int band = -1;     // index into income_bands(); -1 when the line is not a household object
  int fiscal_year = 0;
};

class Population {
 public:
  // Reads JSON Lines; blank lines are skipped (but counted for line numbers).
  static Population read(std::istream& in);
  // Throws std::runtime_error when the file cannot be read.
  static Population read_file(const std::filesystem::path& file);

  const std::vector<PopulationRecord>& records() const { return records_; }
  std::size_t size() const { return records_.size(); }
  // The index of the household with this id, or -1.
  long find(std::string_view id) const;
  // Indices of households whose id contains `text`, at most `limit`, in file order.
  std::vector<std::size_t> search(std::string_view text, std::size_t limit) const;
  // The fiscal year of the first household (the year a population file is for).
  int first_fiscal_year() const;

 private:
  std::vector<PopulationRecord> records_;
  std::unordered_map<std::string, std::size_t> by_id_;
};

}  // namespace shiki::analysis
