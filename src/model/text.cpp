#include "casectl/model/text.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fmt/format.h>
#include <memory>
#include <span>
#include <utf8proc.h>

#include "casectl/model/error.hpp"

namespace casectl {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c); });
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += parts[i];
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

namespace {

/// How many bytes the UTF-8 sequence a byte begins has: 1 to 4, or 0 for a byte that begins none.
size_t sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
}

}  // namespace

std::pair<char32_t, size_t> code_point_at(std::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const size_t length = sequence_length(lead);
  if (length <= 1 || i + length > text.size()) {
    return {lead, length == 1 ? 1 : 0};
  }
  char32_t code = lead & (0x7Fu >> length);
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0u) != 0x80u) {
      return {0, 0};
    }
    code = (code << 6) | (next & 0x3Fu);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return {0, 0};
  }
  return {code, length};
}

std::optional<TextProblem> find_text_problem(std::string_view text, bool allow_newlines) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      if (c == '\r') {
        return TextProblem{i, "carriage return (CR) character; casectl files use LF line endings only"};
      }
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || (c == '\n' && !allow_newlines)) {
        return TextProblem{i, fmt::format("control character U+{:04X}", c)};
      }
      ++i;
      continue;
    }
    const auto [code, length] = code_point_at(text, i);
    if (length == 0) {
      return TextProblem{i, i + sequence_length(c) > n ? "invalid UTF-8 (truncated character)" : "invalid UTF-8"};
    }
    if (code == 0xFEFF) {
      return TextProblem{i, "byte-order mark (U+FEFF)"};
    }
    if ((code >= 0x80 && code <= 0x9F) || code == 0x2028 || code == 0x2029) {
      return TextProblem{i, fmt::format("control character U+{:04X}", static_cast<uint32_t>(code))};
    }
    i += length;
  }
  return std::nullopt;
}

bool is_hidden_format(char32_t code) {
  return code == 0x061C || (code >= 0x200B && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x2069) || code == 0xFEFF;
}

std::optional<TextProblem> find_name_problem(std::string_view text) {
  if (auto problem = find_text_problem(text, false)) {
    return problem;
  }
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto n = static_cast<utf8proc_ssize_t>(text.size());
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t code = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, n - i, &code);
    if (is_hidden_format(static_cast<char32_t>(code))) {
      return TextProblem{static_cast<size_t>(i), fmt::format("invisible formatting character U+{:04X}", code)};
    }
    i += length > 0 ? length : 1;
  }
  return std::nullopt;
}

std::string visible_text(std::string_view text) {
  std::string out;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto n = static_cast<utf8proc_ssize_t>(text.size());
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t code = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, n - i, &code);
    if (length <= 0) {
      out += fmt::format("\\x{:02X}", bytes[i]);
      ++i;
      continue;
    }
    const bool control = (code < 0x20 && code != '\n' && code != '\t') || code == 0x7F || (code >= 0x80 && code <= 0x9F);
    if (control && code < 0x80) {
      out += fmt::format("\\x{:02X}", code);
    } else if (control || is_hidden_format(static_cast<char32_t>(code)) || code == 0x2028 || code == 0x2029) {
      out += fmt::format("<U+{:04X}>", code);
    } else {
      out.append(text.substr(static_cast<size_t>(i), static_cast<size_t>(length)));
    }
    i += length;
  }
  return out;
}

namespace {

/// The code points of `text`; a byte that is not part of valid UTF-8, and a control character, become a space.
std::u32string decode(std::string_view text) {
  std::u32string out;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto n = static_cast<utf8proc_ssize_t>(text.size());
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t code = 0;
    utf8proc_ssize_t length = utf8proc_iterate(bytes + i, n - i, &code);
    if (length <= 0) {
      code = ' ';
      length = 1;
    }
    out += code < 0x20 || code == 0x7f ? U' ' : static_cast<char32_t>(code);
    i += length;
  }
  return out;
}

std::string encode(std::u32string_view codes) {
  std::string out;
  for (const char32_t code : codes) {
    utf8proc_uint8_t bytes[4];
    const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code), bytes);
    out.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
  }
  return out;
}

/// NFKC case folding without marks (accents) or default-ignorable characters (soft hyphens, zero-width spaces),
/// with quotation marks lumped together ("’" and "ʼ" are "'").
std::u32string fold_characters(std::string_view text) {
  constexpr auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                           UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                                           UTF8PROC_IGNORE | UTF8PROC_LUMP);
  const std::string clean = encode(decode(text));  // valid UTF-8 without NUL: utf8proc's output ends at its NUL
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t status =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                   static_cast<utf8proc_ssize_t>(clean.size()), &mapped, options);
  if (status < 0) {
    throw Error(ErrorKind::internal, fmt::format("cannot fold a name: {}", utf8proc_errmsg(status)));
  }
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  return decode(reinterpret_cast<const char*>(mapped));
}

/// Letters whose accent is part of the letter (Unicode does not decompose them), spelled without it.
std::u32string_view plain_spelling(char32_t code) {
  switch (code) {
    case U'æ': return U"ae";
    case U'ð': return U"d";
    case U'ø': return U"o";
    case U'þ': return U"th";
    case U'đ': return U"d";
    case U'ħ': return U"h";
    case U'ı': return U"i";
    case U'ł': return U"l";
    case U'œ': return U"oe";
    case U'ŧ': return U"t";
    default: return {};
  }
}

