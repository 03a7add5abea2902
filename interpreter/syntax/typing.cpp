// What staff type that the language does not read: full-width digits and
// punctuation (２７，０００, ％, （), the yen sign, thousands commas, 円 apart
// from its number, 和暦 and slashed dates. The parser would say only "syntax
// error" (or, for ２７０００円, read a name), so the text is scanned first and
// each is reported with its cause and the half-width form as a fix-it.
#include "typing.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "../source/utf8.h"
namespace shiki::syntax {

namespace {

using diag::Code;

std::string encode(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// Full-width ASCII (U+FF01–U+FF5E) to its half-width form.
char32_t half(char32_t c) { return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c; }
bool digit(char32_t c) { return half(c) >= U'0' && half(c) <= U'9'; }
bool full_digit(char32_t c) { return c >= U'０' && c <= U'９'; }
bool comma(char32_t c) { return c == U',' || c == U'，' || c == U'、'; }
bool space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }
std::optional<std::string> symbol(char32_t c);

// A character of a name: a letter, a digit or `_` (roughly what IDENT takes;
// CJK punctuation and the full-width symbols are not).
bool name_char(char32_t c) {
  if (c == U'_' || (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return true;
  return c > 0x3040 && !symbol(c);
}

// The half-width symbol a full-width or typographic one stands for.
std::optional<std::string> symbol(char32_t c) {
  switch (c) {
    case U'×': return "*";
    case U'÷': return "/";
    case U'−': return "-";
    case U'≦': case U'≤': return "<=";
    case U'≧': case U'≥': return ">=";
    case U'≠': return "!=";
    case U'“': case U'”': return "\"";
    default: break;
  }
  // Only the symbols of the language: a full-width ＠ is no typing slip
  // of something shiki reads (the parser reports it). Full-width digits are
  // reported as numbers where a number starts (第１期 is a name).
  static const std::u32string_view kLanguage = U"%()+-*/=<>,.:[]{}_\"!";
  if (c >= 0xFF01 && c <= 0xFF5E && kLanguage.find(half(c)) != std::u32string_view::npos)
    return std::string(1, static_cast<char>(half(c)));
  return std::nullopt;
}

// Digits with `_` every three places: 27000 -> 27_000. Four digits or fewer
// stay as they are: 2026 is a year more often than an amount.
std::string grouped(const std::string& digits) {
  auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot), out;
  if (whole.size() <= 4) return digits;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '_';
    out += whole[i];
  }
  return dot == std::string::npos ? out : out + digits.substr(dot);
}

struct Finding {
  Code code;
  std::size_t at, length;  // code points within the line
  std::string shown, replacement, note;
};

class LineScan {
 public:
  explicit LineScan(std::u32string line) : l_(std::move(line)) {}

  // The number written from `i` (half- or full-width digits, commas, `_`,
  // one decimal point); its end in `end` and its plain digits.
  std::string number(std::size_t i, std::size_t& end) const {
    std::string out;
    for (end = i; end < l_.size(); ++end) {
      char32_t c = half(l_[end]);
      if (digit(c)) out += static_cast<char>(c);
      else if (c == U'.' && end + 1 < l_.size() && digit(l_[end + 1])) out += '.';
      else if (!(comma(l_[end]) && end + 1 < l_.size() && digit(l_[end + 1])) && c != U'_') break;
    }
    return out;
  }
  std::optional<int> integer(std::size_t& i) const {
    std::size_t end;
    std::string n = number(i, end);
    if (n.empty() || n.find('.') != std::string::npos || n.size() > 4) return std::nullopt;
    i = end;
    return std::stoi(n);
  }
  bool at(std::size_t i, std::u32string_view w) const { return l_.compare(i, w.size(), w) == 0; }

  std::optional<Finding> era_date(std::size_t i) const;
  std::optional<Finding> slashed_date(std::size_t i) const;
  std::optional<Finding> money(std::size_t i) const;
  std::optional<Finding> full_width(std::size_t i) const;
  std::optional<Finding> next(std::size_t& i) const;

