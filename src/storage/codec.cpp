#include "storage/codec.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <unordered_set>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"

namespace casectl::storage {
namespace {

enum class Need { required, optional };
enum class Lines { single, multi };

/// Reads the keys of one map, remembering which it was asked for, so that the rest can be kept as extras and
/// near-misses of known keys reported ("did you mean").
class Fields {
 public:
  Fields(const Value& map, DecodeContext& context, std::string where)
      : m_map(map), m_context(context), m_where(std::move(where)) {}

  void error(const Value& at, const std::string& message) {
    m_context.diagnostics.push_back(Diagnostic{m_context.path, at.line, at.column, message});
  }
  void error_here(const std::string& message) { error(m_map, message); }

  const Value* get(const std::string& key, Need need) {
    m_asked.insert(key);
    const Value* v = m_map.find(key);
    if (v && v->is_null()) {
      v = nullptr;  // `key:` with nothing is the same as no key
    }
    if (!v && need == Need::required) {
      error(m_map, fmt::format("{}missing required key '{}'", m_where, key));
    }
    return v;
  }

  std::string text(const std::string& key, Need need = Need::optional, Lines lines = Lines::single) {
    const Value* v = get(key, need);
    if (!v) {
      return {};
    }
    if (!v->is_scalar()) {
      error(*v, fmt::format("'{}' must be text", key));
      return {};
    }
    if (lines == Lines::single && v->text.find('\n') != std::string::npos) {
      error(*v, fmt::format("'{}' must be a single line", key));
    }
    if (need == Need::required && trim(v->text).empty()) {
      error(*v, fmt::format("'{}' must not be empty", key));
    }
    return v->text;
  }

  std::string key_text(const std::string& key, Need need = Need::optional) {
    std::string value = text(key, need);
    if (!value.empty() && !is_config_key(value)) {
      error(*m_map.find(key), fmt::format("'{}' must be a short key of lower-case letters, digits, '.', '_' or '-'",
                                          key));
    }
    return value;
  }

  std::optional<Date> date(const std::string& key, Need need = Need::optional) {
    const Value* v = get(key, need);
    if (!v) {
      return std::nullopt;
    }
    auto d = v->is_scalar() ? Date::parse_iso(v->text) : std::nullopt;
    if (!d) {
      error(*v, fmt::format("'{}' is not a valid date (YYYY-MM-DD)", key));
    }
    return d;
  }

  std::optional<DateTime> date_time(const std::string& key, Need need = Need::optional) {
    const Value* v = get(key, need);
    if (!v) {
      return std::nullopt;
    }
    auto d = v->is_scalar() ? DateTime::parse_iso(v->text) : std::nullopt;
    if (!d) {
      error(*v, fmt::format("'{}' is not a valid timestamp (YYYY-MM-DDTHH:MM+HH:MM)", key));
    }
    return d;
  }

  std::optional<int> integer(const std::string& key, int min, int max, Need need = Need::optional) {
    const Value* v = get(key, need);
    if (!v) {
      return std::nullopt;
    }
    auto n = v->is_scalar() ? parse_int(v->text) : std::nullopt;
    if (!n || *n < min || *n > max) {
      error(*v, fmt::format("'{}' must be a whole number from {} to {}", key, min, max));
      return std::nullopt;
    }
    return n;
  }

  bool boolean(const std::string& key, bool absent = false) {
    const Value* v = get(key, Need::optional);
    if (!v) {
      return absent;
    }
    if (v->is_scalar() && (v->text == "true" || v->text == "false")) {
      return v->text == "true";
    }
    error(*v, fmt::format("'{}' must be true or false", key));
    return false;
  }

  std::optional<Interval> interval(const std::string& key) {
    const Value* v = get(key, Need::optional);
    if (!v) {
      return std::nullopt;
    }
    auto i = v->is_scalar() ? Interval::parse(v->text) : std::nullopt;
    if (!i) {
      error(*v, fmt::format("'{}' is not a valid interval (such as 30d, 6w, 3m, 1y)", key));
    }
    return i;
  }

  std::vector<std::string> text_list(const std::string& key) {
    std::vector<std::string> out;
    const Value* v = get(key, Need::optional);
    if (!v) {
      return out;
    }
    if (!v->is_sequence()) {
      error(*v, fmt::format("'{}' must be a list", key));
      return out;
    }
    for (const auto& item : v->items) {
      if (!item.is_scalar() || item.text.find('\n') != std::string::npos) {
        error(item, fmt::format("each entry of '{}' must be a single line of text", key));
        continue;
      }
      out.push_back(item.text);
    }
    return out;
  }

  /// The maps of a list of maps, each reported if it is not one.
  std::vector<const Value*> map_list(const std::string& key) {
    std::vector<const Value*> out;
    const Value* v = get(key, Need::optional);
    if (!v) {
      return out;
    }
    if (!v->is_sequence()) {
      error(*v, fmt::format("'{}' must be a list", key));
      return out;
    }
    for (const auto& item : v->items) {
      if (!item.is_map()) {
        error(item, fmt::format("each entry of '{}' must be a map of keys", key));
        continue;
      }
      out.push_back(&item);
    }
    return out;
  }

