#include "storage/io_errors.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "casectl/storage/file_io.hpp"

namespace casectl::storage {
namespace {

Error path_error(ErrorKind kind, const std::string& path, const std::string& what) {
  const std::string shown = path.empty() ? "the repository" : path;
  return Error(kind, fmt::format("{}: {}", shown, what), {Diagnostic{shown, 0, 0, what}});
}

}  // namespace

Error read_error(const IoError& e) {
  switch (e.code()) {
    case ENOENT:
      return path_error(ErrorKind::not_found, e.path(), "does not exist");
    case EACCES:
    case EPERM:
      return path_error(ErrorKind::permission, e.path(), "cannot read: permission denied");
    case ELOOP:
      return path_error(ErrorKind::data, e.path(),
                        "is or passes through a symbolic link; casectl does not follow links inside the repository");
    case ENOTDIR:
      return path_error(ErrorKind::data, e.path(), "is not a directory, or a folder on its way is not");
    case EISDIR:
      return path_error(ErrorKind::data, e.path(), "is a directory, not a file");
    case EINVAL:
      return path_error(ErrorKind::data, e.path(), "is not a regular file (a FIFO, socket or device?)");
    case EFBIG:
      return path_error(ErrorKind::data, e.path(),
                        fmt::format("is larger than the {} KiB limit for a casectl file", k_max_file_size / 1024));
    default:
      return path_error(ErrorKind::data, e.path(), fmt::format("cannot read: {}", std::strerror(e.code())));
  }
}

Error write_error(const IoError& e) {
  switch (e.code()) {
    case EACCES:
    case EPERM:
      return path_error(ErrorKind::permission, e.path(), "cannot write: permission denied; nothing written");
    case EEXIST:
      return path_error(ErrorKind::cannot_write, e.path(), "already exists; nothing written");
    case ELOOP:
      return path_error(ErrorKind::cannot_write, e.path(),
                        "is or passes through a symbolic link; casectl does not write through links; nothing written");
    default:
      return path_error(ErrorKind::cannot_write, e.path(),
                        fmt::format("cannot write: {}; nothing written", std::strerror(e.code())));
  }
}

}  // namespace casectl::storage
