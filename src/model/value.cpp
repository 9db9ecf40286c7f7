#include "casectl/model/value.hpp"

namespace casectl {

Value::Value() = default;
Value::~Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k.text == key) {
      return &v;
    }
  }
  return nullptr;
}

void Value::set(std::string key, Value value) {
  if (value.is_null()) {
    return;
  }
  entries.emplace_back(Value::plain(std::move(key)), std::move(value));
}

bool Value::operator==(const Value& other) const {
  if (kind != other.kind) {
    return false;
  }
  switch (kind) {
    case Kind::null:
      return true;
    case Kind::scalar:
      return text == other.text;
    case Kind::sequence:
      return items == other.items;
    case Kind::map:
      if (entries.size() != other.entries.size()) {
        return false;
      }
      for (size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].first.text != other.entries[i].first.text || !(entries[i].second == other.entries[i].second)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

}  // namespace casectl
