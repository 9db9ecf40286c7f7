#pragma once
// What the period reports share: rows per group with a total row, the group a case was in on a day, and the
// few statistics a funder asks for.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/error.hpp"

namespace casectl::services {

inline const std::string k_total = "total";

inline std::string or_none(const std::string& value) { return value.empty() ? "(none)" : value; }

/// "worker", "program" or "risk" as the assignment it names.
inline Assignment assignment_named(const std::string& by) {
  if (by == "worker") {
    return Assignment::worker;
  }
  if (by == "program") {
    return Assignment::program;
  }
  if (by == "risk") {
    return Assignment::risk;
  }
  throw Error(ErrorKind::internal, "no such grouping: " + by);
}

/// The group the case was in at the end of `day`.
inline std::string group_on(const Case& c, Assignment what, Date day) { return or_none(assigned_on(c, what, day)); }

/// Rows keyed by group, in the order of the group values, ending with the total row.
template <typename Row>
class Rows {
 public:
  Row& at(const std::string& group) {
    Row& row = m_rows[group];
    row.group = group;
    return row;
  }
  /// The rows, then the total: `add(total, row)` adds each row's counts into it.
  template <typename Add>
  std::vector<Row> with_total(Add add) const {
    std::vector<Row> rows;
    Row total{};
    total.group = k_total;
    for (const auto& [group, row] : m_rows) {
      rows.push_back(row);
      add(total, row);
    }
    rows.push_back(total);
    return rows;
  }

 private:
  std::map<std::string, Row> m_rows;
};

inline std::optional<double> mean(const std::vector<int>& values) {
  if (values.empty()) {
    return std::nullopt;
  }
  double sum = 0;
  for (int v : values) {
    sum += v;
  }
  return sum / static_cast<double>(values.size());
}

/// The middle value; of an even count, the mean of the two middle ones.
inline std::optional<double> median(std::vector<int> values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

inline std::optional<double> percent(int part, int whole) {
  return whole == 0 ? std::nullopt : std::optional<double>(100.0 * part / whole);
}

}  // namespace casectl::services
