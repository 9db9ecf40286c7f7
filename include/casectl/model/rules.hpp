#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/date.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

/// One due rule: `first` counts from the opening of the case, `every` from the last time it was done,
/// `warn` is a window before an expiry. `note` names the policy the rule implements. The others belong to one
/// rule each: `types` (contact: the contact types that count; default every client contact type),
/// `follow_up` (referral: when an unanswered referral becomes due), `term` (consent: how long one lasts when no
/// expiry is given; `never_expires` for "never").
struct InstrumentRule;

/// Where one value of an effective rule came from, and the note of the rule that set it: a due item quotes the
/// policy of the value that produced its date, and no other.
struct Policy {
  std::string origin;
  std::string note;
};

struct Rule {
  std::optional<Interval> first;
  std::optional<Interval> every;
  std::optional<Interval> warn;
  std::vector<std::string> types;
  std::optional<Interval> follow_up;
  std::optional<Interval> term;
  bool never_expires = false;
  /// assessment: with `window`, reassessments fall due on the anniversaries (every `every`) of the episode's start,
  /// and one within `window` before or after an anniversary counts (HUD's annual assessment: every 1y, window 30d).
  std::optional<Interval> window;
  /// assessment: rules per instrument (phq9 every 90d, ssm every 180d); the general rule covers the others.
  std::vector<InstrumentRule> instruments;
  std::string note;
  Extras extra;
  std::string origin;  ///< where the effective value came from, e.g. "program housing, risk high" (not stored)
  std::map<std::string, Policy> sources;  ///< per field ("first", "every", …) of an effective rule (not stored)

  bool operator==(const Rule& other) const;
  /// The policy behind one field of an effective rule.
  Policy policy(const std::string& field) const;
};

struct InstrumentRule {
  std::string instrument;
  Rule rule;
  bool operator==(const InstrumentRule&) const = default;
};

/// The rules of a program, risk level or case: each may set only some of them.
struct Rules {
  Rule review;
  Rule assessment;
  Rule contact;
  Rule consent;
  Rule referral;
  Rule safety;  ///< follow_up: how soon an urgent flag must be followed up by a contact (default 1 day)
  Extras extra;

  bool empty() const;
  bool operator==(const Rules&) const = default;
};

/// Lays `over` on top of `base` field by field, recording `origin` for the fields `over` sets.
void merge_rules(Rules& base, const Rules& over, const std::string& origin);

}  // namespace casectl
