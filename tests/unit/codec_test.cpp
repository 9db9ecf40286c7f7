#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/config.hpp"
#include "casectl/model/error.hpp"
#include "storage/codec.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/case_digest.hpp"
#include "storage/yaml_writer.hpp"

using namespace casectl;
using namespace casectl::storage;

namespace {

/// The outcome of decoding one text: the value (if clean) and every diagnostic.
template <typename T>
struct Decoded {
  std::optional<T> value;
  std::vector<Diagnostic> diagnostics;

  std::string messages() const {
    std::string out;
    for (const auto& d : diagnostics) {
      out += d.to_string() + "\n";
    }
    return out;
  }
  bool has(std::string_view words) const { return messages().find(words) != std::string::npos; }
  const Diagnostic* find(std::string_view words) const {
    for (const auto& d : diagnostics) {
      if (d.message.find(words) != std::string::npos) {
        return &d;
      }
    }
    return nullptr;
  }
  int errors() const {
    int n = 0;
    for (const auto& d : diagnostics) {
      n += d.warning ? 0 : 1;
    }
    return n;
  }
};

template <typename T, typename Decode>
Decoded<T> decode_text(std::string_view text, Decode decode, const Config* config = nullptr) {
  Decoded<T> out;
  auto value = parse_yaml(text, "f.yaml", out.diagnostics);
  REQUIRE_MESSAGE(value, out.messages());
  DecodeContext context{"f.yaml", out.diagnostics, config};
  out.value = decode(*value, context);
  return out;
}

/// A canonical text decodes cleanly, encodes back to the same bytes, and the decoded value survives
/// encode → emit → parse → decode unchanged.
template <typename T, typename Decode, typename Encode>
T check_canonical(const std::string& text, Decode decode, Encode encode, bool text_is_canonical = true) {
  auto first = decode_text<T>(text, decode);
  REQUIRE_MESSAGE(first.value, first.messages());
  CHECK_MESSAGE(first.diagnostics.empty(), first.messages());
  const std::string emitted = emit_yaml(encode(*first.value));
  if (text_is_canonical) {
    CHECK(emitted == text);
  }
  auto second = decode_text<T>(emitted, decode);
  REQUIRE_MESSAGE(second.value, second.messages());
  CHECK(*second.value == *first.value);
  CHECK(emit_yaml(encode(*second.value)) == emitted);
  return *first.value;
}

const std::string k_case =
    "schema: 1\n"
    "id: c-abcdefgh\n"
    "status: open\n"
    "client:\n"
    "  name: Ana L\xC3\xB3pez\n"
    "  dob: 1980-05-17\n"
    "  phone: \"555-0100\"\n"
    "  email: ana@example.org\n"
    "  address: |-\n"
    "    12 Main St\n"
    "    Springfield\n"
    "  language: es\n"
    "  member_id: M123\n"
    "program: housing\n"
    "worker: alice\n"
    "risk: high\n"
    "opened: 2024-01-10\n"
    "referred_by: County hospital\n"
    "household:\n"
    "  - name: Bo\n"
    "    relation: son\n"
    "    dob: 2010-02-03\n"
    "care_team:\n"
    "  - name: Dr Lee\n"
    "    role: GP\n"
    "    organization: Clinic\n"
    "    phone: \"555-0200\"\n"
    "consents:\n"
    "  - party: Shelter\n"
    "    purpose: housing search\n"
    "    signed: 2024-01-10\n"
    "    expires: 2025-01-10\n"
    "flags:\n"
    "  - flag: fall-risk\n"
    "    since: 2024-01-10\n"
    "    urgent: true\n"
    "    note: uses a cane\n"
    "tags:\n"
    "  - priority\n"
    "rules:\n"
    "  review:\n"
    "    every: 30d\n"
    "    note: Court order\n"
    "review_on: 2024-06-01\n"
    "history:\n"
    "  - date: 2024-01-10\n"
    "    event: opened\n";

const std::string k_plan =
    "schema: 1\n"
    "case: c-abcdefgh\n"
    "goals:\n"
    "  - id: g1\n"
    "    goal: Find stable housing\n"
    "    domain: housing\n"
    "    status: active\n"
    "    created: 2024-01-10\n"
    "    target: 2024-06-30\n"
    "    responsible: client\n"
    "    steps:\n"
    "      - Apply for a voucher\n"
    "      - Visit two flats\n"
    "    progress:\n"
    "      - date: 2024-02-01\n"
    "        note: |\n"
    "          Application sent.\n"
    "          Waiting for an answer.\n"
    "        status: active\n"
    "        worker: alice\n"
    "  - id: g2\n"
    "    goal: See a GP\n"
    "    status: partly-met\n";

const std::string k_contact =
    "schema: 1\n"
    "kind: contact\n"
    "id: k3x7\n"
    "case: c-abcdefgh\n"
    "at: 2024-03-05T09:30+01:00\n"
    "type: phone\n"
    "with:\n"
    "  - client\n"
    "  - landlord\n"
    "minutes: 15\n"
    "worker: alice\n"
    "follow_up: 2024-03-12\n"
    "amends: ab2c\n"
    "note: |\n"
    "  Talked about the rent.\n"
    "  Will call back.\n";

const std::string k_assessment =
    "schema: 1\n"
    "kind: assessment\n"
    "id: ab2c\n"
    "case: c-abcdefgh\n"
    "date: 2024-03-05\n"
    "instrument: gad7\n"
    "instrument_version: \"2006\"\n"
    "worker: alice\n"
    "scores:\n"
    "  q1: 2\n"
    "  q2: na\n"
    "  q3: 0\n"
    "total: 2\n"
    "band: minimal\n"
    "flags:\n"
    "  - self-harm\n"
    "note: Calm today\n";

const std::string k_review =
    "schema: 1\n"
    "kind: review\n"
    "id: rv22\n"
    "case: c-abcdefgh\n"
    "date: 2024-04-01\n"
    "outcome: revise\n"
    "worker: alice\n"
    "note: Plan on track\n";

const std::string k_referral =
    "schema: 1\n"
    "kind: referral\n"
    "id: rf23\n"
    "case: c-abcdefgh\n"
    "date: 2024-03-01\n"
    "to: Food bank\n"
    "service: food parcels\n"
    "reason: Low income\n"
    "follow_up: 2024-03-15\n"
    "worker: alice\n"
    "without_consent: Client asked verbally\n";

const std::string k_update =
    "schema: 1\n"
    "kind: referral-update\n"
    "id: up45\n"
    "referral: rf23\n"
    "case: c-abcdefgh\n"
    "date: 2024-03-10\n"
    "status: no-response\n"
    "worker: alice\n"
    "note: No answer\n";

const std::string k_instrument =
    "schema: 1\n"
    "id: mini\n"
    "title: Mini scale\n"
    "version: \"1\"\n"
    "scoring: sum\n"
    "scale:\n"
    "  - value: 0\n"
    "    label: Never\n"
    "  - value: 1\n"
    "    label: Sometimes\n"
    "  - value: 2\n"
    "    label: Often\n"
    "items:\n"
    "  - id: q1\n"
    "    text: Feeling low\n"
    "  - id: q2\n"
    "    text: Thoughts of self-harm\n"
    "    allow_na: true\n"
    "    levels:\n"
    "      - value: 2\n"
    "        text: Most days\n"
    "    flag:\n"
    "      above: 0\n"
    "      name: self-harm\n"
    "      urgent: true\n"
    "bands:\n"
    "  - min: 0\n"
    "    label: low\n"
    "  - min: 3\n"
    "    label: high\n";

const std::string k_config =
    "schema: 1\n"
    "agency: Test agency\n"
    "due_soon: 7d\n"
    "workers:\n"
    "  - id: alice\n"
    "    name: Alice\n"
    "  - id: bob\n"
    "risk_levels: [low, high]\n"
    "contact_types: [phone, visit, attempt]\n"
    "rules:\n"
    "  review:\n"
    "    first: 30d\n"
    "    every: 90d\n"
    "    note: Agency rule\n"
    "  contact:\n"
    "    every: 30d\n"
    "risk:\n"
    "  high:\n"
    "    review:\n"
    "      every: 60d\n"
    "    contact:\n"
    "      every: 14d\n"
    "programs:\n"
    "  - id: housing\n"
    "    name: Housing\n"
    "    rules:\n"
    "      review:\n"
    "        every: 45d\n"
    "        note: HUD\n"
    "    risk:\n"
    "      high:\n"
    "        review:\n"
    "          every: 20d\n"
    "  - id: aging\n";

/// k_case as casectl wrote it before plain scalars: every string double-quoted.
const std::string k_case_quoted =
    "schema: 1\n"
    "id: \"c-abcdefgh\"\n"
    "status: \"open\"\n"
    "client:\n"
    "  name: \"Ana L\xC3\xB3pez\"\n"
    "  dob: \"1980-05-17\"\n"
    "  phone: \"555-0100\"\n"
    "  email: \"ana@example.org\"\n"
    "  address: |-\n"
    "    12 Main St\n"
    "    Springfield\n"
    "  language: \"es\"\n"
    "  member_id: \"M123\"\n"
    "program: \"housing\"\n"
    "worker: \"alice\"\n"
    "risk: \"high\"\n"
    "opened: \"2024-01-10\"\n"
    "referred_by: \"County hospital\"\n"
    "household:\n"
    "  - name: \"Bo\"\n"
    "    relation: \"son\"\n"
    "    dob: \"2010-02-03\"\n"
    "care_team:\n"
    "  - name: \"Dr Lee\"\n"
    "    role: \"GP\"\n"
    "    organization: \"Clinic\"\n"
    "    phone: \"555-0200\"\n"
    "consents:\n"
    "  - party: \"Shelter\"\n"
    "    purpose: \"housing search\"\n"
    "    signed: \"2024-01-10\"\n"
    "    expires: \"2025-01-10\"\n"
    "flags:\n"
    "  - flag: \"fall-risk\"\n"
    "    since: \"2024-01-10\"\n"
    "    urgent: true\n"
    "    note: \"uses a cane\"\n"
    "tags:\n"
    "  - \"priority\"\n"
    "rules:\n"
    "  review:\n"
    "    every: 30d\n"
    "    note: \"Court order\"\n"
    "review_on: \"2024-06-01\"\n"
    "history:\n"
    "  - date: \"2024-01-10\"\n"
    "    event: \"opened\"\n";


/// k_contact as casectl wrote it before plain scalars.
const std::string k_contact_quoted =
    "schema: 1\n"
    "kind: \"contact\"\n"
    "id: \"k3x7\"\n"
    "case: \"c-abcdefgh\"\n"
    "at: \"2024-03-05T09:30+01:00\"\n"
    "type: \"phone\"\n"
    "with:\n"
    "  - \"client\"\n"
    "  - \"landlord\"\n"
    "minutes: 15\n"
    "worker: \"alice\"\n"
    "follow_up: \"2024-03-12\"\n"
    "amends: \"ab2c\"\n"
    "note: |\n"
    "  Talked about the rent.\n"
    "  Will call back.\n";

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  text.replace(at, from.size(), to);
  return text;
}

