#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace casectl::storage {

// Files outside the case repository (a spreadsheet to import, the private copy `$EDITOR` works on). Files inside
// it are the store's, read and written through its disk.

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

/// Fills `size` bytes from the kernel's random source.
std::string random_bytes(size_t size);

}  // namespace casectl::storage