  const Value* map(const std::string& key, Need need = Need::optional) {
    const Value* v = get(key, need);
    if (v && !v->is_map()) {
      error(*v, fmt::format("'{}' must be a map of keys", key));
      return nullptr;
    }
    return v;
  }

  /// The file's schema: 1 when it is missing or wrong (and reported), so that the rest can still be read.
  int schema() {
    auto version = integer("schema", 1, 1000000, Need::required);
    if (version && *version > k_schema) {
      error(*m_map.find("schema"),
            fmt::format("written by a newer casectl (schema {}); this casectl reads schema {}", *version, k_schema));
    }
    return version.value_or(1);
  }

  void expect_kind(const std::string& kind) {
    std::string found = text("kind", Need::required);
    if (!found.empty() && found != kind) {
      error(*m_map.find("kind"), fmt::format("'kind' must be '{}' here", kind));
    }
  }

  std::string case_ref(const std::string& key = "case") {
    std::string id = text(key, Need::required);
    if (!id.empty() && !is_case_id(id)) {
      error(*m_map.find(key), fmt::format("'{}' is not a case ID", key));
    }
    return id;
  }

  std::string record_id(const std::string& key = "id") {
    std::string id = text(key, Need::required);
    if (!id.empty() && !is_record_id(id)) {
      error(*m_map.find(key), fmt::format("'{}' is not a record ID (4 characters of a-z, 2-7)", key));
    }
    return id;
  }

  /// Keys not asked for: kept as they are; a near-miss of a known key is reported as a likely typo.
  Extras rest() {
    Extras extras;
    std::vector<std::string> known(m_asked.begin(), m_asked.end());
    for (const auto& [key, value] : m_map.entries) {
      if (m_asked.count(key.text) > 0) {
        continue;
      }
      if (auto near = closest_match(key.text, known)) {
        m_context.diagnostics.push_back(Diagnostic{m_context.path, key.line, key.column,
                                                   fmt::format("unknown key (did you mean '{}'?); kept as it is", *near),
                                                   true});
      }
      extras.emplace_back(key.text, value);
    }
    return extras;
  }

 private:
  const Value& m_map;
  DecodeContext& m_context;
  std::string m_where;
  std::set<std::string> m_asked;

