// The fuzz harnesses, one per loader (see loaders.hpp).
//
// YAML files: the parser and the file's decoder must return (a value or diagnostics); for any value a decoder
// accepts, encode -> emit_yaml -> parse_yaml -> decode gives an equal value and a byte-identical second emit, in
// the literal style or (as the repository's render_verified falls back to) the escaped style. The index's
// entries: a damaged entry is a DigestError, an accepted one encodes and decodes to itself. CSV import: the rows
// written back read the same, and a dry run against a small repository returns. Date expressions, intervals and
// times: what is accepted prints and reads back as itself. Query terms: the cases matching do not depend on the
// terms' order.
//
// libFuzzer build: tests/fuzz/CMakeLists.txt (CASECTL_FUZZ=ON, clang). Replay without libFuzzer: replay_main.cpp.

#include "loaders.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/date.hpp"
#include "casectl/model/error.hpp"
#include "casectl/model/value.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/exchange.hpp"
#include "casectl/services/process.hpp"
#include "casectl/services/session.hpp"
#include "casectl/storage/disk.hpp"
#include "casectl/storage/store.hpp"
#include "storage/case_digest.hpp"
#include "storage/codec.hpp"
#include "storage/index_file.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/yaml_writer.hpp"

namespace casectl::fuzz {
namespace {

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

/// The parsed YAML of the bytes, or nothing (with an error diagnostic, else abort).
std::optional<Value> parse(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  auto root = parse_yaml(text, k_path, diagnostics);
  (void)scan_text(text);
  if (!root && !has_error(diagnostics)) {
    fail("parse_yaml gave nothing and reported no error", "parse_yaml");
  }
  if (root) {
    (void)record_kind(*root);
  }
  return root;
}

void face_sheet(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_case, decode_case, "decode_case");
    check(*root, &fixed_config(), encode_case, decode_case, "decode_case+config");
  }
}

void plan(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_plan, decode_plan, "decode_plan");
  }
}

void contact(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_contact, decode_contact, "decode_contact");
    check(*root, &fixed_config(), encode_contact, decode_contact, "decode_contact+config");
  }
}

void assessment(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_assessment, decode_assessment, "decode_assessment");
  }
}

void review(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_review, decode_review, "decode_review");
  }
}

void referral(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_referral, decode_referral, "decode_referral");
  }
}

void referral_update(std::string_view text) {
  if (auto root = parse(text)) {
    check(*root, nullptr, encode_referral_update, decode_referral_update, "decode_referral_update");
  }
}

void instrument(std::string_view text) {
  if (auto root = parse(text)) {
    decode_only(*root, nullptr, decode_instrument, "decode_instrument");
  }
}

void config(std::string_view text) {
  if (auto root = parse(text)) {
    decode_only(*root, nullptr, decode_config, "decode_config");
  }
}

/// Runs one of the index's decoders: a damaged entry must be a DigestError, nothing else.
template <typename Decode>
auto digest(Decode decode, const char* name) -> std::optional<decltype(decode())> {
  try {
    return decode();
  } catch (const DigestError&) {
    return std::nullopt;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    fail("a damaged entry raised something other than DigestError", name);
  }
}

/// The index's entries: stamps, a face sheet, a history with its sources, what `check` found.
void index_entry(std::string_view bytes) {
  if (auto stamps = decode_stamps(bytes)) {
    if (decode_stamps(encode_stamps(*stamps)) != stamps) {
      fail("stamps do not read back as written", "decode_stamps");
    }
  }
  if (auto face = digest([&] { return decode_face(bytes); }, "decode_face")) {
    const std::string once = encode_face(*face);
    if (!(decode_face(once) == *face) || encode_face(decode_face(once)) != once) {
      fail("a face sheet does not read back as written", "decode_face");
    }
  }
  auto history = digest(
      [&] {
        CaseFile file;
        decode_history(bytes, file);
        return std::make_pair(file, decode_sources(bytes));
      },
      "decode_history");
  if (history) {
    const std::string once = encode_history(history->first, history->second);
    CaseFile again;
    decode_history(once, again);
    if (encode_history(again, decode_sources(once)) != once || !(decode_sources(once) == history->second)) {
      fail("a history does not read back as written", "decode_history");
    }
  }
  if (auto found = digest([&] { return decode_diagnostics(bytes); }, "decode_diagnostics")) {
    if (decode_diagnostics(encode_diagnostics(*found)) != *found) {
      fail("diagnostics do not read back as written", "decode_diagnostics");
    }
  }
}

