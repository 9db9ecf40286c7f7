#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/boxed.hpp"
#include "casectl/model/date.hpp"
#include "casectl/model/rules.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

struct Client {
  std::string name;
  std::optional<Date> dob;
  std::string phone;
  std::string email;
  std::string address;
  std::string language;
  std::string member_id;
  Extras extra;
  bool operator==(const Client&) const = default;
};

/// A household member or a member of the care team (provider, family, collateral).
struct Person {
  std::string name;
  std::string relation;
  std::string role;
  std::string organization;
  std::string phone;
  std::optional<Date> dob;
  Extras extra;
  bool operator==(const Person&) const = default;
};

/// The client's consent to share information with a party.
struct Consent {
  std::string party;
  std::string purpose;
  std::optional<Date> signed_on;
  std::optional<Date> expires;
  std::optional<Date> revoked;
  Extras extra;

  /// Valid on `day`: signed (or undated), not expired, not revoked.
  bool valid_on(Date day) const;
  bool operator==(const Consent&) const = default;
};

/// A flag on the case (fall risk, no voicemail, a safety concern). It stays on the face sheet when cleared, with
/// the date and the reason, so that the history shows it.
struct Flag {
  std::string id;  ///< a record ID, to clear it by (older flags have none)
  std::string flag;
  std::optional<Date> since;
  bool urgent = false;
  std::string note;
  std::optional<Date> cleared;
  std::string cleared_reason;
  Extras extra;

  bool open() const { return !cleared; }
  bool operator==(const Flag&) const = default;
};

/// Something that happened to the case as a whole: opened, closed, reopened, transferred, …
struct CaseEvent {
  Date date;
  std::string event;
  std::string from;
  std::string to;
  std::string reason;
  std::string note;
  Extras extra;
  bool operator==(const CaseEvent&) const = default;
};

/// What a case is assigned: each change of one is a dated history event, so that any past day can be replayed.
enum class Assignment { worker, program, risk };
/// The history event that records a change of `what`: "transferred", "program-changed", "risk-changed".
const char* assignment_event(Assignment what);

enum class CaseStatus { open, closed };
std::string to_string(CaseStatus status);

/// The face sheet, case.yaml.
struct Case {
  int schema = k_newest_schema;
  std::string id;
  CaseStatus status = CaseStatus::open;
  Client client;
  std::string program;
  std::string worker;
  std::string risk;
  Date opened;
  std::optional<Date> closed;
  std::string closure_reason;
  std::string referred_by;
  std::vector<Person> household;
  std::vector<Person> care_team;
  std::vector<Consent> consents;
  std::vector<Flag> flags;
  std::vector<std::string> tags;
  Boxed<Rules> rules;  ///< the case's own, over the agency's and the program's
  std::optional<Date> review_on;
  std::vector<CaseEvent> history;
  Extras extra;

  bool is_open() const { return status == CaseStatus::open; }
  /// Where the current episode began: the opening, or the latest reopening. Every due rule counts from here.
  Date episode_start() const;
  /// Whether the case was open at the end of `day`, from its history (opened, closed, reopened).
  bool open_at_end_of(Date day) const;
  /// The day of the last event that opened, closed or reopened the case: `open_at_end_of` gives the same answer
  /// for that day and every day after it.
  Date status_fixed_from() const;
  std::string& assigned(Assignment what);
  const std::string& assigned(Assignment what) const;
  /// Gives the case a new worker, program or risk from `on`, recording the change in its history.
  void reassign(Assignment what, const std::string& to, Date on);
  bool operator==(const Case&) const = default;
};

}  // namespace casectl