  std::u32string l_;
};

std::string iso(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// 令和8年4月1日, 平成31年4月1日, 令和元年5月1日.
std::optional<Finding> LineScan::era_date(std::size_t i) const {
  static const std::pair<std::u32string_view, int> kEras[] = {{U"令和", 2018}, {U"平成", 1988}, {U"昭和", 1925}};
  for (auto [era, base] : kEras) {
    if (!at(i, era)) continue;
    std::size_t k = i + era.size();
    std::optional<int> y = at(k, U"元") ? std::optional<int>(1) : integer(k);
    if (at(k, U"元")) ++k;
    if (!y || !at(k, U"年")) return std::nullopt;
    std::size_t mk = k + 1;
    auto m = integer(mk);
    if (!m || !at(mk, U"月")) return std::nullopt;
    std::size_t dk = mk + 1;
    auto d = integer(dk);
    if (!d || !at(dk, U"日")) return std::nullopt;
    std::string fix = iso(base + *y, *m, *d);
    return Finding{Code::E0005, i, dk + 1 - i, encode(l_.substr(i, dk + 1 - i)), fix,
                   "和暦は西暦の日付にします"};
  }
  return std::nullopt;
}

// 2026/4/1 reads as a division.
std::optional<Finding> LineScan::slashed_date(std::size_t i) const {
  std::size_t k = i;
  auto y = integer(k);
  if (!y || k - i != 4 || k >= l_.size() || half(l_[k]) != U'/') return std::nullopt;
  ++k;
  auto m = integer(k);
  if (!m || k >= l_.size() || half(l_[k]) != U'/') return std::nullopt;
  ++k;
  auto d = integer(k);
  if (!d) return std::nullopt;
  return Finding{Code::E0005, i, k - i, encode(l_.substr(i, k - i)), iso(*y, *m, *d),
                 "2026/4/1 は割り算と読めます。日付は年-月-日で、月と日は2桁で書きます"};
}

// ¥27,000 / 27,000円 / 27000 円.
std::optional<Finding> LineScan::money(std::size_t i) const {
  bool yen_sign = l_[i] == U'¥' || l_[i] == U'￥' || l_[i] == U'\\';
  std::size_t from = yen_sign ? i + 1 : i;
  while (yen_sign && from < l_.size() && space(l_[from])) ++from;
  if (from >= l_.size() || !digit(l_[from])) return std::nullopt;
  std::size_t end;
  std::string n = number(from, end);
  bool commas = false, full = false;
  for (std::size_t k = from; k < end; ++k) {
    commas = commas || comma(l_[k]);
    full = full || l_[k] != half(l_[k]);
  }
  std::size_t after = end;
  while (after < l_.size() && space(l_[after])) ++after;
  bool yen_after = after < l_.size() && l_[after] == U'円' && (after + 1 >= l_.size() || !name_char(l_[after + 1]));
  std::size_t stop = yen_after ? after + 1 : end;
  std::string fix = grouped(n) + (yen_sign || yen_after ? "円" : "");
  std::string note = yen_sign ? "金額は数のあとに 円 を付けて書きます（¥ は使いません）"
                   : commas  ? "桁の区切りは , ではなく _ で書きます（, は引数の区切りです）"
                             : "円 は数のすぐあとに続けて書きます";
  if (full) return std::nullopt;  // full_width() reports it, with the same fix
  if (yen_sign || (commas && (yen_after || after != end)) || (yen_after && after != end))
    return Finding{Code::E0004, i, stop - i, encode(l_.substr(i, stop - i)), fix, note};
  return std::nullopt;
}

// ２７，０００ / ％ / （.
std::optional<Finding> LineScan::full_width(std::size_t i) const {
  if (full_digit(l_[i])) {
    std::size_t end;
    std::string n = number(i, end);
    // ２０２６－０４－０１ or ２０２６-04-01: a date, written half-width as it is.
    if (end < l_.size() && half(l_[end]) == U'-' && end + 1 < l_.size() && digit(l_[end + 1])) {
      std::size_t stop = end;
      while (stop < l_.size() && (digit(l_[stop]) || half(l_[stop]) == U'-')) ++stop;
      std::string fix;
      for (std::size_t k = i; k < stop; ++k) fix += static_cast<char>(half(l_[k]));
      return Finding{Code::E0003, i, stop - i, encode(l_.substr(i, stop - i)), fix, "日付は半角で書きます"};
    }
    std::size_t stop = end;
    std::string unit;
    if (end < l_.size() && (l_[end] == U'円' || l_[end] == U'％' || l_[end] == U'%')) {
      unit = l_[end] == U'円' ? "円" : "%";
      ++stop;
    }
    if (end < l_.size() && l_[end] == U'円' && stop < l_.size() && name_char(l_[stop])) return std::nullopt;
    return Finding{Code::E0003, i, stop - i, encode(l_.substr(i, stop - i)), grouped(n) + unit,
                   "数は半角で書きます。桁の区切りは _ です"};
  }
  if (auto s = symbol(l_[i]))
    return Finding{Code::E0003, i, 1, encode(l_.substr(i, 1)), *s, "記号は半角で書きます"};
  return std::nullopt;
}

// The next finding at or after `i` outside strings and comments, or none.
std::optional<Finding> LineScan::next(std::size_t& i) const {
  for (; i < l_.size(); ++i) {
    char32_t c = l_[i];
    if (c == U'#') break;
    if (c == U'"') {
      for (++i; i < l_.size() && l_[i] != U'"'; ++i)
        if (l_[i] == U'\\') ++i;
      continue;
    }
    bool token_start = i == 0 || !name_char(l_[i - 1]);
    if (!token_start && !symbol(c)) continue;
    for (auto f : {era_date(i), digit(c) ? slashed_date(i) : std::nullopt, money(i), full_width(i)})
      if (f) return f;
  }
  return std::nullopt;
}

}  // namespace

int report_typing(const source::SourceFile& file, diag::Sink& sink) {
  int found = 0;
  int lines = 1 + static_cast<int>(std::count(file.text().begin(), file.text().end(), '\n'));
  for (int n = 1; n <= lines; ++n) {
    std::string_view text = file.line(n);
    LineScan scan(source::decode_utf8(text));
    for (std::size_t i = 0; auto f = scan.next(i); i = f->at + f->length) {
      source::Location loc{&file, n, static_cast<int>(f->at) + 1, static_cast<int>(f->length)};
      diag::Diagnostic d{f->code, loc, {f->shown}, {{{}, f->note}}};
      d.fixits.push_back({loc, f->replacement});
      sink.report(std::move(d));
      ++found;
    }
  }
  return found;
}

}  // namespace shiki::syntax
