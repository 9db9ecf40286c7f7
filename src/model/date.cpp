#include "casectl/model/date.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>
#include <fmt/format.h>

#include "casectl/model/text.hpp"

namespace casectl {
namespace {

// Days from civil and back: Howard Hinnant's algorithms for the proleptic Gregorian calendar.
int days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int year, month, day;
};

Civil civil_from_days(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<int> parse_digits(std::string_view text) {
  if (text.empty() || text.size() > 9) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

constexpr std::array<std::string_view, 7> k_weekdays = {"monday", "tuesday", "wednesday", "thursday",
                                                        "friday", "saturday", "sunday"};

std::optional<int> weekday_from_name(std::string_view name) {
  if (name.size() < 3) {
    return std::nullopt;
  }
  for (size_t i = 0; i < k_weekdays.size(); ++i) {
    if (k_weekdays[i].substr(0, name.size()) == name) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : k_days[static_cast<size_t>(month - 1)];
}

bool Date::is_valid(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

Date Date::from_ymd(int year, int month, int day) { return from_days(days_from_civil(year, month, day)); }

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  auto y = parse_digits(text.substr(0, 4));
  auto m = parse_digits(text.substr(5, 2));
  auto d = parse_digits(text.substr(8, 2));
  if (!y || !m || !d || !is_valid(*y, *m, *d)) {
    return std::nullopt;
  }
  return from_ymd(*y, *m, *d);
}

int Date::year() const { return civil_from_days(m_days).year; }
int Date::month() const { return civil_from_days(m_days).month; }
int Date::day() const { return civil_from_days(m_days).day; }
int Date::weekday() const { return ((m_days % 7) + 7 + 3) % 7; }  // 1970-01-01 was a Thursday

std::string Date::iso() const {
  const Civil c = civil_from_days(m_days);
  if (c.year < 0 || c.year > 9999) {
    return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
  }
  // By hand: every report and export writes thousands of dates.
  char text[10];
  const auto digits = [&](int at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      text[at + i] = static_cast<char>('0' + value % 10);
    }
  };
  digits(0, c.year, 4);
  text[4] = '-';
  digits(5, c.month, 2);
  text[7] = '-';
  digits(8, c.day, 2);
  return std::string(text, sizeof text);
}

const char* Date::weekday_name() const {
  static constexpr const char* names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return names[weekday()];
}

Date Date::plus_months(int n) const {
  const Civil c = civil_from_days(m_days);
  const int index = c.year * 12 + (c.month - 1) + n;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;  // floor division: months before year 0 too
  const int month = index - year * 12 + 1;
  return from_ymd(year, month, std::min(c.day, days_in_month(year, month)));
}

std::optional<Interval> Interval::parse(std::string_view text) {
  if (text.size() < 2) {
    return std::nullopt;
  }
  const char unit = text.back();
  if (unit != 'd' && unit != 'w' && unit != 'm' && unit != 'y') {
    return std::nullopt;
  }
  auto count = parse_digits(text.substr(0, text.size() - 1));
  // At most a century either way, so that every date reached stays within the years files can hold.
  const int limit = unit == 'd' ? 36500 : unit == 'w' ? 5200 : unit == 'm' ? 1200 : 100;
  if (!count || *count > limit) {
    return std::nullopt;
  }
  return Interval{*count, unit};
}

std::string Interval::str() const { return fmt::format("{}{}", count, unit); }

Date Interval::after(Date from) const {
  switch (unit) {
    case 'w':
      return from.plus_days(7 * count);
    case 'm':
      return from.plus_months(count);
    case 'y':
      return from.plus_months(12 * count);
    default:
      return from.plus_days(count);
  }
}

namespace {
std::optional<Date> resolve_expression(const std::string& text, Date today);
}  // namespace

std::optional<Date> parse_date_expression(std::string_view raw, Date today) {
  auto date = resolve_expression(to_lower(trim(raw)), today);
  if (date && (date->year() < 1 || date->year() > 9999)) {
    return std::nullopt;  // files hold four-digit years only
  }
  return date;
}

namespace {
std::optional<Date> resolve_expression(const std::string& text, Date today) {
  if (auto iso = Date::parse_iso(text)) {
    return iso;
  }
  if (text == "today") {
    return today;
  }
  if (text == "yesterday") {
    return today.plus_days(-1);
  }
  if (text == "tomorrow") {
    return today.plus_days(1);
  }
  if (text == "eow") {  // weeks end on Sunday (ISO 8601 weeks start on Monday)
    return today.plus_days(6 - today.weekday());
  }
  if (text == "eom") {
    return Date::from_ymd(today.year(), today.month(), days_in_month(today.year(), today.month()));
  }
  if (text == "eoq") {
    const int last_month = ((today.month() - 1) / 3) * 3 + 3;
    return Date::from_ymd(today.year(), last_month, days_in_month(today.year(), last_month));
  }
  if (auto weekday = weekday_from_name(text)) {
    int ahead = (*weekday - today.weekday() + 7) % 7;
    return today.plus_days(ahead == 0 ? 7 : ahead);
  }
  if (!text.empty() && (text[0] == '+' || text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
    const bool back = text[0] == '-';
    const std::string_view body = (text[0] == '+' || back) ? std::string_view(text).substr(1) : text;
    if (auto interval = Interval::parse(body)) {
      Interval signed_interval = *interval;
      if (back) {
        signed_interval.count = -signed_interval.count;
      }
      return signed_interval.after(today);
    }
  }
  return std::nullopt;
}
}  // namespace

std::optional<DateTime> DateTime::parse_iso(std::string_view text, std::optional<int> default_offset) {
  // YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]; a space may stand for the T.
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
    return std::nullopt;
  }
  auto date = Date::parse_iso(text.substr(0, 10));
  auto hour = parse_digits(text.substr(11, 2));
  auto minute = parse_digits(text.substr(14, 2));
  if (!date || !hour || !minute || *hour > 23 || *minute > 59) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(16);
  if (rest.size() >= 3 && rest[0] == ':') {
    auto second = parse_digits(rest.substr(1, 2));
    if (!second || *second > 59) {
      return std::nullopt;
    }
    rest = rest.substr(3);
  }
  DateTime result{*date, *hour * 60 + *minute, 0};
  if (rest == "Z") {
    return result;
  }
  if (rest.empty()) {
    if (!default_offset) {
      return std::nullopt;
    }
    result.offset_minutes = *default_offset;
    return result;
  }
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') {
    return std::nullopt;
  }
  auto off_h = parse_digits(rest.substr(1, 2));
  auto off_m = parse_digits(rest.substr(4, 2));
  if (!off_h || !off_m || *off_h > 14 || *off_m > 59) {
    return std::nullopt;
  }
  result.offset_minutes = (rest[0] == '-' ? -1 : 1) * (*off_h * 60 + *off_m);
  return result;
}

std::string DateTime::iso() const {
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{}T{:02}:{:02}{}{:02}:{:02}", date.iso(), minutes / 60, minutes % 60,
                     offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

}  // namespace casectl

namespace casectl {
namespace {

/// The month a name or its three-letter abbreviation means (any case): 1-12, or 0.
int month_named(std::string_view word) {
  static const char* const names[] = {"january", "february", "march",     "april",   "may",      "june",
                                      "july",    "august",   "september", "october", "november", "december"};
  std::string lower;
  for (char c : word) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!lower.empty() && lower.back() == '.') {
    lower.pop_back();  // "Mar."
  }
  for (int m = 0; m < 12; ++m) {
    const std::string_view name = names[m];
    if (lower == name || (lower.size() == 3 && name.substr(0, 3) == lower) || (lower == "sept" && m == 8)) {
      return m + 1;
    }
  }
  return 0;
}

/// A whole number of 1 to 4 digits, else -1.
int small_number(std::string_view digits) {
  if (digits.empty() || digits.size() > 4) {
    return -1;
  }
  int n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return -1;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

std::optional<Date> valid(int year, int month, int day) {
  if (year < 1000 || !Date::is_valid(year, month, day)) {
    return std::nullopt;
  }
  return Date::from_ymd(year, month, day);
}

/// The parts of `text` split at any of the separators, empty parts dropped.
std::vector<std::string_view> parts_of(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || separators.find(text[i]) != std::string_view::npos) {
      if (i > start) {
        parts.push_back(text.substr(start, i - start));
      }
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

SpreadsheetDate parse_spreadsheet_date(std::string_view text, DayMonthOrder order) {
  if (auto iso = Date::parse_iso(text)) {
    return {iso, false};
  }
  const auto numeric = parts_of(text, "/-.");
  if (numeric.size() == 3 && text.find(' ') == std::string_view::npos) {
    const int a = small_number(numeric[0]), b = small_number(numeric[1]), c = small_number(numeric[2]);
    if (a < 0 || b < 0 || c < 0) {
      return {};
    }
    if (numeric[0].size() == 4) {
      return {valid(a, b, c), false};  // 1980/03/15
    }
    if (numeric[2].size() != 4) {
      return {};  // a two-digit year: which century?
    }
    const bool could_be_month_first = valid(c, a, b).has_value();
    const bool could_be_day_first = valid(c, b, a).has_value();
    if (could_be_month_first && could_be_day_first && a != b) {
      if (order == DayMonthOrder::unknown) {
        return {std::nullopt, true};
      }
      return {order == DayMonthOrder::month_first ? valid(c, a, b) : valid(c, b, a), false};
    }
    return {could_be_month_first ? valid(c, a, b) : valid(c, b, a), false};
  }
  const auto words = parts_of(text, " ,");
  if (words.size() == 3) {
    if (const int month = month_named(words[1])) {  // 15 Mar 1980
      const int day = small_number(words[0]), year = small_number(words[2]);
      return {words[2].size() == 4 && day > 0 ? valid(year, month, day) : std::nullopt, false};
    }
    if (const int month = month_named(words[0])) {  // Mar 15, 1980
      const int day = small_number(words[1]), year = small_number(words[2]);
      return {words[2].size() == 4 && day > 0 ? valid(year, month, day) : std::nullopt, false};
    }
  }
  return {};
}

}  // namespace casectl
