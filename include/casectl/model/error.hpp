#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace casectl {

/// What went wrong, in terms a caller can act on. The command line maps each kind to a sysexits code.
enum class ErrorKind {
  usage,         ///< the command was given wrong arguments
  data,          ///< a file or an input value is not valid
  not_found,     ///< no such case, record or repository
  cannot_write,  ///< a file could not be created or replaced
  busy,          ///< another writer holds the lock; try again
  permission,    ///< the operating system refused access
  config,        ///< casectl.yaml is missing something or wrong
  internal,      ///< a bug in casectl
};

/// One problem found in a file, printed as `path:line:col: severity: message`.
struct Diagnostic {
  std::string path;
  int line = 0;    ///< 1-based; 0 when the problem is about the whole file
  int column = 0;  ///< 1-based; 0 when unknown
  std::string message;
  bool warning = false;

  std::string to_string() const;
  bool operator==(const Diagnostic&) const = default;
};

/// A problem the user can fix. Its message is printed as it is, so it must not hold client data.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::vector<Diagnostic> diagnostics = {});

  ErrorKind kind() const { return m_kind; }
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

 private:
  ErrorKind m_kind;
  std::vector<Diagnostic> m_diagnostics;
};

/// What a command that reads many cases could not read. A report shows these beside its answer, and the
/// command's exit code says so: a broken repository never looks like "nothing due".
struct Problems {
  std::vector<Diagnostic> diagnostics;
  ErrorKind kind = ErrorKind::data;  ///< the most serious seen: permission over data
  /// Case IDs whose folders are empty, left by an interrupted intake of an older casectl: not cases, not errors.
  std::vector<std::string> empty_case_folders;

  bool empty() const { return diagnostics.empty(); }
  /// Records an error; one without diagnostics of its own is recorded under `path`.
  void add(const Error& error, const std::string& path);
  void add(const Problems& other);
};

/// A case reference that matched several cases; the command line lists them.
class AmbiguousCase : public Error {
 public:
  AmbiguousCase(std::vector<std::string> ids, std::vector<std::string> names);
  const std::vector<std::string>& ids() const { return m_ids; }
  const std::vector<std::string>& names() const { return m_names; }

 private:
  std::vector<std::string> m_ids;
  std::vector<std::string> m_names;
};

}  // namespace casectl
