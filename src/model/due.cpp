#include "casectl/model/due.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace casectl {
namespace {

std::string with_policy(std::string reason, const Rule& rule) {
  reason += fmt::format(" [{}]", rule.origin.empty() ? "casectl.yaml rules" : rule.origin);
  if (!rule.note.empty()) {
    reason += " — " + rule.note;
  }
  return reason;
}

/// Where the case's current episode began: its opening, or its latest reopening.
Date episode_start(const Case& c) {
  Date start = c.opened;
  for (const auto& e : c.history) {
    if (e.event == "reopened" && e.date > start) {
      start = e.date;
    }
  }
  return start;
}

std::string opening_words(const Case& c) { return episode_start(c) == c.opened ? "opening" : "reopening"; }

class Collector {
 public:
  Collector(const CaseFile& file, Date today) : m_file(file), m_today(today) {}

  void add(const std::string& kind, Date due, std::string reason, std::string ref = {},
           std::optional<Date> visible_from = {}) {
    DueItem item;
    item.case_id = m_file.face.id;
    item.kind = kind;
    item.due = due;
    item.days_overdue = due.days_until(m_today);
    item.worker = m_file.face.worker;
    item.program = m_file.face.program;
    item.reason = std::move(reason);
    item.ref = std::move(ref);
    item.visible_from = visible_from.value_or(due);
    items.push_back(std::move(item));
  }

  std::vector<DueItem> items;

 private:
  const CaseFile& m_file;
  Date m_today;
};

void review_due(const CaseFile& file, const Rules& rules, Collector& out) {
  if (file.face.review_on) {
    out.add("review", *file.face.review_on,
            fmt::format("review set for {} on this case (casectl review --on)", file.face.review_on->iso()));
    return;
  }
  const Rule& rule = rules.review;
  if (const Review* last = file.last_review(); last && rule.every) {
    out.add("review", rule.every->after(last->date),
            with_policy(fmt::format("review every {} after the last review on {}", rule.every->str(),
                                    last->date.iso()),
                        rule));
  } else if (!file.last_review() && (rule.first || rule.every)) {
    const Interval first = rule.first ? *rule.first : *rule.every;
    const Date start = episode_start(file.face);
    out.add("review", first.after(start),
            with_policy(fmt::format("first review {} after {} on {}", first.str(), opening_words(file.face),
                                    start.iso()),
                        rule));
  }
}

void assessment_due(const CaseFile& file, const Rules& rules, Collector& out) {
  const Rule& rule = rules.assessment;
  if (file.assessments.empty()) {
    if (rule.first) {
      const Date start = episode_start(file.face);
      out.add("assessment", rule.first->after(start),
              with_policy(fmt::format("first assessment within {} of {} on {}", rule.first->str(),
                                      start == file.face.opened ? "intake" : "reopening", start.iso()),
                          rule));
    }
    return;
  }
  if (rule.every) {
    const Date last = std::max_element(file.assessments.begin(), file.assessments.end(),
                                       [](const auto& a, const auto& b) { return a.date < b.date; })
                          ->date;
    out.add("assessment", rule.every->after(last),
            with_policy(fmt::format("reassessment every {} after the last assessment on {}", rule.every->str(),
                                    last.iso()),
                        rule));
  }
}

void contact_due(const CaseFile& file, const Rules& rules, Collector& out) {
  const Rule& rule = rules.contact;
  if (!rule.every) {
    return;
  }
  if (const Contact* last = file.last_contact_made()) {
    out.add("contact", rule.every->after(last->at.date),
            with_policy(fmt::format("a contact at least every {}; last contact made on {} (attempts do not count)",
                                    rule.every->str(), last->at.date.iso()),
                        rule));
  } else {
    const Date start = episode_start(file.face);
    out.add("contact", rule.every->after(start),
            with_policy(fmt::format("a contact at least every {}; no contact made since {} on {}",
                                    rule.every->str(), opening_words(file.face), start.iso()),
                        rule));
  }
}

void goals_due(const CaseFile& file, Collector& out) {
  if (!file.plan) {
    return;
  }
  for (const auto& goal : file.plan->goals) {
    if (goal.status == GoalStatus::active && goal.target) {
      out.add("goal", *goal.target,
              fmt::format("goal {} is still active at its target date {}", goal.id, goal.target->iso()), goal.id);
    }
  }
}

void follow_ups_due(const CaseFile& file, Collector& out) {
  const Contact* last_made = file.last_contact_made();
  for (const auto& contact : file.contacts) {
    if (!contact.follow_up) {
      continue;
    }
    // A contact made after the note that set the follow-up answers it.
    const bool answered = last_made && std::pair(last_made->at.date, last_made->at.minutes) >
                                           std::pair(contact.at.date, contact.at.minutes);
    if (!answered) {
      out.add("follow-up", *contact.follow_up,
              fmt::format("follow-up set on contact {} of {}; no contact made since", contact.id,
                          contact.at.date.iso()),
              contact.id);
    }
  }
}

void referrals_due(const CaseFile& file, Collector& out) {
  for (const auto& referral : file.referrals) {
    if (referral.follow_up && file.referral_status(referral.id) == ReferralStatus::sent) {
      out.add("referral", *referral.follow_up,
              fmt::format("referral {} sent on {} has no answer recorded by its follow-up date", referral.id,
                          referral.date.iso()),
              referral.id);
    }
  }
}

void consents_due(const CaseFile& file, const Rules& rules, Collector& out) {
  // Without a warning window in the rules, an expiry shows up like any other due date.
  const Interval warn = rules.consent.warn.value_or(Interval{0, 'd'});
  for (size_t i = 0; i < file.face.consents.size(); ++i) {
    const Consent& consent = file.face.consents[i];
    if (consent.revoked || !consent.expires) {
      continue;
    }
    // A consent renewed later for the same party replaces this one.
    const bool renewed = std::any_of(file.face.consents.begin() + static_cast<long>(i) + 1, file.face.consents.end(),
                                     [&](const Consent& later) { return later.party == consent.party; });
    if (renewed) {
      continue;
    }
    Interval back = warn;
    back.count = -back.count;
    out.add("consent", *consent.expires,
            with_policy(fmt::format("consent {} expires on {}; renew it or record that it ended", i + 1,
                                    consent.expires->iso()),
                        rules.consent),
            std::to_string(i + 1), back.after(*consent.expires));
  }
}

}  // namespace

