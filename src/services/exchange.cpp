#include "casectl/services/exchange.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <unordered_map>
#include <sodium.h>

#include "casectl/model/case_file.hpp"
#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/store.hpp"
#include "services/validate.hpp"

namespace casectl::services {
namespace {

std::string column_key(const std::string& header) {
  std::string key = to_lower(trim(header));
  std::replace(key.begin(), key.end(), ' ', '_');
  std::replace(key.begin(), key.end(), '-', '_');
  static const std::map<std::string, std::string> aliases = {
      {"date_of_birth", "dob"}, {"birth_date", "dob"},   {"birthdate", "dob"},     {"client", "name"},
      {"client_name", "name"},  {"full_name", "name"},   {"phone_number", "phone"}, {"telephone", "phone"},
      {"e_mail", "email"},      {"caseworker", "worker"}, {"case_worker", "worker"}, {"risk_level", "risk"},
      {"referral_source", "referred_by"}, {"referred", "referred_by"}, {"open_date", "opened"},
      {"intake_date", "opened"}, {"member", "member_id"}, {"medicaid_id", "member_id"}};
  if (auto it = aliases.find(key); it != aliases.end()) {
    return it->second;
  }
  return key;
}

}  // namespace

Deidentifier::Deidentifier(const Session& session)
    : m_key(session.store->pseudonym_key()), m_config(session.config()), m_year(session.today.year()) {
  if (sodium_init() < 0) {
    throw Error(ErrorKind::internal, "libsodium cannot start");
  }
  for (const auto& id : session.store->instrument_ids()) {
    Instrument instrument = session.store->load_instrument(id);
    for (const auto& item : instrument.items) {
      m_domains.push_back(item.id);
    }
    m_instruments.emplace(id, std::move(instrument));
  }
}

std::string Deidentifier::listed(const std::string& value, const std::vector<std::string>& allowed) {
  if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return value;
  }
  return "other";
}

const Instrument* Deidentifier::instrument(const std::string& id) const {
  const auto it = m_instruments.find(id);
  return it == m_instruments.end() ? nullptr : &it->second;
}

std::string Deidentifier::pseudonym(const std::string& case_id) const {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(case_id.data()), case_id.size(),
                     reinterpret_cast<const unsigned char*>(m_key.data()), m_key.size());
  std::string out = "p-";
  for (int i = 0; i < 10; ++i) {  // 50 bits, in the alphabet of case IDs
    out += k_id_alphabet[hash[i] % 32];
  }
  return out;
}

DeidentifiedCase Deidentifier::operator()(const CaseFile& file) const {
  const Case& c = file.face;
  DeidentifiedCase d;
  d.pseudonym = pseudonym(c.id);
  if (c.client.dob) {
    const int age = m_year - c.client.dob->year();  // reached this year: the same whatever the day of the export
    if (age > 89) {
      d.age = "90+";
    } else {
      d.age = std::to_string(age);
      d.birth_year = std::to_string(c.client.dob->year());
    }
  }
  d.program = listed(c.program, m_config.program_ids());
  d.worker = listed(c.worker, m_config.worker_ids());
  d.risk = listed(c.risk, m_config.risk_levels);
  d.status = to_string(c.status);
  d.closure_reason = listed(c.closure_reason, m_config.closure_reasons);
  d.opened_year = c.opened.year();
  if (c.closed) {
    d.closed_year = c.closed->year();
  }
  for (const auto& contact : file.contacts) {  // contacts with the client, as the due rules and reports count them
    if (contact.kind() == ContactKind::attempt) {
      ++d.attempts;
    } else if (contact.kind() == ContactKind::client) {
      ++d.contacts;
      d.minutes += contact.minutes.value_or(0);
    }
  }
  d.reviews = static_cast<int>(file.reviews.size());
  for (const auto& a : file.assessments) {
    const auto instrument = m_instruments.find(a.instrument);
    if (instrument == m_instruments.end()) {
      continue;  // an instrument the repository does not hold: its name and scores are not a closed list
    }
    DeidentifiedCase::Scores scores{a.instrument, a.date.year(), a.total, {}, {}};
    for (const auto& band : instrument->second.bands) {
      if (band.label == a.band) {
        scores.band = a.band;
      }
    }
    for (const auto& item_score : a.scores) {
      if (std::any_of(instrument->second.items.begin(), instrument->second.items.end(),
                      [&](const Item& i) { return i.id == item_score.first; })) {
        scores.scores.push_back(item_score);
      }
    }
    d.assessments.push_back(std::move(scores));
  }
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      d.goals.push_back({listed(goal.domain, m_domains), to_string(goal.status)});
    }
  }
  for (const auto& r : file.referrals) {
    d.referrals.push_back({r.date.year(), to_string(file.referral_status(r.id))});
  }
  return d;
}