std::string remove_line(const std::string& text, std::string_view line) { return replace(text, line, ""); }

}  // namespace

TEST_SUITE("codec: round trips") {
  TEST_CASE("a face sheet decodes every field and round-trips byte for byte") {
    const Case c = check_canonical<Case>(k_case, decode_case, encode_case);
    CHECK(c.id == "c-abcdefgh");
    CHECK(c.is_open());
    CHECK(c.client.name == "Ana L\xC3\xB3pez");
    CHECK(c.client.dob == Date::from_ymd(1980, 5, 17));
    CHECK(c.client.address == "12 Main St\nSpringfield");
    CHECK(c.program == "housing");
    CHECK(c.opened == Date::from_ymd(2024, 1, 10));
    REQUIRE(c.household.size() == 1);
    CHECK(c.household[0].relation == "son");
    REQUIRE(c.consents.size() == 1);
    CHECK(c.consents[0].expires == Date::from_ymd(2025, 1, 10));
    REQUIRE(c.flags.size() == 1);
    CHECK(c.flags[0].urgent);
    CHECK(c.tags == std::vector<std::string>{"priority"});
    CHECK(c.rules->review.every == Interval{30, 'd'});
    CHECK(c.rules->review.note == "Court order");
    CHECK(c.review_on == Date::from_ymd(2024, 6, 1));
    REQUIRE(c.history.size() == 1);
    CHECK(c.history[0].event == "opened");
  }

  TEST_CASE("files of an older casectl, every string double-quoted, read the same and are rewritten plain") {
    const auto quoted_case = decode_text<Case>(k_case_quoted, decode_case);
    REQUIRE_MESSAGE(quoted_case.value, quoted_case.messages());
    CHECK(quoted_case.diagnostics.empty());
    const auto plain_case = decode_text<Case>(k_case, decode_case);
    REQUIRE(plain_case.value);
    CHECK(*quoted_case.value == *plain_case.value);
    CHECK(emit_yaml(encode_case(*quoted_case.value)) == k_case);

    const auto quoted_contact = decode_text<Contact>(k_contact_quoted, decode_contact);
    REQUIRE_MESSAGE(quoted_contact.value, quoted_contact.messages());
    const auto plain_contact = decode_text<Contact>(k_contact, decode_contact);
    REQUIRE(plain_contact.value);
    CHECK(*quoted_contact.value == *plain_contact.value);
    CHECK(emit_yaml(encode_contact(*quoted_contact.value)) == k_contact);
  }

  TEST_CASE("a closed face sheet round-trips") {
    std::string text = replace(k_case, "status: open", "status: closed");
    text = replace(text, "opened: 2024-01-10\n",
                   "opened: 2024-01-10\nclosed: 2024-05-01\nclosure_reason: moved\n");
    const Case c = check_canonical<Case>(text, decode_case, encode_case);
    CHECK_FALSE(c.is_open());
    CHECK(c.closed == Date::from_ymd(2024, 5, 1));
    CHECK(c.closure_reason == "moved");
  }

  TEST_CASE("a plan round-trips byte for byte") {
    const Plan plan = check_canonical<Plan>(k_plan, decode_plan, encode_plan);
    CHECK(plan.case_id == "c-abcdefgh");
    REQUIRE(plan.goals.size() == 2);
    CHECK(plan.goals[0].status == GoalStatus::active);
    CHECK(plan.goals[0].target == Date::from_ymd(2024, 6, 30));
    CHECK(plan.goals[0].steps.size() == 2);
    REQUIRE(plan.goals[0].progress.size() == 1);
    CHECK(plan.goals[0].progress[0].note == "Application sent.\nWaiting for an answer.\n");
    CHECK(plan.goals[1].status == GoalStatus::partly_met);
  }

  TEST_CASE("a plan without goals round-trips") {
    check_canonical<Plan>("schema: 1\ncase: c-abcdefgh\ngoals: []\n", decode_plan, encode_plan);
  }

  TEST_CASE("a contact note round-trips byte for byte") {
    const Contact c = check_canonical<Contact>(k_contact, decode_contact, encode_contact);
    CHECK(c.id == "k3x7");
    CHECK(c.at.date == Date::from_ymd(2024, 3, 5));
    CHECK(c.at.minutes == 570);
    CHECK(c.at.offset_minutes == 60);
    CHECK(c.with == std::vector<std::string>{"client", "landlord"});
    CHECK(c.minutes == 15);
    CHECK(c.follow_up == Date::from_ymd(2024, 3, 12));
    CHECK(c.note == "Talked about the rent.\nWill call back.\n");
  }

  TEST_CASE("an assessment round-trips byte for byte, keeping score order and na") {
    // Whether `na` is written plain or quoted is the writer's choice; the round trip must hold either way.
    const Assessment a = check_canonical<Assessment>(k_assessment, decode_assessment, encode_assessment, false);
    REQUIRE(a.scores.size() == 3);
    CHECK(a.scores[0].first == "q1");
    CHECK(a.scores[0].second.value == 2);
    CHECK(a.scores[1].first == "q2");
    CHECK_FALSE(a.scores[1].second.value);
    CHECK(a.scores[2].second.value == 0);
    CHECK(a.total == 2);
    CHECK(a.flags == std::vector<std::string>{"self-harm"});
  }

  TEST_CASE("a review round-trips byte for byte") {
    const Review r = check_canonical<Review>(k_review, decode_review, encode_review);
    CHECK(r.outcome == ReviewOutcome::revise);
    CHECK(r.date == Date::from_ymd(2024, 4, 1));
  }

  TEST_CASE("a referral round-trips byte for byte") {
    const Referral r = check_canonical<Referral>(k_referral, decode_referral, encode_referral);
    CHECK(r.to == "Food bank");
    CHECK(r.follow_up == Date::from_ymd(2024, 3, 15));
    CHECK(r.without_consent == "Client asked verbally");
  }

  TEST_CASE("a referral update round-trips byte for byte") {
    const ReferralUpdate u = check_canonical<ReferralUpdate>(k_update, decode_referral_update, encode_referral_update);
    CHECK(u.referral == "rf23");
    CHECK(u.status == ReferralStatus::no_response);
  }

  TEST_CASE("every referral status and review outcome survives a round trip") {
    for (const auto& name : referral_status_names()) {
      CAPTURE(name);
      check_canonical<ReferralUpdate>(replace(k_update, "status: no-response", "status: " + name),
                                      decode_referral_update, encode_referral_update);
    }
    for (const char* name : {"continue", "revise", "close"}) {
      CAPTURE(name);
      check_canonical<Review>(replace(k_review, "outcome: revise", std::string("outcome: ") + name), decode_review,
                              encode_review);
    }
    for (const auto& name : goal_status_names()) {
      CAPTURE(name);
      check_canonical<Plan>(replace(k_plan, "status: partly-met", "status: " + name), decode_plan, encode_plan);
    }
  }

  TEST_CASE("a hand-written file in another style is rewritten canonically, and that is stable") {
    const std::string loose =
        "schema: 1\n"
        "kind: review\n"
        "case: c-abcdefgh\n"
        "id: 'rv22'\n"
        "outcome: continue\n"
        "date: 2024-04-01\n"
        "note: >-\n"
        "  folded\n"
        "  text\n";
    auto first = decode_text<Review>(loose, decode_review);
    REQUIRE_MESSAGE(first.value, first.messages());
    CHECK(first.value->note == "folded text");
    const std::string canonical = emit_yaml(encode_review(*first.value));
    CHECK(canonical ==
          "schema: 1\nkind: review\nid: rv22\ncase: c-abcdefgh\ndate: 2024-04-01\n"
          "outcome: continue\nnote: folded text\n");
    auto second = decode_text<Review>(canonical, decode_review);
    REQUIRE(second.value);
    CHECK(*second.value == *first.value);
    CHECK(emit_yaml(encode_review(*second.value)) == canonical);
  }

  TEST_CASE("an instrument decodes its scale, items, levels, flags and bands") {
    auto d = decode_text<Instrument>(k_instrument, decode_instrument);
    REQUIRE_MESSAGE(d.value, d.messages());
    CHECK(d.diagnostics.empty());
    const Instrument& ins = *d.value;
    CHECK(ins.id == "mini");
    CHECK(ins.scoring == Scoring::sum);
    REQUIRE(ins.scale.size() == 3);
    CHECK(ins.scale[2].label == "Often");
    REQUIRE(ins.items.size() == 2);
    CHECK_FALSE(ins.items[0].allow_na);
    CHECK(ins.items[1].allow_na);
    REQUIRE(ins.items[1].levels.size() == 1);
    CHECK(ins.items[1].levels[0] == std::pair<int, std::string>{2, "Most days"});
    REQUIRE(ins.items[1].flag);
    CHECK(ins.items[1].flag->name == "self-harm");
    CHECK(ins.items[1].flag->urgent);
    REQUIRE(ins.bands.size() == 2);
    CHECK(ins.band_for(4) == "high");
    CHECK(ins.band_for(1) == "low");
  }

  TEST_CASE("an instrument without scale or items, or with a level off the scale, is an error") {
    auto no_scale = decode_text<Instrument>(
        "schema: 1\nid: x\ntitle: X\nscoring: sum\nitems:\n  - id: q1\n    text: Q\n", decode_instrument);
    CHECK_FALSE(no_scale.value);
    CHECK(no_scale.has("scale"));
    auto off_scale = decode_text<Instrument>(replace(k_instrument, "      - value: 2\n", "      - value: 7\n"),
                                             decode_instrument);
    CHECK_FALSE(off_scale.value);
    CHECK(off_scale.has("not on the instrument's scale"));
    auto bad_scoring = decode_text<Instrument>(replace(k_instrument, "scoring: sum", "scoring: average"), decode_instrument);
    CHECK_FALSE(bad_scoring.value);
  }

  TEST_CASE("a config decodes workers, lists, rules and programs") {
    auto d = decode_text<Config>(k_config, decode_config);
    REQUIRE_MESSAGE(d.value, d.messages());
    CHECK(d.diagnostics.empty());
    const Config& config = *d.value;
    CHECK(config.agency == "Test agency");
    CHECK(config.due_soon == Interval{7, 'd'});
    CHECK(config.worker_ids() == std::vector<std::string>{"alice", "bob"});
    CHECK(config.risk_levels == std::vector<std::string>{"low", "high"});
    CHECK(config.contact_types == std::vector<std::string>{"phone", "visit", "attempt"});
    CHECK_FALSE(config.closure_reasons.empty());  // the default list
    CHECK(config.knows_closure_reason("moved"));
    CHECK(config.program_ids() == std::vector<std::string>{"housing", "aging"});
    CHECK(config.rules.review.first == Interval{30, 'd'});
    CHECK(config.risk.at("high").contact.every == Interval{14, 'd'});
    CHECK(config.find_program("housing")->risk.at("high").review.every == Interval{20, 'd'});
  }
}

