#include "cli/private_copy.hpp"

#include "casectl/services/files.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {

namespace fs = std::filesystem;

PrivateCopy::PrivateCopy(const std::string& name) : m_dir(make_private_temp_dir()), m_path(m_dir / name) {
  remove_on_signal(m_dir);
}

PrivateCopy::~PrivateCopy() {
  std::error_code ec;
  fs::remove_all(m_dir, ec);
  clear_remove_on_signal();
}

void PrivateCopy::write(const std::string& text) const {
  services::write_outside_file(m_path, text, m_path.filename());
}

std::string PrivateCopy::read() const {
  return services::read_outside_file(m_path, m_path.filename(), services::max_file_size());
}

}  // namespace casectl::cli
