#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

// A team keeps one case repository on a git remote, a clone each. Git merges their work; these are the parts of
// it that know casectl's files.

/// The face sheet or plan of a case, as the repository names it (cases/ID/case.yaml, cases/ID/plan.yaml).
enum class TeamDocument { face_sheet, plan };
std::optional<TeamDocument> document_at(std::string_view repository_path);
std::string path_of(const std::string& case_id, TeamDocument document);

struct MergedDocument {
  std::string text;
  std::vector<std::string> conflicts;  ///< the fields both sides changed to different values
};

/// Three versions of a face sheet or plan merged field by field (see `storage::merge_document`); each label says
/// who changed that side and when. Nothing when a version is not a readable file of that kind.
std::optional<MergedDocument> merge_document(TeamDocument document, std::string_view base, std::string_view ours,
                                             const std::string& ours_label, std::string_view theirs,
                                             const std::string& theirs_label);

/// Gives a repository made by an older casectl what `init` writes for git today (.gitattributes naming the merge
/// driver, cases/.gitkeep); gives whether anything changed.
bool prepare_for_git(const Session& session);

/// A field both sides changed, as its conflict block shows it: each side's lines and who changed it when.
struct ConflictingField {
  std::string field;
  std::string ours_label;
  std::string ours;  ///< the side's lines, trimmed and joined by " / "; "(no value)" when it removed the field
  std::string theirs_label;
  std::string theirs;
};

/// What conflicts a case's face sheet or plan holds.
struct DocumentConflicts {
  TeamDocument document;
  std::string text;
  bool line_by_line = false;              ///< git marked it line by line: it must be merged again, by field
  std::vector<ConflictingField> fields;  ///< conflicts merged by field, each waiting for a side to be picked
};
std::vector<DocumentConflicts> conflicts_in(const Session& session, const std::string& case_id);

/// `text` with the conflicting `fields` (all of them when empty) settled for one side; `unknown` gets the fields
/// named that have no conflict in it.
std::string settle(std::string_view text, const std::vector<std::string>& fields, bool take_ours,
                   std::vector<std::string>& unknown);

/// Saves a face sheet or plan whose conflicts were settled (some may remain: then it is saved as it is, still
/// unreadable, and the problems of the rest are returned); refuses a settled text that is not valid.
std::vector<Diagnostic> save_resolved(const Session& session, const std::string& case_id, TeamDocument document,
                                      const std::string& text);

}  // namespace casectl::services
