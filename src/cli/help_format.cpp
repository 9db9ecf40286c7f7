#include "cli/help_format.hpp"

#include <sstream>

namespace casectl::cli {
namespace {

/// Where the line's description starts: after its first gap of two or more spaces past the indent, or at the
/// first word when there is none.
size_t description_column(const std::string& line) {
  const size_t indent = line.find_first_not_of(' ');
  if (indent == std::string::npos) {
    return 0;
  }
  const size_t gap = line.find("  ", indent);
  if (gap == std::string::npos) {
    return indent;
  }
  const size_t description = line.find_first_not_of(' ', gap);
  return description == std::string::npos ? indent : description;
}

size_t characters(const std::string& text) {
  size_t n = 0;
  for (const char c : text) {
    n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
  }
  return n;
}

std::string wrap_line(const std::string& line, size_t width) {
  if (characters(line) <= width) {
    return line;
  }
  size_t column = description_column(line);
  if (column + 20 > width) {  // no room beside a long name: continue under the indent
    column = line.find_first_not_of(' ');
  }
  std::string out = line.substr(0, column);
  size_t used = column;
  std::istringstream words(line.substr(column));
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && used + 1 + characters(word) > width) {
      out += '\n' + std::string(column, ' ');
      used = column;
      first = true;
    }
    out += (first ? "" : " ") + word;
    used += (first ? 0 : 1) + characters(word);
    first = false;
  }
  return out;
}

}  // namespace

std::string wrap_help(const std::string& text, size_t width) {
  std::istringstream lines(text);
  std::string line, out;
  while (std::getline(lines, line)) {
    out += wrap_line(line, width) + '\n';
  }
  return out;
}

std::string WrappingFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
  return wrap_help(CLI::Formatter::make_help(app, std::move(name), mode), m_width);
}

}  // namespace casectl::cli
