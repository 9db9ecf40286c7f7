#include "storage/case_digest.hpp"

#include <array>
#include <cstdint>
#include <type_traits>

namespace casectl::storage {
namespace {

// One description per struct, `describe(stream, value)`, serves both directions: the Writer appends each field,
// the Reader fills it. Integers are zigzag varints; strings and lists carry their length first.

class Writer {
 public:
  std::string out;

  template <typename T>
  void operator()(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      out += value ? '\1' : '\0';
    } else if constexpr (std::is_enum_v<T>) {
      number(static_cast<int64_t>(value));
    } else if constexpr (std::is_integral_v<T>) {
      number(static_cast<int64_t>(value));
    } else {
      describe(*this, value);
    }
  }

 private:
  void number(int64_t n) {
    auto z = (static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63);
    while (z >= 0x80) {
      out += static_cast<char>((z & 0x7f) | 0x80);
      z >>= 7;
    }
    out += static_cast<char>(z);
  }
};

// How many values each enum kept in a digest has: a number beyond them is damage or a hand-made file (whose
// sums were made to hold), never a value — the model's code handles only the values it declares.
constexpr int64_t values_of(Value::Kind) { return static_cast<int64_t>(Value::Kind::map) + 1; }
constexpr int64_t values_of(CaseStatus) { return static_cast<int64_t>(CaseStatus::closed) + 1; }
constexpr int64_t values_of(GoalStatus) { return static_cast<int64_t>(GoalStatus::dropped) + 1; }
constexpr int64_t values_of(ContactKind) { return static_cast<int64_t>(ContactKind::addendum) + 1; }
constexpr int64_t values_of(ReviewOutcome) { return static_cast<int64_t>(ReviewOutcome::close) + 1; }
constexpr int64_t values_of(ReferralStatus) { return static_cast<int64_t>(ReferralStatus::no_response) + 1; }
constexpr int64_t values_of(EntryType) { return static_cast<int64_t>(EntryType::other) + 1; }

class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}

  template <typename T>
  void operator()(T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      value = byte() != 0;
    } else if constexpr (std::is_enum_v<T>) {
      const int64_t n = number();
      if (n < 0 || n >= values_of(T{})) {
        throw DigestError();
      }
      value = static_cast<T>(n);
    } else if constexpr (std::is_integral_v<T>) {
      value = static_cast<T>(number());
    } else {
      describe(*this, value);
    }
  }

  std::string_view take(size_t n) {
    if (n > m_in.size() - m_pos) {
      throw DigestError();
    }
    const auto part = m_in.substr(m_pos, n);
    m_pos += n;
    return part;
  }
  size_t count() {  // a length, never more than the bytes left could hold
    const auto n = number();
    if (n < 0 || static_cast<uint64_t>(n) > m_in.size() - m_pos) {
      throw DigestError();
    }
    return static_cast<size_t>(n);
  }
  bool done() const { return m_pos == m_in.size(); }

 private:
  std::string_view m_in;
  size_t m_pos = 0;

  unsigned char byte() { return static_cast<unsigned char>(take(1)[0]); }
  int64_t number() {
    uint64_t z = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const unsigned char b = byte();
      z |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
      }
    }
    throw DigestError();
  }
};

void describe(Writer& s, const std::string& text) {
  s(text.size());
  s.out += text;
}
void describe(Reader& s, std::string& text) { text = std::string(s.take(s.count())); }

template <typename T>
void describe(Writer& s, const std::optional<T>& value) {
  s(value.has_value());
  if (value) {
    s(*value);
  }
}
template <typename T>
void describe(Reader& s, std::optional<T>& value) {
  bool present = false;
  s(present);
  value.reset();
  if (present) {
    value.emplace();
    s(*value);
  }
}

template <typename T>
void describe(Writer& s, const Boxed<T>& box) {
  s(box.holds());
  if (box.holds()) {
    s(*box);
  }
}
template <typename T>
void describe(Reader& s, Boxed<T>& box) {
  bool present = false;
  s(present);
  box = Boxed<T>();
  if (present) {
    s(box.edit());
  }
}

