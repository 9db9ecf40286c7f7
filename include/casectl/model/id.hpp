#pragma once

#include <string>
#include <string_view>

namespace casectl {

/// Case IDs are "c-" and 8 characters of the RFC 4648 base32 alphabet in lower case: opaque, random, short and
/// safe as a folder name. Record IDs (contacts, referrals, …) are 4 such characters, unique within their case.
inline constexpr std::string_view k_id_alphabet = "abcdefghijklmnopqrstuvwxyz234567";
inline constexpr size_t k_case_id_length = 10;
inline constexpr size_t k_record_id_length = 4;

bool is_case_id(std::string_view text);
bool is_record_id(std::string_view text);
/// True when `text` could be the start of a case ID (with or without the "c-"), so that resolving it needs no
/// look at the client names.
bool looks_like_case_id_prefix(std::string_view text);

/// Turns random bytes into an ID; the caller supplies the randomness (the model has no I/O).
std::string make_case_id(std::string_view random_bytes);
std::string make_record_id(std::string_view random_bytes);

/// Workers, programs, risk levels and other configuration keys: [a-z0-9][a-z0-9._-]*.
bool is_config_key(std::string_view text);

}  // namespace casectl
