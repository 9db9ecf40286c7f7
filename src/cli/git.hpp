#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace casectl::cli {

// git, run as a program (never through a shell), for the team's work on one remote: committing, syncing,
// installing hooks, asking who changed a file.

struct GitRun {
  int status = -1;  ///< git's exit status; -1 when git could not be run at all
  std::string out;  ///< what git printed on stdout (when captured)
  std::string err;  ///< and on stderr
  bool ok() const { return status == 0; }
  std::vector<std::string> lines() const;  ///< stdout's non-empty lines
};

/// Where git's output goes: kept for casectl to read, or shown to the person on casectl's stderr.
enum class GitOutput { captured, shown };

/// Runs `git -C dir ARGS...` with stdin from /dev/null.
GitRun run_git(const std::filesystem::path& dir, const std::vector<std::string>& args,
               GitOutput output = GitOutput::captured);

/// Who last changed `path` in commit `revision` and when ("Alice Moreno, 2026-12-03"), for conflict markers;
/// `fallback` when git cannot tell.
std::string change_label(const std::filesystem::path& dir, const std::string& revision, const std::string& path,
                         const std::string& fallback);

/// The commit a merge, rebase or cherry-pick in progress is bringing in ("MERGE_HEAD", …), or "" when none is.
std::string incoming_revision(const std::filesystem::path& dir);

/// `word` quoted for /bin/sh.
std::string shell_quoted(const std::string& word);

/// Makes git merge face sheets and plans with `casectl merge-file` in this clone (its .git/config), with the
/// casectl at `executable`. Gives git's message when it could not.
std::string configure_merge_driver(const std::filesystem::path& dir, const std::string& executable);

/// Commits exactly `paths` (made by `command` of casectl) with a message naming only the command and the case
/// IDs; gives git's complaint when it could not, "" when committed (or when nothing had changed).
std::string commit_paths(const std::filesystem::path& dir, const std::vector<std::string>& paths,
                         const std::string& command);

/// The path of the running casectl, for git to call back.
std::string own_executable();

}  // namespace casectl::cli
