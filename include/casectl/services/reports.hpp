#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/due.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

/// The cases of a repository, read for a report. A broken case is listed in `problems` and left out; a report
/// must show both, so that a broken repository never looks like "nothing due".
struct Scan {
  std::vector<CaseFile> cases;
  std::vector<Diagnostic> problems;
};
enum class Which { open, all };
Scan scan_cases(const Session& session, Which which);

struct DueQuery {
  std::optional<Interval> within;  ///< default: casectl.yaml's due_soon
  std::string worker;
  std::string program;
  bool overdue_only = false;
};
/// Everything due across the caseload: overdue first (most overdue first), then due soon.
std::vector<DueItem> due(const Scan& scan, const Session& session, const DueQuery& query);

/// One group's line in `report caseload`.
struct CaseloadRow {
  std::string group;
  int open = 0;    ///< open on the last day of the period
  int opened = 0;  ///< opened (or reopened) during the period
  int closed = 0;  ///< closed during the period
};
std::vector<CaseloadRow> caseload(const Scan& scan, const std::string& by, Date from, Date to);

/// One group's line in `report contacts`: units of service.
struct ContactsRow {
  std::string group;
  int contacts = 0;  ///< made
  int attempts = 0;
  int minutes = 0;   ///< of contacts made
  int clients = 0;   ///< distinct cases with a contact made
};
std::vector<ContactsRow> contacts(const Scan& scan, const std::string& by, Date from, Date to);

/// One domain (or the total) in `report outcomes`: first versus latest score of each client with two or more
/// assessments with the instrument.
struct OutcomeRow {
  std::string domain;
  int clients = 0;
  double mean_first = 0;
  double mean_latest = 0;
  double mean_change = 0;
  int improved = 0;
  int unchanged = 0;
  int worse = 0;
};
struct Outcomes {
  std::string instrument;
  bool lower_is_better = false;
  std::vector<OutcomeRow> rows;
};
Outcomes outcomes(const Scan& scan, const Session& session, const std::string& instrument, const std::string& program);

}  // namespace casectl::services
