#pragma once

#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/due.hpp"
#include "cli/json.hpp"
#include "cli/output.hpp"

namespace casectl::cli {

/// Due items as a listing with the fields of the JSON contract: case, kind, due, days_overdue, worker, program,
/// reason (and ref). Overdue rows are coloured red, rows due today yellow.
/// Case IDs and client names, beside the IDs on a terminal.
using DueNames = std::vector<std::pair<std::string, std::string>>;
/// The due items as a table; with `names`, each case's client name beside its ID.
Listing due_listing(const std::vector<DueItem>& items, const DueNames* names = nullptr);

/// The due items for a person to read whole: per item a line with the case (and name), kind, date and how late,
/// then the whole reason and the worker, program and reference, wrapped to `width` columns (0: no wrapping).
std::string due_why(const std::vector<DueItem>& items, const DueNames* names, size_t width, bool color);

/// "5 days overdue", "due today", "due in 3 days".
std::string due_phrase(const DueItem& item);

std::string optional_date(const std::optional<Date>& date);

// The JSON shapes of the parts of a case, the same in show, plan and export.
Json client_json(const Client& client);
/// The face sheet's status fields and client, which show and export both begin with.
Json case_json(const Case& c);
Json goal_json(const Goal& goal);
Json referral_json(const CaseFile& file, const Referral& referral);
Json scores_json(const std::vector<std::pair<std::string, Score>>& scores);
Json strings_json(const std::vector<std::string>& strings);

}  // namespace casectl::cli

namespace casectl::cli {

/// Due items as an iCalendar (RFC 5545) calendar: one all-day event per item, with a UID that stays the same
/// for the same obligation so that a calendar updates instead of duplicating. Client names appear in the
/// summary only when `names` maps case IDs to them.
std::string due_calendar(const std::vector<DueItem>& items, Date stamp,
                         const std::vector<std::pair<std::string, std::string>>& names);

}  // namespace casectl::cli
