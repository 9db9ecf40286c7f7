#pragma once

#include <string>

#include "casectl/model/value.hpp"

namespace casectl::storage {

/// Writes `document` (a map) in casectl's canonical style: block style, 2-space indent, strings double-quoted,
/// multi-line text as literal blocks (unless `allow_literal` is false), keys in the order given, LF endings.
std::string emit_yaml(const Value& document, bool allow_literal = true);

}  // namespace casectl::storage
