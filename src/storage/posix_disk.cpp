// The real file system. Every path is opened beneath the root with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS), so a symbolic link anywhere on a path is refused (ELOOP) instead of followed out of the
// repository; kernels before 5.6 get the same rule by walking the path one O_NOFOLLOW component at a time.
#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

#include "casectl/storage/disk.hpp"
#include "storage/fd.hpp"
#include "storage/io_errors.hpp"
#include "storage/layout.hpp"

namespace casectl::storage {
namespace {

namespace fs = std::filesystem;

std::pair<std::string, std::string> split_parent(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return {"", path};
  }
  return {path.substr(0, slash), path.substr(slash + 1)};
}

const char* const lock_path = layout::lock_file;

/// The writer's lock: flock(2) on the lock file, so that flock(1) can hold writers off too (e.g. during a backup).
class WriterLock : public DiskLock {
 public:
  explicit WriterLock(int fd) : m_fd(fd) {}
  ~WriterLock() override { ::flock(m_fd, LOCK_UN); }

 private:
  int m_fd;
};

/// A commit or a reader: an open file description lock on the lock file's first byte, which does not interfere
/// with the writer's flock.
class RangeLock : public DiskLock {
 public:
  RangeLock(int fd, struct flock held) : m_fd(fd), m_held(held) {}
  ~RangeLock() override {
    m_held.l_type = F_UNLCK;
    ::fcntl(m_fd, F_OFD_SETLK, &m_held);
  }

