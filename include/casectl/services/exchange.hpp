#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

/// A case with everything that could identify the client taken out (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)):
/// built from an allow-list of fields, never by deleting from the whole. No names, contact details, member IDs
/// or free text; dates reduced to years; ages over 89 as "90+"; a stable pseudonym instead of the case ID.
struct DeidentifiedCase {
  std::string pseudonym;
  std::string birth_year;  ///< empty when unknown; empty too for ages over 89 (the year would reveal the age)
  std::string age;         ///< years on the report's day, or "90+"
  std::string program, worker, risk, status, closure_reason;
  int opened_year = 0;
  std::optional<int> closed_year;
  int contacts = 0, attempts = 0, minutes = 0, reviews = 0;
  struct Scores {
    std::string instrument;
    int year = 0;
    std::optional<int> total;
    std::string band;
    std::vector<std::pair<std::string, Score>> scores;
  };
  std::vector<Scores> assessments;
  struct GoalOutcome {
    std::string domain;
    std::string status;
  };
  std::vector<GoalOutcome> goals;
  struct ReferralOutcome {
    int year = 0;
    std::string status;
  };
  std::vector<ReferralOutcome> referrals;
};

/// Turns cases into what a de-identified export may hold. A pseudonym is a keyed hash (BLAKE2b) of the case ID
/// under the agency's secret: the same in every export made with that secret, different for another agency, and
/// not computable, forwards or backwards, without it. Only values from closed lists are kept — the programs,
/// workers, risk levels and closure reasons of casectl.yaml, the instruments' items, bands and domains — anything
/// else becomes "other" (or is left out). The age is the one reached in the export's year (the year minus the
/// year of birth), so that exports on two days never tell the birthday.
class Deidentifier {
 public:
  explicit Deidentifier(const Session& session);
  std::string pseudonym(const std::string& case_id) const;
  DeidentifiedCase operator()(const CaseFile& file) const;
  /// `value` when it is in `allowed` (or empty); else "other".
  static std::string listed(const std::string& value, const std::vector<std::string>& allowed);
  /// The instrument the repository holds under `id`, or none: its items and bands are the closed lists.
  const Instrument* instrument(const std::string& id) const;
  /// Every instrument's item IDs: the words a goal's domain may be.
  const std::vector<std::string>& domains() const { return m_domains; }

 private:
  std::string m_key;
  const Config& m_config;
  std::map<std::string, Instrument> m_instruments;
  std::vector<std::string> m_domains;  ///< every instrument's item IDs: the words a goal's domain may be
  int m_year;
};

/// What `import` did (or, with dry_run, would do).
struct ImportResult {
  int rows = 0;
  std::vector<std::string> created;     ///< case IDs, in row order
  std::vector<std::string> already_imported;  ///< rows skipped: the case (or earlier row) each one already is
  std::vector<Diagnostic> problems;     ///< rows refused
  std::vector<Diagnostic> warnings;     ///< unknown columns, likely duplicates
};
/// Opens a case per row of a spreadsheet exported as CSV with a header row. Nothing is written when any row is
/// bad, unless `skip_bad`; with `dry_run`, nothing is written at all. Rows of empty cells are skipped; programs,
/// workers and risk levels match casectl.yaml's whatever their case; dates may be written as spreadsheets write
/// them (`parse_spreadsheet_date`, with `date_order` for 2/3/1999). A problem names the row's line and the
/// column's number, never the value. A row whose values a case was opened with
/// (name, date of birth, contact details, member ID, referral source, program, worker, risk, and the opening
/// date when the row gives one) is that client, imported already: it is skipped, so a second run adds nothing.
ImportResult import_csv(const Session& session, const std::string& text, const std::string& path, bool dry_run,
                        bool skip_bad, DayMonthOrder date_order = DayMonthOrder::unknown);
/// The columns `import` understands (and their accepted spellings).
const std::vector<std::string>& import_columns();

/// Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows with their line numbers.
struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;
};
std::vector<CsvRow> parse_csv(const std::string& text);

}  // namespace casectl::services