TEST_SUITE("codec: errors") {
  TEST_CASE("missing required keys are errors at the map's position") {
    auto d = decode_text<Case>(remove_line(remove_line(k_case, "opened: 2024-01-10\n"), "status: open\n"),
                               decode_case);
    CHECK_FALSE(d.value);
    const Diagnostic* opened = d.find("missing required key 'opened'");
    REQUIRE_MESSAGE(opened, d.messages());
    CHECK(opened->path == "f.yaml");
    CHECK(opened->line == 1);
    CHECK(opened->column == 1);
    CHECK_FALSE(opened->warning);
    CHECK(d.find("missing required key 'status'"));
  }

  TEST_CASE("a missing key in a nested map is reported where that map is") {
    auto d = decode_text<Case>(remove_line(k_case, "  name: Ana L\xC3\xB3pez\n"), decode_case);
    CHECK_FALSE(d.value);
    const Diagnostic* name = d.find("missing required key 'name'");
    REQUIRE_MESSAGE(name, d.messages());
    CHECK(name->line == 5);  // the client map now starts with dob
    CHECK(name->column == 3);
    CHECK(name->message.find("client") != std::string::npos);
  }

  TEST_CASE("every dated record needs its required keys") {
    CHECK(decode_text<Contact>(remove_line(k_contact, "at: 2024-03-05T09:30+01:00\n"), decode_contact)
              .has("missing required key 'at'"));
    CHECK(decode_text<Contact>(remove_line(k_contact, "type: phone\n"), decode_contact)
              .has("missing required key 'type'"));
    CHECK(decode_text<Assessment>(remove_line(k_assessment, "instrument: gad7\n"), decode_assessment)
              .has("missing required key 'instrument'"));
    CHECK(decode_text<Review>(remove_line(k_review, "outcome: revise\n"), decode_review)
              .has("missing required key 'outcome'"));
    CHECK(decode_text<Referral>(remove_line(k_referral, "to: Food bank\n"), decode_referral)
              .has("missing required key 'to'"));
    CHECK(decode_text<ReferralUpdate>(remove_line(k_update, "referral: rf23\n"), decode_referral_update)
              .has("missing required key 'referral'"));
    CHECK(decode_text<Plan>(remove_line(k_plan, "case: c-abcdefgh\n"), decode_plan)
              .has("missing required key 'case'"));
    CHECK(decode_text<Review>(remove_line(k_review, "schema: 1\n"), decode_review)
              .has("missing required key 'schema'"));
    CHECK(decode_text<Review>(remove_line(k_review, "kind: review\n"), decode_review)
              .has("missing required key 'kind'"));
  }

  TEST_CASE("an empty value counts as missing") {
    auto d = decode_text<Review>(replace(k_review, "date: 2024-04-01", "date:"), decode_review);
    CHECK_FALSE(d.value);
    CHECK(d.has("missing required key 'date'"));
    auto blank = decode_text<Referral>(replace(k_referral, "to: Food bank", "to: \"  \""), decode_referral);
    CHECK_FALSE(blank.value);
    CHECK(blank.has("'to' must not be empty"));
  }

  TEST_CASE("several problems in one file are all reported") {
    std::string text = replace(k_contact, "at: 2024-03-05T09:30+01:00", "at: yesterday");
    text = replace(text, "minutes: 15", "minutes: 9999");
    text = replace(text, "follow_up: 2024-03-12", "follow_up: \"2024-02-30\"");
    auto d = decode_text<Contact>(text, decode_contact);
    CHECK_FALSE(d.value);
    CHECK(d.errors() == 3);
    const Diagnostic* at = d.find("'at'");
    REQUIRE(at);
    CHECK(at->line == 5);
    CHECK(at->column == 5);
    const Diagnostic* follow = d.find("'follow_up'");
    REQUIRE(follow);
    CHECK(follow->line == 12);
  }

  TEST_CASE("a timestamp without an offset is refused in a file") {
    auto d = decode_text<Contact>(replace(k_contact, "at: 2024-03-05T09:30+01:00", "at: 2024-03-05T09:30"),
                                  decode_contact);
    CHECK_FALSE(d.value);
    CHECK(d.has("'at' is not a valid timestamp"));
  }

  TEST_CASE("wrong shapes are errors: a list for text, several lines for one, text for a list") {
    auto list_for_text = decode_text<Review>(replace(k_review, "worker: alice", "worker: [alice]"), decode_review);
    CHECK_FALSE(list_for_text.value);
    CHECK(list_for_text.has("'worker' must be text"));
    auto two_lines = decode_text<Referral>(replace(k_referral, "to: Food bank", "to: \"Food\\nbank\""),
                                           decode_referral);
    CHECK_FALSE(two_lines.value);
    CHECK(two_lines.has("'to' must be a single line"));
    auto text_for_list = decode_text<Contact>(replace(k_contact, "with:\n  - client\n  - landlord\n",
                                                      "with: client\n"),
                                              decode_contact);
    CHECK_FALSE(text_for_list.value);
    CHECK(text_for_list.has("'with' must be a list"));
    auto yes_for_bool = decode_text<Case>(replace(k_case, "urgent: true", "urgent: yes"), decode_case);
    CHECK_FALSE(yes_for_bool.value);
    CHECK(yes_for_bool.has("'urgent' must be true or false"));
  }

  TEST_CASE("a root that is not a map is refused") {
    auto d = decode_text<Review>("- a\n- b\n", decode_review);
    CHECK_FALSE(d.value);
    CHECK(d.has("must be a map of keys"));
  }

  TEST_CASE("a file from a newer casectl is refused") {
    auto d = decode_text<Case>(replace(k_case, "schema: 1", "schema: 3"), decode_case);
    CHECK_FALSE(d.value);
    const Diagnostic* newer = d.find("newer");
    REQUIRE_MESSAGE(newer, d.messages());
    CHECK(newer->line == 1);
    CHECK(newer->column == 9);
    CHECK_FALSE(decode_text<Review>(replace(k_review, "schema: 1", "schema: 3"), decode_review).value);
    CHECK_FALSE(decode_text<Config>(replace(k_config, "schema: 1", "schema: 3"), decode_config).value);
    CHECK_FALSE(decode_text<Review>(replace(k_review, "schema: 1", "schema: one"), decode_review).value);
    CHECK_FALSE(decode_text<Review>(replace(k_review, "schema: 1", "schema: 0"), decode_review).value);
  }

  TEST_CASE("a bad case status is an error") {
    auto d = decode_text<Case>(replace(k_case, "status: open", "status: pending"), decode_case);
    CHECK_FALSE(d.value);
    const Diagnostic* status = d.find("'status'");
    REQUIRE(status);
    CHECK(status->line == 3);
  }

  TEST_CASE("a bad review outcome is an error") {
    auto d = decode_text<Review>(replace(k_review, "outcome: revise", "outcome: maybe"), decode_review);
    CHECK_FALSE(d.value);
    CHECK(d.has("'outcome' must be continue, revise or close"));
  }

  TEST_CASE("a bad goal status, in a goal or in its progress, is an error") {
    auto goal = decode_text<Plan>(replace(k_plan, "status: partly-met", "status: done"), decode_plan);
    CHECK_FALSE(goal.value);
    const Diagnostic* status = goal.find("'status' must be one of");
    REQUIRE_MESSAGE(status, goal.messages());
    CHECK(status->line == 23);
    auto progress = decode_text<Plan>(replace(k_plan, "        status: active", "        status: partly"),
                                      decode_plan);
    CHECK_FALSE(progress.value);
    CHECK(progress.has("partly-met"));
  }

  TEST_CASE("a bad referral status is an error") {
    auto d = decode_text<ReferralUpdate>(replace(k_update, "status: no-response", "status: no_response"),
                                         decode_referral_update);
    CHECK_FALSE(d.value);
    CHECK(d.has("'status' must be one of sent, accepted, declined, completed, no-response"));
  }

  TEST_CASE("a record of another kind is refused") {
    auto d = decode_text<Review>(replace(k_review, "kind: review", "kind: contact"), decode_review);
    CHECK_FALSE(d.value);
    CHECK(d.has("'kind' must be 'review' here"));
  }

  TEST_CASE("malformed IDs are errors") {
    CHECK_FALSE(decode_text<Case>(replace(k_case, "id: c-abcdefgh", "id: c-ABCDEFGH"), decode_case).value);
    CHECK_FALSE(decode_text<Contact>(replace(k_contact, "id: k3x7", "id: k3x9"), decode_contact).value);
    CHECK_FALSE(decode_text<Contact>(replace(k_contact, "case: c-abcdefgh", "case: abc"), decode_contact).value);
  }

  TEST_CASE("an assessment score must be a whole number or na") {
    auto word = decode_text<Assessment>(replace(k_assessment, "q1: 2", "q1: two"), decode_assessment);
    CHECK_FALSE(word.value);
    CHECK(word.has("score of 'q1'"));
    auto fraction = decode_text<Assessment>(replace(k_assessment, "q1: 2", "q1: 1.5"), decode_assessment);
    CHECK_FALSE(fraction.value);
  }

  TEST_CASE("an assessment score such as 1-2 is refused, not read as 1") {
    auto range = decode_text<Assessment>(replace(k_assessment, "q1: 2", "q1: 1-2"), decode_assessment);
    CHECK_FALSE(range.value);
    CHECK(range.has("score of 'q1'"));
    auto trailing = decode_text<Assessment>(replace(k_assessment, "q1: 2", "q1: 3-"), decode_assessment);
    CHECK_FALSE(trailing.value);
  }

  TEST_CASE("a consent that expires before it was signed is an error") {
    auto d = decode_text<Case>(replace(k_case, "expires: 2025-01-10", "expires: 2023-01-10"), decode_case);
    CHECK_FALSE(d.value);
    CHECK(d.has("expires before it was signed"));
  }

  TEST_CASE("open and closed must agree with the dates") {
    auto closed_without_date =
        decode_text<Case>(replace(k_case, "status: open", "status: closed"), decode_case);
    CHECK_FALSE(closed_without_date.value);
    auto open_with_date = decode_text<Case>(
        replace(k_case, "opened: 2024-01-10\n", "opened: 2024-01-10\nclosed: 2024-02-01\n"), decode_case);
    CHECK_FALSE(open_with_date.value);
  }

  TEST_CASE("names unknown to casectl.yaml are errors when a config is given") {
    auto config = decode_text<Config>(k_config, decode_config);
    REQUIRE(config.value);
    auto ok = decode_text<Case>(replace(k_case, "risk: high", "risk: low"), decode_case, &*config.value);
    CHECK_MESSAGE(ok.value, ok.messages());
    auto bad = decode_text<Case>(replace(k_case, "program: housing", "program: housng"), decode_case,
                                 &*config.value);
    CHECK_FALSE(bad.value);
    CHECK(bad.has("did you mean 'housing'"));
    auto bad_type = decode_text<Contact>(replace(k_contact, "type: phone", "type: fax"), decode_contact,
                                         &*config.value);
    CHECK_FALSE(bad_type.value);
  }

  TEST_CASE("config: an unknown risk level, a duplicate worker or a bad interval is an error") {
    auto risk = decode_text<Config>(replace(k_config, "risk:\n  high:", "risk:\n  severe:"), decode_config);
    CHECK_FALSE(risk.value);
    CHECK(risk.has("unknown risk level"));
    auto twice = decode_text<Config>(replace(k_config, "  - id: bob\n", "  - id: alice\n"), decode_config);
    CHECK_FALSE(twice.value);
    CHECK(twice.has("listed twice"));
    auto interval = decode_text<Config>(replace(k_config, "first: 30d", "first: 30 days"), decode_config);
    CHECK_FALSE(interval.value);
    CHECK(interval.has("'first' is not a valid interval"));
  }
}

