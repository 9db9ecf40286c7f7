#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "casectl/model/date.hpp"
#include "casectl/model/error.hpp"
#include "casectl/model/work_progress.hpp"
#include "casectl/services/session.hpp"

namespace CLI {
class App;
}

namespace casectl::cli {

class ProgressLine;

enum class Color { auto_, always, never };

/// Options every command understands.
struct GlobalOptions {
  std::string repo;
  std::string today;
  std::string color = "auto";
  bool quiet = false;
  bool no_cache = false;  ///< read every file, not the index
  bool no_pager = false;  ///< never send the output through a pager
  std::string worker;  ///< who is writing, from a writing command's --worker
};

/// What a command's action sees: the options, the streams, and the session opened on first use. Actions run
/// after parsing, so that parse errors, help and the command's own errors stay apart.
class Context {
 public:
  Context(std::ostream& out_stream, std::ostream& err_stream);
  ~Context();

  std::ostream& out;
  std::ostream& err;
  GlobalOptions options;
  std::function<int()> action;
  std::string command;               ///< the subcommand given ("plan add"), for auto-commit messages
  std::vector<std::string> written;  ///< the paths the command's transactions wrote

  bool has_session() const { return m_session != nullptr; }

  /// Opens the repository and fixes "today" (once).
  services::Session& session();
  /// The repository's root directory, found without reading casectl.yaml.
  std::filesystem::path root() const;
  /// "today": --today, else CASECTL_TODAY, else the local date.
  Date today();
  /// Whether stdout gets colour: --color, NO_COLOR, and whether stdout is a terminal.
  bool color_out() const;
  /// The width tables for people fit on stdout: COLUMNS, else the terminal's; 0 (no limit) when stdout is not a
  /// terminal.
  size_t terminal_width() const;
  /// A warning or note on stderr, unless --quiet.
  void note(const std::string& message) const;
  /// Where long work tells how far it has got: a line on stderr that updates in place, on a terminal only (not
  /// with --quiet, nor while a pager shows the output).
  ProgressSink progress();
  /// Erases the progress line, before anything else is printed on stderr.
  void end_progress() const;

 private:
  services::Identity identity(const std::filesystem::path& repository_root) const;

  std::unique_ptr<services::Session> m_session;
  std::unique_ptr<ProgressLine> m_progress;
  std::optional<Date> m_today;
};

using Registrar = void (*)(CLI::App& app, Context& context);

/// Reads an optional date option: "" gives nothing; otherwise a date expression or a usage error naming `flag`.
std::optional<Date> date_option(Context& context, const std::string& value, const std::string& flag);
/// Prints what could not be read after an answer, and gives the exit code: `exit_code_when_whole` when
/// everything was read, else 65 (77 when permission was denied).
int finish(Context& context, const Problems& problems, int exit_code_when_whole);
/// Adds --worker to a command that writes a record: who is writing it.
void add_author_option(CLI::App& command, Context& context);
/// A case argument resolved to its ID (prefix or part of the client's name).
std::string case_argument(Context& context, const std::string& reference);

}  // namespace casectl::cli
