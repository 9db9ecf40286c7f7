#pragma once

#include <string>
#include <string_view>

#include "casectl/model/value.hpp"

namespace casectl::storage {

/// Writes `document` (a map) in casectl's canonical style: block style, 2-space indent, keys in the order given,
/// LF endings; strings plain where `reads_back_plain` allows, else double-quoted; multi-line text as literal
/// blocks (unless `allow_literal` is false).
std::string emit_yaml(const Value& document, bool allow_literal = true);

/// Whether the string `text` may be written as a plain scalar: whether a YAML 1.1 reader and a YAML 1.2 reader
/// alike read it back as that same string. Decided conservatively: not a boolean or null word in any letter case
/// (yes, no, on, off, y, n, true, false, null, ~), nothing that could be a number (1e3, 0x1f, 0o7, .5, +1, 1_000,
/// 012, 1:20, .inf, .nan), no blank at either end, no indicator first (-?:,[]{}#&*!|>'"%@`), no ": " or " #", no
/// control, hidden formatting or non-printable character, not empty. A valid date (YYYY-MM-DD) or timestamp
/// (YYYY-MM-DDTHH:MM[Z|±HH:MM]) is plain, as people write them: casectl reads them as text, although a YAML
/// 1.1 reader that resolves timestamps makes a date of YYYY-MM-DD; anything else that starts like a date is quoted.
bool reads_back_plain(std::string_view text);

}  // namespace casectl::storage
