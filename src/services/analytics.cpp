#include "casectl/services/analytics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "casectl/model/due.hpp"
#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/exchange.hpp"
#include "casectl/storage/sql_database.hpp"
#include "casectl/storage/store.hpp"

namespace casectl::services {
namespace {

// The tables, in the order a loader fills them: every table refers to agencies and cases only through columns
// that come first.
enum Table : size_t {
  agencies, cases, clients, history, flags, consents, goals, goal_progress,
  contacts, assessments, assessment_scores, reviews, referrals, referral_updates, due, k_tables
};

Column text(std::string name, std::string doc, Privacy privacy = Privacy::kept) {
  return {std::move(name), ColumnType::text, privacy, std::move(doc)};
}
Column integer(std::string name, std::string doc) { return {std::move(name), ColumnType::integer, Privacy::kept, std::move(doc)}; }
Column day(std::string name, std::string doc) { return {std::move(name), ColumnType::text, Privacy::date, std::move(doc)}; }
Column key(std::string name, std::string doc) {
  Column c{std::move(name), ColumnType::text, Privacy::kept, std::move(doc)};
  c.not_null = true;
  return c;
}

Column agency_column() { return key("agency", "the agency, as casectl.yaml names it"); }
Column case_column() {
  Column c = key("case_id", "the case ID (de-identified: the case's pseudonym)");
  c.privacy = Privacy::case_key;
  return c;
}

/// A table of the records of a case: agency and case first, a key of its own, referring to the case.
TableSchema case_table(std::string name, std::string doc, std::vector<Column> columns,
                       std::vector<std::string> own_key, std::vector<std::vector<std::string>> indexes = {}) {
  TableSchema t;
  t.name = std::move(name);
  t.doc = std::move(doc);
  t.columns = {agency_column(), case_column()};
  t.columns.insert(t.columns.end(), columns.begin(), columns.end());
  t.primary_key = {"agency", "case_id"};
  t.primary_key.insert(t.primary_key.end(), own_key.begin(), own_key.end());
  t.foreign_keys = {{{"agency", "case_id"}, "cases", {"agency", "case_id"}}};
  t.indexes = std::move(indexes);
  return t;
}

std::vector<TableSchema> identified_tables() {
  std::vector<TableSchema> t(k_tables);
  t[agencies] = {"agencies", "one row per agency in the database: what was exported and as of which day",
                 {agency_column(), day("as_of", "the day the export answers for (--today)"),
                  integer("deidentified", "1 when de-identified"), integer("cases", "the cases exported")},
                 {"agency"}, {}, {}};
  t[cases] = case_table(
      "cases", "one row per case, as it stood at the end of the export's day",
      {text("status", "open or closed"), text("program", "the program's ID"), text("worker", "the worker's ID"),
       text("risk", "the risk level"), day("opened", "the day the case was first opened"),
       day("closed", "the day it was last closed, while closed"), day("episode_start", "the opening or latest reopening"),
       text("closure_reason", "one of casectl.yaml's closure_reasons, while closed"),
       text("referred_by", "who referred the client", Privacy::identifying),
       day("review_on", "the review date set by hand, if any"),
       integer("birth_year", "the client's year of birth (de-identified: none for ages over 89)"),
       integer("age", "the age reached in the export's year (de-identified: 90 for 90 and over)")},
      {}, {{"agency", "program"}, {"agency", "worker"}});
  t[cases].foreign_keys = {{{"agency"}, "agencies", {"agency"}}};
  t[clients] = case_table(
      "clients", "the client's identity (identified exports only)",
      {text("name", "the client's name", Privacy::identifying), day("dob", "date of birth"),
       text("phone", "", Privacy::identifying), text("email", "", Privacy::identifying),
       text("address", "", Privacy::identifying), text("language", "preferred language", Privacy::identifying),
       text("member_id", "insurance or Medicaid member ID", Privacy::identifying)},
      {});
  t[clients].identified_only = true;
  t[history] = case_table(
      "history", "the case's events: opened, closed, reopened, transferred, program-changed, risk-changed",
      {integer("seq", "1, 2, … in the order of the face sheet"), day("date", "the event's day"),
       text("event", "what happened"), text("from_value", "the worker, program or risk before a change"),
       text("to_value", "the worker, program or risk after a change")},
      {"seq"}, {{"agency", "event", "date"}});
  t[flags] = case_table("flags", "flags raised on the case, open or cleared",
                        {integer("seq", "1, 2, … in the order of the face sheet"),
                         text("flag_id", "the flag's record ID (what due.ref names for a safety item)"),
                         text("flag", "the flag", Privacy::identifying), day("since", "raised on"),
                         integer("urgent", "1 when urgent"), day("cleared", "cleared on, if cleared")},
                        {"seq"});
  t[consents] = case_table("consents", "consents to share information",
                           {integer("seq", "1, 2, … in the order of the face sheet"),
                            text("party", "with whom", Privacy::identifying),
                            text("purpose", "for what", Privacy::identifying), day("signed", "signed on"),
                            day("expires", "expires on"), day("revoked", "revoked on"),
                            integer("valid", "1 when valid on the export's day")},
                           {"seq"});
  t[goals] = case_table("goals", "the service plan's goals (their wording is left out)",
                        {text("goal_id", "the goal's ID in the plan"), text("domain", "the goal's domain"),
                         text("status", "active, met, partly-met, not-met or dropped"), day("created", "set on"),
                         day("target", "to be reached by")},
                        {"goal_id"});
  t[goal_progress] = case_table("goal_progress", "progress recorded on goals (the notes are left out)",
                                {text("goal_id", "the goal"), integer("seq", "1, 2, … per goal, oldest first"),
                                 day("date", "recorded on"), text("status", "the goal's status from then on, if changed"),
                                 text("worker", "who recorded it")},
                                {"goal_id", "seq"});
  t[goal_progress].foreign_keys.push_back({{"agency", "case_id", "goal_id"}, "goals", {"agency", "case_id", "goal_id"}});
  t[contacts] = case_table(
      "contacts", "contact notes (the notes are left out)",
      {text("contact_id", "the record's ID"), day("date", "the day of the contact"),
       text("time", "the time of day, HH:MM, if given", Privacy::identifying),
       text("type", "one of casectl.yaml's contact_types (attempt: nobody reached)"),
       text("kind", "client, collateral, attempt or addendum: only client contacts are contacts with the client"),
       integer("minutes", "the contact's length"), text("worker", "who made it"),
       day("follow_up", "a follow-up promised by"), text("amends", "the contact an addendum corrects")},
      {"contact_id"}, {{"agency", "date"}});
  t[assessments] = case_table(
      "assessments", "assessments with an instrument",
      {text("assessment_id", "the record's ID"),
       integer("seq", "1, 2, … per case, oldest first: the order within a day (or, de-identified, a year)"),
       day("date", "the day"), text("instrument", "the instrument's ID"),
       text("instrument_version", "its version"), text("worker", "who gave it"),
       integer("total", "the total score, when the instrument has one"), text("band", "the total's band")},
      {"assessment_id"}, {{"agency", "instrument", "date"}});
  t[assessment_scores] = case_table(
      "assessment_scores", "each item's answer",
      {text("assessment_id", "the assessment"), text("item", "the item's ID in the instrument"),
       integer("score", "the answer; NULL for not applicable")},
      {"assessment_id", "item"});
  t[assessment_scores].foreign_keys.push_back(
      {{"agency", "case_id", "assessment_id"}, "assessments", {"agency", "case_id", "assessment_id"}});
  t[reviews] = case_table("reviews", "periodic reviews (the notes are left out)",
                          {text("review_id", "the record's ID"), day("date", "the day"),
                           text("outcome", "continue, revise or close"), text("worker", "who reviewed")},
                          {"review_id"});
  t[referrals] = case_table(
      "referrals", "referrals to other services (the reasons are left out)",
      {text("referral_id", "the record's ID"), day("date", "sent on"),
       text("provider", "to whom", Privacy::identifying), text("service", "for what service", Privacy::identifying),
       day("follow_up", "an answer expected by"), text("worker", "who referred"),
       integer("without_consent", "1 when sent with no valid consent covering the provider"),
       text("status", "sent, accepted, declined, completed or no-response: its latest update's")},
      {"referral_id"});
  t[referral_updates] = case_table(
      "referral_updates", "answers to referrals (the notes are left out)",
      {text("update_id", "the record's ID"), text("referral_id", "the referral answered"), day("date", "the day"),
       integer("seq", "1, 2, … per referral and day"), text("status", "the referral's status from then on"),
       day("follow_up", "a new date an answer is expected by"), text("worker", "who recorded it"),
       {"recorded", ColumnType::text, Privacy::identifying,
        "the moment it was recorded, in UTC (ISO 8601); empty for answers written before schema 2; de-identified: "
        "left out, it would date the case"}},
      {"update_id"});
  t[due] = case_table(
      "due", "what is due for the open cases on the export's day, as `casectl due` lists it with no window",
      {text("kind", "review, assessment, contact, goal, follow-up, referral, consent or safety"),
       day("due", "due on"), integer("overdue", "1 when past its due day"),
       {"days_overdue", ColumnType::integer, Privacy::identifying,
        "the export's day minus the due day (negative: not yet due); de-identified: left out, it would date the case"},
       text("worker", "the case's worker"), text("program", "the case's program"),
       text("ref", "the goal, contact, referral or consent concerned"),
       text("reason", "the rule and the date it counts from", Privacy::identifying)},
      {}, {{"agency", "case_id"}});
  t[due].primary_key.clear();
  return t;
}

/// The value of each cell, identified or de-identified.
class Values {
 public:
  Values(const Session& session, bool deidentify)
      : m_config(session.config()), m_today(session.today), m_programs(m_config.program_ids()),
        m_workers(m_config.worker_ids()), m_contact_types(m_config.contact_types) {
    m_contact_types.insert(m_contact_types.end(), {"attempt", "collateral", "addendum"});
    if (deidentify) {
      m_deidentifier.emplace(session);
    }
  }
  const Deidentifier* deidentifier() const { return m_deidentifier ? &*m_deidentifier : nullptr; }
  const Config& config() const { return m_config; }
  Date today() const { return m_today; }

