#pragma once

#include <filesystem>
#include <string>

namespace casectl::services {

// Files outside the case repository that a command reads or writes for the person at the terminal: a
// spreadsheet to import, the private copy `$EDITOR` works on. Same protections as the repository's own files
// (no symbolic links, no FIFOs, a size cap, 0600, atomic replacement).

/// The largest case file casectl reads.
std::size_t max_file_size();
std::string read_outside_file(const std::filesystem::path& path, const std::string& shown, std::size_t cap);
void write_outside_file(const std::filesystem::path& path, const std::string& text, const std::string& shown);

}  // namespace casectl::services
