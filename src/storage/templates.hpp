#pragma once

#include <string>
#include <vector>

namespace casectl::storage {

/// A file `casectl init` writes, embedded in the binary at build time (cmake/embed.cmake).
struct EmbeddedFile {
  std::string name;  ///< relative to the repository root
  std::string content;
};
const std::vector<EmbeddedFile>& embedded_files();

}  // namespace casectl::storage