  SqlValue case_key(const std::string& id) const { return m_deidentifier ? m_deidentifier->pseudonym(id) : id; }
  /// A day: its year when de-identified.
  SqlValue day(const std::optional<Date>& date) const {
    if (!date) {
      return {};
    }
    return m_deidentifier ? SqlValue(int64_t{date->year()}) : SqlValue(date->iso());
  }
  /// A value of a closed list: "other" when de-identified and not on the list.
  SqlValue listed(const std::string& value, const std::vector<std::string>& list) const {
    return text(m_deidentifier ? Deidentifier::listed(value, list) : value);
  }
  SqlValue program(const std::string& value) const { return listed(value, m_programs); }
  SqlValue worker(const std::string& value) const { return listed(value, m_workers); }
  SqlValue risk(const std::string& value) const { return listed(value, m_config.risk_levels); }
  SqlValue contact_type(const std::string& value) const { return listed(value, m_contact_types); }
  /// A history event: casectl writes only these (a face sheet edited by hand may say anything).
  SqlValue event(const std::string& value) const {
    static const std::vector<std::string> events = {
        "opened", "closed", "reopened", assignment_event(Assignment::worker), assignment_event(Assignment::program),
        assignment_event(Assignment::risk), "flag", "urgent-flag", "flag-cleared", "safety-flag", "review-scheduled"};
    return listed(value, events);
  }
  /// The worker, program or risk level a history event names.
  SqlValue assigned(const std::string& event, const std::string& value) const {
    if (event == assignment_event(Assignment::worker)) {
      return worker(value);
    }
    if (event == assignment_event(Assignment::program)) {
      return program(value);
    }
    return event == assignment_event(Assignment::risk) ? risk(value) : listed(value, {});
  }