TEST_SUITE("codec: unknown keys") {
  TEST_CASE("unknown keys are kept in order and written after the known ones") {
    std::string text = replace(k_review, "id: rv22\n", "id: rv22\nfunder_code: F-9\n");
    text += "audit:\n  by: Eve\n  items:\n    - 1\n    - 2\n";
    text = replace(text, "kind: review\n", "kind: review\nalpha_field: A\n");
    auto d = decode_text<Review>(text, decode_review);
    REQUIRE_MESSAGE(d.value, d.messages());
    CHECK_MESSAGE(d.diagnostics.empty(), d.messages());
    REQUIRE(d.value->extra.size() == 3);
    CHECK(d.value->extra[0].first == "alpha_field");
    CHECK(d.value->extra[1].first == "funder_code");
    CHECK(d.value->extra[2].first == "audit");
    const std::string out = emit_yaml(encode_review(*d.value));
    CHECK(out == k_review + "alpha_field: A\nfunder_code: F-9\naudit:\n  by: Eve\n  items:\n    - 1\n    - 2\n");
    auto again = decode_text<Review>(out, decode_review);
    REQUIRE(again.value);
    CHECK(*again.value == *d.value);
    CHECK(emit_yaml(encode_review(*again.value)) == out);
  }

  TEST_CASE("unknown keys in nested maps of a face sheet are kept") {
    std::string text = replace(k_case, "  member_id: M123\n", "  member_id: M123\n  pronouns: she/her\n");
    text = replace(text, "    dob: 2010-02-03\n", "    dob: 2010-02-03\n    school: North\n");
    text = replace(text, "    event: opened\n", "    event: opened\n    ticket: T-1\n");
    const Case c = check_canonical<Case>(text, decode_case, encode_case);
    REQUIRE(c.client.extra.size() == 1);
    CHECK(c.client.extra[0].first == "pronouns");
    REQUIRE(c.household[0].extra.size() == 1);
    REQUIRE(c.history[0].extra.size() == 1);
  }

  TEST_CASE("unknown keys in a case's own rules are kept") {
    std::string text = replace(k_case, "rules:\n  review:\n", "rules:\n  supervision:\n    every: 7d\n  review:\n");
    auto d = decode_text<Case>(text, decode_case);
    REQUIRE_MESSAGE(d.value, d.messages());
    const std::string out = emit_yaml(encode_case(*d.value));
    CHECK(out.find("supervision:") != std::string::npos);
  }

  TEST_CASE("unknown keys inside one rule of a case are kept") {
    const std::string text =
        replace(k_case, "    note: Court order\n", "    note: Court order\n    order_number: \"2024-117\"\n");
    auto d = decode_text<Case>(text, decode_case);
    REQUIRE_MESSAGE(d.value, d.messages());
    const std::string out = emit_yaml(encode_case(*d.value));
    CHECK(out.find("order_number: \"2024-117\"") != std::string::npos);
  }

  TEST_CASE("a near-miss of a known key is a warning with did you mean") {
    const std::string text = replace(k_case, "referred_by:", "reffered_by:");
    auto d = decode_text<Case>(text, decode_case);
    REQUIRE_MESSAGE(d.value, d.messages());  // a warning does not stop decoding
    const Diagnostic* w = d.find("did you mean 'referred_by'");
    REQUIRE_MESSAGE(w, d.messages());
    CHECK(w->warning);
    CHECK(w->line == 18);
    CHECK(w->column == 1);
    CHECK(d.value->referred_by.empty());
    REQUIRE(d.value->extra.size() == 1);
    CHECK(d.value->extra[0].first == "reffered_by");
  }

  TEST_CASE("a near-miss inside a nested map is a warning too") {
    auto d = decode_text<Review>(replace(k_review, "note:", "noet:"), decode_review);
    REQUIRE(d.value);
    CHECK(d.has("did you mean 'note'"));
    auto plan = decode_text<Plan>(replace(k_plan, "    target:", "    traget:"), decode_plan);
    REQUIRE(plan.value);
    CHECK(plan.has("did you mean 'target'"));
  }
}