  static std::optional<int> parse_int(const std::string& text) {
    if (text.empty() || text.size() > 9) {
      return std::nullopt;
    }
    size_t start = text[0] == '-' ? 1 : 0;
    if (start == text.size()) {
      return std::nullopt;
    }
    int value = 0;
    for (size_t i = start; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
      value = value * 10 + (text[i] - '0');
    }
    return start == 1 ? -value : value;
  }
};

bool require_map(const Value& root, DecodeContext& context, const std::string& what) {
  if (!root.is_map()) {
    context.diagnostics.push_back(
        Diagnostic{context.path, root.line, root.column, fmt::format("{} must be a map of keys", what)});
    return false;
  }
  return true;
}

template <typename T>
std::optional<T> result_if_clean(T value, const DecodeContext& context) {
  if (context.has_errors()) {
    return std::nullopt;
  }
  return value;
}

void check_known(Fields& f, const Value& map, const std::string& key, const std::string& value,
                 const std::vector<std::string>& known, const char* what) {
  if (value.empty() || std::find(known.begin(), known.end(), value) != known.end()) {
    return;
  }
  // The value itself is not repeated: a file's text may be client data.
  auto hint = closest_match(value, known);
  f.error(*map.find(key), fmt::format("unknown {} (casectl.yaml knows: {}){}", what, join(known, ", "),
                                      hint ? fmt::format("; did you mean '{}'?", *hint) : ""));
}

// --- encoding helpers ---

void put(Value& map, const std::string& key, const std::string& text) {
  if (!text.empty()) {
    map.set(key, Value::string(text));
  }
}
void put(Value& map, const std::string& key, const std::optional<Date>& date) {
  if (date) {
    map.set(key, Value::string(date->iso()));
  }
}
void put(Value& map, const std::string& key, const std::optional<int>& n) {
  if (n) {
    map.set(key, Value::plain(std::to_string(*n)));
  }
}
void put(Value& map, const std::string& key, const std::optional<Interval>& interval) {
  if (interval) {
    map.set(key, Value::plain(interval->str()));
  }
}
void put_bool(Value& map, const std::string& key, bool flag) {
  if (flag) {
    map.set(key, Value::plain("true"));
  }
}
void put_list(Value& map, const std::string& key, const std::vector<std::string>& items) {
  if (items.empty()) {
    return;
  }
  Value seq = Value::sequence();
  for (const auto& item : items) {
    seq.items.push_back(Value::string(item));
  }
  map.set(key, std::move(seq));
}
/// "-12" or "7"; nothing for "1-2", "3-", "" or anything longer than 5 digits.
std::optional<int> parse_whole_number(const std::string& text) {
  const size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == start || text.size() - start > 5 ||
      text.find_first_not_of("0123456789", start) != std::string::npos) {
    return std::nullopt;
  }
  const int magnitude = std::stoi(text.substr(start));
  return start == 1 ? -magnitude : magnitude;
}

void put_schema(Value& map, int schema) { map.set("schema", Value::plain(std::to_string(schema))); }
void put_extras(Value& map, const Extras& extras) {
  for (const auto& [key, value] : extras) {
    map.entries.emplace_back(Value::plain(key), value);
  }
}

// --- rules ---

Rule decode_rule(const Value& v, DecodeContext& context) {
  Rule rule;
  Fields f(v, context, "");
  rule.first = f.interval("first");
  rule.every = f.interval("every");
  rule.warn = f.interval("warn");
  rule.types = f.text_list("types");
  rule.follow_up = f.interval("follow_up");
  rule.window = f.interval("window");
  if (const Value* instruments = f.map("instruments")) {
    for (const auto& [key, value] : instruments->entries) {
      if (!is_config_key(key.text) || !value.is_map()) {
        f.error(key, "'instruments' maps an instrument ID to its rule (every, first, window, note)");
        continue;
      }
      rule.instruments.push_back(InstrumentRule{key.text, decode_rule(value, context)});
    }
  }
  if (const Value* term = v.is_map() ? v.find("term") : nullptr; term && term->is_scalar() && term->text == "never") {
    rule.never_expires = true;
    f.get("term", Need::optional);  // taken: "never" is not an interval
  } else {
    rule.term = f.interval("term");
  }
  rule.note = f.text("note", Need::optional, Lines::multi);
  rule.extra = f.rest();
  return rule;
}

Rules decode_rules(const Value& v, DecodeContext& context) {
  Rules rules;
  Fields f(v, context, "");
  if (const Value* r = f.map("review")) {
    rules.review = decode_rule(*r, context);
  }
  if (const Value* r = f.map("assessment")) {
    rules.assessment = decode_rule(*r, context);
  }
  if (const Value* r = f.map("contact")) {
    rules.contact = decode_rule(*r, context);
  }
  if (const Value* r = f.map("consent")) {
    rules.consent = decode_rule(*r, context);
  }
  if (const Value* r = f.map("referral")) {
    rules.referral = decode_rule(*r, context);
  }
  if (const Value* r = f.map("safety")) {
    rules.safety = decode_rule(*r, context);
  }
  rules.extra = f.rest();
  return rules;
}

Value encode_rule(const Rule& rule) {
  Value map = Value::map();
  put(map, "first", rule.first);
  put(map, "every", rule.every);
  put(map, "warn", rule.warn);
  put_list(map, "types", rule.types);
  put(map, "follow_up", rule.follow_up);
  put(map, "window", rule.window);
  if (!rule.instruments.empty()) {
    Value instruments = Value::map();
    for (const auto& ir : rule.instruments) {
      instruments.set(ir.instrument, encode_rule(ir.rule));
    }
    map.set("instruments", std::move(instruments));
  }
  if (rule.never_expires) {
    map.set("term", Value::plain("never"));
  } else {
    put(map, "term", rule.term);
  }
  put(map, "note", rule.note);
  put_extras(map, rule.extra);
  return map;
}

Value encode_rules(const Rules& rules) {
  Value map = Value::map();
  const std::pair<const char*, const Rule*> all[] = {
      {"review", &rules.review}, {"assessment", &rules.assessment}, {"contact", &rules.contact},
      {"consent", &rules.consent}, {"referral", &rules.referral}, {"safety", &rules.safety}};
  for (const auto& [name, rule] : all) {
    Value encoded = encode_rule(*rule);
    if (!encoded.entries.empty()) {
      map.set(name, std::move(encoded));
    }
  }
  put_extras(map, rules.extra);
  return map;
}

std::map<std::string, Rules> decode_risk_rules(const Value& v, DecodeContext& context, Fields& parent,
                                               const std::vector<std::string>& risk_levels) {
  std::map<std::string, Rules> out;
  for (const auto& [key, value] : v.entries) {
    if (std::find(risk_levels.begin(), risk_levels.end(), key.text) == risk_levels.end()) {
      parent.error(key, fmt::format("'risk' names unknown risk level '{}' (known: {})", key.text,
                                    join(risk_levels, ", ")));
      continue;
    }
    if (!value.is_map()) {
      parent.error(value, "rules for a risk level must be a map of keys");
      continue;
    }
    out[key.text] = decode_rules(value, context);
  }
  return out;
}

// --- face sheet parts ---

Person decode_person(const Value& v, DecodeContext& context) {
  Fields f(v, context, "");
  Person p;
  p.name = f.text("name", Need::required);
  p.relation = f.text("relation");
  p.role = f.text("role");
  p.organization = f.text("organization");
  p.phone = f.text("phone");
  p.dob = f.date("dob");
  p.extra = f.rest();
  return p;
}

Value encode_person(const Person& p) {
  Value map = Value::map();
  put(map, "name", p.name);
  put(map, "relation", p.relation);
  put(map, "role", p.role);
  put(map, "organization", p.organization);
  put(map, "phone", p.phone);
  put(map, "dob", p.dob);
  put_extras(map, p.extra);
  return map;
}

Consent decode_consent(const Value& v, DecodeContext& context) {
  Fields f(v, context, "");
  Consent c;
  c.party = f.text("party", Need::required);
  c.purpose = f.text("purpose");
  c.signed_on = f.date("signed");
  c.expires = f.date("expires");
  c.revoked = f.date("revoked");
  c.extra = f.rest();
  if (c.signed_on && c.expires && *c.expires < *c.signed_on) {
    f.error(*v.find("expires"), "the consent expires before it was signed");
  }
  return c;
}

Value encode_consent(const Consent& c) {
  Value map = Value::map();
  put(map, "party", c.party);
  put(map, "purpose", c.purpose);
  put(map, "signed", c.signed_on);
  put(map, "expires", c.expires);
  put(map, "revoked", c.revoked);
  put_extras(map, c.extra);
  return map;
}

Flag decode_flag(const Value& v, DecodeContext& context) {
  Fields f(v, context, "");
  Flag flag;
  flag.id = f.text("id");
  flag.flag = f.text("flag", Need::required);
  flag.since = f.date("since");
  flag.urgent = f.boolean("urgent");
  flag.note = f.text("note", Need::optional, Lines::multi);
  flag.cleared = f.date("cleared");
  flag.cleared_reason = f.text("cleared_reason", Need::optional, Lines::multi);
  if (flag.cleared && trim(flag.cleared_reason).empty()) {
    f.error(v, "a cleared flag needs 'cleared_reason'");
  }
  flag.extra = f.rest();
  return flag;
}

Value encode_flag(const Flag& flag) {
  Value map = Value::map();
  put(map, "id", flag.id);
  put(map, "flag", flag.flag);
  put(map, "since", flag.since);
  put_bool(map, "urgent", flag.urgent);
  put(map, "note", flag.note);
  put(map, "cleared", flag.cleared);
  put(map, "cleared_reason", flag.cleared_reason);
  put_extras(map, flag.extra);
  return map;
}

CaseEvent decode_event(const Value& v, DecodeContext& context) {
  Fields f(v, context, "");
  CaseEvent e;
  e.date = f.date("date", Need::required).value_or(Date{});
  e.event = f.text("event", Need::required);
  e.from = f.text("from");
  e.to = f.text("to");
  e.reason = f.text("reason");
  e.note = f.text("note", Need::optional, Lines::multi);
  e.extra = f.rest();
  return e;
}

Value encode_event(const CaseEvent& e) {
  Value map = Value::map();
  put(map, "date", std::optional<Date>(e.date));
  put(map, "event", e.event);
  put(map, "from", e.from);
  put(map, "to", e.to);
  put(map, "reason", e.reason);
  put(map, "note", e.note);
  put_extras(map, e.extra);
  return map;
}

}  // namespace

