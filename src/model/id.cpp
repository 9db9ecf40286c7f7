#include "casectl/model/id.hpp"

namespace casectl {
namespace {

bool is_id_char(char c) { return k_id_alphabet.find(c) != std::string_view::npos; }

bool all_id_chars(std::string_view text) {
  for (char c : text) {
    if (!is_id_char(c)) {
      return false;
    }
  }
  return true;
}

std::string encode(std::string_view random_bytes, size_t length) {
  std::string out;
  if (random_bytes.empty()) {
    return out;  // no randomness, no ID: callers check the shape
  }
  for (size_t i = 0; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(random_bytes[i % random_bytes.size()]);
    out += k_id_alphabet[byte % 32];
  }
  return out;
}

}  // namespace

bool is_case_id(std::string_view text) {
  return text.size() == k_case_id_length && text.substr(0, 2) == "c-" && all_id_chars(text.substr(2));
}

bool is_record_id(std::string_view text) { return text.size() == k_record_id_length && all_id_chars(text); }

bool looks_like_case_id_prefix(std::string_view text) {
  if (text.substr(0, 2) == "c-") {
    text = text.substr(2);
  }
  return !text.empty() && text.size() <= k_case_id_length - 2 && all_id_chars(text);
}

std::string make_case_id(std::string_view random_bytes) { return "c-" + encode(random_bytes, k_case_id_length - 2); }

std::string make_record_id(std::string_view random_bytes) { return encode(random_bytes, k_record_id_length); }

bool is_config_key(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
      return false;
    }
  }
  return true;
}

}  // namespace casectl