  static SqlValue text(const std::string& value) { return value.empty() ? SqlValue() : SqlValue(value); }
  static SqlValue number(std::optional<int> n) { return n ? SqlValue(int64_t{*n}) : SqlValue(); }
  static SqlValue yes(bool b) { return int64_t{b ? 1 : 0}; }

 private:
  const Config& m_config;
  Date m_today;
  std::vector<std::string> m_programs, m_workers, m_contact_types;
  std::optional<Deidentifier> m_deidentifier;
};

/// Turns a case into its rows.
class RowWriter {
 public:
  RowWriter(const Values& values, TableSink& sink) : v(values), m_sink(sink) {}
  /// The row of the agency, once its cases are written.
  void agency(int64_t case_count) {
    add(agencies, {c_agency(), v.day(v.today()), Values::yes(v.deidentifier() != nullptr), case_count});
  }

  /// The rows the face sheet holds: the case, the client, the history, the flags, the consents.
  void face(const Case& c) {
    const SqlValue agency = c_agency(), key = v.case_key(c.id);
    if (wants(cases)) {
      case_row(agency, key, c);
    }
    if (wants(clients)) {
      const Client& k = c.client;
      add(clients, {agency, key, k.name, v.day(k.dob), Values::text(k.phone), Values::text(k.email),
                    Values::text(k.address), Values::text(k.language), Values::text(k.member_id)});
    }
    int64_t seq = 0;
    for (const auto& e : wants(history) ? c.history : none<CaseEvent>()) {
      add(history, {agency, key, ++seq, v.day(e.date), v.event(e.event), v.assigned(e.event, e.from), v.assigned(e.event, e.to)});
    }
    seq = 0;
    for (const auto& f : wants(flags) ? c.flags : none<Flag>()) {
      add(flags, {agency, key, ++seq, Values::text(f.id), Values::text(f.flag), v.day(f.since), Values::yes(f.urgent), v.day(f.cleared)});
    }
    seq = 0;
    for (const auto& consent : wants(consents) ? c.consents : none<Consent>()) {
      add(consents, {agency, key, ++seq, Values::text(consent.party), Values::text(consent.purpose),
                     v.day(consent.signed_on), v.day(consent.expires), v.day(consent.revoked),
                     Values::yes(consent.valid_on(v.today()))});
    }
  }

