#include "cli/output.hpp"

#include <algorithm>
#include <ostream>
#include <string_view>

namespace casectl::cli {
namespace {

size_t display_width(const std::string& text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) {
      ++width;
    }
  }
  return width;
}

/// Text a spreadsheet would run as a formula (=, +, -, @, or a leading tab or CR) gets a leading apostrophe,
/// as OWASP advises: a client named "=HYPERLINK(…)" stays a name in the supervisor's spreadsheet. Numbers are
/// cells of their own kind and keep their sign.
std::string spreadsheet_safe(const std::string& text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    return "'" + text;
  }
  return text;
}

std::string tsv_field(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\t' || c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/// `text` cut to `width` characters, its last one "…", when it is longer.
std::string shortened(const std::string& text, size_t width) {
  if (display_width(text) <= width || width == 0) {
    return text;
  }
  std::string out;
  size_t kept = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u;
    if (starts_character && ++kept == width) {
      break;
    }
    out += text[i];
  }
  return out + "…";
}

/// Narrows the columns that give way, in turn, until the table fits `listing.width`; each keeps at least its
/// heading and 12 characters.
void fit_to_width(const Listing& listing, std::vector<size_t>& widths) {
  if (listing.width == 0 || widths.empty()) {
    return;
  }
  for (const size_t shortened_column : listing.shortens) {
    size_t total = 2 * (widths.size() - 1);
    for (const size_t w : widths) {
      total += w;
    }
    if (total <= listing.width || shortened_column >= widths.size()) {
      return;
    }
    size_t& column = widths[shortened_column];
    const size_t floor = std::max<size_t>(display_width(listing.columns[shortened_column]), 12);
    const size_t excess = total - listing.width;
    column = column > floor + excess ? column - excess : std::min(column, floor);
  }
}

/// The listing with only the columns `kept` (indices, in order).
Listing keep_columns(const Listing& listing, const std::vector<size_t>& kept) {
  Listing out = listing;
  out.columns.clear();
  out.shortens.clear();
  for (size_t k = 0; k < kept.size(); ++k) {
    out.columns.push_back(listing.columns[kept[k]]);
  }
  for (const size_t s : listing.shortens) {
    const auto it = std::find(kept.begin(), kept.end(), s);
    if (it != kept.end()) {
      out.shortens.push_back(static_cast<size_t>(it - kept.begin()));
    }
  }
  for (auto& row : out.rows) {
    std::vector<Cell> cells;
    for (const size_t k : kept) {
      cells.push_back(k < row.size() ? row[k] : Cell());
    }
    row = std::move(cells);
  }
  return out;
}

/// The widths of the table's columns, the shortened ones at their narrowest allowed.
std::vector<size_t> column_widths(const Listing& listing) {
  std::vector<size_t> widths;
  for (const auto& column : listing.columns) {
    widths.push_back(display_width(column));
  }
  for (const auto& row : listing.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i].text.value_or("")));
    }
  }
  fit_to_width(listing, widths);
  return widths;
}

size_t table_width(const Listing& listing) {
  const auto widths = column_widths(listing);
  size_t total = widths.empty() ? 0 : 2 * (widths.size() - 1);
  for (const size_t w : widths) {
    total += w;
  }
  return total;
}

/// The table for a terminal: without the columns no row has a value in, then without the columns `drops` names,
/// in turn, while it is still wider than the terminal.
Listing for_terminal(const Listing& listing) {
  std::vector<size_t> kept;
  for (size_t i = 0; i < listing.columns.size(); ++i) {
    if (listing.rows.empty() ||
        std::any_of(listing.rows.begin(), listing.rows.end(),
                    [&](const auto& row) { return i < row.size() && !row[i].text.value_or("").empty(); })) {
      kept.push_back(i);
    }
  }
  Listing out = keep_columns(listing, kept);
  for (const auto& name : listing.drops) {
    if (table_width(out) <= listing.width) {
      break;
    }
    const auto at = std::find(listing.columns.begin(), listing.columns.end(), name);
    const auto index = static_cast<size_t>(at - listing.columns.begin());
    if (std::find(kept.begin(), kept.end(), index) != kept.end()) {
      kept.erase(std::find(kept.begin(), kept.end(), index));
      out = keep_columns(listing, kept);
    }
  }
  return out;
}

void print_table(std::ostream& out, const Listing& listing, bool color) {
  const std::vector<size_t> widths = column_widths(listing);
  auto print_row = [&](const std::vector<std::string>& cells, const char* code) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 < cells.size()) {
        line += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
      }
    }
    if (color && code != nullptr) {
      out << code << line << ansi::reset << '\n';
    } else {
      out << line << '\n';
    }
  };
  std::vector<std::string> header;
  for (const auto& column : listing.columns) {
    std::string upper = column;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
      return static_cast<char>(c == '_' ? ' ' : std::toupper(c));
    });
    header.push_back(upper);
  }
  print_row(header, ansi::bold);
  for (size_t r = 0; r < listing.rows.size(); ++r) {
    std::vector<std::string> cells;
    for (const auto& cell : listing.rows[r]) {
      std::string text = cell.text.value_or("");
      std::replace(text.begin(), text.end(), '\n', ' ');
      const size_t column = cells.size();
      cells.push_back(column < widths.size() ? shortened(text, widths[column]) : text);
    }
    print_row(cells, r < listing.row_colors.size() ? listing.row_colors[r] : nullptr);
  }
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

Json listing_json(const Listing& listing) {
  Json array = Json::array();
  for (const auto& row : listing.rows) {
    Json object = Json::object();
    for (size_t i = 0; i < listing.columns.size() && i < row.size(); ++i) {
      const Cell& cell = row[i];
      if (!cell.text) {
        object.set(listing.columns[i], Json());
      } else if (cell.number) {
        object.set(listing.columns[i], Json::raw_number(*cell.text));
      } else {
        object.set(listing.columns[i], Json::string(*cell.text));
      }
    }
    array.push(std::move(object));
  }
  return array;
}

void print_listing(std::ostream& out, const Listing& listing, const std::string& format, bool color) {
  if (format == "json") {
    out << listing_json(listing).dump();
    return;
  }
  if (format == "id") {
    for (const auto& row : listing.rows) {
      out << row.at(0).text.value_or("") << '\n';
    }
    return;
  }
  if (format == "csv" || format == "tsv") {
    const bool csv = format == "csv";
    const char* sep = csv ? "," : "\t";
    const char* eol = csv ? "\r\n" : "\n";  // RFC 4180 lines end with CRLF
    for (size_t i = 0; i < listing.columns.size(); ++i) {
      out << (i ? sep : "") << listing.columns[i];
    }
    out << eol;
    for (const auto& row : listing.rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        const std::string text = row[i].number ? row[i].text.value_or("") : spreadsheet_safe(row[i].text.value_or(""));
        out << (i ? sep : "") << (csv ? csv_field(text) : tsv_field(text));
      }
      out << eol;
    }
    return;
  }
  if (!listing.title.empty()) {
    out << listing.title << '\n';
  }
  print_table(out, listing.width > 0 ? for_terminal(listing) : listing, color);
}

}  // namespace casectl::cli