 private:
  int m_fd;
  struct flock m_held;
};

class NoLock : public DiskLock {};

class PosixDisk : public Disk {
 public:
  explicit PosixDisk(fs::path root) : m_root(std::move(root)) {
    m_root_fd.reset(::open(m_root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (m_root_fd.get() < 0) {
      throw IoError("open", "", errno);
    }
  }

  std::optional<EntryType> type(const std::string& path) override {
    struct stat st {};
    if (path.empty()) {
      if (::fstat(m_root_fd.get(), &st) != 0) {
        throw IoError("stat", path, errno);
      }
      return type_of(st.st_mode);
    }
    // One lookup of the whole path, which a path that does not exist (most of what a commit asks about) ends at;
    // a final symbolic link is opened itself (O_PATH | O_NOFOLLOW), one anywhere above it is refused.
    Fd fd(open_beneath(path, O_PATH | O_NOFOLLOW));
    if (fd.get() < 0) {
      if (errno == ENOENT) {
        return std::nullopt;
      }
      throw IoError("open", split_parent(path).first, errno);
    }
    if (::fstat(fd.get(), &st) != 0) {
      throw IoError("stat", path, errno);
    }
    return type_of(st.st_mode);
  }

  std::vector<DirEntry> list(const std::string& dir) override {
    int fd = open_beneath(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
      throw IoError("open", dir, errno);
    }
    DIR* stream = ::fdopendir(fd);
    if (!stream) {
      const int err = errno;
      ::close(fd);
      throw IoError("opendir", dir, err);
    }
    std::vector<DirEntry> entries;
    while (true) {
      errno = 0;
      const dirent* entry = ::readdir(stream);
      if (!entry) {
        break;
      }
      std::string name = entry->d_name;
      if (name == "." || name == "..") {
        continue;
      }
      if (entries.size() == k_many_entries) {
        reserve_for_folder(::dirfd(stream), entries);
      }
      EntryType t = EntryType::other;
      switch (entry->d_type) {
        case DT_REG:
          t = EntryType::regular;
          break;
        case DT_DIR:
          t = EntryType::directory;
          break;
        case DT_LNK:
          t = EntryType::symlink;
          break;
        case DT_UNKNOWN: {
          struct stat st {};
          if (::fstatat(::dirfd(stream), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            const int err = errno;
            ::closedir(stream);
            throw IoError("stat", dir.empty() ? name : dir + "/" + name, err);
          }
          t = type_of(st.st_mode);
          break;
        }
        default:
          break;
      }
      entries.push_back(DirEntry{std::move(name), t});
    }
    const int err = errno;
    ::closedir(stream);
    if (err != 0) {
      throw IoError("readdir", dir, err);
    }
    return entries;
  }

  std::string read(const std::string& path, size_t cap) override {
    Fd fd(open_beneath(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW));
    if (fd.get() < 0) {
      throw IoError("open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
      throw IoError("stat", path, errno);
    }
    if (S_ISDIR(st.st_mode)) {
      throw IoError("read", path, EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
      throw IoError("open", path, EINVAL);
    }
    if (static_cast<size_t>(st.st_size) > cap) {
      throw IoError("read", path, EFBIG);
    }
    std::string text(static_cast<size_t>(st.st_size) + 1, '\0');
    size_t done = 0;
    while (true) {
      if (done == text.size()) {
        if (text.size() > cap) {
          throw IoError("read", path, EFBIG);  // it grew while we read
        }
        text.resize(std::min(cap + 1, text.size() * 2));
      }
      const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw IoError("read", path, errno);
      }
      if (n == 0) {
        break;
      }
      done += static_cast<size_t>(n);
    }
    if (done > cap) {
      throw IoError("read", path, EFBIG);
    }
    text.resize(done);
    return text;
  }

  void write_new(const std::string& path, std::string_view text) override { write_file(path, text, true); }
  void write_new_unsynced(const std::string& path, std::string_view text) override { write_file(path, text, false); }

  void write_file(const std::string& path, std::string_view text, bool flush) {
    Fd fd(open_beneath(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
      throw IoError("open", path, errno);
    }
    if (::fchmod(fd.get(), 0600) != 0) {
      throw IoError("chmod", path, errno);
    }
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw IoError("write", path, errno);
      }
      done += static_cast<size_t>(n);
    }
    // A failed fsync is not retried: the kernel may have dropped the pages already.
    if (flush && ::fsync(fd.get()) != 0) {
      throw IoError("fsync", path, errno);
    }
    if (::close(fd.release()) != 0) {
      throw IoError("close", path, errno);
    }
  }

  void make_directory(const std::string& path) override {
    const auto [parent, name] = split_parent(path);
    Fd dir = parent_fd("mkdir", path);
    if (::mkdirat(dir.get(), name.c_str(), 0700) != 0) {
      throw IoError("mkdir", path, errno);
    }
    ::fchmodat(dir.get(), name.c_str(), 0700, 0);  // whatever the umask
  }

  void rename(const std::string& from, const std::string& to) override {
    in_parents("rename", from, to, [&](int from_dir, int to_dir) {
      return ::renameat(from_dir, split_parent(from).second.c_str(), to_dir, split_parent(to).second.c_str());
    });
  }

  void link(const std::string& from, const std::string& to) override {
    in_parents("link", from, to, [&](int from_dir, int to_dir) {
      return ::linkat(from_dir, split_parent(from).second.c_str(), to_dir, split_parent(to).second.c_str(), 0);
    });
  }

  void remove(const std::string& path) override {
    Fd dir = parent_fd("unlink", path);
    if (::unlinkat(dir.get(), split_parent(path).second.c_str(), 0) != 0) {
      throw IoError("unlink", path, errno);
    }
  }

  void remove_directory(const std::string& path) override {
    Fd dir = parent_fd("rmdir", path);
    if (::unlinkat(dir.get(), split_parent(path).second.c_str(), AT_REMOVEDIR) != 0) {
      throw IoError("rmdir", path, errno);
    }
  }

  void sync_directory(const std::string& dir) override {
    Fd fd(open_beneath(dir, O_RDONLY | O_DIRECTORY));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
      throw IoError("fsync", dir, errno);
    }
  }

  void sync_all() override {
    Fd fd(open_beneath("", O_RDONLY | O_DIRECTORY));
    if (fd.get() < 0 || ::syncfs(fd.get()) != 0) {
      throw IoError("syncfs", "", errno);
    }
  }

  std::unique_ptr<DiskLock> lock(LockKind kind, std::chrono::milliseconds timeout) override {
    // Each kind has its own open file description of the lock file, kept open, so that locking a case for reading
    // costs two fcntl calls.
    Fd& fd = m_lock_fds[static_cast<int>(kind)];
    if (fd.get() < 0) {
      fd.reset(open_beneath(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW, 0600));
      if (fd.get() < 0 && kind == LockKind::read_snapshot) {
        fd.reset(open_beneath(lock_path, O_RDONLY | O_NOFOLLOW));  // a read-only repository
        if (fd.get() < 0) {
          return std::make_unique<NoLock>();  // which no writer has ever locked
        }
      }
      if (fd.get() < 0) {
        throw IoError("open", lock_path, errno);
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (kind == LockKind::writer) {
      while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
          throw IoError("lock", lock_path, errno);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
          return nullptr;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return std::make_unique<WriterLock>(fd.get());
    }
    struct flock request {};
    request.l_type = kind == LockKind::read_snapshot ? F_RDLCK : F_WRLCK;
    request.l_whence = SEEK_SET;
    request.l_start = 0;
    request.l_len = 1;
    while (::fcntl(fd.get(), F_OFD_SETLK, &request) != 0) {
      const int err = errno;
      if (err != EAGAIN && err != EACCES && err != EINTR) {
        if (kind == LockKind::read_snapshot) {
          return std::make_unique<NoLock>();
        }
        throw IoError("lock", lock_path, err);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::make_unique<RangeLock>(fd.get(), request);
  }

  std::string describe() const override { return m_root.string(); }

  std::optional<Stamp> stamp(const std::string& path) override {
    // Relative to the root without openat2's checks, for speed: a stamp is only ever compared with one taken when
    // the same file was read through them, and no two files share an inode and a ctime.
    struct statx st {};
    if (::statx(m_root_fd.get(), path.c_str(), AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
                STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_MTIME | STATX_CTIME | STATX_INO, &st) != 0) {
      if (errno == ENOENT) {
        return std::nullopt;
      }
      throw IoError("stat", path, errno);
    }
    auto ns = [](const statx_timestamp& t) { return t.tv_sec * 1'000'000'000LL + t.tv_nsec; };
    return Stamp{type_of(st.stx_mode), static_cast<int64_t>(st.stx_size), ns(st.stx_mtime), ns(st.stx_ctime),
                 st.stx_ino, (static_cast<uint64_t>(st.stx_dev_major) << 32) | st.stx_dev_minor};
  }

  std::optional<fs::path> index_file(const std::string& path) const override { return m_root / path; }

 private:
  fs::path m_root;
  Fd m_root_fd{-1};
  Fd m_lock_fds[3];
  bool m_have_openat2 = true;

  /// Entries listed before a folder is taken to be large.
  static constexpr size_t k_many_entries = 4096;

  /// Room for every entry of a large folder at once, guessed from its size in bytes (ext4 and tmpfs give 20 to an
  /// entry named like a case), rather than a copy into fresh memory at each doubling. Only a guess: a folder of
  /// shorter names goes on growing as before.
  static void reserve_for_folder(int fd, std::vector<DirEntry>& entries) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      entries.reserve(std::max(entries.size(), static_cast<size_t>(st.st_size) / 16));
    }
  }

  static EntryType type_of(mode_t mode) {
    return S_ISREG(mode) ? EntryType::regular : S_ISDIR(mode) ? EntryType::directory
                                            : S_ISLNK(mode)   ? EntryType::symlink
                                                              : EntryType::other;
  }

  Fd parent_fd(const char* op, const std::string& path) {
    const std::string parent = split_parent(path).first;
    Fd dir(open_beneath(parent, O_PATH | O_DIRECTORY));
    if (dir.get() < 0) {
      throw IoError(op, parent, errno);
    }
    return dir;
  }

  /// Runs `call` (a system call on two paths) with the folders of `from` and `to`, opened once when they are the
  /// same (a staged file and its target); IoError `op` on `to` when it fails.
  template <typename Call>
  void in_parents(const char* op, const std::string& from, const std::string& to, Call call) {
    Fd from_dir = parent_fd(op, from);
    Fd to_dir = split_parent(from).first == split_parent(to).first ? Fd(-1) : parent_fd(op, to);
    if (call(from_dir.get(), to_dir.get() >= 0 ? to_dir.get() : from_dir.get()) != 0) {
      throw IoError(op, to, errno);
    }
  }

  /// Opens `path` beneath the root, refusing a symbolic link anywhere on it (ELOOP). Returns -1 with errno set.
  int open_beneath(const std::string& path, int flags, mode_t mode = 0) {
    const std::string relative = path.empty() ? "." : path;
    if (m_have_openat2) {
      struct open_how how {};
      how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
      how.mode = (flags & O_CREAT) ? mode : 0;
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
      while (true) {
        const long fd = ::syscall(SYS_openat2, m_root_fd.get(), relative.c_str(), &how, sizeof how);
        if (fd >= 0) {
          return static_cast<int>(fd);
        }
        if (errno == EINTR || errno == EAGAIN) {
          continue;  // EAGAIN: a rename raced the lookup
        }
        if (errno != ENOSYS) {
          return -1;
        }
        m_have_openat2 = false;
        break;
      }
    }
    return open_by_components(relative, flags, mode);
  }

  int open_by_components(const std::string& path, int flags, mode_t mode) {
    Fd dir(::openat(m_root_fd.get(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    size_t start = 0;
    while (dir.get() >= 0) {
      const size_t slash = path.find('/', start);
      const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      if (part == "..") {
        errno = EXDEV;
        return -1;
      }
      if (slash == std::string::npos) {
        return ::openat(dir.get(), part.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
      }
      Fd next(::openat(dir.get(), part.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (next.get() < 0 && errno == ENOTDIR) {
        struct stat st {};
        const bool link = ::fstatat(dir.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
        errno = link ? ELOOP : ENOTDIR;
      }
      const int err = errno;
      dir = std::move(next);
      errno = err;
      start = slash + 1;
    }
    return -1;
  }
};

}  // namespace

std::shared_ptr<Disk> open_posix_disk(const fs::path& root) {
  try {
    return std::make_shared<PosixDisk>(root);
  } catch (const IoError& e) {
    throw read_error(e);
  }
}

}  // namespace casectl::storage
