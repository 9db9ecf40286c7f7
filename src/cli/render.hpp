#pragma once

#include <string>
#include <vector>

#include "casectl/model/due.hpp"
#include "cli/output.hpp"

namespace casectl::cli {

/// Due items as a listing with the fields of the JSON contract: case, kind, due, days_overdue, worker, program,
/// reason (and ref). Overdue rows are coloured red, rows due today yellow.
Listing due_listing(const std::vector<DueItem>& items);

/// "5 days overdue", "due today", "due in 3 days".
std::string due_phrase(const DueItem& item);

std::string optional_date(const std::optional<Date>& date);

}  // namespace casectl::cli