template <typename T>
void describe(Writer& s, const std::vector<T>& items) {
  s(items.size());
  for (const auto& item : items) {
    s(item);
  }
}
template <typename T>
void describe(Reader& s, std::vector<T>& items) {
  items.clear();
  items.resize(s.count());  // each item takes at least one byte, so a damaged count cannot ask for much
  for (auto& item : items) {
    s(item);
  }
}

template <typename T, size_t N>
void describe(Reader& s, std::array<T, N>& items) {
  for (auto& item : items) {
    s(item);
  }
}
template <typename T, size_t N>
void describe(Writer& s, const std::array<T, N>& items) {
  for (const auto& item : items) {
    s(item);
  }
}

template <typename A, typename B>
void describe(Reader& s, std::pair<A, B>& pair) {
  s(pair.first);
  s(pair.second);
}
template <typename A, typename B>
void describe(Writer& s, const std::pair<A, B>& pair) {
  s(pair.first);
  s(pair.second);
}

void describe(Writer& s, const Date& date) { s(date.days()); }
void describe(Reader& s, Date& date) {
  int days = 0;
  s(days);
  date = Date::from_days(days);
}

// Each struct once, for both directions: `V` is `const T` when writing.
template <typename S, typename V>
void describe_value(S& s, V& v) {
  s(v.kind);
  s(v.text);
  s(v.quoted);
  s(v.items);
  s(v.entries);
}
void describe(Writer& s, const Value& v) { describe_value(s, v); }
void describe(Reader& s, Value& v) { describe_value(s, v); }