bool DecodeContext::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& d) { return !d.warning && d.path == path; });
}

std::string record_kind(const Value& root) {
  const Value* kind = root.is_map() ? root.find("kind") : nullptr;
  return kind && kind->is_scalar() ? kind->text : std::string();
}

// --- casectl.yaml ---

/// A contact rule may count only contact types the agency has (a misspelt type would never count).
void check_contact_rule_types(const Config& config, Fields& f, const Value& root) {
  std::vector<const Rules*> all = {&config.rules};
  for (const auto& [level, rules] : config.risk) {
    all.push_back(&rules);
  }
  for (const auto& program : config.programs) {
    all.push_back(&program.rules);
    for (const auto& [level, rules] : program.risk) {
      all.push_back(&rules);
    }
  }
  for (const Rules* rules : all) {
    for (const auto& type : rules->contact.types) {
      if (!config.knows_contact_type(type)) {
        f.error(root, fmt::format("a contact rule's 'types' names '{}', which is not in contact_types", type));
      }
    }
  }
}

std::optional<Config> decode_config(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "casectl.yaml")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Config config;
  config.schema = f.schema();
  config.agency = f.text("agency");
  if (auto window = f.interval("due_soon")) {
    config.due_soon = *window;
  }
  std::unordered_set<std::string> worker_ids;
  for (const Value* w : f.map_list("workers")) {
    Fields wf(*w, context, "worker: ");
    Worker worker;
    worker.id = wf.key_text("id", Need::required);
    worker.name = wf.text("name");
    worker.email = wf.text("email");
    worker.login = wf.text("login");
    worker.active = wf.boolean("active", true);
    worker.extra = wf.rest();
    if (!worker_ids.insert(worker.id).second) {
      wf.error(*w, fmt::format("worker '{}' is listed twice", worker.id));
    }
    config.workers.push_back(std::move(worker));
  }
  config.index_workers();
  auto key_list = [&](const std::string& key, std::vector<std::string> fallback) {
    if (!root.find(key)) {
      f.get(key, Need::optional);
      return fallback;
    }
    auto list = f.text_list(key);
    for (const auto& item : list) {
      if (!is_config_key(item)) {
        f.error(*root.find(key), fmt::format("'{}' entries must be short keys (a-z, 0-9, '.', '_', '-')", key));
        break;
      }
    }
    return list;
  };
  config.risk_levels = key_list("risk_levels", {"low", "medium", "high"});
  config.closure_reasons = key_list("closure_reasons", {"goals-met", "withdrew", "lost-contact", "moved",
                                                        "transferred", "deceased", "ineligible", "other"});
  config.contact_types =
      key_list("contact_types", {"phone", "visit", "office", "video", "email", "text", "collateral", "attempt"});
  config.required_at_intake = key_list("required_at_intake", {});
  for (const auto& field : config.required_at_intake) {
    if (field != "program" && field != "worker" && field != "risk") {
      f.error(*root.find("required_at_intake"), "'required_at_intake' may name program, worker and risk");
    }
  }
  if (const Value* r = f.map("rules")) {
    config.rules = decode_rules(*r, context);
  }
  if (const Value* r = f.map("risk")) {
    config.risk = decode_risk_rules(*r, context, f, config.risk_levels);
  }
  if (const Value* g = f.map("git")) {
    Fields gf(*g, context, "git: ");
    config.git.commit = gf.boolean("commit");
    const std::string pull = gf.text("pull");
    if (pull == "rebase" || pull == "merge") {
      config.git.pull = pull;
    } else if (!pull.empty()) {
      gf.error(*g->find("pull"), "'pull' must be rebase or merge");
    }
    config.git.extra = gf.rest();
  }
  for (const Value* p : f.map_list("programs")) {
    Fields pf(*p, context, "program: ");
    Program program;
    program.id = pf.key_text("id", Need::required);
    program.name = pf.text("name");
    if (const Value* r = pf.map("rules")) {
      program.rules = decode_rules(*r, context);
    }
    if (const Value* r = pf.map("risk")) {
      program.risk = decode_risk_rules(*r, context, pf, config.risk_levels);
    }
    program.extra = pf.rest();
    if (config.find_program(program.id)) {
      pf.error(*p, fmt::format("program '{}' is listed twice", program.id));
    }
    config.programs.push_back(std::move(program));
  }
  config.extra = f.rest();
  check_contact_rule_types(config, f, root);
  return result_if_clean(std::move(config), context);
}

