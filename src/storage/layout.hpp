#pragma once

// Where everything lives in a case repository: the one description of the layout. Nothing outside the store
// builds a path or parses a file name.
//
//   casectl.yaml                      the agency's configuration
//   instruments/ID.yaml               assessment instruments
//   cases/CASE/case.yaml              face sheet
//   cases/CASE/plan.yaml              service plan
//   cases/CASE/contacts/DATE-ID.yaml
//   cases/CASE/assessments/DATE-INSTRUMENT-ID.yaml
//   cases/CASE/reviews/DATE-ID.yaml
//   cases/CASE/referrals/DATE-ID.yaml            a referral
//   cases/CASE/referrals/DATE-REFERRAL-ID.yaml   an answer to it
//   .casectl.lock, .casectl.journal   the lock and an unfinished transaction (git-ignored)
//   .casectl.key                      the secret behind de-identified pseudonyms (git-ignored)
//   .gitignore, .gitattributes        what git leaves out, and how it merges case files
//   cases/.gitkeep                    keeps cases/ in git while it is empty
//   .cache/index.sqlite               the index: a summary of every case, made again when missing (git-ignored)
//   .NAME.tmp-TX / .NAME.old-TX       a transaction's staged files and backups (temporaries)

#include <optional>
#include <string>
#include <string_view>

#include "casectl/model/date.hpp"

namespace casectl::storage::layout {

inline constexpr const char* config_file = "casectl.yaml";
inline constexpr const char* instruments_dir = "instruments";
inline constexpr const char* cases_dir = "cases";
inline constexpr const char* journal_file = ".casectl.journal";
inline constexpr const char* lock_file = ".casectl.lock";
/// The agency's secret for de-identified exports' pseudonyms (git-ignored: never committed, copied by hand).
inline constexpr const char* pseudonym_key_file = ".casectl.key";
inline constexpr const char* gitignore_file = ".gitignore";
inline constexpr const char* gitattributes_file = ".gitattributes";
/// An empty file that makes git keep cases/ while it holds no case (git keeps no empty folders).
inline constexpr const char* cases_keep_name = ".gitkeep";
inline constexpr const char* cases_keep_file = "cases/.gitkeep";
/// What .gitattributes says of casectl's files: text with LF endings on every platform; face sheets and plans
/// merged by field, by the driver `casectl hooks install` (or `init`) sets up in each clone as "casectl".
inline constexpr const char* gitattributes_lines[] = {"*.yaml text eol=lf", "cases/*/case.yaml merge=casectl",
                                                      "cases/*/plan.yaml merge=casectl"};
/// What casectl can always make again from the files (git-ignored): the index of every case.
inline constexpr const char* cache_dir = ".cache";
inline constexpr const char* index_file = ".cache/index.sqlite";
inline constexpr const char* face_sheet_name = "case.yaml";
inline constexpr const char* plan_name = "plan.yaml";

enum class Record { contact, assessment, review, referral, referral_update };
/// The record folders, in the order a case is read.
inline constexpr const char* record_dirs[] = {"contacts", "assessments", "reviews", "referrals"};

std::string instrument_file(const std::string& id);
std::string case_dir(const std::string& case_id);
std::string face_sheet(const std::string& case_id);
std::string plan_file(const std::string& case_id);
std::string record_dir(const std::string& case_id, Record kind);
const char* record_dir_name(Record kind);

/// A dated record's file name. `extra` is the instrument of an assessment, the referral of a referral update.
std::string record_file_name(Date date, const std::string& id, const std::string& extra = {});

/// What a dated record's file name carries: `DATE-[EXTRA-]ID.yaml`.
struct RecordName {
  std::string date;
  std::string extra;  ///< an assessment's instrument, a referral update's referral; empty otherwise
  std::string id;
};
std::optional<RecordName> parse_record_file_name(std::string_view name);

/// A casectl YAML file name (not hidden, ends in .yaml).
bool is_yaml_name(std::string_view name);
/// A transaction's staged file or backup, or a temporary left by an older casectl.
bool is_temporary_name(std::string_view name);
std::string temporary_name(const std::string& name, const std::string& transaction);
std::string backup_name(const std::string& name, const std::string& transaction);

/// `dir/name`, with "" as the root.
std::string join(const std::string& dir, const std::string& name);
std::string parent(const std::string& path);
std::string base_name(const std::string& path);

}  // namespace casectl::storage::layout
