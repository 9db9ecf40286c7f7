#include "casectl/model/due.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/text.hpp"

namespace casectl {
namespace {

/// The reason, the level the value came from, and the note of the rule that set that value (and no other).
std::string with_policy(std::string reason, const Rule& rule, const std::string& field) {
  const Policy policy = rule.policy(field);
  reason += fmt::format(" [{}]", policy.origin.empty() ? "casectl.yaml rules" : policy.origin);
  if (!policy.note.empty()) {
    reason += " — " + policy.note;
  }
  return reason;
}

std::string opening_words(const Case& c) { return c.episode_start() == c.opened ? "opening" : "reopening"; }

/// Whether a contact counts as contact with the client under `rule` (its `types`, else every client contact).
bool counts_as_contact(const Contact& contact, const Rule& rule) {
  if (contact.kind() == ContactKind::addendum) {
    return false;
  }
  if (!rule.types.empty()) {
    return std::find(rule.types.begin(), rule.types.end(), contact.type) != rule.types.end();
  }
  return contact.kind() == ContactKind::client;
}

/// The latest contact of this episode that counts under `rule`.
const Contact* last_counting_contact(const CaseFile& file, const Rule& rule) {
  const Date start = file.face.episode_start();
  const Contact* last = nullptr;
  for (const auto& contact : file.contacts) {  // oldest first
    if (contact.at.date >= start && counts_as_contact(contact, rule)) {
      last = &contact;
    }
  }
  return last;
}

/// The latest review of this episode: a review before a reopening does not count.
const Review* last_review_of_episode(const CaseFile& file) {
  const Review* last = file.last_review();
  return last && last->date >= file.face.episode_start() ? last : nullptr;
}

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
  const Review* last_review = last_review_of_episode(file);
  if (const Review* last = last_review; last && rule.every) {
    out.add("review", rule.every->after(last->date),
            with_policy(fmt::format("review every {} after the last review on {}", rule.every->str(),
                                    last->date.iso()),
                        rule, "every"));
  } else if (!last_review && (rule.first || rule.every)) {
    const Interval first = rule.first ? *rule.first : *rule.every;
    const Date start = file.face.episode_start();
    out.add("review", first.after(start),
            with_policy(fmt::format("first review {} after {} on {}", first.str(), opening_words(file.face),
                                    start.iso()),
                        rule, rule.first ? "first" : "every"));
  }
}

/// The latest assessment of the episode with `instrument` ("" for any of those not in `except`).
std::optional<Date> last_assessment(const CaseFile& file, const std::string& instrument,
                                    const std::vector<InstrumentRule>& except) {
  const Date start = file.face.episode_start();
  std::optional<Date> last;
  for (const auto& a : file.assessments) {
    const bool listed = std::any_of(except.begin(), except.end(),
                                    [&](const InstrumentRule& r) { return r.instrument == a.instrument; });
    const bool wanted = instrument.empty() ? !listed : a.instrument == instrument;
    if (wanted && a.date >= start && (!last || a.date > *last)) {
      last = a.date;
    }
  }
  return last;
}

/// Anniversaries of the episode's start, every `rule.every`, each due within `rule.window` either side: the
/// latest one whose window has opened, if no assessment in or after its window answers it; else the next one.
void anniversary_due(const CaseFile& file, const Rule& rule, const std::string& what, std::optional<Date> last,
                     const std::string& ref, Collector& out, Date today) {
  const Date start = file.face.episode_start();
  Interval back = *rule.window;
  back.count = -back.count;
  Date anniversary = rule.every->after(start);
  for (Date next = rule.every->after(anniversary); back.after(next) <= today; next = rule.every->after(next)) {
    anniversary = next;
  }
  if (last && *last >= back.after(anniversary)) {
    anniversary = rule.every->after(anniversary);  // answered: the next one is the one to come
  }
  out.add("assessment", rule.window->after(anniversary),
          with_policy(fmt::format("{} within {} of the anniversary on {} of the {} on {}", what, rule.window->str(),
                                  anniversary.iso(), opening_words(file.face), start.iso()),
                      rule, "window"),
          ref, back.after(anniversary));
}

void reassessment_due(const CaseFile& file, const Rule& rule, const std::string& instrument, std::optional<Date> last,
                      Collector& out, Date today) {
  const std::string what = instrument.empty() ? "reassessment" : "reassessment with " + instrument;
  if (rule.every && rule.window) {
    anniversary_due(file, rule, what, last, instrument, out, today);
    return;
  }
  if (!last) {
    return;  // the first assessment is the general rule's
  }
  if (rule.every) {
    out.add("assessment", rule.every->after(*last),
            with_policy(fmt::format("{} every {} after the last {}assessment on {}", what, rule.every->str(),
                                    instrument.empty() ? "" : instrument + " ", last->iso()),
                        rule, "every"),
            instrument);
  }
}

void assessment_due(const CaseFile& file, const Rules& rules, Collector& out, Date today) {
  const Rule& rule = rules.assessment;
  const Date start = file.face.episode_start();
  const bool any = std::any_of(file.assessments.begin(), file.assessments.end(),
                               [&](const Assessment& a) { return a.date >= start; });
  if (!any && rule.first) {
    out.add("assessment", rule.first->after(start),
            with_policy(fmt::format("first assessment within {} of {} on {}", rule.first->str(),
                                    start == file.face.opened ? "intake" : "reopening", start.iso()),
                        rule, "first"));
  }
  if (any || (rule.every && rule.window)) {
    reassessment_due(file, rule, "", last_assessment(file, "", rule.instruments), out, today);
  }
  for (const auto& ir : rule.instruments) {
    reassessment_due(file, ir.rule, ir.instrument, last_assessment(file, ir.instrument, {}), out, today);
  }
}

void contact_due(const CaseFile& file, const Rules& rules, Collector& out) {
  const Rule& rule = rules.contact;
  if (!rule.every) {
    return;
  }
  const std::string counted = rule.types.empty() ? "attempts, collateral contacts and addenda do not count"
                                                 : "counting " + join(rule.types, ", ");
  if (const Contact* last = last_counting_contact(file, rule)) {
    out.add("contact", rule.every->after(last->at.date),
            with_policy(fmt::format("a contact at least every {}; last contact on {} ({})", rule.every->str(),
                                    last->at.date.iso(), counted),
                        rule, "every"));
  } else {
    const Date start = file.face.episode_start();
    out.add("contact", rule.every->after(start),
            with_policy(fmt::format("a contact at least every {}; no contact since {} on {} ({})", rule.every->str(),
                                    opening_words(file.face), start.iso(), counted),
                        rule, "every"));
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

void follow_ups_due(const CaseFile& file, const Rules& rules, Collector& out) {
  const Contact* last_made = last_counting_contact(file, rules.contact);
  const Date start = file.face.episode_start();
  for (const auto& contact : file.contacts) {
    if (!contact.follow_up || contact.at.date < start) {
      continue;
    }
    // A contact with the client after the note that set the follow-up answers it.
    const bool answered = last_made && std::pair(last_made->at.date, last_made->at.minutes) >
                                           std::pair(contact.at.date, contact.at.minutes);
    if (!answered) {
      out.add("follow-up", *contact.follow_up,
              fmt::format("follow-up set on contact {} of {}; no contact with the client since", contact.id,
                          contact.at.date.iso()),
              contact.id);
    }
  }
}

/// A referral's loop closes with an answer (accepted) or a final status (declined, completed); until then it is
/// due at its follow-up date: the latest one set (on the referral or a later update), else the agency's default.
void referrals_due(const CaseFile& file, const Rules& rules, Collector& out) {
  for (const auto& referral : file.referrals) {
    const ReferralStatus status = file.referral_status(referral.id);
    if (closes_loop(status)) {
      continue;
    }
    std::optional<Date> follow_up = referral.follow_up;
    std::string from = fmt::format("its follow-up date (set on {})", referral.date.iso());
    for (const auto& update : file.referral_updates) {
      if (update.referral == referral.id && update.follow_up) {
        follow_up = update.follow_up;
        from = fmt::format("the follow-up date set on {}", update.date.iso());
      }
    }
    if (!follow_up && rules.referral.follow_up) {
      follow_up = rules.referral.follow_up->after(referral.date);
      from = with_policy(fmt::format("the agency's follow-up of {}", rules.referral.follow_up->str()), rules.referral,
                         "follow_up");
    }
    if (!follow_up) {
      continue;
    }
    out.add("referral", *follow_up,
            fmt::format("referral {} to {} sent on {}: {} by {}", referral.id, referral.to, referral.date.iso(),
                        status == ReferralStatus::no_response ? "no response" : "no answer recorded", from),
            referral.id);
  }
}

/// An open urgent flag must be followed up by a contact with the client soon (a day unless the rules say
/// otherwise); a contact on a later day answers it. The flag itself stays until it is cleared with a reason.
void safety_due(const CaseFile& file, const Rules& rules, Collector& out) {
  const Interval within = rules.safety.follow_up.value_or(Interval{1, 'd'});
  const Contact* last = last_counting_contact(file, rules.contact);
  for (const auto& flag : file.face.flags) {
    if (!flag.open() || !flag.urgent || !flag.since) {
      continue;
    }
    if (last && last->at.date > *flag.since) {
      continue;
    }
    out.add("safety", within.after(*flag.since),
            fmt::format("urgent flag {}raised on {}: follow up with the client within {}",
                        flag.id.empty() ? "" : flag.id + " ", flag.since->iso(), within.str()),
            flag.id);
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
            with_policy(fmt::format("consent to share with {} expires on {}; renew it or record that it ended",
                                    consent.party, consent.expires->iso()),
                        rules.consent, "warn"),
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
  for (const auto& contact : contacts) {  // oldest first
    if (contact.kind() == ContactKind::client) {
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
  const Rules rules = config.effective_rules(file.face.program, file.face.risk, *file.face.rules);
  Collector out(file, today);
  review_due(file, rules, out);
  assessment_due(file, rules, out, today);
  contact_due(file, rules, out);
  goals_due(file, out);
  follow_ups_due(file, rules, out);
  referrals_due(file, rules, out);
  consents_due(file, rules, out);
  safety_due(file, rules, out);
  return out.items;
}

void sort_due_items(std::vector<DueItem>& items) {
  std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    return std::tie(b.days_overdue, a.kind, a.case_id, a.ref) < std::tie(a.days_overdue, b.kind, b.case_id, b.ref);
  });
}

}  // namespace casectl
