#include "cli/progress.hpp"

#include <cerrno>
#include <fmt/format.h>
#include <unistd.h>

namespace casectl::cli {
namespace {

constexpr auto k_quiet_start = std::chrono::milliseconds(500);
constexpr auto k_between_updates = std::chrono::milliseconds(100);

/// Straight to the terminal, past std::cerr (which spells out a carriage return, as it does every control
/// character that does not come from casectl itself).
void write_stderr(const std::string& text) {
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    written += static_cast<size_t>(n);
  }
}

}  // namespace

void ProgressLine::update(const char* what, std::size_t done, std::size_t total) {
  if (!m_enabled) {
    return;
  }
  if (done >= total) {
    clear();
    return;
  }
  const auto now = Clock::now();
  if (!m_started) {
    m_started = true;
    m_first = now;
  }
  if (now - m_first < k_quiet_start || (m_width > 0 && now - m_last < k_between_updates)) {
    return;
  }
  m_last = now;
  const std::string text = fmt::format("{} {}/{}\xE2\x80\xA6", what, done, total);  // "…"
  const std::size_t width = text.size() - 2;  // the ellipsis takes three bytes and one column
  std::string line = "\r" + text;
  if (width < m_width) {
    line.append(m_width - width, ' ');  // over what is left of a longer line
  }
  write_stderr(line);
  m_width = width;
}

void ProgressLine::clear() {
  if (m_width == 0) {
    return;
  }
  write_stderr("\r" + std::string(m_width, ' ') + "\r");
  m_width = 0;
}

}  // namespace casectl::cli
