#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace casectl {

/// A calendar day (proleptic Gregorian), stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static Date from_days(int days) { Date d; d.m_days = days; return d; }
  /// `year`-`month`-`day`, which the caller has checked with `is_valid`.
  static Date from_ymd(int year, int month, int day);
  static bool is_valid(int year, int month, int day);
  /// Strict ISO 8601 `YYYY-MM-DD`; impossible days such as 2026-02-30 give nothing.
  static std::optional<Date> parse_iso(std::string_view text);

  int days() const { return m_days; }
  int year() const;
  int month() const;
  int day() const;
  /// 0 = Monday … 6 = Sunday.
  int weekday() const;
  /// "Monday" … "Sunday".
  const char* weekday_name() const;
  std::string iso() const;

  Date plus_days(int n) const { return from_days(m_days + n); }
  /// Adds months, clamping to the end of a shorter month (Jan 31 + 1m = Feb 28/29).
  Date plus_months(int n) const;
  int days_until(Date later) const { return later.m_days - m_days; }

  auto operator<=>(const Date&) const = default;
  bool operator==(const Date&) const = default;

 private:
  int m_days = 0;
};

int days_in_month(int year, int month);

/// A length of time as written in files and rules: `30d`, `6w`, `3m`, `1y`.
struct Interval {
  int count = 0;
  char unit = 'd';  ///< d, w, m or y

  static std::optional<Interval> parse(std::string_view text);
  std::string str() const;
  /// `from` moved forward (or back, for a negative count) by this interval.
  Date after(Date from) const;
  bool operator==(const Interval&) const = default;
};

/// Resolves a date expression of the command line against `today`: ISO dates, today, yesterday, tomorrow,
/// weekday names (the next occurrence, never today), +3d / -2w / 1m / 1y, eow, eom, eoq.
std::optional<Date> parse_date_expression(std::string_view text, Date today);

/// How a spreadsheet orders the day and the month in dates such as 2/3/1999.
enum class DayMonthOrder { unknown, month_first, day_first };

/// A date as spreadsheets write it: ISO `1980-03-15` (or `1980/03/15`), `3/15/1980`, `15.3.1980`, `15-3-1980`,
/// `15 Mar 1980`, `15 March 1980`, `Mar 15, 1980`. A numeric date whose day and month could be swapped (2/3/1999)
/// is `ambiguous` unless `order` says which comes first; two-digit years are refused (which century?).
struct SpreadsheetDate {
  std::optional<Date> date;
  bool ambiguous = false;
};
SpreadsheetDate parse_spreadsheet_date(std::string_view text, DayMonthOrder order);

/// A moment as recorded on a contact: local date and time with the UTC offset in force.
struct DateTime {
  Date date;
  int minutes = 0;         ///< minutes since local midnight
  int offset_minutes = 0;  ///< local time minus UTC

  /// `YYYY-MM-DDTHH:MM±HH:MM` (also accepts `Z`, a space for the `T`, and seconds, which it drops).
  /// Without an offset in `text`, `default_offset` is used; with neither, the text is refused.
  static std::optional<DateTime> parse_iso(std::string_view text, std::optional<int> default_offset = {});
  std::string iso() const;
  /// Minutes since 1970-01-01T00:00Z: the instant, whatever the offset it was written with.
  long long utc_minutes() const { return static_cast<long long>(date.days()) * 1440 + minutes - offset_minutes; }
  auto operator<=>(const DateTime&) const = default;
  bool operator==(const DateTime&) const = default;
};

}  // namespace casectl
