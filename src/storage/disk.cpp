#include "casectl/storage/disk.hpp"

#include <cerrno>
#include <cstring>

namespace casectl::storage {

IoError::IoError(std::string op, std::string path, int code)
    : std::runtime_error(op + " " + path + ": " + std::strerror(code)),
      m_op(std::move(op)),
      m_path(std::move(path)),
      m_code(code) {}

std::optional<std::vector<DirEntry>> list_directory(Disk& disk, const std::string& dir) {
  const auto type = disk.type(dir);
  if (!type) {
    return std::nullopt;
  }
  if (*type != EntryType::directory) {
    throw IoError("open", dir, *type == EntryType::symlink ? ELOOP : ENOTDIR);
  }
  return disk.list(dir);
}

}  // namespace casectl::storage

namespace casectl::storage {

std::optional<Stamp> Disk::stamp(const std::string& path) { throw IoError("stat", path, ENOTSUP); }

std::optional<std::filesystem::path> Disk::index_file(const std::string&) const { return std::nullopt; }

}  // namespace casectl::storage
