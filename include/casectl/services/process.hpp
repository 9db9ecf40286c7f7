#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

// The working life of a case: each operation validates everything, then writes all its files in one store
// transaction (all or nothing), and refuses a closed case (all but reopen).

struct GoalRequest {
  std::string goal;
  std::string domain;
  std::optional<Date> target;
  std::vector<std::string> steps;
  std::string responsible;
};
/// Adds a goal to the plan (creating plan.yaml); gives the new goal's ID.
std::string add_goal(const Session& session, const std::string& case_id, const GoalRequest& request);

struct GoalUpdate {
  std::optional<GoalStatus> status;
  std::string progress;
  std::optional<Date> target;
  std::optional<Date> date;
};
/// Records a status change, a progress note or a new target date on a goal.
void update_goal(const Session& session, const std::string& case_id, const std::string& goal_id,
                 const GoalUpdate& update);

struct ContactRequest {
  std::string note;
  std::string type;  ///< default phone; an addendum (with `amends`) has no type of its own
  std::vector<std::string> with;
  std::optional<int> minutes;
  std::optional<DateTime> at;
  std::optional<Date> follow_up;
  std::string amends;  ///< a note ID or unique prefix
};
/// Records a contact note; gives its record ID.
std::string log_contact(const Session& session, const std::string& case_id, const ContactRequest& request);

struct ReferralRequest {
  std::string to;
  std::string service;
  std::string reason;
  std::optional<Date> follow_up;
  std::optional<Date> date;
  std::string without_consent;  ///< the reason for referring without a valid consent
};
/// Records a referral; refuses (permission) when no valid consent covers the party and no reason is given.
std::string refer(const Session& session, const std::string& case_id, const ReferralRequest& request);
/// Records a referral's new status in a new file beside it; gives the referral's full ID. `follow_up` sets a new
/// date by which an answer is expected (the loop stays open until accepted, declined or completed).
std::string update_referral(const Session& session, const std::string& case_id, const std::string& referral,
                            ReferralStatus status, const std::string& note, std::optional<Date> follow_up = {});

struct ReviewRequest {
  bool record = true;  ///< record a review (false: only change the schedule)
  std::optional<Date> date;
  ReviewOutcome outcome = ReviewOutcome::continue_;
  std::string note;
  std::optional<Interval> every;  ///< from now on, review this case every interval
  std::optional<Date> on;         ///< the next review is due on this date
};
/// Records a periodic review and/or changes one case's review schedule, all checked first and written together.
/// Gives the new review's ID ("" when only the schedule changed).
std::string review(const Session& session, const std::string& case_id, const ReviewRequest& request);

struct ConsentRequest {
  std::string party;
  std::string purpose;
  std::optional<Date> signed_on;
  std::optional<Date> expires;
  std::optional<Interval> expires_after;  ///< a term counted from the signing date (--expires 1y)
};
void add_consent(const Session& session, const std::string& case_id, const ConsentRequest& request);
/// Marks every current consent to `party` revoked today; gives how many.
int revoke_consent(const Session& session, const std::string& case_id, const std::string& party);

void transfer(const Session& session, const std::string& case_id, const std::string& to_worker);

struct FlagRequest {
  std::string text;  ///< what the flag says, e.g. "fall risk", "safety plan in place"
  bool urgent = false;
  std::string note;
};
/// Raises a flag on the case; gives its ID. An urgent flag makes a safety follow-up due.
std::string add_flag(const Session& session, const std::string& case_id, const FlagRequest& request);
/// Clears an open flag (by ID or unique prefix); the reason is required and stays in the history.
void clear_flag(const Session& session, const std::string& case_id, const std::string& flag_ref,
                const std::string& reason);

struct CloseRequest {
  std::string reason;
  std::string summary;
  bool active_goals_confirmed = false;
};
/// The active goals that closing would leave open (the command line asks, or needs --force).
std::vector<std::string> active_goals(const Session& session, const std::string& case_id);
void close_case(const Session& session, const std::string& case_id, const CloseRequest& request);
void reopen_case(const Session& session, const std::string& case_id);

/// One event of a case's timeline, with the record it comes from; the command line words it.
struct ConsentSigned {
  Consent consent;
};
struct ConsentRevoked {
  Consent consent;
};
struct GoalAdded {
  std::string goal_id;
  std::string goal;
};
struct GoalProgress {
  std::string goal_id;
  Progress progress;
};
struct TimelineEntry {
  Date date;
  std::string time;  ///< HH:MM where the record has one
  std::string kind;  ///< case, contact, attempt, assessment, review, referral, referral-update, goal, consent
  std::string ref;
  std::variant<CaseEvent, ConsentSigned, ConsentRevoked, Contact, Assessment, Review, Referral, ReferralUpdate,
               GoalAdded, GoalProgress>
      source;
};
std::vector<TimelineEntry> timeline(const Session& session, const std::string& case_id);

struct AssessRequest {
  std::string instrument;
  std::vector<std::pair<std::string, std::string>> scores;  ///< item → number or "na"
  std::optional<Date> date;
  std::string note;
};
/// What an assessment came to, and how each item moved since the previous one with the same instrument.
struct AssessResult {
  Assessment assessment;
  Instrument instrument;
  Scored scored;
  std::optional<Assessment> previous;
  std::vector<Flag> open_urgent_flags;  ///< every urgent flag still open on the case, this one's included
};
AssessResult assess(const Session& session, const std::string& case_id, const AssessRequest& request);
/// The instrument an assessment would use (for asking item by item).
Instrument load_instrument(const Session& session, const std::string& id);

}  // namespace casectl::services
