#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/json.hpp"

namespace casectl::cli {

/// A cell of a listing: text, a number, or nothing (null in JSON, empty elsewhere).
struct Cell {
  std::optional<std::string> text;
  bool number = false;

  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT: cells are built from strings everywhere
  Cell(const char* t) : text(t) {}              // NOLINT
  static Cell of_number(long long n) { Cell c(std::to_string(n)); c.number = true; return c; }
  /// A number already written in decimal, such as "1.50".
  static Cell decimal(std::string text) { Cell c(std::move(text)); c.number = true; return c; }
  static Cell optional(const std::optional<std::string>& t) { Cell c; if (t && !t->empty()) { c.text = t; } return c; }
};

/// Rows with named columns, printed as an aligned table for people or as json, csv, tsv or ids for programs,
/// with the same field names in every format.
struct Listing {
  std::string title;  ///< a line above a table (what it counts, for which period, as of which day); tables only
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  /// Per row: colour the row (e.g. overdue in red) when printing a table on a terminal.
  std::vector<const char*> row_colors;
  /// The columns that give way, in turn, shortened with "…", when a table is wider than `width` (never an ID).
  std::vector<size_t> shortens;
  /// Then the columns left out, in turn, while the table is still wider than `width` (never an ID): json and csv
  /// keep them all.
  std::vector<std::string> drops;
  size_t width = 0;  ///< the terminal's width for a table; 0: no limit (a file, a pipe, cron mail)
};

/// The formats every listing offers.
inline const std::vector<std::string> k_listing_formats = {"table", "json", "csv", "tsv", "id"};

void print_listing(std::ostream& out, const Listing& listing, const std::string& format, bool color);
Json listing_json(const Listing& listing);
std::string csv_field(const std::string& text);

namespace ansi {
inline constexpr const char* red = "\033[31m";
inline constexpr const char* yellow = "\033[33m";
inline constexpr const char* bold = "\033[1m";
inline constexpr const char* reset = "\033[0m";
}  // namespace ansi

}  // namespace casectl::cli
