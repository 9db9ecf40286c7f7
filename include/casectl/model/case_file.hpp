#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "casectl/model/case.hpp"
#include "casectl/model/plan.hpp"
#include "casectl/model/records.hpp"

namespace casectl {

/// Everything in one case folder: the face sheet, the plan and the dated records, each list oldest first.
struct CaseFile {
  Case face;
  std::optional<Plan> plan;
  std::vector<Contact> contacts;
  std::vector<Assessment> assessments;
  std::vector<Review> reviews;
  std::vector<Referral> referrals;
  std::vector<ReferralUpdate> referral_updates;

  /// A referral's status: `sent` until its latest update says otherwise.
  ReferralStatus referral_status(const std::string& referral_id) const;
  /// The latest contact with the client (not an attempt, a collateral contact or an addendum).
  const Contact* last_contact_made() const;
  const Review* last_review() const;
};

/// The order of each list of a `CaseFile`: by date (contacts by date and time of day, answers to a referral by date
/// and sequence). Records that tie keep the order of their file names.
struct RecordOrder {
  bool operator()(const Contact& a, const Contact& b) const {
    return std::pair(a.at.date, a.at.minutes) < std::pair(b.at.date, b.at.minutes);
  }
  bool operator()(const Assessment& a, const Assessment& b) const { return a.date < b.date; }
  bool operator()(const Review& a, const Review& b) const { return a.date < b.date; }
  bool operator()(const Referral& a, const Referral& b) const { return a.date < b.date; }
  /// By day, then by the moment recorded (none first), then by sequence; the ID settles the rest, so that every
  /// clone puts the updates in the same order.
  bool operator()(const ReferralUpdate& a, const ReferralUpdate& b) const {
    const auto recorded = [](const ReferralUpdate& u) { return u.recorded ? u.recorded->utc_minutes() : -1LL; };
    return std::tuple(a.date, recorded(a), a.sequence, std::string_view(a.id)) <
           std::tuple(b.date, recorded(b), b.sequence, std::string_view(b.id));
  }
};

}  // namespace casectl

namespace casectl {

/// The case as it stood at the end of `day`, from its own records: whatever is dated after `day` is left out —
/// contacts, assessments, reviews, referrals and their answers, goals and their progress (a goal's status is its
/// latest status change by then), consents signed or revoked later, flags raised later, and the history: a case
/// closed or reopened later is as it was then, a case transferred, moved to another program or given another risk
/// later has the worker, program and risk it had then. So
/// `--today D` answers as casectl would have on D. The file must have been opened by `day`.
CaseFile as_of(CaseFile file, Date day);
/// The face sheet alone, as of `day` (the same rules).
Case as_of(Case face, Date day);
/// The worker, program or risk the case had at the end of `day`, from its history; cheaper than `as_of`.
std::string assigned_on(const Case& face, Assignment what, Date day);

}  // namespace casectl
