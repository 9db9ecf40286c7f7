#include "storage/yaml_writer.hpp"

#include <fmt/format.h>

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
    if (!value.quoted && is_safe_plain(value.text)) {
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
