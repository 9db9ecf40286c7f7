#include "storage/yaml_writer.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/text.hpp"

namespace casectl::storage {
namespace {

bool is_plain_key(const std::string& key) {
  if (key.empty()) {
    return false;
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  // A key spelled like null would read back as no key at all.
  return key[0] != '-' && key[0] != '.' && key != "null" && key != "Null" && key != "NULL";
}

/// A scalar read as plain text may be written plain again when it has only characters that cannot change its
/// meaning; then `42`, `true` and `30d` keep the type other YAML tools give them.
bool is_safe_plain(const std::string& text) {
  if (text.empty() || text.size() > 200) {
    return false;
  }
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '+' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return text[0] != '-' || (text.size() > 1 && text[1] >= '0' && text[1] <= '9');
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Words some YAML reader takes for something other than text, compared in any letter case: the booleans of
/// YAML 1.1 (y, n, yes, no, on, off) and 1.2 (true, false), null and ~, the infinities and not-a-number, and YAML
/// 1.1's merge key (<<) and value key (=).
bool is_special_word(std::string_view text) {
  static constexpr std::string_view words[] = {"y",    "n",    "yes",   "no",    "on",    "off",   "true",
                                               "false", "null", "~",     "<<",    "=",     ".inf",  "+.inf",
                                               "-.inf", ".nan", "inf",   "+inf",  "-inf",  "nan",   "infinity",
                                               "+infinity", "-infinity"};
  for (const std::string_view word : words) {
    if (word.size() == text.size() &&
        std::equal(word.begin(), word.end(), text.begin(), [](char w, char t) { return w == ascii_lower(t); })) {
      return true;
    }
  }
  return false;
}

/// Whether some YAML reader could take `text` for a number. Wider than any schema's rules, on purpose: after an
/// optional sign, a digit or a dot first and then only what numbers are spelled with (digits, '_', '.', ':', e, E,
/// '+', '-'), or 0x, 0o or 0b and then hexadecimal digits or '_'. So 1e3 (a float to YAML 1.2), 0o17, 0x1F, 1_000
/// and 012 (integers to YAML 1.1), 1:20 (sexagesimal 80 to YAML 1.1) and 1.2.3 (a float to YAML 1.1's expression)
/// all count, and so do harmless spellings such as 555-0100, which are quoted too.
bool may_be_number(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    s.remove_prefix(1);
  }
  if (s.empty() || !(is_digit(s[0]) || s[0] == '.')) {
    return false;
  }
  if (s.size() > 2 && s[0] == '0' && std::string_view("xXoObB").find(s[1]) != std::string_view::npos) {
    return std::all_of(s.begin() + 2, s.end(), [](char c) {
      return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
    });
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_digit(c) || std::string_view("_.:eE+-").find(c) != std::string_view::npos; });
}

bool digits_at(std::string_view text, size_t at, size_t count) {
  return at + count <= text.size() && std::all_of(text.begin() + static_cast<std::ptrdiff_t>(at),
                                                  text.begin() + static_cast<std::ptrdiff_t>(at + count), is_digit);
}

int number_at(std::string_view text, size_t at, size_t count) {
  int n = 0;
  for (size_t i = at; i < at + count; ++i) {
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

/// YYYY-MM-DD, a day that exists (from year 1).
bool is_valid_iso_date(std::string_view text) {
  if (text.size() != 10 || !digits_at(text, 0, 4) || text[4] != '-' || !digits_at(text, 5, 2) || text[7] != '-' ||
      !digits_at(text, 8, 2)) {
    return false;
  }
  const int year = number_at(text, 0, 4);
  const int month = number_at(text, 5, 2);
  const int day = number_at(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  static constexpr int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days_in[month - 1] + (month == 2 && leap ? 1 : 0);
}

/// A date or a timestamp as casectl writes them: YYYY-MM-DD, or that and THH:MM, then optionally Z or an offset
/// ±HH:MM; every part in range. (With seconds a YAML 1.1 reader would make a timestamp of it: such text is quoted.)
bool is_iso_date_or_time(std::string_view text) {
  if (!is_valid_iso_date(text.substr(0, 10))) {
    return false;
  }
  if (text.size() == 10) {
    return true;
  }
  std::string_view rest = text.substr(10);
  if (rest.size() < 6 || rest[0] != 'T' || !digits_at(rest, 1, 2) || rest[3] != ':' || !digits_at(rest, 4, 2) ||
      number_at(rest, 1, 2) > 23 || number_at(rest, 4, 2) > 59) {
    return false;
  }
  rest.remove_prefix(6);
  if (rest.empty() || rest == "Z") {
    return true;
  }
  return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && digits_at(rest, 1, 2) && rest[3] == ':' &&
         digits_at(rest, 4, 2) && number_at(rest, 1, 2) <= 14 && number_at(rest, 4, 2) <= 59;
}

/// Whether text that starts like a date could be taken for one by a YAML 1.1 reader (which turns YYYY-M-D and
/// YYYY-MM-DD HH:MM:SS, among others, into timestamps): four digits, a dash and a digit.
bool starts_like_date(std::string_view text) {
  return digits_at(text, 0, 4) && text.size() > 5 && text[4] == '-' && is_digit(text[5]);
}

/// Unicode spaces other than the ASCII one, which a reader or an editor may trim or show as nothing.
bool is_unicode_space(char32_t code) {
  return code == 0x00A0 || code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x202F ||
         code == 0x205F || code == 0x3000;
}

}  // namespace

bool reads_back_plain(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') {
    return false;
  }
  // Characters that begin something else in YAML, or that casectl's reader reads as the start of a quote.
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) {
    return false;
  }
  if (is_special_word(text)) {
    return false;
  }
  // A date or a timestamp stays plain, as people write it; anything else that may be a number or a date is quoted.
  if (!is_iso_date_or_time(text) && (may_be_number(text) || starts_like_date(text))) {
    return false;
  }
  // ": " and " #" end a plain scalar (as a key, a comment); "- " and "? " mean more inside flow text.
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos || text.back() == ':') {
    return false;
  }
  // Brackets and braces are text in a block value, but not to every hand-written tool; after a comma, a quote or a
  // block indicator would start something to casectl's own comment scanner.
  if (text.find_first_of("[]{}") != std::string_view::npos) {
    return false;
  }
  for (size_t comma = text.find(','); comma != std::string_view::npos; comma = text.find(',', comma + 1)) {
    const size_t next = text.find_first_not_of(' ', comma + 1);
    if (next != std::string_view::npos && std::string_view("'\"|>#").find(text[next]) != std::string_view::npos) {
      return false;
    }
  }
  for (size_t i = 0; i < text.size();) {
    const auto [code, length] = code_point_at(text, i);
    if (length == 0) {
      return false;  // not UTF-8: only an escaped string holds it
    }
    // Printable characters only: no tab or other control, no line or paragraph separator, no hidden formatting
    // (bidirectional and zero-width), no byte-order mark, no U+FFFE/U+FFFF; no other space at either end.
    if (code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x2028 || code == 0x2029 || code == 0xFFFE ||
        code == 0xFFFF || is_hidden_format(code)) {
      return false;
    }
    if (is_unicode_space(code) && (i == 0 || i + length == text.size())) {
      return false;
    }
    i += length;
  }
  // A document marker, where a reader looking at a line's start might see one.
  return !(text.substr(0, 3) == "---" || text.substr(0, 3) == "...");
}

namespace {

std::string double_quoted(const std::string& text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) {
          out += "\\u0085";  // NEL: a line break to some YAML readers
          ++i;
        } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

/// Multi-line text is written as a literal block when it can be read back exactly that way.
bool fits_literal_block(const std::string& text) {
  if (text.find('\n') == std::string::npos) {
    return false;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) {
      return false;  // tabs and other controls are safer escaped
    }
  }
  // The first line sets the block's indentation; a leading blank would be taken for indentation.
  const size_t first = text.find_first_not_of('\n');
  if (first == std::string::npos || text[first] == ' ' || first != 0) {
    return false;
  }
  // Lines of only blanks and trailing blank lines do not survive every editor or reader.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::string line = text.substr(start, end - start);
    if (!line.empty() && line.find_first_not_of(' ') == std::string::npos) {
      return false;
    }
    if (!line.empty() && line.back() == ' ') {
      return false;
    }
    start = end + 1;
  }
  return !(text.size() >= 2 && text[text.size() - 1] == '\n' && text[text.size() - 2] == '\n');
}

