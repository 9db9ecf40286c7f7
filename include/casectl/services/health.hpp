#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "casectl/services/session.hpp"

namespace casectl::services {

/// What `casectl doctor` tells of the repository in use: its configuration, who you are in it, and the state of
/// casectl's own files.
struct RepositoryHealth {
  std::string agency;
  size_t programs = 0, workers = 0, instruments = 0;
  std::string worker;          ///< the configured worker you write as; empty when nothing tells
  std::string worker_told_by;  ///< "--worker", "CASECTL_WORKER", "git user.email" or "login"
  std::string worker_problem;  ///< why you could not write (an unknown or inactive worker), if so
  std::optional<int64_t> index_bytes;
  bool writer_busy = false;
  std::string lock_problem;
  bool interrupted = false;
};
RepositoryHealth repository_health(const Session& session);

}  // namespace casectl::services
