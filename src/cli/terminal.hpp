#pragma once

#include <optional>
#include <cstddef>
#include <string>
#include <vector>

namespace casectl::cli {

bool stdin_is_terminal();
bool stdout_is_terminal();
/// The terminal's width in columns on stdout; 80 when it does not tell.
size_t terminal_columns();
bool stderr_is_terminal();
/// The value of an environment variable, if set.
std::optional<std::string> environment(const char* name);
/// Local date, minutes since midnight, and offset from UTC in minutes, now; a TZ further than 14 hours from UTC
/// is a usage error.
struct LocalNow {
  int year, month, day, minutes, utc_offset_minutes;
};
LocalNow local_now();
/// From here on, text written to std::cout and std::cerr that reach a terminal shows invisible formatting
/// characters (bidirectional overrides, zero-width characters) as <U+XXXX>, so that a name cannot read other
/// than it is; on stderr, control characters are spelled out too (nothing of casectl's own there is coloured).
void show_hidden_characters_on_terminals();
/// Reads all of stdin (up to `cap` bytes).
std::string read_stdin(size_t cap = 1024 * 1024);
/// Runs $VISUAL, else $EDITOR, else vi, on `path`; gives its exit status.
int run_editor(const std::string& path);
/// The lines git prints for `args`, or nothing when git is missing or fails.
std::vector<std::string> git_lines(const std::vector<std::string>& args);
/// git's user.email as git itself sees it in `repository` (its config files and GIT_* variables), or "" when git
/// is missing or has none.
std::string git_user_email(const std::string& repository);
/// Whether git's system or global configuration lists `directory` (or "*") as a safe.directory.
bool git_trusts_directory(const std::string& directory);
/// The name of the account casectl runs as, or "".
std::string login_name();
/// A private directory (0700) for an editor's temporary copy: $XDG_RUNTIME_DIR, /dev/shm, else $TMPDIR or /tmp.
std::string make_private_temp_dir();

/// While set, a SIGTERM, SIGHUP or SIGINT that ends casectl first removes the folder `dir` and everything in it,
/// so that no copy of a case file outlives the command.
void remove_on_signal(const std::string& dir);
void clear_remove_on_signal();

}  // namespace casectl::cli