// --- case.yaml ---

std::optional<Case> decode_case(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a face sheet")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Case c;
  c.schema = f.schema();
  c.id = f.text("id", Need::required);
  if (!c.id.empty() && !is_case_id(c.id)) {
    f.error(*root.find("id"), "'id' is not a case ID (c- and 8 characters of a-z, 2-7)");
  }
  const std::string status = f.text("status", Need::required);
  if (status == "closed") {
    c.status = CaseStatus::closed;
  } else if (!status.empty() && status != "open") {
    f.error(*root.find("status"), "'status' must be open or closed");
  }
  if (const Value* client = f.map("client", Need::required)) {
    Fields cf(*client, context, "client: ");
    c.client.name = cf.text("name", Need::required);
    c.client.dob = cf.date("dob");
    c.client.phone = cf.text("phone");
    c.client.email = cf.text("email");
    c.client.address = cf.text("address", Need::optional, Lines::multi);
    c.client.language = cf.text("language");
    c.client.member_id = cf.text("member_id");
    c.client.extra = cf.rest();
  }
  c.program = f.key_text("program");
  c.worker = f.key_text("worker");
  c.risk = f.key_text("risk");
  if (context.config) {
    check_known(f, root, "program", c.program, context.config->program_ids(), "program");
    // A worker who is no longer listed does not make the case unreadable: `check` says so instead.
    check_known(f, root, "risk", c.risk, context.config->risk_levels, "risk level");
  }
  c.opened = f.date("opened", Need::required).value_or(Date{});
  c.closed = f.date("closed");
  c.closure_reason = f.text("closure_reason");
  c.referred_by = f.text("referred_by");
  for (const Value* p : f.map_list("household")) {
    c.household.push_back(decode_person(*p, context));
  }
  for (const Value* p : f.map_list("care_team")) {
    c.care_team.push_back(decode_person(*p, context));
  }
  for (const Value* p : f.map_list("consents")) {
    c.consents.push_back(decode_consent(*p, context));
  }
  for (const Value* p : f.map_list("flags")) {
    c.flags.push_back(decode_flag(*p, context));
  }
  c.tags = f.text_list("tags");
  if (const Value* r = f.map("rules")) {
    c.rules = decode_rules(*r, context);
  }
  c.review_on = f.date("review_on");
  for (const Value* e : f.map_list("history")) {
    c.history.push_back(decode_event(*e, context));
  }
  c.extra = f.rest();
  if (c.status == CaseStatus::closed && !c.closed) {
    f.error_here("a closed case needs 'closed' (the date it was closed)");
  }
  if (c.status == CaseStatus::open && c.closed) {
    f.error(*root.find("closed"), "an open case has a 'closed' date; reopen it with 'casectl reopen' or fix status");
  }
  if (c.closed && *c.closed < c.opened) {
    f.error(*root.find("closed"), "the case is closed before it was opened");
  }
  return result_if_clean(std::move(c), context);
}

