#include "casectl/services/process.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/store.hpp"
#include "casectl/storage/file_io.hpp"
#include "services/flags.hpp"
#include "services/validate.hpp"

namespace casectl::services {
namespace {

/// The face sheet of a case that may still be worked on.
Case open_case(const Session& session, const std::string& case_id) {
  Case c = session.store->load_case(case_id);
  if (!c.is_open()) {
    throw Error(ErrorKind::data,
                fmt::format("{} is closed; only show, timeline and reopen work on a closed case", case_id));
  }
  return c;
}

Date not_in_future(const Session& session, std::optional<Date> date, const char* what) {
  const Date d = date.value_or(session.today);
  if (d > session.today) {
    throw Error(ErrorKind::data, fmt::format("{}: the date is in the future", what));
  }
  return d;
}

/// The one record whose ID starts with `prefix`.
template <typename Records>
const auto& find_record(const Records& records, const std::string& prefix, const char* what,
                        const std::string& case_id) {
  const auto* found = static_cast<decltype(&records.front())>(nullptr);
  int matches = 0;
  for (const auto& record : records) {
    if (!prefix.empty() && starts_with(record.id, prefix)) {
      found = &record;
      ++matches;
    }
  }
  if (matches == 0) {
    throw Error(ErrorKind::not_found, fmt::format("{} has no {} '{}'", case_id, what, prefix));
  }
  if (matches > 1) {
    throw Error(ErrorKind::usage, fmt::format("'{}' matches {} {}s of {}; give more of the ID", prefix, matches,
                                              what, case_id));
  }
  return *found;
}

bool same_party(const std::string& a, const std::string& b) { return fold_name(a) == fold_name(b); }

}  // namespace

std::string add_goal(const Session& session, const std::string& case_id, const GoalRequest& request) {
  auto tx = session.store->begin();
  open_case(session, case_id);
  Plan plan = session.store->load_plan(case_id).value_or(Plan{1, case_id, {}, {}});
  Goal goal;
  goal.id = storage::Transaction::new_goal_id(plan);
  goal.goal = checked_text(trim(request.goal), "goal", true);
  if (goal.goal.empty()) {
    throw Error(ErrorKind::usage, "the goal must not be empty (write it in the client's words)");
  }
  goal.domain = checked_text(request.domain, "--domain");
  goal.created = session.today;
  goal.target = request.target;
  goal.responsible = checked_text(request.responsible, "--responsible");
  for (const auto& step : request.steps) {
    goal.steps.push_back(checked_text(trim(step), "--step"));
  }
  plan.goals.push_back(goal);
  tx.save_plan(plan);
  tx.commit();
  return goal.id;
}

void update_goal(const Session& session, const std::string& case_id, const std::string& goal_id,
                 const GoalUpdate& update) {
  if (!update.status && update.progress.empty() && !update.target) {
    throw Error(ErrorKind::usage, "nothing to update: give --status, --progress or --target");
  }
  auto tx = session.store->begin();
  const Case c = open_case(session, case_id);
  auto plan = session.store->load_plan(case_id);
  Goal* goal = plan ? plan->find(goal_id) : nullptr;
  if (!goal) {
    throw Error(ErrorKind::not_found, fmt::format("{} has no goal '{}' (see 'casectl plan {}')", case_id, goal_id,
                                                  case_id));
  }
  if (update.target) {
    goal->target = update.target;
  }
  if (update.status || !update.progress.empty()) {
    Progress entry;
    entry.date = not_in_future(session, update.date, "--date");
    entry.note = checked_text(trim(update.progress), "--progress", true);
    if (update.status && *update.status != goal->status) {
      entry.status = update.status;
      goal->status = *update.status;
    }
    entry.worker = author(session);
    if (!entry.note.empty() || entry.status) {
      goal->progress.push_back(entry);
    }
  }
  tx.save_plan(*plan);
  tx.commit();
}

std::string log_contact(const Session& session, const std::string& case_id, const ContactRequest& request) {
  const Config& config = session.config();
  const bool addendum = !request.amends.empty();
  if (addendum && !request.type.empty()) {
    throw Error(ErrorKind::usage, "--amends records an addendum, a correction of a note, not a contact: leave out "
                                  "--type");
  }
  const std::string type = addendum ? "addendum" : request.type.empty() ? "phone" : request.type;
  if (!config.knows_contact_type(type)) {
    throw Error(ErrorKind::data, fmt::format("unknown contact type '{}' (casectl.yaml knows: {})", type,
                                             join(config.contact_types, ", ")));
  }
  Contact contact;
  contact.case_id = case_id;
  contact.note = checked_text(request.note, "the note", true);
  if (trim(contact.note).empty()) {
    throw Error(ErrorKind::usage, "the note is empty; nothing written");
  }
  contact.type = type;
  for (const auto& who : request.with) {
    contact.with.push_back(checked_text(trim(who), "--with"));
  }
  contact.minutes = request.minutes;
  contact.at = request.at.value_or(session.now());
  auto utc_minutes = [](const DateTime& t) {
    return static_cast<long long>(t.date.days()) * 1440 + t.minutes - t.offset_minutes;
  };
  if (contact.at.date > session.today ||
      (session.clock_is_real && utc_minutes(contact.at) > utc_minutes(session.now()))) {
    throw Error(ErrorKind::data, "--at: the contact is in the future");
  }
  contact.follow_up = request.follow_up;
  if (contact.follow_up && *contact.follow_up < contact.at.date) {
    throw Error(ErrorKind::data, "--follow-up: the follow-up date is before the contact");
  }
  auto tx = session.store->begin();
  const Case c = open_case(session, case_id);
  if (contact.at.date < c.opened) {
    throw Error(ErrorKind::data, "--at: the contact is before the case was opened");
  }
  contact.worker = author(session);
  if (!request.amends.empty()) {
    const CaseFile file = session.store->load_case_file(case_id);
    contact.amends = find_record(file.contacts, request.amends, "contact note", case_id).id;
  }
  tx.add_contact(contact);
  tx.commit();
  return contact.id;
}

std::string refer(const Session& session, const std::string& case_id, const ReferralRequest& request) {
  Referral referral;
  referral.case_id = case_id;
  referral.to = checked_text(trim(request.to), "--to");
  if (referral.to.empty()) {
    throw Error(ErrorKind::usage, "--to: name the provider");
  }
  referral.service = checked_text(trim(request.service), "--service");
  referral.reason = checked_text(request.reason, "--reason", true);
  referral.date = not_in_future(session, request.date, "--date");
  referral.follow_up = request.follow_up;
  if (referral.follow_up && *referral.follow_up < referral.date) {
    throw Error(ErrorKind::data, "--follow-up: the follow-up date is before the referral");
  }
  referral.without_consent = checked_text(trim(request.without_consent), "--without-consent", true);
  auto tx = session.store->begin();
  const Case c = open_case(session, case_id);
  const bool consented = std::any_of(c.consents.begin(), c.consents.end(), [&](const Consent& consent) {
    return same_party(consent.party, referral.to) && consent.valid_on(referral.date);
  });
  if (!consented && referral.without_consent.empty()) {
    const bool lapsed = std::any_of(c.consents.begin(), c.consents.end(),
                                    [&](const Consent& consent) { return same_party(consent.party, referral.to); });
    throw Error(ErrorKind::permission,
                fmt::format("{} has {} consent to share information with that party; record one with 'casectl "
                            "consent', or refer anyway with --without-consent REASON (recorded); nothing written",
                            case_id, lapsed ? "no current (it expired or was revoked)" : "no"));
  }
  if (consented) {
    referral.without_consent.clear();
  }
  if (!referral.follow_up) {  // every referral closes its loop: the agency's default follow-up
    const Rules rules = session.config().effective_rules(c.program, c.risk, *c.rules);
    if (rules.referral.follow_up) {
      referral.follow_up = rules.referral.follow_up->after(referral.date);
    }
  }
  referral.worker = author(session);
  tx.add_referral(referral);
  tx.commit();
  return referral.id;
}

std::string update_referral(const Session& session, const std::string& case_id, const std::string& referral_ref,
                            ReferralStatus status, const std::string& note, std::optional<Date> follow_up) {
  if (follow_up && *follow_up < session.today) {
    throw Error(ErrorKind::data, "--follow-up: the date is in the past");
  }
  auto tx = session.store->begin();
  const Case c = open_case(session, case_id);
  const CaseFile file = session.store->load_case_file(case_id);
  const Referral& referral = find_record(file.referrals, referral_ref, "referral", case_id);
  ReferralUpdate update;
  update.referral = referral.id;
  update.case_id = case_id;
  update.date = session.today;
  update.status = status;
  for (const auto& earlier : file.referral_updates) {
    if (earlier.referral == referral.id) {
      update.sequence = std::max(update.sequence, earlier.sequence);
    }
  }
  ++update.sequence;
  update.recorded = session.now();
  update.follow_up = follow_up;
  update.worker = author(session);
  update.note = checked_text(note, "-m", true);
  tx.add_referral_update(update);
  tx.commit();
  return referral.id;
}

std::string review(const Session& session, const std::string& case_id, const ReviewRequest& request) {
  if (!request.record && !request.every && !request.on) {
    throw Error(ErrorKind::usage, "nothing to do: record a review, or give --every or --on");
  }
  if (request.every && request.every->count == 0) {
    throw Error(ErrorKind::data, "--every: the interval must be longer than 0 days");
  }
  Review review;
  review.case_id = case_id;
  review.date = not_in_future(session, request.date, "--date");
  review.outcome = request.outcome;
  review.note = checked_text(request.note, "-m", true);
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  if (request.record && review.date < c.opened) {
    throw Error(ErrorKind::data, "--date: the review is before the case was opened");
  }
  if (request.on && *request.on < c.opened) {
    throw Error(ErrorKind::data, "--on: the date is before the case was opened");
  }
  if (request.record) {
    review.worker = author(session);
    tx.add_review(review);
    c.review_on.reset();  // a one-off review date is met by this review: the review and the cleared date go together
  }
  if (request.every) {
    c.rules.edit().review.every = request.every;
  }
  if (request.on) {
    c.review_on = request.on;
  }
  if (request.every || request.on) {
    c.history.push_back(CaseEvent{session.today, "review-scheduled", {}, {}, {},
                                  request.every ? "every " + request.every->str() : "on " + request.on->iso(), {}});
  }
  tx.save_case(c);  // nothing is written when the face sheet did not change
  tx.commit();
  return request.record ? review.id : std::string();
}

void add_consent(const Session& session, const std::string& case_id, const ConsentRequest& request) {
  Consent consent;
  consent.party = checked_text(trim(request.party), "--to");
  consent.purpose = checked_text(trim(request.purpose), "--purpose");
  if (consent.party.empty() || consent.purpose.empty()) {
    throw Error(ErrorKind::usage, "a consent needs --to PARTY and --purpose PURPOSE");
  }
  consent.signed_on = not_in_future(session, request.signed_on, "--signed");
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  const Rule term = session.config().effective_rules(c.program, c.risk, *c.rules).consent;
  if (request.expires) {
    consent.expires = request.expires;
  } else if (request.expires_after) {
    consent.expires = request.expires_after->after(*consent.signed_on);
  } else if (term.term && !term.never_expires) {  // the agency's default term, from the signing date
    consent.expires = term.term->after(*consent.signed_on);
  }
  if (consent.expires && *consent.expires < *consent.signed_on) {
    throw Error(ErrorKind::data, "--expires: the consent would expire before it was signed");
  }
  if (consent.expires && *consent.expires < session.today) {
    throw Error(ErrorKind::data, fmt::format("--expires: that consent expired on {}; record a current one (a new "
                                             "signature), nothing written",
                                             consent.expires->iso()));
  }
  c.consents.push_back(consent);
  tx.save_case(c);
  tx.commit();
}

int revoke_consent(const Session& session, const std::string& case_id, const std::string& party) {
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  int revoked = 0;
  for (auto& consent : c.consents) {
    if (same_party(consent.party, party) && !consent.revoked) {
      consent.revoked = session.today;
      ++revoked;
    }
  }
  if (revoked == 0) {
    throw Error(ErrorKind::not_found, fmt::format("{} has no current consent for that party; nothing written", case_id));
  }
  tx.save_case(c);
  tx.commit();
  return revoked;
}

void transfer(const Session& session, const std::string& case_id, const std::string& to_worker) {
  if (to_worker.empty()) {
    throw Error(ErrorKind::usage, "--to: name the worker who takes the case");
  }
  require_active_worker(session.config(), to_worker);
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  if (c.worker == to_worker) {
    throw Error(ErrorKind::usage, fmt::format("{} is already assigned to {}", case_id, to_worker));
  }
  c.reassign(Assignment::worker, to_worker, session.today);
  tx.save_case(c);
  tx.commit();
}

std::string new_flag_id(const Case& c) {
  while (true) {
    std::string id = make_record_id(storage::random_bytes(k_record_id_length));
    if (std::none_of(c.flags.begin(), c.flags.end(), [&](const Flag& f) { return f.id == id; })) {
      return id;
    }
  }
}

std::string add_flag(const Session& session, const std::string& case_id, const FlagRequest& request) {
  Flag flag;
  flag.flag = checked_text(trim(request.text), "the flag");
  if (flag.flag.empty()) {
    throw Error(ErrorKind::usage, "say what the flag is, e.g. casectl flag CASE \"fall risk\"");
  }
  flag.urgent = request.urgent;
  flag.note = checked_text(request.note, "-m", true);
  flag.since = session.today;
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  flag.id = new_flag_id(c);
  c.flags.push_back(flag);
  c.history.push_back(CaseEvent{session.today, request.urgent ? "urgent-flag" : "flag", {}, {}, {}, flag.id, {}});
  tx.save_case(c);
  tx.commit();
  return flag.id;
}

void clear_flag(const Session& session, const std::string& case_id, const std::string& flag_ref,
                const std::string& reason) {
  const std::string why = checked_text(trim(reason), "-m", true);
  if (why.empty()) {
    throw Error(ErrorKind::usage, "clearing a flag needs the reason: -m REASON (it stays in the history)");
  }
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  std::vector<Flag*> open_flags;
  for (auto& flag : c.flags) {
    if (flag.open()) {
      open_flags.push_back(&flag);
    }
  }
  Flag* flag = nullptr;
  int matches = 0;
  for (Flag* f : open_flags) {
    if (!flag_ref.empty() && starts_with(f->id, flag_ref)) {
      flag = f;
      ++matches;
    }
  }
  if (matches != 1) {
    throw Error(matches == 0 ? ErrorKind::not_found : ErrorKind::usage,
                fmt::format("{} has {} open flag '{}' (see 'casectl flag {}')", case_id, matches == 0 ? "no" : "more than one",
                            flag_ref, case_id));
  }
  flag->cleared = session.today;
  flag->cleared_reason = why;
  c.history.push_back(CaseEvent{session.today, "flag-cleared", {}, {}, why, flag->id, {}});
  tx.save_case(c);
  tx.commit();
}

std::vector<std::string> active_goals(const Session& session, const std::string& case_id) {
  std::vector<std::string> ids;
  if (auto plan = session.store->load_plan(case_id)) {
    for (const auto& goal : plan->goals) {
      if (goal.status == GoalStatus::active) {
        ids.push_back(goal.id);
      }
    }
  }
  return ids;
}

void close_case(const Session& session, const std::string& case_id, const CloseRequest& request) {
  const Config& config = session.config();
  if (!config.knows_closure_reason(request.reason)) {
    throw Error(ErrorKind::data, fmt::format("unknown closure reason '{}' (casectl.yaml knows: {})", request.reason,
                                             join(config.closure_reasons, ", ")));
  }
  const std::string summary = checked_text(request.summary, "-m", true);
  auto tx = session.store->begin();
  Case c = open_case(session, case_id);
  const auto goals = active_goals(session, case_id);
  if (!goals.empty() && !request.active_goals_confirmed) {
    throw Error(ErrorKind::usage,
                fmt::format("{} has active goals ({}); update them with 'casectl plan update', or close anyway with "
                            "--force; nothing written",
                            case_id, join(goals, ", ")));
  }
  c.status = CaseStatus::closed;
  c.closed = session.today;
  c.closure_reason = request.reason;
  c.review_on.reset();
  c.history.push_back(CaseEvent{session.today, "closed", {}, {}, request.reason, summary, {}});
  tx.save_case(c);
  tx.commit();
}

void reopen_case(const Session& session, const std::string& case_id) {
  auto tx = session.store->begin();
  Case c = session.store->load_case(case_id);
  if (c.is_open()) {
    throw Error(ErrorKind::usage, fmt::format("{} is already open", case_id));
  }
  c.status = CaseStatus::open;
  c.closed.reset();
  c.closure_reason.clear();
  c.history.push_back(CaseEvent{session.today, "reopened", {}, {}, {}, {}, {}});
  tx.save_case(c);
  tx.commit();
}

std::vector<TimelineEntry> timeline(const Session& session, const std::string& case_id) {
  const CaseFile file = as_of(session.store->load_case_file(case_id), session.today);
  std::vector<TimelineEntry> out;
  for (const auto& e : file.face.history) {
    out.push_back(TimelineEntry{e.date, "", "case", "", e});
  }
  for (const auto& consent : file.face.consents) {
    if (consent.signed_on) {
      out.push_back(TimelineEntry{*consent.signed_on, "", "consent", "", ConsentSigned{consent}});
    }
    if (consent.revoked) {
      out.push_back(TimelineEntry{*consent.revoked, "", "consent", "", ConsentRevoked{consent}});
    }
  }
  for (const auto& c : file.contacts) {
    out.push_back(TimelineEntry{c.at.date, fmt::format("{:02}:{:02}", c.at.minutes / 60, c.at.minutes % 60),
                                c.kind() == ContactKind::client ? "contact" : to_string(c.kind()), c.id, c});
  }
  for (const auto& a : file.assessments) {
    out.push_back(TimelineEntry{a.date, "", "assessment", a.id, a});
  }
  for (const auto& r : file.reviews) {
    out.push_back(TimelineEntry{r.date, "", "review", r.id, r});
  }
  for (const auto& r : file.referrals) {
    out.push_back(TimelineEntry{r.date, "", "referral", r.id, r});
  }
  for (const auto& u : file.referral_updates) {
    out.push_back(TimelineEntry{u.date, "", "referral-update", u.id, u});
  }
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      if (goal.created) {
        out.push_back(TimelineEntry{*goal.created, "", "goal", goal.id, GoalAdded{goal.id, goal.goal}});
      }
      for (const auto& p : goal.progress) {
        out.push_back(TimelineEntry{p.date, "", "goal", goal.id, GoalProgress{goal.id, p}});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    return std::tie(a.date, a.time) < std::tie(b.date, b.time);
  });
  return out;
}

}  // namespace casectl::services