/// A small repository in memory, made once: two open cases and a closed one.
const services::Session& agency() {
  static const services::Session session = [] {
    auto disk = std::make_shared<storage::MemoryDisk>();
    storage::write_new_repository(*disk, "Fuzz agency");
    services::Session s{std::make_shared<const storage::Store>(disk), Date::from_ymd(2026, 3, 2), 600, 0,
                        services::Identity{"alice", "CASECTL_WORKER", {}, ""}, true};
    services::IntakeRequest request;
    request.program = "housing";
    request.worker = "alice";
    request.opened = Date::from_ymd(2026, 1, 5);
    for (const char* name : {"Maria Example", "José Núñez", "Cy Closed"}) {
      request.name = name;
      const std::string id = services::intake(s, request).id;
      if (std::string_view(name) == "Cy Closed") {
        services::close_case(s, id, services::CloseRequest{"moved", "", true});
      }
    }
    return s;
  }();
  return session;
}

std::string quoted_csv(const std::vector<services::CsvRow>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.fields.size(); ++i) {
      out += i ? ",\"" : "\"";
      for (char c : row.fields[i]) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

/// A spreadsheet given to `import`: split into rows, then checked row by row in a dry run.
void csv_import(std::string_view bytes) {
  const std::string text(bytes);
  std::vector<services::CsvRow> rows;
  try {
    rows = services::parse_csv(text);
  } catch (const Error&) {
    return;
  }
  const auto again = services::parse_csv(quoted_csv(rows));
  if (again.size() != rows.size() ||
      !std::equal(rows.begin(), rows.end(), again.begin(), [](const auto& a, const auto& b) { return a.fields == b.fields; })) {
    fail("CSV rows written back do not read the same", "parse_csv");
  }
  try {
    (void)services::import_csv(agency(), text, "fuzz.csv", true, false);
  } catch (const Error&) {
  }
}

/// Date expressions of the command line, intervals of rules, and the date and time of a contact.
void date(std::string_view text) {
  const Date today = Date::from_ymd(2026, 3, 2);
  if (auto day = parse_date_expression(text, today)) {
    if (Date::parse_iso(day->iso()) != day || parse_date_expression(day->iso(), today) != day) {
      fail("a date expression's day does not read back as itself", "parse_date_expression");
    }
  }
  if (auto iso = Date::parse_iso(text); iso && parse_date_expression(text, today) != iso) {
    fail("an ISO date means another day as an expression", "parse_date_expression");
  }
  if (auto interval = Interval::parse(text)) {
    if (Interval::parse(interval->str()) != interval) {
      fail("an interval does not read back as itself", "Interval::parse");
    }
    (void)interval->after(today);
  }
  for (std::optional<int> offset : {std::optional<int>{}, std::optional<int>{-300}}) {
    if (auto moment = DateTime::parse_iso(text, offset)) {
      if (DateTime::parse_iso(moment->iso()) != moment) {
        fail("a date and time does not read back as itself", "DateTime::parse_iso");
      }
    }
  }
}

std::vector<std::string> matching_ids(const std::vector<std::string>& terms) {
  Problems problems;
  std::vector<std::string> ids;
  for (const auto& summary : services::list_cases(agency(), terms, problems)) {
    ids.push_back(summary.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

/// Query terms of `list`, `due`, `export`, one per line: every term must hold, in any order.
void query(std::string_view bytes) {
  std::vector<std::string> terms;
  for (size_t start = 0; start <= bytes.size() && terms.size() < 8;) {
    const size_t end = std::min(bytes.find('\n', start), bytes.size());
    terms.emplace_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  std::vector<std::string> ids;
  try {
    ids = matching_ids(terms);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) {
      fail("a query was refused as something other than a usage error", "list_cases");
    }
    return;
  }
  std::reverse(terms.begin(), terms.end());
  if (matching_ids(terms) != ids) {
    fail("the cases matching depend on the order of the terms", "list_cases");
  }
}

}  // namespace

const std::vector<Harness>& harnesses() {
  static const std::vector<Harness> all = {
      {"face_sheet", "yaml", face_sheet},   {"plan", "yaml", plan},
      {"contact", "yaml", contact},         {"assessment", "yaml", assessment},
      {"review", "yaml", review},           {"referral", "yaml", referral},
      {"referral_update", "yaml", referral_update}, {"instrument", "yaml", instrument},
      {"config", "yaml", config},           {"index", "index", index_entry},
      {"csv_import", "csv", csv_import},    {"date", "date", date},
      {"query", "query", query},
  };
  return all;
}

const Harness* find_harness(std::string_view name) {
  for (const auto& harness : harnesses()) {
    if (name == harness.name) {
      return &harness;
    }
  }
  return nullptr;
}

int run_guarded(Loader loader, const uint8_t* data, size_t size) {
  try {
    loader(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: exception escaped: %s\n", e.what());
    std::fflush(stderr);
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz: unknown exception escaped\n");
    std::fflush(stderr);
    std::abort();
  }
  return 0;
}

}  // namespace casectl::fuzz
