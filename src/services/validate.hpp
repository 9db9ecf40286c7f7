#pragma once

#include <string>
#include <vector>

#include "casectl/model/config.hpp"

namespace casectl::services {

/// Refuses text a case file must not hold (invalid UTF-8, control characters; newlines unless `multi_line`).
/// The message names the field, never the value, which may be client data.
std::string checked_text(const std::string& value, const std::string& field, bool multi_line = false);

/// Tags as typed anywhere (intake --tag, set tags=…, an import column): each value may hold several separated by
/// commas or semicolons; each is trimmed and checked, empty ones and repeats are dropped.
std::vector<std::string> checked_tags(const std::vector<std::string>& values);

void require_program(const Config& config, const std::string& program);
void require_worker(const Config& config, const std::string& worker);
void require_risk(const Config& config, const std::string& risk);

}  // namespace casectl::services
