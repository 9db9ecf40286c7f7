// Fuzz harness for every casectl loader: parse_yaml, then every decode_*, then the write round trip.
//
// For any bytes: the parser and every decoder must return (a value or diagnostics) and never throw, crash or
// hang. For any value a decoder accepts, the write path must hold: encode -> emit_yaml -> parse_yaml -> decode
// gives an equal value and a byte-identical second emit, in the literal style or (as the repository's
// render_verified falls back to) the escaped style. Anything else calls abort() so the fuzzer reports it.
//
// libFuzzer build: tests/fuzz/CMakeLists.txt (CASECTL_FUZZ=ON, clang). Replay without libFuzzer: replay_main.cpp.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/value.hpp"
#include "storage/codec.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/yaml_writer.hpp"

namespace {

using namespace casectl;
using namespace casectl::storage;

constexpr const char* k_path = "fuzz.yaml";

// A small configuration that knows the names the example agency and the seed corpus use.
constexpr std::string_view k_config_text = R"(schema: 1
agency: "Fuzz agency"
due_soon: 14d
workers:
  - id: alice
    name: "Alice Moreno"
    email: "alice@example.org"
  - id: bob
    name: "Bob Okafor"
risk_levels: [low, medium, high]
closure_reasons: [goals-met, withdrew, lost-contact, moved, transferred, other]
contact_types: [phone, visit, office, video, email, text, collateral, attempt]
rules:
  review:
    first: 30d
    every: 90d
  contact:
    every: 30d
risk:
  high:
    contact:
      every: 14d
programs:
  - id: housing
    name: "Housing stability"
  - id: aging
    name: "Aging and geriatric care"
  - id: mental-health
    name: "Community mental health"
)";

[[noreturn]] void fail(const char* what, const char* decoder) {
  std::fprintf(stderr, "fuzz_loaders: %s (%s)\n", what, decoder);
  std::fflush(stderr);
  std::abort();
}

bool has_error(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (!d.warning) {
      return true;
    }
  }
  return false;
}

const Config& fixed_config() {
  static const Config config = [] {
    std::vector<Diagnostic> diagnostics;
    auto value = parse_yaml(k_config_text, "casectl.yaml", diagnostics);
    if (!value) {
      fail("the fixed configuration does not parse", "config");
    }
    DecodeContext context{"casectl.yaml", diagnostics, nullptr};
    auto decoded = decode_config(*value, context);
    if (!decoded || has_error(diagnostics)) {
      for (const auto& d : diagnostics) {
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
      }
      fail("the fixed configuration does not decode", "config");
    }
    return *decoded;
  }();
  return config;
}

/// Decodes `root`; gives the value only when the decoder accepted it without an error diagnostic.
template <typename Decode>
auto try_decode(const Value& root, const Config* config, Decode decode, const char* name)
    -> decltype(decode(root, std::declval<DecodeContext&>())) {
  std::vector<Diagnostic> diagnostics;
  DecodeContext context{k_path, diagnostics, config};
  auto result = decode(root, context);
  if (!result && !has_error(diagnostics)) {
    fail("decoder gave nothing and reported no error", name);
  }
  if (!result || has_error(diagnostics)) {
    return std::nullopt;
  }
  return result;
}

/// One round trip in one style; true when it gives back an equal value and the same bytes.
template <typename T, typename Encode, typename Decode>
bool round_trips(const T& value, const Config* config, Encode encode, Decode decode, bool literal) {
  const std::string text = emit_yaml(encode(value), literal);
  std::vector<Diagnostic> diagnostics;
  auto parsed = parse_yaml(text, k_path, diagnostics);
  if (!parsed) {
    return false;
  }
  DecodeContext context{k_path, diagnostics, config};
  auto back = decode(*parsed, context);
  if (!back || has_error(diagnostics) || !(*back == value)) {
    return false;
  }
  return emit_yaml(encode(*back), literal) == text;
}

template <typename Encode, typename Decode>
void check(const Value& root, const Config* config, Encode encode, Decode decode, const char* name) {
  auto value = try_decode(root, config, decode, name);
  if (!value) {
    return;
  }
  // The repository writes the literal style and falls back to the escaped one; one of them must hold.
  if (!round_trips(*value, config, encode, decode, true) && !round_trips(*value, config, encode, decode, false)) {
    fail("round trip mismatch: an accepted value does not read back the same once written", name);
  }
}

template <typename Decode>
void decode_only(const Value& root, const Config* config, Decode decode, const char* name) {
  (void)try_decode(root, config, decode, name);
}

void run(std::string_view text) {
  const Config& config = fixed_config();
  std::vector<Diagnostic> diagnostics;
  auto root = parse_yaml(text, k_path, diagnostics);
  (void)scan_text(text);
  if (!root) {
    if (!has_error(diagnostics)) {
      fail("parse_yaml gave nothing and reported no error", "parse_yaml");
    }
    return;
  }
  (void)record_kind(*root);

  decode_only(*root, nullptr, decode_config, "decode_config");
  decode_only(*root, nullptr, decode_instrument, "decode_instrument");
  for (const Config* c : {static_cast<const Config*>(nullptr), &config}) {
    check(*root, c, encode_case, decode_case, c ? "decode_case+config" : "decode_case");
    check(*root, c, encode_contact, decode_contact, c ? "decode_contact+config" : "decode_contact");
  }
  check(*root, nullptr, encode_plan, decode_plan, "decode_plan");
  check(*root, nullptr, encode_assessment, decode_assessment, "decode_assessment");
  check(*root, nullptr, encode_review, decode_review, "decode_review");
  check(*root, nullptr, encode_referral, decode_referral, "decode_referral");
  check(*root, nullptr, encode_referral_update, decode_referral_update, "decode_referral_update");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    run(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_loaders: exception escaped: %s\n", e.what());
    std::fflush(stderr);
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz_loaders: unknown exception escaped\n");
    std::fflush(stderr);
    std::abort();
  }
  return 0;
}