Value encode_case(const Case& c) {
  Value map = Value::map();
  put_schema(map, c.schema);
  put(map, "id", c.id);
  put(map, "status", to_string(c.status));
  Value client = Value::map();
  put(client, "name", c.client.name);
  put(client, "dob", c.client.dob);
  put(client, "phone", c.client.phone);
  put(client, "email", c.client.email);
  put(client, "address", c.client.address);
  put(client, "language", c.client.language);
  put(client, "member_id", c.client.member_id);
  put_extras(client, c.client.extra);
  map.set("client", std::move(client));
  put(map, "program", c.program);
  put(map, "worker", c.worker);
  put(map, "risk", c.risk);
  put(map, "opened", std::optional<Date>(c.opened));
  put(map, "closed", c.closed);
  put(map, "closure_reason", c.closure_reason);
  put(map, "referred_by", c.referred_by);
  auto put_maps = [&](const char* key, const auto& list, auto encode) {
    if (list.empty()) {
      return;
    }
    Value seq = Value::sequence();
    for (const auto& item : list) {
      seq.items.push_back(encode(item));
    }
    map.set(key, std::move(seq));
  };
  put_maps("household", c.household, encode_person);
  put_maps("care_team", c.care_team, encode_person);
  put_maps("consents", c.consents, encode_consent);
  put_maps("flags", c.flags, encode_flag);
  put_list(map, "tags", c.tags);
  if (!c.rules->empty()) {
    map.set("rules", encode_rules(*c.rules));
  }
  put(map, "review_on", c.review_on);
  put_maps("history", c.history, encode_event);
  put_extras(map, c.extra);
  return map;
}

// --- plan.yaml ---

std::optional<Plan> decode_plan(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a plan")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Plan plan;
  plan.schema = f.schema();
  plan.case_id = f.case_ref();
  for (const Value* g : f.map_list("goals")) {
    Fields gf(*g, context, "goal: ");
    Goal goal;
    goal.id = gf.key_text("id", Need::required);
    goal.goal = gf.text("goal", Need::required, Lines::multi);
    goal.domain = gf.text("domain");
    const std::string status = gf.text("status", Need::required);
    if (auto s = parse_goal_status(status)) {
      goal.status = *s;
    } else if (!status.empty()) {
      gf.error(*g->find("status"), fmt::format("'status' must be one of {}", join(goal_status_names(), ", ")));
    }
    goal.created = gf.date("created");
    goal.target = gf.date("target");
    goal.responsible = gf.text("responsible");
    goal.steps = gf.text_list("steps");
    for (const Value* p : gf.map_list("progress")) {
      Fields pf(*p, context, "progress: ");
      Progress progress;
      progress.date = pf.date("date", Need::required).value_or(Date{});
      progress.note = pf.text("note", Need::optional, Lines::multi);
      const std::string pstatus = pf.text("status");
      if (!pstatus.empty()) {
        progress.status = parse_goal_status(pstatus);
        if (!progress.status) {
          pf.error(*p->find("status"), fmt::format("'status' must be one of {}", join(goal_status_names(), ", ")));
        }
      }
      progress.worker = pf.text("worker");
      progress.extra = pf.rest();
      goal.progress.push_back(std::move(progress));
    }
    goal.extra = gf.rest();
    if (plan.find(goal.id)) {
      gf.error(*g, fmt::format("goal id '{}' is used twice", goal.id));
    }
    plan.goals.push_back(std::move(goal));
  }
  plan.extra = f.rest();
  return result_if_clean(std::move(plan), context);
}

Value encode_plan(const Plan& plan) {
  Value map = Value::map();
  put_schema(map, plan.schema);
  put(map, "case", plan.case_id);
  Value goals = Value::sequence();
  for (const auto& goal : plan.goals) {
    Value g = Value::map();
    put(g, "id", goal.id);
    put(g, "goal", goal.goal);
    put(g, "domain", goal.domain);
    put(g, "status", to_string(goal.status));
    put(g, "created", goal.created);
    put(g, "target", goal.target);
    put(g, "responsible", goal.responsible);
    put_list(g, "steps", goal.steps);
    if (!goal.progress.empty()) {
      Value progress = Value::sequence();
      for (const auto& p : goal.progress) {
        Value entry = Value::map();
        put(entry, "date", std::optional<Date>(p.date));
        put(entry, "note", p.note);
        if (p.status) {
          put(entry, "status", to_string(*p.status));
        }
        put(entry, "worker", p.worker);
        put_extras(entry, p.extra);
        progress.items.push_back(std::move(entry));
      }
      g.set("progress", std::move(progress));
    }
    put_extras(g, goal.extra);
    goals.items.push_back(std::move(g));
  }
  map.entries.emplace_back(Value::plain("goals"), std::move(goals));
  put_extras(map, plan.extra);
  return map;
}

// --- dated records ---

std::optional<Contact> decode_contact(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a contact note")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Contact c;
  c.schema = f.schema();
  f.expect_kind("contact");
  c.id = f.record_id();
  c.case_id = f.case_ref();
  c.at = f.date_time("at", Need::required).value_or(DateTime{});
  c.type = f.key_text("type", Need::required);
  if (context.config && c.type != "addendum") {
    check_known(f, root, "type", c.type, context.config->contact_types, "contact type");
  }
  c.with = f.text_list("with");
  c.minutes = f.integer("minutes", 0, 24 * 60);
  c.worker = f.text("worker");
  c.follow_up = f.date("follow_up");
  c.amends = f.text("amends");
  c.note = f.text("note", Need::optional, Lines::multi);
  c.extra = f.rest();
  return result_if_clean(std::move(c), context);
}

