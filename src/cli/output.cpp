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

void print_table(std::ostream& out, const Listing& listing, bool color) {
  std::vector<size_t> widths;
  for (const auto& column : listing.columns) {
    widths.push_back(display_width(column));
  }
  for (const auto& row : listing.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i].text.value_or("")));
    }
  }
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
      cells.push_back(text);
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
  print_table(out, listing, color);
}

}  // namespace casectl::cli
