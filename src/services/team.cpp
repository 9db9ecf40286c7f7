#include "casectl/services/team.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/text.hpp"
#include "casectl/storage/merge.hpp"
#include "casectl/storage/store.hpp"

namespace casectl::services {
namespace {

storage::Document stored(TeamDocument document) {
  return document == TeamDocument::plan ? storage::Document::plan : storage::Document::face_sheet;
}

}  // namespace

std::optional<TeamDocument> document_at(std::string_view repository_path) {
  const auto found = storage::Store::document_at(repository_path);
  if (!found) {
    return std::nullopt;
  }
  return found->second == storage::Document::plan ? TeamDocument::plan : TeamDocument::face_sheet;
}

std::string path_of(const std::string& case_id, TeamDocument document) {
  return storage::Store::path_of(case_id, stored(document));
}

std::optional<MergedDocument> merge_document(TeamDocument document, std::string_view base, std::string_view ours,
                                             const std::string& ours_label, std::string_view theirs,
                                             const std::string& theirs_label) {
  auto merged = storage::merge_document(stored(document), base, {std::string(ours), ours_label},
                                        {std::string(theirs), theirs_label});
  if (!merged) {
    return std::nullopt;
  }
  MergedDocument out{std::move(merged->text), {}};
  for (const auto& conflict : merged->conflicts) {
    out.conflicts.push_back(conflict.field);
  }
  return out;
}

bool prepare_for_git(const Session& session) { return session.store->prepare_for_git(); }

std::vector<DocumentConflicts> conflicts_in(const Session& session, const std::string& case_id) {
  if (!session.store->has_case(case_id)) {
    throw Error(ErrorKind::not_found, fmt::format("no case {}", case_id));
  }
  std::vector<DocumentConflicts> found;
  for (TeamDocument document : {TeamDocument::face_sheet, TeamDocument::plan}) {
    auto text = session.store->load_text(case_id, stored(document));
    if (!text) {
      continue;
    }
    DocumentConflicts conflicts{document, *text, false, {}};
    for (const auto& block : storage::find_conflict_blocks(*text)) {
      if (block.field.empty()) {
        conflicts.line_by_line = true;
      } else {
        conflicts.fields.push_back({block.field, block.ours_label, storage::shown_side(block.ours), block.theirs_label,
                                    storage::shown_side(block.theirs)});
      }
    }
    if (conflicts.line_by_line || !conflicts.fields.empty()) {
      found.push_back(std::move(conflicts));
    }
  }
  return found;
}

std::string settle(std::string_view text, const std::vector<std::string>& fields, bool take_ours,
                   std::vector<std::string>& unknown) {
  return storage::settle_conflicts(text, fields, take_ours, unknown);
}

std::vector<Diagnostic> save_resolved(const Session& session, const std::string& case_id, TeamDocument document,
                                      const std::string& text) {
  auto tx = session.store->begin();
  std::vector<Diagnostic> problems = session.store->validate_text(case_id, stored(document), text);
  const bool settled = storage::find_conflict_blocks(text).empty();
  if (settled && std::any_of(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; })) {
    throw Error(ErrorKind::data,
                fmt::format("{} would not be valid once resolved; nothing written (fix it with 'casectl edit')",
                            path_of(case_id, document)),
                problems);
  }
  tx.replace_text(case_id, stored(document), text);
  tx.commit();
  return settled ? std::vector<Diagnostic>{} : problems;
}

}  // namespace casectl::services
