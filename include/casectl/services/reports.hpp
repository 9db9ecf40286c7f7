#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/due.hpp"
#include "casectl/model/error.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

// Every report reads the cases one at a time, keeping only what it counts. A case that cannot be read is left
// out and named in the report's `problems`, which the command line prints and turns into its exit code: a broken
// repository never looks like "nothing due".

struct DueQuery {
  std::optional<Interval> within;  ///< default: casectl.yaml's due_soon
  std::string worker;
  std::string program;
  bool overdue_only = false;
  bool with_names = false;  ///< fill `names` (for a calendar the user asked to carry names)
};
struct DueReport {
  std::vector<DueItem> items;  ///< overdue first (most overdue first), then due soon
  std::vector<std::pair<std::string, std::string>> names;  ///< case ID and client name, with `with_names`
  Problems problems;
};
/// Everything due across the open cases.
DueReport due(const Session& session, const DueQuery& query);

/// One group's line in `report caseload`.
struct CaseloadRow {
  std::string group;
  int open = 0;    ///< open on the last day of the period
  int opened = 0;  ///< opened (or reopened) during the period
  int closed = 0;  ///< closed during the period
};
template <typename Row>
struct Report {
  std::vector<Row> rows;
  Problems problems;
};
Report<CaseloadRow> caseload(const Session& session, const std::string& by, Date from, Date to);

/// One group's line in `report contacts`: units of service. Client contacts, collateral contacts (with someone
/// else about the client) and attempts (nobody reached) are counted apart; addenda (corrections of notes) are
/// counted but are not units of service. The last row, group "total", adds them up, with unduplicated clients.
struct ContactsRow {
  std::string group;
  int contacts = 0;  ///< with the client
  int contact_minutes = 0;
  int collateral = 0;
  int collateral_minutes = 0;
  int attempts = 0;
  int addenda = 0;
  int clients = 0;  ///< distinct cases with a client contact
};
Report<ContactsRow> contacts(const Session& session, const std::string& by, Date from, Date to);

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
  Problems problems;
};
/// The first and the latest score of each client within [from, to] (every assessment up to today when no period
/// is given); domains no client has two scores for are left out.
Outcomes outcomes(const Session& session, const std::string& instrument, const std::string& program,
                  std::optional<Date> from = {}, std::optional<Date> to = {});

}  // namespace casectl::services
