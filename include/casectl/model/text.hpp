#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casectl {

std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
bool starts_with(std::string_view text, std::string_view prefix);

/// Where `text` first breaks the rules for casectl's text: not UTF-8, a byte-order mark, or a control character
/// other than TAB and LF (CR, NUL, DEL, C1 controls, U+2028/U+2029). Gives the byte offset and a reason.
struct TextProblem {
  size_t offset;
  std::string reason;
};
std::optional<TextProblem> find_text_problem(std::string_view text, bool allow_newlines = true);

/// Case-insensitive Levenshtein distance between the folded forms of two names.
int name_distance(std::string_view a, std::string_view b);
/// Lower-case, single-spaced form of a name, for comparisons.
std::string fold_name(std::string_view name);

/// The candidate closest to `word` within an edit distance of 2, for "did you mean".
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace casectl
