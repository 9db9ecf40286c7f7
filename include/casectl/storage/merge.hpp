#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/storage/store.hpp"

namespace casectl::storage {

/// One side of a three-way merge: the file's text, and who changed it when ("alice 2026-12-03"), for the
/// conflict markers.
struct MergeSide {
  std::string text;
  std::string label;
};

/// A field that both sides changed to different values.
struct FieldConflict {
  std::string field;  ///< e.g. client.phone, goals[gk2xq].status
};

struct MergeResult {
  std::string text;  ///< canonical when clean; with a marked block per conflicting field otherwise
  std::vector<FieldConflict> conflicts;
};

/// Merges two versions of a face sheet or a plan that grew from `base` (empty when the file is new on both
/// sides), field by field: a field changed on one side only takes that change, whatever else changed around it;
/// records that are only ever added (history events, consents, flags, goals, progress, tags, people) are joined;
/// a record changed on one side and removed on the other is kept. Only a field changed to two different values
/// conflicts; its lines are marked with both values. Nothing when a side is not a readable file of that kind.
std::optional<MergeResult> merge_document(Document document, std::string_view base, const MergeSide& ours,
                                          const MergeSide& theirs);

/// A conflict left in a file: git's, or one `merge_document` marked (then `field` names the field).
struct ConflictBlock {
  int first_line = 0;  ///< of the `<<<<<<<` marker, 1-based
  int last_line = 0;   ///< of the `>>>>>>>` marker
  std::string field;   ///< empty for a conflict git marked line by line
  std::string ours_label;
  std::string theirs_label;
  std::vector<std::string> ours;    ///< the lines of each side
  std::vector<std::string> theirs;
};
std::vector<ConflictBlock> find_conflict_blocks(std::string_view text);
/// One side of a block on one line, for messages: its lines trimmed and joined by " / ", or "(no value)".
std::string shown_side(const std::vector<std::string>& lines);

/// `text` with the conflicts of `fields` (every field conflict when `fields` is empty) settled for one side;
/// names of `fields` with no conflict in the text are returned in `unknown`.
std::string settle_conflicts(std::string_view text, const std::vector<std::string>& fields, bool take_ours,
                             std::vector<std::string>& unknown);

}  // namespace casectl::storage
