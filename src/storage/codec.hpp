#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/error.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/model/plan.hpp"
#include "casectl/model/records.hpp"
#include "casectl/model/value.hpp"

namespace casectl::storage {

/// The newest `schema` this casectl reads and writes (see `k_newest_schema`).
inline constexpr int k_schema = k_newest_schema;

/// Where decoding reports its problems, and what it checks names against.
struct DecodeContext {
  std::string path;
  std::vector<Diagnostic>& diagnostics;
  const Config* config = nullptr;  ///< when set, programs, workers, risk levels, … must be known to it

  bool has_errors() const;
};

// Decoders read a parsed file into the model, reporting every problem; they give nothing when any is an error.
// Encoders write the model back as a tree in canonical key order, unknown keys last.
std::optional<Config> decode_config(const Value& root, DecodeContext& context);
std::optional<Case> decode_case(const Value& root, DecodeContext& context);
Value encode_case(const Case& c);
std::optional<Plan> decode_plan(const Value& root, DecodeContext& context);
Value encode_plan(const Plan& plan);
std::optional<Contact> decode_contact(const Value& root, DecodeContext& context);
Value encode_contact(const Contact& contact);
std::optional<Assessment> decode_assessment(const Value& root, DecodeContext& context);
Value encode_assessment(const Assessment& assessment);
std::optional<Review> decode_review(const Value& root, DecodeContext& context);
Value encode_review(const Review& review);
std::optional<Referral> decode_referral(const Value& root, DecodeContext& context);
Value encode_referral(const Referral& referral);
std::optional<ReferralUpdate> decode_referral_update(const Value& root, DecodeContext& context);
Value encode_referral_update(const ReferralUpdate& update);
std::optional<Instrument> decode_instrument(const Value& root, DecodeContext& context);

/// The `kind` a dated record declares ("contact", "referral-update", …), or empty.
std::string record_kind(const Value& root);

}  // namespace casectl::storage