#define CASECTL_DESCRIBE(Type, ...)                          \
  template <typename S, typename V>                          \
  void describe_##Type(S& s, V& v) {                         \
    __VA_ARGS__;                                             \
  }                                                          \
  [[maybe_unused]] void describe(Writer& s, const Type& v) { describe_##Type(s, v); } \
  [[maybe_unused]] void describe(Reader& s, Type& v) { describe_##Type(s, v); }

CASECTL_DESCRIBE(Diagnostic, s(v.path); s(v.line); s(v.column); s(v.message); s(v.warning))
CASECTL_DESCRIBE(DateTime, s(v.date); s(v.minutes); s(v.offset_minutes))
CASECTL_DESCRIBE(Interval, s(v.count); s(v.unit))
CASECTL_DESCRIBE(Score, s(v.value))
CASECTL_DESCRIBE(Rule, s(v.first); s(v.every); s(v.warn); s(v.types); s(v.follow_up); s(v.term); s(v.never_expires);
                 s(v.window); s(v.instruments); s(v.note); s(v.extra))
CASECTL_DESCRIBE(InstrumentRule, s(v.instrument); s(v.rule))
CASECTL_DESCRIBE(Rules, s(v.review); s(v.assessment); s(v.contact); s(v.consent); s(v.referral); s(v.safety);
                 s(v.extra))
CASECTL_DESCRIBE(Client, s(v.name); s(v.dob); s(v.phone); s(v.email); s(v.address); s(v.language); s(v.member_id);
                 s(v.extra))
CASECTL_DESCRIBE(Person, s(v.name); s(v.relation); s(v.role); s(v.organization); s(v.phone); s(v.dob); s(v.extra))
CASECTL_DESCRIBE(Consent, s(v.party); s(v.purpose); s(v.signed_on); s(v.expires); s(v.revoked); s(v.extra))
CASECTL_DESCRIBE(Flag, s(v.id); s(v.flag); s(v.since); s(v.urgent); s(v.note); s(v.cleared); s(v.cleared_reason);
                 s(v.extra))
CASECTL_DESCRIBE(CaseEvent, s(v.date); s(v.event); s(v.from); s(v.to); s(v.reason); s(v.note); s(v.extra))
CASECTL_DESCRIBE(Case, s(v.schema); s(v.id); s(v.status); s(v.client); s(v.program); s(v.worker); s(v.risk);
                 s(v.opened); s(v.closed); s(v.closure_reason); s(v.referred_by); s(v.household); s(v.care_team);
                 s(v.consents); s(v.flags); s(v.tags); s(v.rules); s(v.review_on); s(v.history); s(v.extra))
CASECTL_DESCRIBE(Progress, s(v.date); s(v.note); s(v.status); s(v.worker); s(v.extra))
CASECTL_DESCRIBE(Goal, s(v.id); s(v.goal); s(v.domain); s(v.status); s(v.created); s(v.target); s(v.responsible);
                 s(v.steps); s(v.progress); s(v.extra))
CASECTL_DESCRIBE(Plan, s(v.schema); s(v.case_id); s(v.goals); s(v.extra))
// Dated records: their facts only (see facts_of).
CASECTL_DESCRIBE(Contact, s(v.schema); s(v.id); s(v.case_id); s(v.at); s(v.type); s(v.with); s(v.minutes);
                 s(v.worker); s(v.follow_up); s(v.amends))
CASECTL_DESCRIBE(Assessment, s(v.schema); s(v.id); s(v.case_id); s(v.date); s(v.instrument);
                 s(v.instrument_version); s(v.worker); s(v.scores); s(v.total); s(v.band); s(v.flags))
CASECTL_DESCRIBE(Review, s(v.schema); s(v.id); s(v.case_id); s(v.date); s(v.outcome); s(v.worker))
CASECTL_DESCRIBE(Referral, s(v.schema); s(v.id); s(v.case_id); s(v.date); s(v.to); s(v.service); s(v.follow_up);
                 s(v.worker); s(v.without_consent))
CASECTL_DESCRIBE(ReferralUpdate, s(v.schema); s(v.id); s(v.referral); s(v.case_id); s(v.date); s(v.status);
                 s(v.sequence); s(v.recorded); s(v.follow_up); s(v.worker))
CASECTL_DESCRIBE(Stamp, s(v.type); s(v.size); s(v.mtime_ns); s(v.ctime_ns); s(v.inode); s(v.device))
CASECTL_DESCRIBE(RecordSource, s(v.name); s(v.stamp); s(v.list); s(v.position))
#undef CASECTL_DESCRIBE

template <typename S, typename F>
void describe_history(S& s, F& file) {
  s(file.plan);
  s(file.contacts);
  s(file.assessments);
  s(file.reviews);
  s(file.referrals);
  s(file.referral_updates);
}

template <typename T>
void decode_whole(std::string_view bytes, T& value) {
  Reader reader(bytes);
  reader(value);
  if (!reader.done()) {
    throw DigestError();
  }
}

}  // namespace

std::string encode_face(const Case& face) {
  Writer writer;
  writer(face);
  return std::move(writer.out);
}

Case decode_face(std::string_view bytes) {
  Case face;
  decode_whole(bytes, face);
  return face;
}

std::string encode_history(const CaseFile& file, const RecordSources& sources) {
  Writer facts;
  describe_history(facts, file);
  Writer writer;
  writer(facts.out);  // first, with its length: reading the facts skips the sources
  writer(sources);
  return std::move(writer.out);
}

void decode_history(std::string_view bytes, CaseFile& file) {
  Reader reader(history_facts(bytes));
  describe_history(reader, file);
  if (!reader.done()) {
    throw DigestError();
  }
}

std::string_view history_facts(std::string_view bytes) {
  Reader reader(bytes);
  return reader.take(reader.count());
}

RecordSources decode_sources(std::string_view bytes) {
  Reader reader(bytes);
  reader.take(reader.count());
  RecordSources sources;
  reader(sources);
  if (!reader.done()) {
    throw DigestError();
  }
  return sources;
}

std::string encode_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  Writer writer;
  writer(diagnostics);
  return std::move(writer.out);
}

std::vector<Diagnostic> decode_diagnostics(std::string_view bytes) {
  std::vector<Diagnostic> diagnostics;
  decode_whole(bytes, diagnostics);
  return diagnostics;
}

CaseFile facts_of(CaseFile file) {
  const std::string history = encode_history(file, {});
  CaseFile facts{std::move(file.face), {}, {}, {}, {}, {}, {}};
  decode_history(history, facts);
  return facts;
}

}  // namespace casectl::storage