class Writer {
 public:
  explicit Writer(bool allow_literal) : m_allow_literal(allow_literal) {}
  std::string out;

  void map_body(const Value& map, int indent) {
    bool first = true;
    for (const auto& [key, value] : map.entries) {
      if (!first) {
        out.append(static_cast<size_t>(indent), ' ');
      }
      first = false;
      out += is_plain_key(key.text) ? key.text : double_quoted(key.text);
      out += ':';
      value_after_key(value, indent);
    }
  }

  void sequence_body(const Value& seq, int indent) {
    bool first = true;
    for (const auto& item : seq.items) {
      if (!first) {
        out.append(static_cast<size_t>(indent), ' ');
      }
      first = false;
      out += '-';
      if (item.is_map() && !item.entries.empty()) {
        out += ' ';
        map_body(item, indent + 2);
      } else if (item.is_sequence() && !item.items.empty()) {
        out += ' ';
        sequence_body(item, indent + 2);
      } else {
        value_after_key(item, indent);
      }
    }
  }

 private:
  bool m_allow_literal;

  void value_after_key(const Value& value, int indent) {
    switch (value.kind) {
      case Value::Kind::null:
        out += '\n';
        return;
      case Value::Kind::scalar:
        scalar(value, indent);
        return;
      case Value::Kind::map:
        if (value.entries.empty()) {
          out += " {}\n";
          return;
        }
        out += '\n';
        out.append(static_cast<size_t>(indent + 2), ' ');
        map_body(value, indent + 2);
        return;
      case Value::Kind::sequence:
        if (value.items.empty()) {
          out += " []\n";
          return;
        }
        out += '\n';
        out.append(static_cast<size_t>(indent + 2), ' ');
        sequence_body(value, indent + 2);
        return;
    }
  }

