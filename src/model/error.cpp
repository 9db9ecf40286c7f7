#include "casectl/model/error.hpp"

#include <fmt/format.h>

#include "casectl/model/text.hpp"

namespace casectl {

std::string Diagnostic::to_string() const {
  const char* severity = warning ? "warning" : "error";
  // A file's name is whatever the file system allows, escape sequences included: it is spelled out.
  if (line > 0) {
    return fmt::format("{}:{}:{}: {}: {}", visible_text(path), line, column > 0 ? column : 1, severity,
                       visible_text(message));
  }
  return fmt::format("{}: {}: {}", visible_text(path), severity, visible_text(message));
}

Error::Error(ErrorKind kind, const std::string& message, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(message), m_kind(kind), m_diagnostics(std::move(diagnostics)) {}

void Problems::add(const Error& error, const std::string& path) {
  if (error.diagnostics().empty()) {
    diagnostics.push_back(Diagnostic{path, 0, 0, error.what()});
  }
  diagnostics.insert(diagnostics.end(), error.diagnostics().begin(), error.diagnostics().end());
  if (error.kind() == ErrorKind::permission) {
    kind = ErrorKind::permission;
  }
}

void Problems::add(const Problems& other) {
  diagnostics.insert(diagnostics.end(), other.diagnostics.begin(), other.diagnostics.end());
  if (other.kind == ErrorKind::permission) {
    kind = ErrorKind::permission;
  }
}

AmbiguousCase::AmbiguousCase(std::vector<std::string> ids, std::vector<std::string> names)
    : Error(ErrorKind::usage, fmt::format("{} cases match; give more of the ID or of the name", ids.size())),
      m_ids(std::move(ids)),
      m_names(std::move(names)) {}

}  // namespace casectl