TEST_SUITE("codec: effective rules") {
  Config layered_config() {
    Decoded<Config> d = decode_text<Config>(k_config, decode_config);
    REQUIRE_MESSAGE(d.value, d.messages());
    return *d.value;
  }

  TEST_CASE("rules < risk < program < program risk < case, each with its origin") {
    const Config config = layered_config();
    const Rules none;

    Rules r = config.effective_rules("aging", "low", none);
    CHECK(r.review.every == Interval{90, 'd'});
    CHECK(r.review.first == Interval{30, 'd'});
    CHECK(r.review.origin == "casectl.yaml rules");
    CHECK(r.review.note == "Agency rule");

    r = config.effective_rules("aging", "high", none);
    CHECK(r.review.every == Interval{60, 'd'});
    CHECK(r.review.origin == "casectl.yaml risk high");
    CHECK(r.contact.every == Interval{14, 'd'});

    r = config.effective_rules("housing", "low", none);
    CHECK(r.review.every == Interval{45, 'd'});
    CHECK(r.review.origin == "program housing");
    CHECK(r.review.note == "HUD");
    CHECK(r.contact.every == Interval{30, 'd'});
    CHECK(r.contact.origin == "casectl.yaml rules");

    r = config.effective_rules("housing", "high", none);
    CHECK(r.review.every == Interval{20, 'd'});
    CHECK(r.review.origin == "program housing, risk high");
    CHECK(r.review.first == Interval{30, 'd'});  // field by field: first still from casectl.yaml rules
    CHECK(r.contact.every == Interval{14, 'd'});
    CHECK(r.contact.origin == "casectl.yaml risk high");

    Rules own;
    own.review.every = Interval{7, 'd'};
    r = config.effective_rules("housing", "high", own);
    CHECK(r.review.every == Interval{7, 'd'});
    CHECK(r.review.origin == "case override");
    CHECK(r.contact.origin == "casectl.yaml risk high");
  }

  TEST_CASE("an unknown program or risk level falls back to the general rules") {
    const Config config = layered_config();
    const Rules r = config.effective_rules("nonesuch", "", Rules{});
    CHECK(r.review.every == Interval{90, 'd'});
    CHECK(r.review.origin == "casectl.yaml rules");
    CHECK_FALSE(r.assessment.every);
  }
}

