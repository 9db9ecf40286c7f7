#include "cli/repository.hpp"

#include "casectl/storage/store.hpp"

namespace casectl::cli::repository {

namespace fs = std::filesystem;

fs::path find(const std::optional<fs::path>& option, const std::optional<fs::path>& environment,
              const fs::path& working_directory) {
  return storage::find_repository(storage::RepositoryLocation{option, environment, working_directory});
}

std::shared_ptr<const storage::Store> open(const fs::path& root, std::chrono::milliseconds lock_timeout) {
  return std::make_shared<const storage::Store>(storage::open_posix_disk(root), lock_timeout);
}

void create(const fs::path& dir, const std::string& agency) { storage::initialize_repository(dir, agency); }

std::vector<Diagnostic> check(const fs::path& root) { return storage::check_repository(storage::open_posix_disk(root)); }

}  // namespace casectl::cli::repository
