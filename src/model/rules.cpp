#include "casectl/model/rules.hpp"

#include <algorithm>

namespace casectl {
namespace {

bool rule_empty(const Rule& r) {
  return !r.first && !r.every && !r.warn && r.types.empty() && !r.follow_up && !r.term && !r.never_expires &&
         !r.window && r.instruments.empty() && r.note.empty() && r.extra.empty();
}

void merge_rule(Rule& base, const Rule& over, const std::string& origin) {
  bool changed = false;
  auto take = [&](auto& field, const auto& value, bool given, const char* name) {
    if (given) {
      field = value;
      base.sources[name] = Policy{origin, over.note};
      changed = true;
    }
  };
  take(base.first, over.first, over.first.has_value(), "first");
  take(base.every, over.every, over.every.has_value(), "every");
  take(base.warn, over.warn, over.warn.has_value(), "warn");
  take(base.types, over.types, !over.types.empty(), "types");
  take(base.follow_up, over.follow_up, over.follow_up.has_value(), "follow_up");
  take(base.window, over.window, over.window.has_value(), "window");
  if (over.term || over.never_expires) {
    base.never_expires = over.never_expires;
  }
  take(base.term, over.term, over.term || over.never_expires, "term");
  for (const auto& ir : over.instruments) {
    auto it = std::find_if(base.instruments.begin(), base.instruments.end(),
                           [&](const InstrumentRule& b) { return b.instrument == ir.instrument; });
    if (it == base.instruments.end()) {
      base.instruments.push_back(InstrumentRule{ir.instrument, {}});
      it = base.instruments.end() - 1;
    }
    merge_rule(it->rule, ir.rule, origin);
    changed = true;
  }
  // A note names the policy of the values beside it: an override that changes a value brings its own note (or
  // none), never the note of the rule it replaces; a note alone renames the policy of every value.
  if (changed) {
    base.origin = origin;
    base.note = over.note;
  } else if (!over.note.empty()) {
    base.note = over.note;
    for (auto& [field, policy] : base.sources) {
      policy.note = over.note;
    }
  }
}

}  // namespace

bool Rule::operator==(const Rule& other) const {
  return first == other.first && every == other.every && warn == other.warn && types == other.types &&
         follow_up == other.follow_up && term == other.term && never_expires == other.never_expires &&
         window == other.window && instruments == other.instruments && note == other.note && extra == other.extra;
}

Policy Rule::policy(const std::string& field) const {
  auto it = sources.find(field);
  return it != sources.end() ? it->second : Policy{origin, note};
}

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
