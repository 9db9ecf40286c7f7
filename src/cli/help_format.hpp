#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace casectl::cli {

/// CLI11's help, its descriptions wrapped to `width` columns under their own column (a terminal's width).
class WrappingFormatter : public CLI::Formatter {
 public:
  explicit WrappingFormatter(size_t width) : m_width(width) {}
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;

 private:
  size_t m_width;
};

/// `text` with each line longer than `width` wrapped at spaces; a continuation starts under the line's
/// description (the text after the first gap of two or more spaces), or under its first word.
std::string wrap_help(const std::string& text, size_t width);

}  // namespace casectl::cli