TEST_SUITE("codec: the index's binary form") {
  CaseFile fixture_case() {
    CaseFile file{check_canonical<Case>(k_case, decode_case, encode_case), {}, {}, {}, {}, {}, {}};
    file.face.extra.emplace_back("x_agency_field", Value::string("kept"));
    file.face.rules.edit().contact.instruments.push_back({"phq9", Rule{}});
    file.plan = check_canonical<Plan>(k_plan, decode_plan, encode_plan);
    file.contacts.push_back(check_canonical<Contact>(k_contact, decode_contact, encode_contact));
    file.assessments.push_back(check_canonical<Assessment>(k_assessment, decode_assessment, encode_assessment, false));
    file.reviews.push_back(check_canonical<Review>(k_review, decode_review, encode_review));
    file.referrals.push_back(check_canonical<Referral>(k_referral, decode_referral, encode_referral));
    file.referral_updates.push_back(
        check_canonical<ReferralUpdate>(k_update, decode_referral_update, encode_referral_update));
    return file;
  }

  TEST_CASE("a face sheet comes back whole, unknown keys and rules included") {
    const CaseFile file = fixture_case();
    CHECK(decode_face(encode_face(file.face)) == file.face);
  }

  TEST_CASE("a face sheet without rules of its own comes back without them") {
    Case face = fixture_case().face;
    face.rules = Boxed<Rules>();
    const Case back = decode_face(encode_face(face));
    CHECK(back == face);
    CHECK_FALSE(back.rules.holds());
    CHECK(back.rules->empty());
  }

  TEST_CASE("a case's own rules are copied with it, not shared, and compared by value") {
    Case a;
    a.rules.edit().review.every = Interval{14, 'd'};
    Case b = a;
    b.rules.edit().review.every = Interval{7, 'd'};
    CHECK(a.rules->review.every == Interval{14, 'd'});
    CHECK_FALSE(a == b);
    Case none;
    Case emptied;
    emptied.rules.edit();  // holds a value, an empty one: the same rules as none at all
    CHECK(none == emptied);
  }

  TEST_CASE("a history keeps the plan whole and each record's facts, without free text or unknown keys") {
    CaseFile file = fixture_case();
    file.contacts[0].extra.emplace_back("x_mood", Value::string("calm"));
    CaseFile back{file.face, {}, {}, {}, {}, {}, {}};
    decode_history(encode_history(file, {}), back);
    CHECK(back.plan == file.plan);
    REQUIRE(back.contacts.size() == 1);
    CHECK(back.contacts[0].note.empty());
    CHECK(back.contacts[0].extra.empty());
    Contact facts = file.contacts[0];
    facts.note.clear();
    facts.extra.clear();
    CHECK(back.contacts[0] == facts);
    REQUIRE(back.assessments.size() == 1);
    CHECK(back.assessments[0].scores == file.assessments[0].scores);
    CHECK(back.assessments[0].total == file.assessments[0].total);
    CHECK(back.assessments[0].note.empty());
    CHECK(back.referrals[0].reason.empty());
    CHECK(back.referrals[0].to == file.referrals[0].to);
    CHECK(back.referral_updates[0].status == file.referral_updates[0].status);
    CHECK(facts_of(file).contacts == back.contacts);
  }

  TEST_CASE("a history keeps where its records came from, apart from its facts") {
    const CaseFile file = fixture_case();
    RecordSources sources;
    sources[0].push_back({"2026-01-02-abcd.yaml", Stamp{EntryType::regular, 312, 1'700'000'000'123'456'789,
                                                        1'700'000'000'987'654'321, 4'000'000'001, 2049},
                          0, 0});
    sources[3].push_back({"2026-01-03-efgh.yaml", Stamp{}, 4, 0});
    const std::string bytes = encode_history(file, sources);
    CHECK(decode_sources(bytes) == sources);
    CHECK(history_facts(bytes) == history_facts(encode_history(file, {})));
    CHECK(decode_sources(encode_history(file, {})) == RecordSources{});
    CHECK_THROWS_AS(decode_sources(bytes.substr(0, bytes.size() - 1)), DigestError);
  }

  TEST_CASE("damaged bytes are refused, never decoded into something else") {
    const CaseFile file = fixture_case();
    const std::string face = encode_face(file.face);
    CHECK_THROWS_AS(decode_face(face.substr(0, face.size() - 1)), DigestError);
    CHECK_THROWS_AS(decode_face(face + "x"), DigestError);
    CHECK_THROWS_AS(decode_face(""), DigestError);
    CaseFile back;
    CHECK_THROWS_AS(decode_history("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", back), DigestError);
    for (size_t cut = 0; cut < face.size(); cut += 7) {  // every prefix either decodes or is refused
      try {
        decode_face(face.substr(0, cut));
      } catch (const DigestError&) {
      }
    }
  }

  TEST_CASE("check's findings come back as they were") {
    const std::vector<Diagnostic> found = {{"cases/c-abcdefgh/case.yaml", 3, 7, "'worker' is not known", false},
                                           {"cases/c-abcdefgh", 0, 0, "an empty case folder", true}};
    CHECK(decode_diagnostics(encode_diagnostics(found)) == found);
    CHECK(decode_diagnostics(encode_diagnostics({})).empty());
  }
}
