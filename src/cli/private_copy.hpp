#pragma once

#include <filesystem>
#include <string>

namespace casectl::cli {

/// A private copy of case text for an editor, in its own 0700 folder in memory where there is one: the folder,
/// with whatever the editor left in it (a backup, a swap file), is removed on every way out — a return, an
/// exception, or SIGTERM, SIGHUP or SIGINT.
class PrivateCopy {
 public:
  explicit PrivateCopy(const std::string& name);
  ~PrivateCopy();
  PrivateCopy(const PrivateCopy&) = delete;
  PrivateCopy& operator=(const PrivateCopy&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  void write(const std::string& text) const;
  std::string read() const;

 private:
  std::filesystem::path m_dir;
  std::filesystem::path m_path;
};

}  // namespace casectl::cli
