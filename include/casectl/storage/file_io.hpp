#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace casectl::storage {

/// Files larger than this are refused before they are parsed.
inline constexpr size_t k_max_file_size = 1024 * 1024;

/// Reads a regular file without following a symbolic link and without blocking on a FIFO, refusing anything
/// over `cap` bytes. Problems become `Error`s naming `display_path`.
std::string read_regular_file(const std::filesystem::path& path, const std::string& display_path,
                              size_t cap = k_max_file_size);

/// Replaces (or creates) `path` atomically: a 0600 temporary file in the same directory, written, fsync'ed,
/// renamed over the target, then the directory fsync'ed. A kill at any moment leaves the old or the new file.
void write_file_atomically(const std::filesystem::path& path, std::string_view text, const std::string& display_path);

/// Like `write_file_atomically`, but fails if `path` exists (for new records that must never overwrite).
void create_file_atomically(const std::filesystem::path& path, std::string_view text, const std::string& display_path);

/// Creates a directory with mode 0700 whatever the umask; an existing directory is fine.
void create_private_directory(const std::filesystem::path& path, const std::string& display_path);

/// Removes temporary files left in `dir` by a writer that was killed (named `.*.tmp-*`).
void remove_stale_temporaries(const std::filesystem::path& dir);

/// True when `name` is one of our temporary files.
bool is_temporary_name(std::string_view name);

/// Fills `size` bytes from the kernel's random source.
std::string random_bytes(size_t size);

/// An exclusive advisory lock (flock) on the repository's lock file, held while one command writes.
class WriteLock {
 public:
  /// Waits up to `timeout` for the lock; throws a `busy` Error when another writer keeps it.
  WriteLock(const std::filesystem::path& root, std::chrono::milliseconds timeout);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  int m_fd = -1;
};

}  // namespace casectl::storage
