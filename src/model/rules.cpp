#include "casectl/model/rules.hpp"

namespace casectl {
namespace {

bool rule_empty(const Rule& r) {
  return !r.first && !r.every && !r.warn && r.types.empty() && !r.follow_up && !r.term && !r.never_expires &&
         r.note.empty() && r.extra.empty();
}

void merge_rule(Rule& base, const Rule& over, const std::string& origin) {
  bool changed = false;
  if (over.first) {
    base.first = over.first;
    changed = true;
  }
  if (over.every) {
    base.every = over.every;
    changed = true;
  }
  if (over.warn) {
    base.warn = over.warn;
    changed = true;
  }
  if (!over.types.empty()) {
    base.types = over.types;
    changed = true;
  }
  if (over.follow_up) {
    base.follow_up = over.follow_up;
    changed = true;
  }
  if (over.term || over.never_expires) {
    base.term = over.term;
    base.never_expires = over.never_expires;
    changed = true;
  }
  // A note names the policy of the values beside it: an override that changes a value brings its own note (or
  // none), never the note of the rule it replaces.
  if (changed) {
    base.origin = origin;
    base.note = over.note;
  } else if (!over.note.empty()) {
    base.note = over.note;
  }
}

}  // namespace

bool Rules::empty() const {
  return rule_empty(review) && rule_empty(assessment) && rule_empty(contact) && rule_empty(consent) &&
         rule_empty(referral) && rule_empty(safety) && extra.empty();
}

void merge_rules(Rules& base, const Rules& over, const std::string& origin) {
  merge_rule(base.review, over.review, origin);
  merge_rule(base.assessment, over.assessment, origin);
  merge_rule(base.contact, over.contact, origin);
  merge_rule(base.consent, over.consent, origin);
  merge_rule(base.referral, over.referral, origin);
  merge_rule(base.safety, over.safety, origin);
}

}  // namespace casectl
