// `report compliance`: the deadlines that fell in a period and how each was met, computed from the record by
// replaying each case on the days its record changed, exactly as `casectl due` would have listed them then.
#include <algorithm>
#include <map>
#include <set>

#include "casectl/model/due.hpp"
#include "casectl/services/reports.hpp"
#include "casectl/storage/store.hpp"
#include "services/report_rows.hpp"

namespace casectl::services {
namespace {

/// The days on which the record of a case changed, each with the day before (when the item it answered was
/// last listed), from the opening to `last`.
std::vector<Date> replay_days(const CaseFile& file, Date last) {
  std::set<Date> days{last};
  auto add = [&](std::optional<Date> day) {
    if (day && *day <= last) {
      days.insert(*day);
      days.insert(day->plus_days(-1));
    }
  };
  add(file.face.opened);
  for (const auto& e : file.face.history) {
    add(e.date);
  }
  for (const auto& consent : file.face.consents) {
    add(consent.signed_on);
    add(consent.revoked);
  }
  for (const auto& flag : file.face.flags) {
    add(flag.since);
    add(flag.cleared);
  }
  for (const auto& c : file.contacts) {
    add(c.at.date);
  }
  for (const auto& a : file.assessments) {
    add(a.date);
  }
  for (const auto& r : file.reviews) {
    add(r.date);
  }
  for (const auto& r : file.referrals) {
    add(r.date);
  }
  for (const auto& u : file.referral_updates) {
    add(u.date);
  }
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      add(goal.created);
      for (const auto& p : goal.progress) {
        add(p.date);
      }
    }
  }
  std::vector<Date> out;
  std::copy_if(days.begin(), days.end(), std::back_inserter(out), [&](Date d) { return d >= file.face.opened; });
  return out;
}

/// Whether a record dated `day` answers `item`: what makes such an item go away or move to a later date.
bool answered_on(const CaseFile& file, const DueItem& item, Date day) {
  auto any = [](const auto& records, auto&& answers) {
    return std::any_of(records.begin(), records.end(), answers);
  };
  const std::string& kind = item.kind;
  if (kind == "contact" || kind == "follow-up" || kind == "safety") {
    return any(file.contacts, [&](const Contact& c) { return c.at.date == day && c.kind() == ContactKind::client; });
  }
  if (kind == "review") {
    return any(file.reviews, [&](const Review& r) { return r.date == day; });
  }
  if (kind == "assessment") {
    return any(file.assessments, [&](const Assessment& a) { return a.date == day; });
  }
  if (kind == "referral") {
    return any(file.referral_updates,
               [&](const ReferralUpdate& u) { return u.date == day && u.referral == item.ref; });
  }
  if (kind == "consent") {
    return any(file.face.consents, [&](const Consent& c) { return c.signed_on == day || c.revoked == day; });
  }
  if (kind == "goal" && file.plan) {
    return any(file.plan->goals, [&](const Goal& g) {
      return g.id == item.ref && any(g.progress, [&](const Progress& p) { return p.date == day && p.status; });
    });
  }
  return false;
}

/// Whether the case was closed on a day from `first` to `last`.
bool closed_between(const Case& face, Date first, Date last) {
  return std::any_of(face.history.begin(), face.history.end(), [&](const CaseEvent& e) {
    return e.event == "closed" && e.date >= first && e.date <= last;
  });
}

enum class Outcome { on_time, late, missing, not_counted };

struct Tally {
  std::map<std::string, std::vector<int>> days_late;
  Rows<ComplianceRow> rows;

  void add(const std::string& group, Outcome outcome, int late_by) {
    if (outcome == Outcome::not_counted) {
      return;
    }
    ComplianceRow& row = rows.at(group);
    ++row.due;
    if (outcome == Outcome::on_time) {
      ++row.on_time;
    } else if (outcome == Outcome::late) {
      ++row.late;
      days_late[group].push_back(late_by);
      days_late[k_total].push_back(late_by);
    } else {
      ++row.missing;
    }
  }
};

/// Replays one case and tallies each deadline of `kind` ("" for all) that falls in the period.
void replay_case(const CaseFile& file, const Config& config, const std::string& kind, const std::string& by,
                 Period period, Date as_of_day, Tally& tally) {
  std::map<std::string, DueItem> pending;  // kind and ref -> the deadline listed
  auto settle = [&](const DueItem& item, Outcome outcome, int late_by) {
    if (item.due < period.from || item.due > period.to || item.due > as_of_day) {
      return;
    }
    const std::string group =
        by == "kind" ? item.kind : group_on(file.face, Assignment::worker, item.due);
    tally.add(group, outcome, late_by);
  };
  for (const Date day : replay_days(file, as_of_day)) {
    std::map<std::string, DueItem> listed;
    for (auto& item : due_items(as_of(file, day), config, day)) {
      if (kind.empty() || item.kind == kind) {
        listed.emplace(item.kind + "\n" + item.ref, std::move(item));
      }
    }
    for (auto it = pending.begin(); it != pending.end();) {
      const DueItem& was = it->second;
      const auto now = listed.find(it->first);
      if (now != listed.end() && now->second.due == was.due) {
        ++it;
        continue;  // still the same deadline
      }
      if (answered_on(file, was, day)) {
        // Answered in time, but the case closed by the due date: it never fell due (like one ended by a closure).
        const bool fell_due = day > was.due || !closed_between(file.face, day, was.due);
        settle(was, day > was.due ? Outcome::late : fell_due ? Outcome::on_time : Outcome::not_counted,
               was.due.days_until(day));
      } else {  // ended by a closure or replaced by another deadline: it counts only if it had passed
        settle(was, day > was.due ? Outcome::missing : Outcome::not_counted, 0);
      }
      it = pending.erase(it);
    }
    for (auto& [key, item] : listed) {
      pending.emplace(key, item);  // a new deadline (an unchanged one is already there)
    }
  }
  for (const auto& [key, item] : pending) {
    settle(item, Outcome::missing, 0);  // not answered by the day the report is as of
  }
}

/// Whether a case was open at any time from `from` to `last`: a case closed before the period has no deadline
/// in it (a deadline counts only when the case is open at the end of its due date).
bool open_during(const Case& face, Date from, Date last) {
  if (face.open_at_end_of(from.plus_days(-1)) || face.opened >= from) {
    return true;
  }
  return std::any_of(face.history.begin(), face.history.end(),
                     [&](const CaseEvent& e) { return e.event == "reopened" && e.date >= from && e.date <= last; });
}

}  // namespace

Report<ComplianceRow> compliance(const Session& session, const std::string& kind, const std::string& by,
                                 Period period) {
  Tally tally;
  Report<ComplianceRow> report;
  report.problems = session.store->for_each_case([&](storage::CaseView& view) {
    if (view.face().opened > session.today || view.face().opened > period.to ||
        !open_during(view.face(), period.from, std::min(period.to, session.today))) {
      return;
    }
    replay_case(view.facts(), session.config(), kind, by, period, session.today, tally);
  });
  report.rows = tally.rows.with_total([](ComplianceRow& total, const ComplianceRow& row) {
    total.due += row.due;
    total.on_time += row.on_time;
    total.late += row.late;
    total.missing += row.missing;
  });
  for (auto& row : report.rows) {
    row.mean_days_late = mean(tally.days_late[row.group]);
    row.on_time_rate = percent(row.on_time, row.due);
  }
  return report;
}

}  // namespace casectl::services