  /// The rows of the plan and the dated records, and what is due.
  void records(const CaseFile& file) {
    const SqlValue agency = c_agency(), key = v.case_key(file.face.id);
    if (file.plan && (wants(goals) || wants(goal_progress))) {
      plan(agency, key, *file.plan);
    }
    for (const auto& k : wants(contacts) ? file.contacts : none<Contact>()) {
      add(contacts, {agency, key, k.id, v.day(k.at.date), fmt::format("{:02}:{:02}", k.at.minutes / 60, k.at.minutes % 60),
                     v.contact_type(k.type), to_string(k.kind()), Values::number(k.minutes), v.worker(k.worker),
                     v.day(k.follow_up), Values::text(k.amends)});
    }
    int64_t seq = 0;
    for (const auto& a : wants(assessments) || wants(assessment_scores) ? file.assessments : none<Assessment>()) {
      assessment(agency, key, a, ++seq);
    }
    for (const auto& r : wants(reviews) ? file.reviews : none<Review>()) {
      add(reviews, {agency, key, r.id, v.day(r.date), to_string(r.outcome), v.worker(r.worker)});
    }
    for (const auto& r : wants(referrals) ? file.referrals : none<Referral>()) {
      add(referrals, {agency, key, r.id, v.day(r.date), Values::text(r.to), Values::text(r.service),
                      v.day(r.follow_up), v.worker(r.worker), Values::yes(!r.without_consent.empty()),
                      to_string(file.referral_status(r.id))});
    }
    for (const auto& u : wants(referral_updates) ? file.referral_updates : none<ReferralUpdate>()) {
      add(referral_updates, {agency, key, u.id, u.referral, v.day(u.date), int64_t{u.sequence}, to_string(u.status),
                             v.day(u.follow_up), v.worker(u.worker),
                             u.recorded ? SqlValue(u.recorded->iso()) : SqlValue()});
    }
    if (!wants(due)) {
      return;
    }
    for (const auto& item : due_items(file, v.config(), v.today())) {
      add(due, {agency, key, item.kind, v.day(item.due), Values::yes(item.overdue()), int64_t{item.days_overdue}, v.worker(item.worker),
                v.program(item.program), Values::text(item.ref), item.reason});
    }
  }

