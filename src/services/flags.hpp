#pragma once

#include <string>

#include "casectl/model/case.hpp"

namespace casectl::services {

/// A record ID for a new flag, unique among the case's flags.
std::string new_flag_id(const Case& c);

}  // namespace casectl::services
