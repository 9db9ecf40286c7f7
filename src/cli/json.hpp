#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace casectl::cli {

/// A JSON value for output, keeping object keys in insertion order.
class Json {
 public:
  enum class Type { null, boolean, number, string, array, object };

  Json() = default;
  static Json string(std::string text);
  static Json number(long long n);
  /// A number already written as JSON allows (e.g. "1.50").
  static Json raw_number(std::string text);
  static Json boolean(bool b);
  static Json array();
  static Json object();
  /// A string, or null when `text` is empty or missing.
  static Json optional_string(const std::optional<std::string>& text);

  Json& set(const std::string& key, Json value);
  Json& push(Json value);
  std::string dump() const;

 private:
  Type m_type = Type::null;
  std::string m_text;
  long long m_number = 0;
  bool m_bool = false;
  std::vector<Json> m_items;
  std::vector<std::pair<std::string, Json>> m_members;

  void write(std::string& out, int indent) const;
};

std::string json_escape(const std::string& text);

}  // namespace casectl::cli
