#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace casectl::storage {

// The file system under the store, as ninja keeps its disk behind an interface: the POSIX disk for real work,
// an in-memory disk (with faults on demand) for tests. Every path is relative to the repository's root and
// uses '/'; no operation follows a symbolic link anywhere on a path, so nothing can reach outside the root.

enum class EntryType { regular, directory, symlink, other };

struct DirEntry {
  std::string name;
  EntryType type;
};

/// What tells, without reading it, whether a file or folder changed (as git's index does): replacing or editing
/// a file changes its inode, size, mtime or ctime, and adding, removing or renaming an entry of a folder changes
/// the folder's. The ctime cannot be set back, so a change always shows unless it falls within the clock's
/// resolution of the moment the stamp was taken; the index treats stamps that recent as unknown.
struct Stamp {
  EntryType type = EntryType::regular;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  uint64_t device = 0;
  bool operator==(const Stamp&) const = default;
};

/// A system call that failed: which operation, on which path (relative to the root), and errno.
class IoError : public std::runtime_error {
 public:
  IoError(std::string op, std::string path, int code);
  const std::string& op() const { return m_op; }
  const std::string& path() const { return m_path; }
  int code() const { return m_code; }

 private:
  std::string m_op;
  std::string m_path;
  int m_code;
};

/// Held while it lives; released when destroyed.
class DiskLock {
 public:
  virtual ~DiskLock() = default;
};

enum class LockKind {
  writer,         ///< one writing command at a time, for its whole transaction
  commit,         ///< a transaction making its changes visible (exclusive)
  read_snapshot,  ///< a reader reading one case (shared with other readers, excluded by `commit`)
};

class Disk {
 public:
  virtual ~Disk() = default;

  /// The type of `path` itself (a final symbolic link is not followed); nothing when it does not exist.
  virtual std::optional<EntryType> type(const std::string& path) = 0;
  /// The entries of a directory, unsorted, without "." and "..".
  virtual std::vector<DirEntry> list(const std::string& dir) = 0;
  /// The bytes of a regular file; EFBIG when it holds more than `cap`, EINVAL when it is not a regular file.
  virtual std::string read(const std::string& path, size_t cap) = 0;

  /// Creates `path` (which must not exist) with mode 0600, writes `text`, and flushes it to the device.
  virtual void write_new(const std::string& path, std::string_view text) = 0;
  /// Like `write_new`, without the flush: the caller makes the file durable with `sync_all` before relying on it.
  virtual void write_new_unsynced(const std::string& path, std::string_view text) = 0;
  /// Creates a directory with mode 0700.
  virtual void make_directory(const std::string& path) = 0;
  virtual void rename(const std::string& from, const std::string& to) = 0;
  /// A second name for a file; fails with EEXIST rather than replace `to`.
  virtual void link(const std::string& from, const std::string& to) = 0;
  virtual void remove(const std::string& path) = 0;
  virtual void remove_directory(const std::string& path) = 0;
  /// Flushes a directory's entries to the device ("" is the root).
  virtual void sync_directory(const std::string& dir) = 0;
  /// Flushes everything written on the repository's file system to the device, directories included: one call
  /// instead of one per file when a commit writes thousands.
  virtual void sync_all() = 0;

  /// Waits up to `timeout` for the lock; nothing when it is still held by another process then. A disk that
  /// cannot hold locks at all (a read-only repository without a lock file) gives a lock that holds nothing for
  /// `read_snapshot`, and throws IoError for the others.
  virtual std::unique_ptr<DiskLock> lock(LockKind kind, std::chrono::milliseconds timeout) = 0;

  /// What messages call the repository's root.
  virtual std::string describe() const = 0;

  /// The stamp of `path` itself (a final symbolic link is not followed); nothing when it does not exist. Only
  /// disks where `index_file` gives a path need to tell.
  virtual std::optional<Stamp> stamp(const std::string& path);
  /// Where, on the real file system, the index may keep the file `path`; nothing for a disk without one (the
  /// repository is then read without an index).
  virtual std::optional<std::filesystem::path> index_file(const std::string& path) const;
};

/// The entries of `dir`, which must be a real directory (IoError ELOOP for a symbolic link, ENOTDIR for anything
/// else); nothing when it does not exist.
std::optional<std::vector<DirEntry>> list_directory(Disk& disk, const std::string& dir);

/// The real file system under `root`, which must be a directory (an `Error` naming it otherwise).
std::shared_ptr<Disk> open_posix_disk(const std::filesystem::path& root);

/// A disk in memory for tests: every operation can be made to fail, and a crash can be simulated.
class MemoryDisk : public Disk {
 public:
  enum class Op { type, list, read, write, mkdir, rename, link, remove, rmdir, sync, lock, count_ };

  MemoryDisk();

  std::optional<EntryType> type(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string read(const std::string& path, size_t cap) override;
  void write_new(const std::string& path, std::string_view text) override;
  void write_new_unsynced(const std::string& path, std::string_view text) override;
  void make_directory(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  void link(const std::string& from, const std::string& to) override;
  void remove(const std::string& path) override;
  void remove_directory(const std::string& path) override;
  void sync_directory(const std::string& dir) override;
  void sync_all() override;
  std::unique_ptr<DiskLock> lock(LockKind kind, std::chrono::milliseconds timeout) override;
  std::string describe() const override { return "(memory)"; }

  /// The `nth` call of `op` from now on fails with `error` (a failed write leaves half the file behind).
  void fail(Op op, int nth, int error);
  /// Every call of `op` on `path` or below it fails with `error` (e.g. EACCES for an unreadable folder).
  void fail_path(Op op, const std::string& path, int error);
  /// After `operations` more changing operations, the process "dies": that operation and every later one throw
  /// `Crashed` until `revive()`.
  void crash_after(int operations);
  void revive();
  void clear_faults();
  /// How many times `op` was called.
  int calls(Op op) const { return m_calls[static_cast<int>(op)]; }

  /// Test set-up and inspection, without faults or counting.
  void put_file(const std::string& path, std::string text);
  void put_directory(const std::string& path);
  void put_symlink(const std::string& path);
  void erase(const std::string& path);
  /// Every path with its content ("<dir>" for directories): equal before and after means nothing changed.
  std::map<std::string, std::string> snapshot() const;

  struct Crashed : std::runtime_error {
    Crashed() : std::runtime_error("simulated crash") {}
  };

 private:
  struct Node {
    EntryType type = EntryType::regular;
    std::string content;
  };
  std::map<std::string, Node> m_nodes;  // "" is the root directory
  struct PlannedFailure {
    Op op;
    int at;
    int error;
  };
  std::vector<PlannedFailure> m_failures;
  std::vector<std::tuple<Op, std::string, int>> m_path_failures;
  int m_calls[static_cast<int>(Op::count_)] = {};
  int m_crash_countdown = -1;
  bool m_crashed = false;

  void enter(Op op, const std::string& path, bool changes);
  const Node* find(const std::string& path) const;
  void require_parent_directory(const char* op, const std::string& path) const;
};

}  // namespace casectl::storage
