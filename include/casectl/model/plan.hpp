#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/date.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

enum class GoalStatus { active, met, partly_met, not_met, dropped };
std::string to_string(GoalStatus status);
std::optional<GoalStatus> parse_goal_status(std::string_view text);
const std::vector<std::string>& goal_status_names();

struct Progress {
  Date date;
  std::string note;
  std::optional<GoalStatus> status;
  std::string worker;
  Extras extra;
  bool operator==(const Progress&) const = default;
};

struct Goal {
  std::string id;
  std::string goal;  ///< in the client's words
  std::string domain;
  GoalStatus status = GoalStatus::active;
  std::optional<Date> created;
  std::optional<Date> target;
  std::string responsible;
  std::vector<std::string> steps;
  std::vector<Progress> progress;
  Extras extra;
  bool operator==(const Goal&) const = default;
};

/// The service plan, plan.yaml.
struct Plan {
  int schema = k_newest_schema;
  std::string case_id;
  std::vector<Goal> goals;
  Extras extra;

  const Goal* find(const std::string& goal_id) const;
  Goal* find(const std::string& goal_id);
  bool operator==(const Plan&) const = default;
};

}  // namespace casectl