bool is_word_character(char32_t code) {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(code));
  return (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_ME) ||  // letters and marks
         (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO);   // digits and numbers
}

std::string sorted_words(std::vector<std::string> words) {
  std::sort(words.begin(), words.end());
  return join(words, " ");
}

template <typename Char>
int levenshtein(std::basic_string_view<Char> a, std::basic_string_view<Char> b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = static_cast<int>(j);
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// Whether the Levenshtein distance between `a` and `b` is at most `most`: only the cells of the band of diagonals
/// `most` wide are computed, and it stops once a whole row is over `most`.
bool within_distance(std::u32string_view a, std::u32string_view b, int most) {
  const auto la = static_cast<int>(a.size());
  const auto lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > most) {
    return false;
  }
  const int over = most + 1;
  std::array<int, 128> on_stack;  // names are short: no allocation in the duplicate search's inner loop
  std::vector<int> on_heap(lb < static_cast<int>(on_stack.size()) ? 0 : static_cast<size_t>(lb) + 1);
  const std::span<int> row = on_heap.empty() ? std::span<int>(on_stack.data(), static_cast<size_t>(lb) + 1)
                                             : std::span<int>(on_heap);
  std::fill(row.begin(), row.end(), over);
  for (int j = 0; j <= std::min(lb, most); ++j) {
    row[static_cast<size_t>(j)] = j;
  }
  for (int i = 1; i <= la; ++i) {
    const int from = std::max(1, i - most);
    const int to = std::min(lb, i + most);
    int diagonal = row[static_cast<size_t>(from - 1)];
    row[static_cast<size_t>(from - 1)] = from - 1 == 0 && i <= most ? i : over;
    int best = row[static_cast<size_t>(from - 1)];
    for (int j = from; j <= to; ++j) {
      const int above = row[static_cast<size_t>(j)];
      const int cell = std::min({above + 1, row[static_cast<size_t>(j - 1)] + 1,
                                 diagonal + (a[static_cast<size_t>(i - 1)] == b[static_cast<size_t>(j - 1)] ? 0 : 1)});
      row[static_cast<size_t>(j)] = std::min(cell, over);
      diagonal = above;
      best = std::min(best, row[static_cast<size_t>(j)]);
    }
    if (to < lb) {
      row[static_cast<size_t>(to + 1)] = over;  // outside the band: never a path within `most`
    }
    if (best > most) {
      return false;
    }
  }
  return row[static_cast<size_t>(lb)] <= most;
}

}  // namespace


std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::u32string word;
  auto end_word = [&] {
    if (!word.empty()) {
      words.push_back(encode(word));
      word.clear();
    }
  };
  for (const char32_t code : fold_characters(name)) {
    if (code == U'\'') {
      continue;  // O'Neil is oneil
    }
    if (const auto plain = plain_spelling(code); !plain.empty()) {
      word += plain;
    } else if (is_word_character(code)) {
      word += code;
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

std::string fold_name(std::string_view name) { return join(name_words(name), " "); }

std::string name_key(std::string_view name) { return sorted_words(name_words(name)); }

bool name_matches(const std::vector<std::string>& reference, std::string_view name) {
  return folded_name_matches(reference, fold_name(name));
}

bool folded_name_matches(const std::vector<std::string>& reference, std::string_view folded) {
  auto begins_a_word = [&](const std::string& part) {
    for (size_t at = 0; at < folded.size(); at = folded.find(' ', at) + 1) {
      if (folded.substr(at, part.size()) == part) {
        return true;
      }
      if (folded.find(' ', at) == std::string_view::npos) {
        break;
      }
    }
    return false;
  };
  return !reference.empty() && std::all_of(reference.begin(), reference.end(), begins_a_word);
}

FoldedName FoldedName::of(std::string_view name) {
  FoldedName folded;
  folded.words = name_words(name);
  folded.in_order = decode(join(folded.words, " "));
  std::sort(folded.words.begin(), folded.words.end());
  folded.sorted = decode(join(folded.words, " "));
  return folded;
}

bool names_overlap(const FoldedName& a, const FoldedName& b) {
  const auto& [shorter, longer] = a.words.size() <= b.words.size() ? std::tie(a.words, b.words) : std::tie(b.words, a.words);
  return !shorter.empty() && std::includes(longer.begin(), longer.end(), shorter.begin(), shorter.end());
}

bool names_overlap(std::string_view a, std::string_view b) {
  return names_overlap(FoldedName::of(a), FoldedName::of(b));
}

int name_distance(const FoldedName& a, const FoldedName& b) {
  return std::min(levenshtein<char32_t>(a.in_order, b.in_order), levenshtein<char32_t>(a.sorted, b.sorted));
}

int name_distance(std::string_view a, std::string_view b) { return name_distance(FoldedName::of(a), FoldedName::of(b)); }

bool names_within(const FoldedName& a, const FoldedName& b, int most) {
  return within_distance(a.in_order, b.in_order, most) || within_distance(a.sorted, b.sorted, most);
}

/// The edit distance that counts swapping two neighbouring letters as one edit, the commonest typo ("lsit" is one
/// edit from "list", two from "init"): the optimal string alignment distance.
int typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = static_cast<int>(i);
  }
  for (size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = static_cast<int>(j);
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  // Short words need a closer match: "x" is not a typo of "id".
  int best_distance = std::min<int>(3, static_cast<int>(word.size()) / 2 + 1);
  for (const auto& candidate : candidates) {
    const int d = typo_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace casectl
