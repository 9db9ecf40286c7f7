#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/date.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

/// What a contact note records, for the due rules and units of service: a contact with the client, a collateral
/// contact (with someone else about the client), an attempt that reached nobody, or an addendum correcting an
/// earlier note. Only client contacts count as contact with the client.
enum class ContactKind { client, collateral, attempt, addendum };
const char* to_string(ContactKind kind);

/// A contact note (progress note). Never rewritten; a correction is a new note that `amends` it.
struct Contact {
  int schema = k_newest_schema;
  std::string id;
  std::string case_id;
  DateTime at;
  std::string type;  ///< one of casectl.yaml's contact types; "attempt" is an attempted contact
  std::vector<std::string> with;
  std::optional<int> minutes;
  std::string worker;
  std::optional<Date> follow_up;
  std::string amends;
  std::string note;
  Extras extra;

  /// An addendum (a note that amends another) whatever its type; else by the built-in types attempt and collateral.
  ContactKind kind() const;
  bool is_attempt() const { return kind() == ContactKind::attempt; }
  bool operator==(const Contact&) const = default;
};

/// One answer on an assessment: a number, or "not applicable" where the instrument allows it.
struct Score {
  std::optional<int> value;  ///< empty for "na"
  bool operator==(const Score&) const = default;
};

struct Assessment {
  int schema = k_newest_schema;
  std::string id;
  std::string case_id;
  Date date;
  std::string instrument;
  std::string instrument_version;
  std::string worker;
  std::vector<std::pair<std::string, Score>> scores;  ///< in instrument order
  std::optional<int> total;
  std::string band;
  std::vector<std::string> flags;
  std::string note;
  Extras extra;
  bool operator==(const Assessment&) const = default;
};

enum class ReviewOutcome { continue_, revise, close };
std::string to_string(ReviewOutcome outcome);
std::optional<ReviewOutcome> parse_review_outcome(std::string_view text);

struct Review {
  int schema = k_newest_schema;
  std::string id;
  std::string case_id;
  Date date;
  ReviewOutcome outcome = ReviewOutcome::continue_;
  std::string worker;
  std::string note;
  Extras extra;
  bool operator==(const Review&) const = default;
};

enum class ReferralStatus { sent, accepted, declined, completed, no_response };
std::string to_string(ReferralStatus status);
std::optional<ReferralStatus> parse_referral_status(std::string_view text);
/// Whether a referral with this status has its loop closed: an answer (accepted) or a final status.
bool closes_loop(ReferralStatus status);
const std::vector<std::string>& referral_status_names();

struct Referral {
  int schema = k_newest_schema;
  std::string id;
  std::string case_id;
  Date date;
  std::string to;
  std::string service;
  std::string reason;
  std::optional<Date> follow_up;
  std::string worker;
  std::string without_consent;  ///< the reason given when no valid consent covered the party
  Extras extra;
  bool operator==(const Referral&) const = default;
};

struct ReferralUpdate {
  int schema = k_newest_schema;
  std::string id;
  std::string referral;
  std::string case_id;
  Date date;
  ReferralStatus status = ReferralStatus::sent;
  int sequence = 0;  ///< 1, 2, … per referral in one clone: orders one worker's updates of the same day and minute
  /// When it was recorded (schema 2): orders the same day's updates from different clones, whose sequences may
  /// be equal. Updates of schema 1 have none and come first on their day.
  std::optional<DateTime> recorded;
  std::optional<Date> follow_up;  ///< a new date by which an answer is expected
  std::string worker;
  std::string note;
  Extras extra;
  bool operator==(const ReferralUpdate&) const = default;
};

}  // namespace casectl
