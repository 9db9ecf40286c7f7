#pragma once

#include <optional>
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
  const Contact* last_contact_made() const;
  const Review* last_review() const;
};

}  // namespace casectl
