#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "casectl/model/case.hpp"
#include "casectl/model/plan.hpp"
#include "casectl/model/records.hpp"

namespace casectl {
namespace {

// One table per enum: its spelling in files, on the command line and in output.
template <typename Enum, size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, const char*>, N>& table, std::string_view text) {
  for (const auto& [value, name] : table) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string name_of(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) {
      return name;
    }
  }
  return "?";
}

template <typename Enum, size_t N>
std::vector<std::string> names_of(const std::array<std::pair<Enum, const char*>, N>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) {
    names.emplace_back(entry.second);
  }
  return names;
}

constexpr std::array<std::pair<GoalStatus, const char*>, 5> k_goal_statuses = {{
    {GoalStatus::active, "active"},
    {GoalStatus::met, "met"},
    {GoalStatus::partly_met, "partly-met"},
    {GoalStatus::not_met, "not-met"},
    {GoalStatus::dropped, "dropped"},
}};

constexpr std::array<std::pair<ReviewOutcome, const char*>, 3> k_review_outcomes = {{
    {ReviewOutcome::continue_, "continue"},
    {ReviewOutcome::revise, "revise"},
    {ReviewOutcome::close, "close"},
}};

constexpr std::array<std::pair<ReferralStatus, const char*>, 5> k_referral_statuses = {{
    {ReferralStatus::sent, "sent"},
    {ReferralStatus::accepted, "accepted"},
    {ReferralStatus::declined, "declined"},
    {ReferralStatus::completed, "completed"},
    {ReferralStatus::no_response, "no-response"},
}};

}  // namespace

std::string to_string(CaseStatus status) { return status == CaseStatus::open ? "open" : "closed"; }

std::string to_string(GoalStatus status) { return name_of(k_goal_statuses, status); }
std::optional<GoalStatus> parse_goal_status(std::string_view text) { return lookup(k_goal_statuses, text); }
const std::vector<std::string>& goal_status_names() {
  static const auto names = names_of(k_goal_statuses);
  return names;
}

std::string to_string(ReviewOutcome outcome) { return name_of(k_review_outcomes, outcome); }
std::optional<ReviewOutcome> parse_review_outcome(std::string_view text) { return lookup(k_review_outcomes, text); }

std::string to_string(ReferralStatus status) { return name_of(k_referral_statuses, status); }
std::optional<ReferralStatus> parse_referral_status(std::string_view text) {
  return lookup(k_referral_statuses, text);
}
const std::vector<std::string>& referral_status_names() {
  static const auto names = names_of(k_referral_statuses);
  return names;
}

bool Consent::valid_on(Date day) const {
  if (revoked && *revoked <= day) {
    return false;
  }
  if (expires && *expires < day) {
    return false;
  }
  return !signed_on || *signed_on <= day;
}

const Goal* Plan::find(const std::string& goal_id) const {
  for (const auto& g : goals) {
    if (g.id == goal_id) {
      return &g;
    }
  }
  return nullptr;
}

Goal* Plan::find(const std::string& goal_id) {
  for (auto& g : goals) {
    if (g.id == goal_id) {
      return &g;
    }
  }
  return nullptr;
}

const char* to_string(ContactKind kind) {
  switch (kind) {
    case ContactKind::client:
      return "client";
    case ContactKind::collateral:
      return "collateral";
    case ContactKind::attempt:
      return "attempt";
    case ContactKind::addendum:
      return "addendum";
  }
  return "client";
}

bool closes_loop(ReferralStatus status) {
  return status == ReferralStatus::accepted || status == ReferralStatus::declined ||
         status == ReferralStatus::completed;
}

ContactKind Contact::kind() const {
  if (!amends.empty() || type == "addendum") {
    return ContactKind::addendum;
  }
  if (type == "attempt") {
    return ContactKind::attempt;
  }
  return type == "collateral" ? ContactKind::collateral : ContactKind::client;
}

Date Case::episode_start() const {
  Date start = opened;
  for (const auto& e : history) {
    if (e.event == "reopened" && e.date > start) {
      start = e.date;
    }
  }
  return start;
}

bool Case::open_at_end_of(Date day) const {
  if (opened > day) {
    return false;
  }
  bool open = true;
  for (const auto& e : history) {  // oldest first
    if (e.date <= day && e.event == "closed") {
      open = false;
    } else if (e.date <= day && e.event == "reopened") {
      open = true;
    }
  }
  return open;
}

Date Case::status_fixed_from() const {
  Date since = opened;
  for (const auto& e : history) {
    if (e.event == "closed" || e.event == "reopened") {
      since = std::max(since, e.date);
    }
  }
  return since;
}

const char* assignment_event(Assignment what) {
  switch (what) {
    case Assignment::worker:
      return "transferred";
    case Assignment::program:
      return "program-changed";
    case Assignment::risk:
      return "risk-changed";
  }
  return "";
}

std::string& Case::assigned(Assignment what) {
  switch (what) {
    case Assignment::program:
      return program;
    case Assignment::risk:
      return risk;
    case Assignment::worker:
      break;
  }
  return worker;
}

const std::string& Case::assigned(Assignment what) const {
  return const_cast<Case*>(this)->assigned(what);  // one mapping of field to member, for both
}

void Case::reassign(Assignment what, const std::string& to, Date on) {
  std::string& current = assigned(what);
  if (current == to) {
    return;
  }
  history.push_back(CaseEvent{on, assignment_event(what), current, to, {}, {}, {}});
  current = to;
}

}  // namespace casectl
