#pragma once

#include <cstddef>
#include <functional>

namespace casectl {

/// Told how far a long piece of work has got: `what` names it ("checking cases"), `done` of `total` steps. Called
/// often, and only on the thread that started the work: the receiver decides what to show and how often. Called a
/// last time with `done == total` when the work is over. The layers below the command line only report; what is
/// shown, and where, is the command line's business.
using ProgressSink = std::function<void(const char* what, std::size_t done, std::size_t total)>;

/// Calls `progress` when there is one.
inline void report_progress(const ProgressSink& progress, const char* what, std::size_t done, std::size_t total) {
  if (progress) {
    progress(what, done, total);
  }
}

}  // namespace casectl
