#include <algorithm>

#include "casectl/model/case_file.hpp"

namespace casectl {
namespace {

template <typename Records, typename DateOf>
void drop_after(Records& records, Date day, DateOf date_of) {
  records.erase(std::remove_if(records.begin(), records.end(), [&](const auto& r) { return date_of(r) > day; }),
                records.end());
}

/// Status, closure, worker, program and risk as the history had them on `day` (the history is oldest first).
void replay_history(Case& c, Date day) {
  for (Assignment what : {Assignment::worker, Assignment::program, Assignment::risk}) {
    c.assigned(what) = assigned_on(c, what, day);
  }
  drop_after(c.history, day, [](const CaseEvent& e) { return e.date; });
  c.status = CaseStatus::open;
  c.closed.reset();
  c.closure_reason.clear();
  for (const auto& e : c.history) {
    if (e.event == "closed") {
      c.status = CaseStatus::closed;
      c.closed = e.date;
      c.closure_reason = e.reason;
    } else if (e.event == "reopened") {
      c.status = CaseStatus::open;
      c.closed.reset();
      c.closure_reason.clear();
    }
  }
}

void replay_plan(Plan& plan, Date day) {
  drop_after(plan.goals, day, [](const Goal& g) { return g.created.value_or(Date{}); });
  for (auto& goal : plan.goals) {
    const bool later_change = std::any_of(goal.progress.begin(), goal.progress.end(),
                                          [&](const Progress& p) { return p.date > day && p.status; });
    drop_after(goal.progress, day, [](const Progress& p) { return p.date; });
    if (!later_change) {
      continue;  // the status it has now is the one it had then
    }
    goal.status = GoalStatus::active;
    for (const auto& p : goal.progress) {
      if (p.status) {
        goal.status = *p.status;
      }
    }
  }
}

}  // namespace

std::string assigned_on(const Case& face, Assignment what, Date day) {
  std::string value = face.assigned(what);
  const std::string event = assignment_event(what);
  for (auto it = face.history.rbegin(); it != face.history.rend(); ++it) {  // newest first, as they were made
    if (it->date > day && it->event == event) {
      value = it->from;  // undo a later change
    }
  }
  return value;
}

Case as_of(Case face, Date day) {
  replay_history(face, day);
  drop_after(face.consents, day, [](const Consent& c) { return c.signed_on.value_or(Date{}); });
  for (auto& consent : face.consents) {
    if (consent.revoked && *consent.revoked > day) {
      consent.revoked.reset();
    }
  }
  drop_after(face.flags, day, [](const Flag& f) { return f.since.value_or(Date{}); });
  for (auto& flag : face.flags) {
    if (flag.cleared && *flag.cleared > day) {
      flag.cleared.reset();  // still raised on that day
      flag.cleared_reason.clear();
    }
  }
  if (face.review_on && face.closed && *face.closed <= day) {
    face.review_on.reset();
  }
  return face;
}

CaseFile as_of(CaseFile file, Date day) {
  file.face = as_of(std::move(file.face), day);
  if (file.plan) {
    replay_plan(*file.plan, day);
  }
  drop_after(file.contacts, day, [](const Contact& c) { return c.at.date; });
  drop_after(file.assessments, day, [](const Assessment& a) { return a.date; });
  drop_after(file.reviews, day, [](const Review& r) { return r.date; });
  drop_after(file.referrals, day, [](const Referral& r) { return r.date; });
  drop_after(file.referral_updates, day, [](const ReferralUpdate& u) { return u.date; });
  return file;
}

}  // namespace casectl