std::vector<CsvRow> parse_csv(const std::string& text) {
  std::vector<CsvRow> rows;
  CsvRow row{1, {}};
  std::string field;
  bool quoted = false;
  bool field_started = false;
  int line = 1;
  auto end_field = [&] {
    row.fields.push_back(field);
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) {
      rows.push_back(row);
    }
    row = CsvRow{line, {}};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') {
          ++line;
        }
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
      row.line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (field_started || !field.empty() || !row.fields.empty()) {
    end_row();
  }
  if (quoted) {
    throw Error(ErrorKind::data, fmt::format("line {}: a quoted field is never closed", row.line));
  }
  return rows;
}

namespace {

/// The cases as they were opened, by the values an import row gives: a row whose values a case was opened with
/// is that client, already imported (by an earlier run, or an earlier row of the file).
class ImportedRows {
 public:
  void add(const Case& c, const std::string& label) {
    const Case opened = as_of(c, c.opened);
    m_labels.try_emplace(key(opened, true), label);
    m_labels.try_emplace(key(opened, false), label);
  }
  /// The case (or row) `c` was already imported as; `with_opened` when the row gave the opening date.
  const std::string* find(const Case& c, bool with_opened) const {
    const auto it = m_labels.find(key(c, with_opened));
    return it == m_labels.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string, std::string> m_labels;

  static std::string key(const Case& c, bool with_opened) {
    const Client& k = c.client;
    return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", k.name,
                       k.dob ? k.dob->iso() : "", k.phone, k.email, k.address, k.language, k.member_id,
                       c.referred_by, c.program, c.worker, c.risk, with_opened ? c.opened.iso() : "");
  }
};

}  // namespace

namespace {

/// A configured name as casectl.yaml spells it, matched whatever the case: a spreadsheet's "Housing" is housing.
std::string configured_spelling(const std::string& value, const std::vector<std::string>& known) {
  const std::string lower = to_lower(value);
  for (const auto& name : known) {
    if (to_lower(name) == lower) {
      return name;
    }
  }
  return value;
}

}  // namespace

const std::vector<std::string>& import_columns() {
  static const std::vector<std::string> columns = {"name",     "dob",       "program", "worker", "risk",
                                                   "phone",    "email",     "address", "language",
                                                   "member_id", "referred_by", "opened", "tags"};
  return columns;
}