 private:
  const Values& v;
  TableSink& m_sink;

  SqlValue c_agency() const { return v.config().agency; }
  bool wants(Table table) const { return m_sink.wants(table); }
  /// No records: what a loop goes through for a table the sink does not want.
  template <typename Record>
  static const std::vector<Record>& none() {
    static const std::vector<Record> empty;
    return empty;
  }
  void add(Table table, const SqlRow& row) { m_sink.add(table, row); }

  void case_row(const SqlValue& agency, const SqlValue& key, const Case& c) {
    std::optional<int> age, birth_year;
    if (c.client.dob) {
      age = v.today().year() - c.client.dob->year();
      birth_year = c.client.dob->year();
      if (v.deidentifier() && *age > 89) {
        age = 90;
        birth_year.reset();
      }
    }
    const bool closed = !c.is_open();
    add(cases, {agency, key, to_string(c.status), v.program(c.program), v.worker(c.worker), v.risk(c.risk),
                v.day(c.opened), v.day(closed ? c.closed : std::nullopt), v.day(c.episode_start()),
                closed ? v.listed(c.closure_reason, v.config().closure_reasons) : SqlValue(), Values::text(c.referred_by),
                v.day(c.review_on), Values::number(birth_year), Values::number(age)});
  }

  void plan(const SqlValue& agency, const SqlValue& key, const Plan& p) {
    static const std::vector<std::string> no_domains;
    const auto& domains = v.deidentifier() ? v.deidentifier()->domains() : no_domains;
    for (const auto& g : p.goals) {
      add(goals, {agency, key, g.id, v.deidentifier() ? v.listed(g.domain, domains) : Values::text(g.domain),
                  to_string(g.status), v.day(g.created), v.day(g.target)});
      int64_t seq = 0;
      for (const auto& progress : g.progress) {
        add(goal_progress, {agency, key, g.id, ++seq, v.day(progress.date),
                            progress.status ? SqlValue(to_string(*progress.status)) : SqlValue(),
                            v.worker(progress.worker)});
      }
    }
  }

  /// De-identified, an assessment with an instrument the repository does not hold is left out (its name and items
  /// are no closed list), and so are answers to items and bands the instrument does not have.
  void assessment(const SqlValue& agency, const SqlValue& key, const Assessment& a, int64_t seq) {
    const Instrument* instrument = nullptr;
    if (v.deidentifier()) {
      instrument = v.deidentifier()->instrument(a.instrument);
      if (instrument == nullptr) {
        return;
      }
    }
    auto known_band = [&] {
      return !instrument || std::any_of(instrument->bands.begin(), instrument->bands.end(),
                                        [&](const Band& b) { return b.label == a.band; });
    };
    const bool known_version = !instrument || a.instrument_version == instrument->version;
    add(assessments, {agency, key, a.id, seq, v.day(a.date), a.instrument,
                      known_version ? Values::text(a.instrument_version) : SqlValue(),
                      v.worker(a.worker), Values::number(a.total), known_band() ? Values::text(a.band) : SqlValue()});
    for (const auto& [item, score] : a.scores) {
      const auto is_item = [&id = item](const Item& i) { return i.id == id; };  // clang 14 captures no binding
      if (!instrument || std::any_of(instrument->items.begin(), instrument->items.end(), is_item)) {
        add(assessment_scores, {agency, key, a.id, item, Values::number(score.value)});
      }
    }
  }
};

/// Passes on the rows of a de-identified export: without the identified-only tables and the identifying columns.
class DeidentifyingSink : public TableSink {
 public:
  DeidentifyingSink(const std::vector<TableSchema>& identified, TableSink& out) : m_out(out) {
    for (const auto& table : identified) {
      std::vector<size_t> kept;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].privacy != Privacy::identifying) {
          kept.push_back(i);
        }
      }
      m_kept.push_back(table.identified_only ? std::nullopt : std::optional(kept));
      m_position.push_back(m_next);
      m_next += table.identified_only ? 0 : 1;
    }
  }
  bool wants(size_t table) const override { return m_kept[table] && m_out.wants(m_position[table]); }
  void add(size_t table, const SqlRow& row) override {
    if (!m_kept[table]) {
      return;
    }
    SqlRow kept;
    for (const size_t i : *m_kept[table]) {
      kept.push_back(row[i]);
    }
    m_out.add(m_position[table], kept);
  }

 private:
  TableSink& m_out;
  std::vector<std::optional<std::vector<size_t>>> m_kept;
  std::vector<size_t> m_position;  ///< each table's place among the de-identified tables
  size_t m_next = 0;
};

