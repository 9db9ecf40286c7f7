#include "casectl/storage/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casectl/model/error.hpp"
#include "storage/fd.hpp"

namespace casectl::storage {
namespace {

namespace fs = std::filesystem;

ErrorKind kind_for_errno(int err) {
  switch (err) {
    case EACCES:
    case EPERM:
      return ErrorKind::permission;
    case ENOENT:
    case ENOTDIR:
      return ErrorKind::not_found;
    default:
      return ErrorKind::cannot_write;
  }
}

Error file_error(ErrorKind kind, const std::string& display_path, const std::string& what) {
  return Error(kind, fmt::format("{}: {}", display_path, what), {Diagnostic{display_path, 0, 0, what}});
}

void write_all(int fd, std::string_view text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::system_error(errno, std::generic_category());
    }
    done += static_cast<size_t>(n);
  }
}

void sync_directory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    throw std::system_error(errno, std::generic_category());
  }
}

enum class Replace { yes, no };

void write_atomically(const fs::path& path, std::string_view text, const std::string& display_path,
                      Replace replace) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const std::string temp_name = fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  const fs::path temp = dir / temp_name;
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0 && errno == EEXIST) {
    // Left by a killed writer with our pid; we hold the lock, so nobody else is writing it.
    ::unlink(temp.c_str());
    fd.reset(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  }
  if (fd.get() < 0) {
    const int err = errno;
    throw file_error(kind_for_errno(err) == ErrorKind::not_found ? ErrorKind::cannot_write : kind_for_errno(err),
                     display_path, fmt::format("cannot write: {}", std::strerror(err)));
  }
  try {
    ::fchmod(fd.get(), 0600);
    write_all(fd.get(), text);
    // A failed fsync is not retried: the kernel may have dropped the pages already.
    if (::fsync(fd.get()) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    if (::close(fd.release()) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    if (replace == Replace::yes) {
      if (::rename(temp.c_str(), path.c_str()) != 0) {
        throw std::system_error(errno, std::generic_category());
      }
    } else {
      // link() fails if the target exists, so a new record never replaces another.
      if (::link(temp.c_str(), path.c_str()) != 0) {
        throw std::system_error(errno, std::generic_category());
      }
      ::unlink(temp.c_str());
    }
  } catch (const std::system_error& e) {
    ::unlink(temp.c_str());
    const int err = e.code().value();
    if (err == EEXIST) {
      throw file_error(ErrorKind::cannot_write, display_path, "already exists; nothing written");
    }
    throw file_error(kind_for_errno(err) == ErrorKind::not_found ? ErrorKind::cannot_write : kind_for_errno(err),
                     display_path, fmt::format("cannot write: {}", std::strerror(err)));
  }
  try {
    sync_directory(dir);
  } catch (const std::system_error& e) {
    throw file_error(ErrorKind::cannot_write, display_path,
                     fmt::format("written, but the directory could not be synced ({}); durability unconfirmed",
                                 std::strerror(e.code().value())));
  }
}

}  // namespace

std::string read_regular_file(const fs::path& path, const std::string& display_path, size_t cap) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ELOOP) {
      throw file_error(ErrorKind::data, display_path, "is a symbolic link; casectl reads only regular files");
    }
    if (err == ENOENT) {
      throw file_error(ErrorKind::not_found, display_path, "does not exist");
    }
    throw file_error(kind_for_errno(err) == ErrorKind::cannot_write ? ErrorKind::data : kind_for_errno(err),
                     display_path, fmt::format("cannot read: {}", std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    throw file_error(ErrorKind::data, display_path, fmt::format("cannot read: {}", std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    throw file_error(ErrorKind::data, display_path, "is a directory, not a file");
  }
  if (!S_ISREG(st.st_mode)) {
    throw file_error(ErrorKind::data, display_path, "is not a regular file (a FIFO, socket or device?)");
  }
  if (static_cast<size_t>(st.st_size) > cap) {
    throw file_error(ErrorKind::data, display_path,
                     fmt::format("is larger than the {} KiB limit for a casectl file", cap / 1024));
  }
  // Room for the size fstat gave and one byte more, grown while the file turns out longer, up to one byte past the
  // limit: the limit is never allocated (and paged in) for a small file.
  std::string text;
  text.resize(static_cast<size_t>(st.st_size) + 1);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw file_error(ErrorKind::data, display_path, fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<size_t>(n);
    if (done == text.size() && done <= cap) {
      text.resize(std::min(cap + 1, 2 * done));
    }
  }
  if (done > cap) {
    throw file_error(ErrorKind::data, display_path,
                     fmt::format("is larger than the {} KiB limit for a casectl file", cap / 1024));
  }
  text.resize(done);
  return text;
}

void write_file_atomically(const fs::path& path, std::string_view text, const std::string& display_path) {
  write_atomically(path, text, display_path, Replace::yes);
}

void create_file_atomically(const fs::path& path, std::string_view text, const std::string& display_path) {
  write_atomically(path, text, display_path, Replace::no);
}

void create_private_directory(const fs::path& path, const std::string& display_path) {
  if (::mkdir(path.c_str(), 0700) != 0) {
    const int err = errno;
    struct stat st {};
    if (err == EEXIST && ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return;
    }
    if (err == EEXIST) {
      throw file_error(ErrorKind::data, display_path, "exists but is not a directory");
    }
    throw file_error(kind_for_errno(err) == ErrorKind::not_found ? ErrorKind::cannot_write : kind_for_errno(err),
                     display_path, fmt::format("cannot create directory: {}", std::strerror(err)));
  }
  ::chmod(path.c_str(), 0700);
  try {
    sync_directory(path.has_parent_path() ? path.parent_path() : fs::path("."));  // its name, on the device
  } catch (const std::system_error& e) {
    if (e.code().value() != EACCES) {  // a parent we may not read cannot be opened to sync: nothing to do there
      throw file_error(ErrorKind::cannot_write, display_path,
                       fmt::format("created, but its parent could not be synced ({})", std::strerror(e.code().value())));
    }
  }
}

std::string random_bytes(size_t size) {
  std::string out(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::getrandom(out.data() + done, size - done, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(ErrorKind::internal, fmt::format("no random numbers: {}", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return out;
}

}  // namespace casectl::storage
