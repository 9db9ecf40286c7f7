// The reports a supervisor and a funder sign for a period: caseload, closures, units of service, goals and
// referrals. Each reads the cases one at a time as of the session's day and attributes every event to the worker,
// program or risk the case had on the day of the event.
#include <algorithm>
#include <map>
#include <set>

#include "casectl/services/reports.hpp"
#include "casectl/storage/store.hpp"
#include "services/report_rows.hpp"

namespace casectl::services {
namespace {

/// The day the episode that ends with the closure on `closed` began: the opening or the latest reopening before.
Date episode_start_before(const Case& c, Date closed) {
  Date start = c.opened;
  for (const auto& e : c.history) {
    if (e.event == "reopened" && e.date <= closed && e.date > start) {
      start = e.date;
    }
  }
  return start;
}

/// Each case as of the session's day, skipping those not yet opened then.
template <typename Visit>
Problems each_case_as_of(const Session& session, Visit visit) {
  return session.store->for_each_case([&](storage::CaseView& view) {
    if (view.face().opened <= session.today) {
      visit(view);
    }
  });
}

}  // namespace

Report<CaseloadRow> caseload(const Session& session, const std::string& by, Period period) {
  const Assignment what = assignment_named(by);
  Rows<CaseloadRow> rows;
  std::set<std::string> served;
  Report<CaseloadRow> report;
  report.problems = each_case_as_of(session, [&](storage::CaseView& view) {
    const Case c = as_of(view.face(), session.today);
    const Date before = period.from.plus_days(-1);
    const bool open_at_start = c.open_at_end_of(before);
    bool seen = open_at_start;
    std::optional<Date> last_closed;
    if (open_at_start) {
      rows.at(group_on(c, what, before)).open_at_start++;
    }
    if (c.opened >= period.from && c.opened <= period.to) {
      rows.at(group_on(c, what, c.opened)).intakes++;
      seen = true;
    }
    for (const auto& e : c.history) {
      if (e.date < period.from || e.date > period.to) {
        continue;
      }
      if (e.event == "reopened") {
        rows.at(group_on(c, what, e.date)).reopenings++;
        seen = true;
      } else if (e.event == "closed") {
        rows.at(group_on(c, what, e.date)).closures++;
        last_closed = std::max(last_closed.value_or(e.date), e.date);
      }
    }
    const bool open_at_end = c.open_at_end_of(period.to);
    if (open_at_end) {
      rows.at(group_on(c, what, period.to)).open_at_end++;
    }
    if (seen) {
      const Date last_open = open_at_end ? period.to : last_closed.value_or(period.to);
      rows.at(group_on(c, what, last_open)).served++;
      served.insert(c.id);
    }
  });
  report.rows = rows.with_total([&](CaseloadRow& total, const CaseloadRow& row) {
    total.open_at_start += row.open_at_start;
    total.intakes += row.intakes;
    total.reopenings += row.reopenings;
    total.closures += row.closures;
    total.open_at_end += row.open_at_end;
  });
  report.rows.back().served = static_cast<int>(served.size());
  return report;
}

Report<ClosuresRow> closures(const Session& session, const std::string& by, Period period) {
  std::map<std::string, std::vector<int>> stays;
  std::vector<int> all;
  Report<ClosuresRow> report;
  report.problems = each_case_as_of(session, [&](storage::CaseView& view) {
    const Case c = as_of(view.face(), session.today);
    for (const auto& e : c.history) {
      if (e.event != "closed" || e.date < period.from || e.date > period.to) {
        continue;
      }
      const std::string group = by == "reason" ? or_none(e.reason) : group_on(c, assignment_named(by), e.date);
      const int days = episode_start_before(c, e.date).days_until(e.date);
      stays[group].push_back(days);
      all.push_back(days);
    }
  });
  auto row_of = [](const std::string& group, std::vector<int> days) {
    return ClosuresRow{group, static_cast<int>(days.size()), mean(days), median(std::move(days))};
  };
  for (auto& [group, days] : stays) {
    report.rows.push_back(row_of(group, days));
  }
  report.rows.push_back(row_of(k_total, all));
  return report;
}

Report<ContactsRow> contacts(const Session& session, const std::string& by, Period period) {
  Rows<ContactsRow> rows;
  std::map<std::string, std::set<std::string>> clients;
  std::set<std::string> all_clients;
  Report<ContactsRow> report;
  report.problems = each_case_as_of(session, [&](storage::CaseView& view) {
    const CaseFile file = as_of(view.facts(), session.today);
    for (const auto& contact : file.contacts) {
      if (contact.at.date < period.from || contact.at.date > period.to) {
        continue;
      }
      // A unit of service belongs to the program and worker the case had on the day it was given.
      const std::string group = by == "type" ? (contact.kind() == ContactKind::addendum ? "addendum" : contact.type)
                                             : group_on(file.face, assignment_named(by), contact.at.date);
      ContactsRow& row = rows.at(group);
      const int minutes = contact.minutes.value_or(0);
      switch (contact.kind()) {
        case ContactKind::client:
          ++row.contacts;
          row.contact_minutes += minutes;
          clients[group].insert(file.face.id);
          all_clients.insert(file.face.id);
          break;
        case ContactKind::collateral:
          ++row.collateral;
          row.collateral_minutes += minutes;
          break;
        case ContactKind::attempt:
          ++row.attempts;
          break;
        case ContactKind::addendum:
          ++row.addenda;
          break;
      }
    }
  });
  for (auto& [group, ids] : clients) {
    rows.at(group).clients = static_cast<int>(ids.size());
  }
  report.rows = rows.with_total([](ContactsRow& total, const ContactsRow& row) {
    total.contacts += row.contacts;
    total.contact_minutes += row.contact_minutes;
    total.collateral += row.collateral;
    total.collateral_minutes += row.collateral_minutes;
    total.attempts += row.attempts;
    total.addenda += row.addenda;
  });
  report.rows.back().clients = static_cast<int>(all_clients.size());
  return report;
}

Report<GoalsRow> goals(const Session& session, const std::string& by, Period period) {
  const Assignment what = assignment_named(by);
  Rows<GoalsRow> rows;
  Report<GoalsRow> report;
  report.problems = each_case_as_of(session, [&](storage::CaseView& view) {
    const CaseFile file = as_of(view.facts(), session.today);
    if (!file.plan) {
      return;
    }
    const Case& c = file.face;
    for (const auto& goal : file.plan->goals) {
      if (goal.created && *goal.created >= period.from && *goal.created <= period.to) {
        rows.at(group_on(c, what, *goal.created)).created++;
      }
      const Progress* last_change = nullptr;  // the goal's last status change in the period
      GoalStatus status_at_end = GoalStatus::active;
      for (const auto& p : goal.progress) {
        if (!p.status || p.date > period.to) {
          continue;
        }
        status_at_end = *p.status;
        if (p.date >= period.from) {
          last_change = &p;
        }
      }
      if (last_change) {
        GoalsRow& row = rows.at(group_on(c, what, last_change->date));
        switch (*last_change->status) {
          case GoalStatus::met:
            ++row.met;
            break;
          case GoalStatus::partly_met:
            ++row.partly_met;
            break;
          case GoalStatus::not_met:
            ++row.not_met;
            break;
          case GoalStatus::dropped:
            ++row.dropped;
            break;
          case GoalStatus::active:
            break;  // set back to active: no outcome
        }
      }
      const bool exists_at_end = !goal.created || *goal.created <= period.to;
      if (exists_at_end && status_at_end == GoalStatus::active && c.open_at_end_of(period.to)) {
        rows.at(group_on(c, what, period.to)).active++;
      }
    }
  });
  report.rows = rows.with_total([](GoalsRow& total, const GoalsRow& row) {
    total.created += row.created;
    total.met += row.met;
    total.partly_met += row.partly_met;
    total.not_met += row.not_met;
    total.dropped += row.dropped;
    total.active += row.active;
  });
  for (auto& row : report.rows) {
    row.met_rate = percent(row.met, row.met + row.partly_met + row.not_met);
  }
  return report;
}

Report<ReferralsRow> referrals(const Session& session, const std::string& by, Period period) {
  Rows<ReferralsRow> rows;
  std::map<std::string, std::vector<int>> days_to_answer;
  std::vector<int> all_days;
  Report<ReferralsRow> report;
  report.problems = each_case_as_of(session, [&](storage::CaseView& view) {
    const CaseFile file = as_of(view.facts(), session.today);
    for (const auto& referral : file.referrals) {
      if (referral.date < period.from || referral.date > period.to) {
        continue;
      }
      const std::string group =
          by == "provider" ? or_none(referral.to) : group_on(file.face, Assignment::program, referral.date);
      ReferralsRow& row = rows.at(group);
      ++row.sent;
      ReferralStatus latest = ReferralStatus::sent;
      std::optional<Date> answered;  // the first answer that closed the loop
      for (const auto& update : file.referral_updates) {  // oldest first
        if (update.referral == referral.id) {
          latest = update.status;
          if (!answered && closes_loop(update.status)) {
            answered = update.date;
          }
        }
      }
      if (answered && closes_loop(latest)) {
        days_to_answer[group].push_back(referral.date.days_until(*answered));
        all_days.push_back(referral.date.days_until(*answered));
      }
      switch (latest) {
        case ReferralStatus::accepted:
          ++row.accepted;
          break;
        case ReferralStatus::completed:
          ++row.completed;
          break;
        case ReferralStatus::declined:
          ++row.declined;
          break;
        case ReferralStatus::no_response:
          ++row.no_response;
          break;
        case ReferralStatus::sent:
          ++row.no_answer;
          break;
      }
    }
  });
  report.rows = rows.with_total([](ReferralsRow& total, const ReferralsRow& row) {
    total.sent += row.sent;
    total.accepted += row.accepted;
    total.completed += row.completed;
    total.declined += row.declined;
    total.no_response += row.no_response;
    total.no_answer += row.no_answer;
  });
  for (auto& row : report.rows) {
    row.closed_loop = row.accepted + row.completed + row.declined;
    row.closed_loop_rate = percent(row.closed_loop, row.sent);
    row.median_days_to_answer = median(row.group == k_total ? all_days : days_to_answer[row.group]);
  }
  return report;
}

}  // namespace casectl::services