/// Turns cases into rows on a second thread, in the order given, so that reading the next cases and inserting the
/// rows of these share the two cores. Cases go over in batches, a few batches at most waiting; what the second
/// thread throws, `finish` throws again. A batch in rows comes back to be released on the thread that made it:
/// glibc's allocator takes the maker's lock for each block another thread frees, and the two threads would queue
/// on it (releasing them there took as long as making their rows).
class RowThread {
 public:
  RowThread(RowWriter& writer, bool faces_only)
      : m_writer(writer), m_faces_only(faces_only), m_thread([this] { run(); }) {
    m_batch.reserve(k_batch);
  }
  ~RowThread() { stop(); }
  RowThread(const RowThread&) = delete;
  RowThread& operator=(const RowThread&) = delete;

  void add(CaseFile&& file) {
    m_batch.push_back(std::move(file));
    if (m_batch.size() == k_batch) {
      hand_over();
    }
  }
  /// Waits until every case is in rows.
  void finish() {
    hand_over();
    stop();
    if (m_failure) {
      std::rethrow_exception(m_failure);
    }
  }

 private:
  static constexpr size_t k_batch = 64, k_waiting = 4;
  RowWriter& m_writer;
  const bool m_faces_only;
  std::vector<CaseFile> m_batch;
  std::mutex m_mutex;
  std::condition_variable m_ready, m_room;
  std::deque<std::vector<CaseFile>> m_waiting;
  std::vector<std::vector<CaseFile>> m_done_with;  ///< batches in rows, to be released here
  bool m_done = false;
  std::exception_ptr m_failure;
  std::thread m_thread;

  void hand_over() {
    if (m_batch.empty()) {
      return;
    }
    std::vector<std::vector<CaseFile>> done_with;
    {
      std::unique_lock lock(m_mutex);
      m_room.wait(lock, [&] { return m_waiting.size() < k_waiting || m_failure; });
      if (!m_failure) {  // else the rows are not wanted any more: `finish` throws
        m_waiting.push_back(std::move(m_batch));
        m_ready.notify_one();
      }
      done_with.swap(m_done_with);
    }
    m_batch.clear();
    if (!done_with.empty()) {  // its room serves the next batch
      m_batch = std::move(done_with.back());
      m_batch.clear();
    }
    m_batch.reserve(k_batch);
  }
  void stop() {
    {
      std::lock_guard lock(m_mutex);
      m_done = true;
    }
    m_ready.notify_one();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  void run() {
    for (;;) {
      std::vector<CaseFile> batch;
      {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_waiting.empty() || m_done; });
        if (m_waiting.empty()) {
          return;
        }
        batch = std::move(m_waiting.front());
        m_waiting.pop_front();
        m_room.notify_one();
      }
      try {
        for (const auto& file : batch) {
          m_writer.face(file.face);
          if (!m_faces_only) {
            m_writer.records(file);
          }
        }
        std::lock_guard lock(m_mutex);
        m_done_with.push_back(std::move(batch));
      } catch (...) {
        std::lock_guard lock(m_mutex);
        m_failure = std::current_exception();
        m_room.notify_one();
        return;
      }
    }
  }
};

/// Which of the tables hold only what the face sheet holds.
bool from_face_sheet(size_t table) {
  return table == cases || table == clients || table == history || table == flags || table == consents;
}

}  // namespace