Value encode_contact(const Contact& c) {
  Value map = Value::map();
  put_schema(map, c.schema);
  put(map, "kind", std::string("contact"));
  put(map, "id", c.id);
  put(map, "case", c.case_id);
  put(map, "at", c.at.iso());
  put(map, "type", c.type);
  put_list(map, "with", c.with);
  put(map, "minutes", c.minutes);
  put(map, "worker", c.worker);
  put(map, "follow_up", c.follow_up);
  put(map, "amends", c.amends);
  put(map, "note", c.note);
  put_extras(map, c.extra);
  return map;
}

std::optional<Assessment> decode_assessment(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "an assessment")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Assessment a;
  a.schema = f.schema();
  f.expect_kind("assessment");
  a.id = f.record_id();
  a.case_id = f.case_ref();
  a.date = f.date("date", Need::required).value_or(Date{});
  a.instrument = f.key_text("instrument", Need::required);
  a.instrument_version = f.text("instrument_version");
  a.worker = f.text("worker");
  if (const Value* scores = f.map("scores", Need::required)) {
    for (const auto& [key, value] : scores->entries) {
      Score s;
      if (value.is_scalar() && value.text == "na") {
        a.scores.emplace_back(key.text, s);
        continue;
      }
      const auto number = value.is_scalar() ? parse_whole_number(value.text) : std::nullopt;
      const bool ok = number.has_value();
      s.value = number;
      if (!ok) {
        f.error(value, fmt::format("score of '{}' must be a whole number or na", key.text));
        continue;
      }
      a.scores.emplace_back(key.text, s);
    }
  }
  a.total = f.integer("total", -100000, 100000);
  a.band = f.text("band");
  a.flags = f.text_list("flags");
  a.note = f.text("note", Need::optional, Lines::multi);
  a.extra = f.rest();
  return result_if_clean(std::move(a), context);
}

Value encode_assessment(const Assessment& a) {
  Value map = Value::map();
  put_schema(map, a.schema);
  put(map, "kind", std::string("assessment"));
  put(map, "id", a.id);
  put(map, "case", a.case_id);
  put(map, "date", std::optional<Date>(a.date));
  put(map, "instrument", a.instrument);
  put(map, "instrument_version", a.instrument_version);
  put(map, "worker", a.worker);
  Value scores = Value::map();
  for (const auto& [item, s] : a.scores) {
    scores.entries.emplace_back(Value::plain(item), s.value ? Value::plain(std::to_string(*s.value)) : Value::string("na"));
  }
  map.entries.emplace_back(Value::plain("scores"), std::move(scores));
  put(map, "total", a.total);
  put(map, "band", a.band);
  put_list(map, "flags", a.flags);
  put(map, "note", a.note);
  put_extras(map, a.extra);
  return map;
}

std::optional<Review> decode_review(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a review")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Review r;
  r.schema = f.schema();
  f.expect_kind("review");
  r.id = f.record_id();
  r.case_id = f.case_ref();
  r.date = f.date("date", Need::required).value_or(Date{});
  const std::string outcome = f.text("outcome", Need::required);
  if (auto o = parse_review_outcome(outcome)) {
    r.outcome = *o;
  } else if (!outcome.empty()) {
    f.error(*root.find("outcome"), "'outcome' must be continue, revise or close");
  }
  r.worker = f.text("worker");
  r.note = f.text("note", Need::optional, Lines::multi);
  r.extra = f.rest();
  return result_if_clean(std::move(r), context);
}

Value encode_review(const Review& r) {
  Value map = Value::map();
  put_schema(map, r.schema);
  put(map, "kind", std::string("review"));
  put(map, "id", r.id);
  put(map, "case", r.case_id);
  put(map, "date", std::optional<Date>(r.date));
  put(map, "outcome", to_string(r.outcome));
  put(map, "worker", r.worker);
  put(map, "note", r.note);
  put_extras(map, r.extra);
  return map;
}

std::optional<Referral> decode_referral(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a referral")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Referral r;
  r.schema = f.schema();
  f.expect_kind("referral");
  r.id = f.record_id();
  r.case_id = f.case_ref();
  r.date = f.date("date", Need::required).value_or(Date{});
  r.to = f.text("to", Need::required);
  r.service = f.text("service");
  r.reason = f.text("reason", Need::optional, Lines::multi);
  r.follow_up = f.date("follow_up");
  r.worker = f.text("worker");
  r.without_consent = f.text("without_consent", Need::optional, Lines::multi);
  r.extra = f.rest();
  return result_if_clean(std::move(r), context);
}

Value encode_referral(const Referral& r) {
  Value map = Value::map();
  put_schema(map, r.schema);
  put(map, "kind", std::string("referral"));
  put(map, "id", r.id);
  put(map, "case", r.case_id);
  put(map, "date", std::optional<Date>(r.date));
  put(map, "to", r.to);
  put(map, "service", r.service);
  put(map, "reason", r.reason);
  put(map, "follow_up", r.follow_up);
  put(map, "worker", r.worker);
  put(map, "without_consent", r.without_consent);
  put_extras(map, r.extra);
  return map;
}

