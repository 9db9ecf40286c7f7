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

template <typename Row>
struct Report {
  std::vector<Row> rows;  ///< one per group in the order of their values, then the total row (group "total")
  Problems problems;
};

/// The days a period report covers, both included. Its answer is as of the session's day: whatever is recorded
/// for a later date is left out. A case's worker, program and risk on a day are those its history gives for the
/// end of that day, so a past period is attributed as it stood then.
struct Period {
  Date from;
  Date to;
};

/// One group's line in `report caseload`.
struct CaseloadRow {
  std::string group;
  int open_at_start = 0;  ///< open at the end of the day before the period
  int intakes = 0;
  int reopenings = 0;
  int closures = 0;
  int open_at_end = 0;
  int served = 0;  ///< distinct cases open at any time in the period, in the group of their last open day in it
};
/// `by`: worker, program or risk.
Report<CaseloadRow> caseload(const Session& session, const std::string& by, Period period);

/// One group's line in `report closures`: the episodes that ended in the period and how long they lasted.
struct ClosuresRow {
  std::string group;
  int closures = 0;
  std::optional<double> mean_days;
  std::optional<double> median_days;
};
/// `by`: reason, program or worker.
Report<ClosuresRow> closures(const Session& session, const std::string& by, Period period);

/// One group's line in `report goals`.
struct GoalsRow {
  std::string group;
  int created = 0;
  int met = 0;
  int partly_met = 0;
  int not_met = 0;
  int dropped = 0;
  int active = 0;                   ///< still active at the end of the period, in cases open then
  std::optional<double> met_rate;  ///< met / (met + partly met + not met), in percent
};
/// `by`: program or worker.
Report<GoalsRow> goals(const Session& session, const std::string& by, Period period);

/// One group's line in `report referrals`: the referrals sent in the period and where each stands.
struct ReferralsRow {
  std::string group;
  int sent = 0;
  int accepted = 0;
  int completed = 0;
  int declined = 0;
  int no_response = 0;
  int no_answer = 0;
  int closed_loop = 0;
  std::optional<double> closed_loop_rate;
  std::optional<double> median_days_to_answer;
};
/// `by`: provider or program.
Report<ReferralsRow> referrals(const Session& session, const std::string& by, Period period);

/// One group's line in `report compliance`: the deadlines that fell in the period and how they were met.
struct ComplianceRow {
  std::string group;
  int due = 0;
  int on_time = 0;
  int late = 0;
  std::optional<double> mean_days_late;
  int missing = 0;
  std::optional<double> on_time_rate;
};
/// `kind`: one kind of due item, or "" for all; `by`: kind or worker.
Report<ComplianceRow> compliance(const Session& session, const std::string& kind, const std::string& by,
                                 Period period);

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
/// `by`: worker, program or type.
Report<ContactsRow> contacts(const Session& session, const std::string& by, Period period);

/// One domain (or the total) in `report outcomes`: first versus latest score in the period of each client with
/// two or more. A client improved when the change in the better direction is at least `threshold`, got worse
/// when it is at least that in the other direction, else is unchanged.
struct OutcomeRow {
  std::string domain;
  int clients = 0;
  double mean_first = 0;
  double mean_latest = 0;
  double mean_change = 0;
  int improved = 0;
  int unchanged = 0;
  int worse = 0;
  int threshold = 1;
};
struct OutcomesQuery {
  std::string instrument;
  std::string program;  ///< only cases in this program on the date of their latest score in the period
  std::optional<int> threshold;  ///< else the instrument's meaningful change for the total, 1 for items
};
struct Outcomes {
  std::string instrument;
  bool lower_is_better = false;
  std::vector<OutcomeRow> rows;  ///< domains nobody has two scores for are left out
  Problems problems;
};
Outcomes outcomes(const Session& session, const OutcomesQuery& query, Period period);

}  // namespace casectl::services
