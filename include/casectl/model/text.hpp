#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
/// Whether a code point is an invisible formatting character that can make text read other than it is: the
/// bidirectional controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and the zero-width ones (U+200B-200D,
/// U+2060-2064, U+FEFF).
bool is_hidden_format(char32_t code);
/// The code point of the UTF-8 sequence at byte `i` of `text`, and its length in bytes; length 0 where the bytes are
/// not valid UTF-8 (a stray or cut-off sequence, an overlong form, a surrogate, beyond U+10FFFF).
std::pair<char32_t, size_t> code_point_at(std::string_view text, size_t i);
/// find_text_problem on one line, and no hidden formatting: what a name may be.
std::optional<TextProblem> find_name_problem(std::string_view text);
/// `text` as it may safely reach a terminal: control characters (but newline and tab), invalid UTF-8 bytes and
/// hidden formatting characters spelled out as \xNN or <U+XXXX>.
std::string visible_text(std::string_view text);

/// The words of a name as casectl compares names: Unicode case folding (NFKC_Casefold, so "Straße" is "strasse"
/// and full-width letters are ASCII), every combining mark removed (accents: "Núñez" is "nunez"; in any script, so
/// this can make two names of an Indic script alike: matching errs on the side of more candidates), a few letters
/// that carry their accent inside them spelled plainly ("Łukasz Søren" is "lukasz soren"), apostrophes dropped
/// ("O'Neil" is "oneil"), and split at every other character that is not a letter or a digit (spaces, hyphens,
/// commas, periods). Invalid UTF-8 bytes separate words. This is the one folding rule of casectl.
std::vector<std::string> name_words(std::string_view name);
/// The folded words of a name, in their order, joined by one space: "José García-Núñez" is "jose garcia nunez".
std::string fold_name(std::string_view name);
/// The folded words of a name in sorted order, to compare names whatever their word order: "Garcia, Jose" and
/// "José García" have the same key. Empty when the name has no letter or digit.
std::string name_key(std::string_view name);
/// True when every word of `reference` (folded by `name_words`) begins some word of the folded `name`, in any
/// order: {"garcia", "jo"} matches "José García-Núñez". False when `reference` has no words.
bool name_matches(const std::vector<std::string>& reference, std::string_view name);
/// `name_matches` for a name already folded by `fold_name` (as the index keeps names): no folding again.
bool folded_name_matches(const std::vector<std::string>& reference, std::string_view folded);
/// A name folded once for many comparisons.
struct FoldedName {
  std::vector<std::string> words;  ///< `name_words`, sorted
  std::u32string in_order;         ///< `fold_name`, as code points
  std::u32string sorted;           ///< `name_key`, as code points
  static FoldedName of(std::string_view name);
};
/// True when every folded word of one name is a word of the other: "Jose Garcia" and "José García-Núñez".
bool names_overlap(std::string_view a, std::string_view b);
bool names_overlap(const FoldedName& a, const FoldedName& b);
/// Levenshtein distance, in characters, between two folded names: the smaller of the distance in their own word
/// order and in sorted word order, so that "Garcia, Jose" is 0 from "José García".
int name_distance(std::string_view a, std::string_view b);
int name_distance(const FoldedName& a, const FoldedName& b);
/// `name_distance(a, b) <= most`, computed faster.
bool names_within(const FoldedName& a, const FoldedName& b, int most);

/// The candidate closest to `word` within an edit distance of 2, for "did you mean".
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace casectl