std::vector<TableSchema> analytics_tables(bool deidentify) {
  auto tables = identified_tables();
  if (!deidentify) {
    return tables;
  }
  std::vector<TableSchema> out;
  for (const auto& table : tables) {
    if (!table.identified_only) {
      out.push_back(deidentified(table));
    }
  }
  return out;
}

void export_tables(const Session& session, const std::vector<std::string>& terms, bool deidentify, TableSink& sink,
                   Problems& problems) {
  const Values values(session, deidentify);
  const auto identified = identified_tables();
  DeidentifyingSink deidentifying(identified, sink);
  TableSink& out = deidentify ? deidentifying : sink;
  RowWriter writer(values, out);
  int64_t count = 0;
  for_each_matching_case(
      session, terms, false,
      [&](const CaseFile& file) {
        ++count;
        writer.face(file.face);
        writer.records(file);
      },
      problems);
  writer.agency(count);
}

}  // namespace casectl::services

namespace casectl::services {

void export_sqlite(const Session& session, const std::vector<std::string>& terms, bool deidentify,
                   const std::string& path, bool replace, Problems& problems) {
  storage::write_sqlite_file(path, replace, analytics_tables(deidentify),
                             [&](TableSink& sink) { export_tables(session, terms, deidentify, sink, problems); });
}

void write_postgres_script(const Session& session, const std::vector<std::string>& terms, bool deidentify,
                           const std::function<void(const std::string&)>& write, Problems& problems) {
  const auto tables = analytics_tables(deidentify);
  struct CopyText : TableSink {  // each table's COPY lines, so that parents load before the rows that refer to them
    std::vector<std::string> lines;
    void add(size_t table, const SqlRow& row) override { lines[table] += copy_line(row); }
  } copy;
  copy.lines.resize(tables.size());
  export_tables(session, terms, deidentify, copy, problems);
  write("-- casectl export for PostgreSQL: psql -v ON_ERROR_STOP=1 -f FILE DATABASE\n"
        "\\set ON_ERROR_STOP on\nSET client_encoding = 'UTF8';\nBEGIN;\n");
  for (const auto& table : tables) {
    write(create_table_statement(table, SqlDialect::postgres) + ";\n");
    for (const auto& index : create_index_statements(table)) {
      write(index + ";\n");
    }
  }
  for (size_t t = 0; t < tables.size(); ++t) {
    std::vector<std::string> names;
    for (const auto& column : tables[t].columns) {
      names.push_back(quote_identifier(column.name));
    }
    write(fmt::format("COPY {} ({}) FROM stdin;\n", quote_identifier(tables[t].name), join(names, ", ")));
    write(copy.lines[t]);
    write("\\.\n");
  }
  write("COMMIT;\n");
}

SqlResult run_sql(const Session& session, const std::string& statement, Problems& problems) {
  const auto tables = identified_tables();
  storage::SqlQuery query(tables, statement);
  bool faces_only = true, any = false;
  for (size_t t = 0; t < tables.size(); ++t) {
    any = any || query.reads(t);
    faces_only = faces_only && (!query.reads(t) || from_face_sheet(t) || t == agencies);
  }
  if (any) {
    const Values values(session, false);
    RowWriter writer(values, query.sink());
    int64_t count = 0;
    {
      RowThread rows(writer, faces_only);
      problems.add(session.store->for_each_case(
          [&](storage::CaseView& view) {
            if (faces_only) {
              Case face = view.take_face();
              if (face.opened <= session.today) {
                ++count;
                rows.add(CaseFile{as_of(std::move(face), session.today), {}, {}, {}, {}, {}, {}});
              }
            } else if (CaseFile facts = view.take_facts(); facts.face.opened <= session.today) {
              ++count;
              rows.add(as_of(std::move(facts), session.today));
            }
          },
          faces_only ? storage::Reading::faces : storage::Reading::histories));
      rows.finish();
    }
    writer.agency(count);
  }
  auto answer = query.run();
  return {std::move(answer.columns), std::move(answer.rows)};
}

}  // namespace casectl::services
