#include "casectl/model/text.hpp"

#include <algorithm>
#include <fmt/format.h>

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
    int length = 0;
    unsigned int code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07u;
    } else {
      return TextProblem{i, "invalid UTF-8"};
    }
    if (i + static_cast<size_t>(length) > n) {
      return TextProblem{i, "invalid UTF-8 (truncated character)"};
    }
    for (int k = 1; k < length; ++k) {
      const unsigned char cc = bytes[i + static_cast<size_t>(k)];
      if ((cc & 0xC0u) != 0x80u) {
        return TextProblem{i, "invalid UTF-8"};
      }
      code = (code << 6) | (cc & 0x3Fu);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return TextProblem{i, "invalid UTF-8"};
    }
    if (code == 0xFEFF) {
      return TextProblem{i, "byte-order mark (U+FEFF)"};
    }
    if ((code >= 0x80 && code <= 0x9F) || code == 0x2028 || code == 0x2029) {
      return TextProblem{i, fmt::format("control character U+{:04X}", code)};
    }
    i += static_cast<size_t>(length);
  }
  return std::nullopt;
}

std::string fold_name(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : to_lower(trim(name))) {
    if (c == ' ' || c == '\t' || c == '-' || c == ',' || c == '.') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

namespace {
int levenshtein(std::string_view a, std::string_view b) {
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
}  // namespace

int name_distance(std::string_view a, std::string_view b) { return levenshtein(fold_name(a), fold_name(b)); }

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  // Short words need a closer match: "x" is not a typo of "id".
  int best_distance = std::min<int>(3, static_cast<int>(word.size()) / 2 + 1);
  for (const auto& candidate : candidates) {
    const int d = levenshtein(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace casectl
