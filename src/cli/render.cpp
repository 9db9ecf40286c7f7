#include "cli/render.hpp"

#include <fmt/format.h>

namespace casectl::cli {

Listing due_listing(const std::vector<DueItem>& items) {
  Listing listing;
  listing.columns = {"case", "kind", "due", "days_overdue", "worker", "program", "reason", "ref"};
  for (const auto& item : items) {
    listing.rows.push_back({item.case_id, item.kind, item.due.iso(), Cell::of_number(item.days_overdue),
                            Cell::optional(item.worker), Cell::optional(item.program), item.reason,
                            Cell::optional(item.ref)});
    listing.row_colors.push_back(item.overdue() ? ansi::red : item.days_overdue == 0 ? ansi::yellow : nullptr);
  }
  return listing;
}

std::string due_phrase(const DueItem& item) {
  if (item.days_overdue > 0) {
    return fmt::format("{} day{} overdue", item.days_overdue, item.days_overdue == 1 ? "" : "s");
  }
  if (item.days_overdue == 0) {
    return "due today";
  }
  return fmt::format("due in {} day{}", -item.days_overdue, item.days_overdue == -1 ? "" : "s");
}

std::string optional_date(const std::optional<Date>& date) { return date ? date->iso() : std::string(); }

}  // namespace casectl::cli
