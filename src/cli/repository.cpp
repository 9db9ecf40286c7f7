#include "cli/repository.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casectl/storage/store.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli::repository {

namespace fs = std::filesystem;

fs::path find(const std::optional<fs::path>& option, const std::optional<fs::path>& environment,
              const fs::path& working_directory) {
  const fs::path root = storage::find_repository(storage::RepositoryLocation{option, environment, working_directory});
  // A casectl.yaml planted in a parent folder by another user must not draw client data into their tree: as git
  // does, a repository is trusted when the caller or root owns it, or git's safe.directory names it.
  struct stat st {};
  if (::stat(root.c_str(), &st) == 0 && st.st_uid != ::geteuid() && st.st_uid != 0 &&
      !git_trusts_directory(root.string())) {
    throw Error(ErrorKind::permission,
                fmt::format("{} belongs to another user (uid {}); casectl works only in repositories you own. If "
                            "you trust it, say so as for git: git config --global --add safe.directory {}",
                            root.string(), st.st_uid, root.string()));
  }
  return root;
}

std::shared_ptr<const storage::Store> open(const fs::path& root, std::chrono::milliseconds lock_timeout,
                                           bool use_index, const ProgressSink& progress,
                                           std::function<void(const std::vector<std::string>&)> written) {
  auto store = std::make_shared<storage::Store>(storage::open_posix_disk(root), lock_timeout);
  store->use_index(use_index);
  store->set_progress(progress);
  store->after_commit(std::move(written));
  return store;
}

void create(const fs::path& dir, const std::string& agency) { storage::initialize_repository(dir, agency); }

std::vector<Diagnostic> check(const fs::path& root, bool use_index, bool full, const ProgressSink& progress) {
  return storage::check_repository(storage::open_posix_disk(root), use_index, full, progress);
}

}  // namespace casectl::cli::repository