ReferralStatus CaseFile::referral_status(const std::string& referral_id) const {
  ReferralStatus status = ReferralStatus::sent;
  for (const auto& update : referral_updates) {  // oldest first: the last one wins
    if (update.referral == referral_id) {
      status = update.status;
    }
  }
  return status;
}

const Contact* CaseFile::last_contact_made() const {
  const Contact* last = nullptr;
  for (const auto& contact : contacts) {
    if (!contact.is_attempt() &&
        (!last || std::pair(contact.at.date, contact.at.minutes) >= std::pair(last->at.date, last->at.minutes))) {
      last = &contact;
    }
  }
  return last;
}

const Review* CaseFile::last_review() const {
  const Review* last = nullptr;
  for (const auto& review : reviews) {
    if (!last || review.date >= last->date) {
      last = &review;
    }
  }
  return last;
}

std::vector<DueItem> due_items(const CaseFile& file, const Config& config, Date today) {
  if (!file.face.is_open()) {
    return {};
  }
  const Rules rules = config.effective_rules(file.face.program, file.face.risk, file.face.rules);
  Collector out(file, today);
  review_due(file, rules, out);
  assessment_due(file, rules, out);
  contact_due(file, rules, out);
  goals_due(file, out);
  follow_ups_due(file, out);
  referrals_due(file, out);
  consents_due(file, rules, out);
  return out.items;
}

void sort_due_items(std::vector<DueItem>& items) {
  std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    return std::tie(b.days_overdue, a.kind, a.case_id, a.ref) < std::tie(a.days_overdue, b.kind, b.case_id, b.ref);
  });
}

}  // namespace casectl