ImportResult import_csv(const Session& session, const std::string& raw_text, const std::string& path, bool dry_run,
                        bool skip_bad, DayMonthOrder date_order) {
  ImportResult result;
  // Spreadsheets save "CSV UTF-8" with a byte-order mark in front.
  const std::string text = starts_with(raw_text, "\xEF\xBB\xBF") ? raw_text.substr(3) : raw_text;
  if (auto problem = find_text_problem(text)) {
    if (problem->reason.find("carriage return") == std::string::npos) {
      throw Error(ErrorKind::data, fmt::format("{}: {}", path, problem->reason));
    }
  }
  const auto rows = parse_csv(text);
  if (rows.empty()) {
    throw Error(ErrorKind::data, fmt::format("{}: the file is empty; a header row is needed", path));
  }
  std::vector<std::string> keys;
  for (const auto& header : rows[0].fields) {
    keys.push_back(column_key(header));
    const auto& known = import_columns();
    if (std::find(known.begin(), known.end(), keys.back()) == known.end()) {
      auto hint = closest_match(keys.back(), known);
      result.warnings.push_back(Diagnostic{path, 1, 0,
                                           fmt::format("unknown column '{}' is not imported{}", trim(header),
                                                       hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""),
                                           true});
    }
  }
  if (std::find(keys.begin(), keys.end(), "name") == keys.end()) {
    throw Error(ErrorKind::data, fmt::format("{}: the header row has no 'name' column", path));
  }

  // A dry run only reads, so it does not keep writers waiting.
  std::optional<storage::Transaction> tx;
  if (!dry_run) {
    tx.emplace(session.store->begin());
  }
  DuplicateRegister known;  // the clients of the repository, then those of the rows before
  ImportedRows imported;     // and the values each case was opened with
  session.store->for_each_case(
      [&](storage::CaseView& view) {
        known.add(view.face(), view.id());
        imported.add(view.face(), view.id());
      },
      storage::Reading::faces);
  Problems ignored;
  CaseIds taken(session.store->case_ids(ignored));
  std::vector<std::string> staged;  // the IDs of the cases staged in the transaction (none in a dry run)
  const Config& config = session.config();
  const ProgressSink& progress = session.store->progress();
  for (size_t r = 1; r < rows.size(); ++r) {
    report_progress(progress, "reading rows", r - 1, rows.size() - 1);
    const CsvRow& row = rows[r];
    if (std::all_of(row.fields.begin(), row.fields.end(), [](const std::string& f) { return trim(f).empty(); })) {
      continue;  // a row of empty cells (",,,"), as spreadsheets save below the data
    }
    ++result.rows;
    int column = 0;  // the field being read, for the message: row and column, never the value
    try {
      if (row.fields.size() != keys.size()) {
        throw Error(ErrorKind::data, fmt::format("has {} fields; the header has {}", row.fields.size(), keys.size()));
      }
      IntakeRequest request;
      for (size_t i = 0; i < keys.size(); ++i) {
        column = static_cast<int>(i) + 1;
        const std::string value = trim(row.fields[i]);
        const std::string& key = keys[i];
        auto date = [&]() -> std::optional<Date> {
          if (value.empty()) {
            return std::nullopt;
          }
          const auto parsed = parse_spreadsheet_date(value, date_order);
          if (parsed.ambiguous) {
            throw Error(ErrorKind::data, fmt::format("{}: the day and the month could be either way round; say "
                                                     "which comes first with --date-format mdy or dmy",
                                                     key));
          }
          if (!parsed.date) {
            throw Error(ErrorKind::data,
                        fmt::format("{}: not a date (1980-03-15, 3/15/1980, 15 Mar 1980, Mar 15, 1980)", key));
          }
          return parsed.date;
        };
        if (key == "name") {
          request.name = checked_name(value);
        } else if (key == "dob") {
          request.dob = date();
        } else if (key == "opened") {
          request.opened = date();
        } else if (key == "program") {
          request.program = configured_spelling(value, config.program_ids());
          require_program(config, request.program);
        } else if (key == "worker") {
          request.worker = configured_spelling(value, config.worker_ids());
          require_worker(config, request.worker);
        } else if (key == "risk") {
          request.risk = configured_spelling(value, config.risk_levels);
          require_risk(config, request.risk);
        } else if (key == "phone") {
          request.phone = value;
        } else if (key == "email") {
          request.email = value;
        } else if (key == "address") {
          request.address = value;
        } else if (key == "language") {
          request.language = value;
        } else if (key == "member_id") {
          request.member_id = value;
        } else if (key == "referred_by") {
          request.referred_by = value;
        } else if (key == "tags") {
          request.tags = {value};
        }
      }
      column = 0;
      Case c = new_case(session, request);
      if (const std::string* before = imported.find(c, request.opened.has_value())) {
        result.already_imported.push_back(*before);
        result.warnings.push_back(Diagnostic{
            path, row.line, 0, fmt::format("already imported: {} was opened with these values; not imported again",
                                           *before),
            true});
        continue;
      }
      for (const auto& warning : missing_at_intake(session.config(), c)) {
        result.warnings.push_back(Diagnostic{path, row.line, 0, warning, true});
      }
      const std::string label = fmt::format("line {} of this file", row.line);
      for (const auto& warning : duplicate_warnings(known.find_then_add(c, label))) {
        result.warnings.push_back(Diagnostic{path, row.line, 0, warning, true});
      }
      c.id = taken.fresh();
      imported.add(c, label);
      if (tx && (skip_bad || result.problems.empty())) {  // staged now: a Case is 2 KB, its face sheet 0.3 KB
        tx->create_case(c);
        staged.push_back(c.id);
      }
    } catch (const Error& e) {
      result.problems.push_back(Diagnostic{path, row.line, column, e.what()});
    }
  }
  report_progress(progress, "reading rows", rows.size() - 1, rows.size() - 1);
  if (dry_run || (!result.problems.empty() && !skip_bad)) {
    return result;
  }
  tx->commit();  // every case of the file, or none
  result.created = std::move(staged);
  return result;
}

}  // namespace casectl::services