std::optional<ReferralUpdate> decode_referral_update(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "a referral update")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  ReferralUpdate u;
  u.schema = f.schema();
  f.expect_kind("referral-update");
  u.id = f.record_id();
  u.referral = f.record_id("referral");
  u.case_id = f.case_ref();
  u.date = f.date("date", Need::required).value_or(Date{});
  const std::string status = f.text("status", Need::required);
  if (auto s = parse_referral_status(status)) {
    u.status = *s;
  } else if (!status.empty()) {
    f.error(*root.find("status"), fmt::format("'status' must be one of {}", join(referral_status_names(), ", ")));
  }
  u.sequence = f.integer("sequence", 0, 100000).value_or(0);
  u.recorded = f.date_time("recorded");
  u.follow_up = f.date("follow_up");
  u.worker = f.text("worker");
  u.note = f.text("note", Need::optional, Lines::multi);
  u.extra = f.rest();
  return result_if_clean(std::move(u), context);
}

Value encode_referral_update(const ReferralUpdate& u) {
  Value map = Value::map();
  put_schema(map, u.schema);
  put(map, "kind", std::string("referral-update"));
  put(map, "id", u.id);
  put(map, "referral", u.referral);
  put(map, "case", u.case_id);
  put(map, "date", std::optional<Date>(u.date));
  put(map, "status", to_string(u.status));
  if (u.sequence > 0) {
    put(map, "sequence", std::optional<int>(u.sequence));
  }
  if (u.recorded) {
    put(map, "recorded", u.recorded->iso());
  }
  put(map, "follow_up", u.follow_up);
  put(map, "worker", u.worker);
  put(map, "note", u.note);
  put_extras(map, u.extra);
  return map;
}

// --- instruments ---

std::optional<Instrument> decode_instrument(const Value& root, DecodeContext& context) {
  if (!require_map(root, context, "an instrument")) {
    return std::nullopt;
  }
  Fields f(root, context, "");
  Instrument ins;
  ins.schema = f.schema();
  ins.id = f.key_text("id", Need::required);
  ins.title = f.text("title", Need::required);
  ins.version = f.text("version");
  ins.source = f.text("source", Need::optional, Lines::multi);
  ins.licence = f.text("licence", Need::optional, Lines::multi);
  ins.attribution = f.text("attribution", Need::optional, Lines::multi);
  ins.prompt = f.text("prompt", Need::optional, Lines::multi);
  ins.note = f.text("note", Need::optional, Lines::multi);
  const std::string scoring = f.text("scoring", Need::required);
  if (scoring == "domains") {
    ins.scoring = Scoring::domains;
  } else if (!scoring.empty() && scoring != "sum") {
    f.error(*root.find("scoring"), "'scoring' must be sum or domains");
  }
  const std::string better = f.text("better");
  if (better == "lower") {
    ins.lower_is_better = true;
  } else if (!better.empty() && better != "higher") {
    f.error(*root.find("better"), "'better' must be higher or lower");
  }
  ins.meaningful_change = f.integer("meaningful_change", 1, 1000);
  for (const Value* p : f.map_list("scale")) {
    Fields sf(*p, context, "scale: ");
    ScalePoint point;
    point.value = sf.integer("value", -1000, 1000, Need::required).value_or(0);
    point.label = sf.text("label", Need::required);
    sf.rest();
    if (ins.in_scale(point.value)) {
      sf.error(*p, fmt::format("scale value {} is listed twice", point.value));
    }
    ins.scale.push_back(point);
  }
  if (ins.scale.empty()) {
    f.error_here("an instrument needs a 'scale' with at least one value");
  }
  for (const Value* i : f.map_list("items")) {
    Fields itf(*i, context, "item: ");
    Item item;
    item.id = itf.key_text("id", Need::required);
    item.text = itf.text("text", Need::required, Lines::multi);
    for (const Value* l : itf.map_list("levels")) {
      Fields lf(*l, context, "level: ");
      const int value = lf.integer("value", -1000, 1000, Need::required).value_or(0);
      item.levels.emplace_back(value, lf.text("text", Need::required, Lines::multi));
      lf.rest();
      if (!ins.in_scale(value)) {
        lf.error(*l, fmt::format("level {} is not on the instrument's scale", value));
      }
    }
    item.allow_na = itf.boolean("allow_na");
    if (const Value* flag = itf.map("flag")) {
      Fields ff(*flag, context, "flag: ");
      ItemFlag item_flag;
      item_flag.above = ff.integer("above", -1000, 1000, Need::required).value_or(0);
      item_flag.name = ff.text("name", Need::required);
      item_flag.urgent = ff.boolean("urgent");
      ff.rest();
      item.flag = item_flag;
    }
    itf.rest();
    if (ins.find_item(item.id)) {
      itf.error(*i, fmt::format("item '{}' is listed twice", item.id));
    }
    ins.items.push_back(std::move(item));
  }
  if (ins.items.empty()) {
    f.error_here("an instrument needs at least one entry in 'items'");
  }
  for (const Value* b : f.map_list("bands")) {
    Fields bf(*b, context, "band: ");
    Band band;
    band.min = bf.integer("min", -100000, 100000, Need::required).value_or(0);
    band.label = bf.text("label", Need::required);
    bf.rest();
    ins.bands.push_back(std::move(band));
  }
  ins.extra = f.rest();
  return result_if_clean(std::move(ins), context);
}

}  // namespace casectl::storage
