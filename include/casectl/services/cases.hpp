#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "casectl/model/due.hpp"
#include "casectl/model/duplicates.hpp"
#include "casectl/model/error.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

/// The case a reference names: a full ID, a unique prefix of one (with or without "c-"), or a part of the
/// client's name that matches exactly one case (each word of it begins a word of the name, as `name_matches`
/// folds them). A prefix without "c-" may also be the start of a name: when it matches one case by ID and another
/// by name, it is ambiguous. Throws `not_found`, `AmbiguousCase`, or `usage` for a reference with no letter or
/// digit.
std::string resolve_case(const Session& session, const std::string& reference);

struct IntakeRequest {
  std::string name;
  std::optional<Date> dob;
  std::string program;
  std::string worker;
  std::string phone;
  std::string referred_by;
  std::string risk;
  std::optional<Date> opened;
  std::string email;
  std::string address;
  std::string language;
  std::string member_id;
  std::vector<std::string> tags;
};

/// A new face sheet from an intake request, every field checked; throws on the first problem. No ID yet.
Case new_case(const Session& session, const IntakeRequest& request);
/// Warnings for a new case without a program or worker ("no program given: ..."); a usage error instead when
/// casectl.yaml's required_at_intake names the field.
std::vector<std::string> missing_at_intake(const Config& config, const Case& c);
/// "possible duplicate of LABEL: REASON" for each client found (see `duplicate_reason`), and a last line when there
/// are, or may be, more. Never names a client.
std::vector<std::string> duplicate_warnings(const DuplicateRegister::Found& found);
/// Adds the client of every case that can be read to `known` (labelled with its case ID); gives what could not be
/// read.
Problems register_clients(const Session& session, DuplicateRegister& known);
/// The case IDs in use, and fresh ones.
class CaseIds {
 public:
  explicit CaseIds(const std::vector<std::string>& ids);
  /// A new random case ID not in use, which is in use from now on.
  std::string fresh();

 private:
  std::unordered_set<std::string> m_taken;
};

struct IntakeResult {
  std::string id;
  std::vector<std::string> duplicate_warnings;  ///< "possible duplicate of c-…: same name and date of birth"
  std::vector<std::string> missing;             ///< "no worker given: …"
};

/// Opens a new case.
IntakeResult intake(const Session& session, const IntakeRequest& request);

/// One line of `casectl list`.
struct CaseSummary {
  std::string id;
  std::string name;
  std::string status;
  std::string program;
  std::string worker;
  std::string risk;
  Date opened;
  std::optional<Date> closed;
  std::optional<Date> next_review;
  std::vector<std::string> tags;
  std::vector<std::string> flags;  ///< open flags, urgent ones marked with a leading "!"
};

/// Cases matching every term: `status:open` (the default), `status:closed`, `status:all`, `worker:W`,
/// `program:P`, `risk:R`, `tag:T`, or free text found in the name or ID. Broken face sheets go to `problems`.
std::vector<CaseSummary> list_cases(const Session& session, const std::vector<std::string>& terms,
                                    Problems& problems);

/// Calls `use` with each case matching the terms of `list_cases`, as of the session's day, one at a time: its
/// facts (the records without their free text, from the index), or with `whole` everything its files hold.
void for_each_matching_case(const Session& session, const std::vector<std::string>& terms, bool whole,
                            const std::function<void(const CaseFile&)>& use, Problems& problems);
/// Every case matching the terms of `list_cases`, whole (for export).
std::vector<CaseFile> matching_cases(const Session& session, const std::vector<std::string>& terms,
                                     Problems& problems);

std::optional<Plan> load_plan(const Session& session, const std::string& case_id);

/// The face sheet fields `set` can change, as FIELD=VALUE.
const std::vector<std::string>& settable_fields();
/// Changes face-sheet fields; an empty value clears an optional field. All or nothing.
void set_fields(const Session& session, const std::string& case_id, const std::vector<std::string>& assignments);

/// One case with what is due for it.
struct CaseOverview {
  CaseFile file;
  std::vector<DueItem> due;
};
CaseOverview load_overview(const Session& session, const std::string& case_id);

/// The file `edit` opens, and the text it holds now.
struct EditTarget {
  std::string case_id;
  bool plan = false;          ///< the plan; otherwise the face sheet
  std::string relative_path;
  std::string text;
};
EditTarget begin_edit(const Session& session, const std::string& case_id, const std::string& file);
/// Problems with an edited text; empty when it may be saved.
std::vector<Diagnostic> validate_edit(const Session& session, const EditTarget& target, const std::string& text);
/// Saves an edited text, refusing when the file changed on disk since `begin_edit`.
void finish_edit(const Session& session, const EditTarget& target, const std::string& text);

}  // namespace casectl::services
