#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/value.hpp"

namespace casectl::storage {

/// Deepest nesting any casectl file needs, with room for agencies' own fields.
inline constexpr int k_max_depth = 16;
inline constexpr int k_max_nodes = 200000;
inline constexpr size_t k_max_key_length = 1000;

/// Parses one YAML document strictly: valid UTF-8 without CR or control characters, no conflict markers,
/// exactly one document, no anchors, aliases or tags, no duplicate keys, no deeper nesting than `k_max_depth`.
/// Every problem found goes to `diagnostics` (with `path`, line and column); on any problem gives nothing.
std::optional<Value> parse_yaml(std::string_view text, const std::string& path, std::vector<Diagnostic>& diagnostics);

/// The 1-based line and column of byte `offset` in `text`.
std::pair<int, int> line_and_column(std::string_view text, size_t offset);

/// What a light scan of the text finds that the parser does not report: comments, and a quote left open.
struct TextScan {
  int first_comment_line = 0;                       ///< 0 when the text has no comment
  std::optional<std::pair<int, int>> unclosed_quote;  ///< line and column of a quote never closed
};
TextScan scan_text(std::string_view text);

/// The line of the first YAML comment in `text`, or 0 when it has none.
int first_comment_line(std::string_view text);

}  // namespace casectl::storage