  void scalar(const Value& value, int indent) {
    // A string is written plain when every YAML reader reads it back as that same string; a scalar that was plain
    // in its file (a number, a boolean, text) stays plain when it can be, so that it keeps the type YAML gives it.
    if (value.quoted ? reads_back_plain(value.text) : (is_safe_plain(value.text) || reads_back_plain(value.text))) {
      out += ' ' + value.text + '\n';
      return;
    }
    if (m_allow_literal && fits_literal_block(value.text)) {
      const bool ends_with_newline = value.text.back() == '\n';
      out += ends_with_newline ? " |\n" : " |-\n";
      const std::string body = ends_with_newline ? value.text.substr(0, value.text.size() - 1) : value.text;
      size_t start = 0;
      while (start <= body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) {
          end = body.size();
        }
        if (end > start) {
          out.append(static_cast<size_t>(indent + 2), ' ');
          out.append(body, start, end - start);
        }
        out += '\n';
        start = end + 1;
      }
      return;
    }
    out += ' ' + double_quoted(value.text) + '\n';
  }
};

}  // namespace

std::string emit_yaml(const Value& document, bool allow_literal) {
  Writer writer(allow_literal);
  if (document.is_map() && !document.entries.empty()) {
    writer.map_body(document, 0);
  } else {
    writer.out = "{}\n";
  }
  return writer.out;
}

}  // namespace casectl::storage
