#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace casectl::cli {

/// One line on stderr that tells how far long work has got ("checking cases 1200/20000…"), rewritten in place
/// with a carriage return: nothing in the first half second (quick work shows nothing), then at most ten updates
/// a second, and erased when the work is over or before anything else is printed. Shows nothing when disabled
/// (stderr is not a terminal, --quiet, or the output goes through a pager).
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : m_enabled(enabled) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { clear(); }

  void update(const char* what, std::size_t done, std::size_t total);
  /// Erases the line, if one is shown.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool m_enabled;
  bool m_started = false;
  Clock::time_point m_first;  ///< when the first work began
  Clock::time_point m_last;   ///< when the line was last written
  std::size_t m_width = 0;    ///< columns of the line on the screen now
};

}  // namespace casectl::cli
