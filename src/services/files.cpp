#include "casectl/services/files.hpp"

#include "casectl/storage/file_io.hpp"

namespace casectl::services {

std::size_t max_file_size() { return storage::k_max_file_size; }

std::string read_outside_file(const std::filesystem::path& path, const std::string& shown, std::size_t cap) {
  return storage::read_regular_file(path, shown, cap);
}

void write_outside_file(const std::filesystem::path& path, const std::string& text, const std::string& shown) {
  storage::write_file_atomically(path, text, shown);
}

}  // namespace casectl::services
