// Creating a repository, and finding the one a command works on.
#include <cerrno>
#include <fmt/format.h>

#include "casectl/model/text.hpp"
#include "casectl/storage/file_io.hpp"
#include "casectl/storage/store.hpp"
#include "storage/io_errors.hpp"
#include "storage/layout.hpp"
#include "storage/templates.hpp"

namespace casectl::storage {
namespace {

namespace fs = std::filesystem;

std::string yaml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

/// Writes one file of a new repository through a staged name, so that a file is never half there.
void put(Disk& disk, const std::string& path, const std::string& text, bool replace) {
  const std::string staged = layout::join(layout::parent(path), layout::temporary_name(layout::base_name(path), "init"));
  try {
    disk.remove(staged);
  } catch (const IoError&) {
  }
  disk.write_new(staged, text);
  if (replace) {
    disk.rename(staged, path);
  } else {
    disk.link(staged, path);
    disk.remove(staged);
  }
  disk.sync_directory(layout::parent(path));
}

void ensure_directory(Disk& disk, const std::string& path) {
  if (disk.type(path) != EntryType::directory) {
    disk.make_directory(path);
    disk.sync_directory(layout::parent(path));  // the new folder's name is on the device before anything in it
  }
}

/// Whether `dir` holds casectl.yaml; a folder casectl may not look into is an error, not "no repository here".
bool has_config(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir / layout::config_file, ec);
  if (ec && ec.value() == EACCES) {
    throw Error(ErrorKind::permission, fmt::format("{}: permission denied", dir.string()));
  }
  return fs::exists(status);
}

std::string gitattributes_text() {
  std::string text = "# Written by casectl init: case files are text with LF line endings on every platform, and git merges\n"
                     "# face sheets and plans field by field with casectl (set up in each clone by 'casectl hooks install').\n";
  for (const char* line : layout::gitattributes_lines) {
    text += std::string(line) + "\n";
  }
  return text;
}

}  // namespace

void write_new_repository(Disk& disk, const std::string& agency) {
  ensure_directory(disk, layout::cases_dir);
  ensure_directory(disk, layout::instruments_dir);
  std::string config;
  for (const auto& file : embedded_files()) {
    if (file.name == layout::config_file) {
      config = file.content;
      const std::string placeholder = "\"@AGENCY@\"";
      config.replace(config.find(placeholder), placeholder.size(), yaml_string(agency));
    } else {
      put(disk, file.name, file.content, true);
    }
  }
  put(disk, ".gitignore",
      "# Written by casectl init: the lock, an unfinished transaction, the cache and interrupted writes stay out of "
      "git.\n.casectl.lock\n.casectl.journal\n.cache/\n.*.tmp-*\n.*.old-*\n"
      "# The secret behind de-identified pseudonyms: copy it to the agency's other clones by hand.\n.casectl.key\n",
      true);
  put(disk, layout::gitattributes_file, gitattributes_text(), true);
  put(disk, layout::cases_keep_file, "", true);
  put(disk, layout::config_file, config, false);  // last: its presence makes the folder a repository
}

void initialize_repository(const fs::path& dir, const std::string& agency) {
  // casectl.yaml would hold it: what every later command refuses to read is refused here, before anything exists.
  if (auto problem = find_text_problem(agency); problem || agency.find('\n') != std::string::npos) {
    throw Error(ErrorKind::usage, fmt::format("--agency: {}; nothing written",
                                              problem ? problem->reason : std::string("a name on one line")));
  }
  if (has_config(dir)) {
    throw Error(ErrorKind::cannot_write,
                fmt::format("{} is already a case repository (it has casectl.yaml); nothing written", dir.string()));
  }
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir.parent_path().empty() ? fs::path(".") : dir.parent_path(), ec);
  }
  create_private_directory(dir, dir.string());
  try {
    write_new_repository(*open_posix_disk(dir), agency);
  } catch (const IoError& e) {
    throw write_error(e);
  }
}

fs::path find_repository(const RepositoryLocation& where) {
  auto check = [](const fs::path& dir, const char* how) {
    if (!has_config(dir)) {
      throw Error(ErrorKind::not_found,
                  fmt::format("{} ({}) is not a case repository: it has no casectl.yaml", dir.string(), how));
    }
    return fs::absolute(dir);
  };
  if (where.option) {
    return check(*where.option, "from -C/--repo");
  }
  if (where.environment) {
    return check(*where.environment, "from CASECTL_REPO");
  }
  for (fs::path dir = fs::absolute(where.working_directory);; dir = dir.parent_path()) {
    if (has_config(dir)) {
      return dir;
    }
    if (dir == dir.root_path() || dir.empty()) {
      break;
    }
  }
  throw Error(ErrorKind::not_found,
              "not in a case repository (no casectl.yaml here or in any parent directory); use -C DIR, set "
              "CASECTL_REPO, or create one with 'casectl init'");
}

}  // namespace casectl::storage
