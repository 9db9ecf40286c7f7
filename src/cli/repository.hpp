#pragma once

// The composition root: the one place where the command line meets the storage layer. It finds the repository,
// opens its store on the real disk, and hands the store to the services inside a Session.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/work_progress.hpp"
#include "casectl/services/session.hpp"

namespace casectl::cli::repository {

/// `-C`/`--repo` first, then `CASECTL_REPO`, then the nearest ancestor of `working_directory` with casectl.yaml.
std::filesystem::path find(const std::optional<std::filesystem::path>& option,
                           const std::optional<std::filesystem::path>& environment,
                           const std::filesystem::path& working_directory);

/// The store of the repository at `root`, on the real disk; `use_index` false reads every file (--no-cache).
/// Long work tells `progress` how far it has got; `written` hears of the paths each committed transaction wrote.
std::shared_ptr<const storage::Store> open(const std::filesystem::path& root, std::chrono::milliseconds lock_timeout,
                                           bool use_index, const ProgressSink& progress = {},
                                           std::function<void(const std::vector<std::string>&)> written = {});

/// `casectl init`.
void create(const std::filesystem::path& dir, const std::string& agency);

/// `casectl check`: every problem in every file, even when casectl.yaml itself is broken; through the index
/// unless `use_index` is false, and every case folder read again when `full`; telling `progress` how far it is.
std::vector<Diagnostic> check(const std::filesystem::path& root, bool use_index, bool full,
                              const ProgressSink& progress = {});

}  // namespace casectl::cli::repository
