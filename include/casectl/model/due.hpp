#pragma once

#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"

namespace casectl {

/// Something a caseworker must do for a case by a date, with the reason an auditor can check.
struct DueItem {
  std::string case_id;
  std::string kind;  ///< review, assessment, contact, goal, follow-up, referral, consent, safety
  Date due;
  int days_overdue = 0;  ///< today minus due: positive when overdue, 0 on the day, negative before
  std::string worker;
  std::string program;
  std::string reason;  ///< the rule and the date it counts from
  std::string ref;     ///< the goal, contact, referral or consent concerned, where there is one
  Date visible_from;   ///< the first day the item belongs on the agenda (consents: their warning window)

  bool overdue() const { return days_overdue > 0; }
};

/// Everything due for one case on `today` under `config`'s rules; nothing for a closed case.
std::vector<DueItem> due_items(const CaseFile& file, const Config& config, Date today);

/// Overdue first (most overdue first), then by due date, kind and case.
void sort_due_items(std::vector<DueItem>& items);

}  // namespace casectl
