#include "cli/json.hpp"

#include <fmt/format.h>

namespace casectl::cli {

Json Json::string(std::string text) {
  Json j;
  j.m_type = Type::string;
  j.m_text = std::move(text);
  return j;
}
Json Json::number(long long n) {
  Json j;
  j.m_type = Type::number;
  j.m_number = n;
  return j;
}
Json Json::raw_number(std::string text) {
  Json j;
  j.m_type = Type::number;
  j.m_text = std::move(text);
  return j;
}
Json Json::boolean(bool b) {
  Json j;
  j.m_type = Type::boolean;
  j.m_bool = b;
  return j;
}
Json Json::array() {
  Json j;
  j.m_type = Type::array;
  return j;
}
Json Json::object() {
  Json j;
  j.m_type = Type::object;
  return j;
}
Json Json::optional_string(const std::optional<std::string>& text) {
  return text && !text->empty() ? string(*text) : Json();
}

Json& Json::set(const std::string& key, Json value) {
  m_members.emplace_back(key, std::move(value));
  return *this;
}

Json& Json::push(Json value) {
  m_items.push_back(std::move(value));
  return *this;
}

std::string json_escape(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
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
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void Json::write(std::string& out, int indent) const {
  const std::string pad(static_cast<size_t>(indent + 2), ' ');
  const std::string end_pad(static_cast<size_t>(indent), ' ');
  switch (m_type) {
    case Type::null:
      out += "null";
      return;
    case Type::boolean:
      out += m_bool ? "true" : "false";
      return;
    case Type::number:
      out += m_text.empty() ? std::to_string(m_number) : m_text;
      return;
    case Type::string:
      out += json_escape(m_text);
      return;
    case Type::array:
      if (m_items.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (size_t i = 0; i < m_items.size(); ++i) {
        out += pad;
        m_items[i].write(out, indent + 2);
        out += i + 1 < m_items.size() ? ",\n" : "\n";
      }
      out += end_pad + "]";
      return;
    case Type::object:
      if (m_members.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (size_t i = 0; i < m_members.size(); ++i) {
        out += pad + json_escape(m_members[i].first) + ": ";
        m_members[i].second.write(out, indent + 2);
        out += i + 1 < m_members.size() ? ",\n" : "\n";
      }
      out += end_pad + "}";
      return;
  }
}

std::string Json::dump() const {
  std::string out;
  write(out, 0);
  return out + "\n";
}

}  // namespace casectl::cli
