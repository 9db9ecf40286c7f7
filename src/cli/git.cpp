#include "cli/git.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <set>

#include "casectl/model/text.hpp"
#include "casectl/services/files.hpp"

namespace casectl::cli {
namespace {

constexpr size_t k_max_output = 16 * 1024 * 1024;

/// Reads both pipes to their end at once, so that git never waits on a full one.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_count = (out_fd >= 0) + (err_fd >= 0);
  char buffer[4096];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else if (sinks[i]->size() < k_max_output) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      }
    }
  }
}

}  // namespace

std::vector<std::string> GitRun::lines() const {
  std::vector<std::string> result;
  for (auto& line : split(out, '\n')) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!line.empty()) {
      result.push_back(line);
    }
  }
  return result;
}

GitRun run_git(const std::filesystem::path& dir, const std::vector<std::string>& args, GitOutput output) {
  GitRun run;
  std::vector<std::string> words{"git"};
  if (!dir.empty()) {
    words.insert(words.end(), {"-C", dir.string()});
  }
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (output == GitOutput::captured && (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)) {
    return run;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    return run;
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    if (output == GitOutput::captured) {
      ::dup2(out_pipe[1], STDOUT_FILENO);
      ::dup2(err_pipe[1], STDERR_FILENO);
    } else {
      ::dup2(STDERR_FILENO, STDOUT_FILENO);  // casectl's stdout is for its answers; git's words are messages
    }
    ::execvp("git", argv.data());
    ::_exit(127);
  }
  if (output == GitOutput::captured) {
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    drain(out_pipe[0], err_pipe[0], run.out, run.err);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.status = WIFEXITED(status) && WEXITSTATUS(status) != 127 ? WEXITSTATUS(status) : -1;
  return run;
}

std::string change_label(const std::filesystem::path& dir, const std::string& revision, const std::string& path,
                         const std::string& fallback) {
  const GitRun run = run_git(dir, {"log", "-1", "--format=%an, %as", revision, "--", path});
  const auto lines = run.lines();
  return run.ok() && !lines.empty() ? lines.front() : fallback;
}

std::string incoming_revision(const std::filesystem::path& dir) {
  for (const char* head : {"MERGE_HEAD", "CHERRY_PICK_HEAD", "REBASE_HEAD"}) {
    if (run_git(dir, {"rev-parse", "-q", "--verify", head}).ok()) {
      return head;
    }
  }
  // A rebase names the commit it is replaying only once it stops: until then, the last one it began.
  const auto done = run_git(dir, {"rev-parse", "--git-path", "rebase-merge/done"}).lines();
  if (done.empty()) {
    return {};
  }
  std::filesystem::path path = done.front();
  if (path.is_relative()) {
    path = dir / path;
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return {};
  }
  const auto lines = split(services::read_outside_file(path, "the rebase's list", services::max_file_size()), '\n');
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    const auto words = split(*line, ' ');
    if (words.size() > 1 && (words[0] == "pick" || words[0] == "p")) {
      return words[1];
    }
  }
  return {};
}

std::string shell_quoted(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string configure_merge_driver(const std::filesystem::path& dir, const std::string& executable) {
  // git runs the driver through the shell: the path is quoted, %O %A %B %P are git's own placeholders.
  const std::string quoted = shell_quoted(executable);
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"merge.casectl.name", "casectl: face sheets and plans, field by field"},
           {"merge.casectl.driver", quoted + " merge-file %O %A %B %P"}}) {
    const GitRun run = run_git(dir, {"config", "--local", key, value});
    if (!run.ok()) {
      return trim(run.err).empty() ? std::string("git config failed") : trim(run.err);
    }
  }
  return {};
}

namespace {

/// "casectl log: c-6vbmgffs", "casectl import: 250 cases": never a name or a note.
std::string commit_message(const std::vector<std::string>& paths, const std::string& command) {
  std::set<std::string> cases;
  for (const auto& path : paths) {
    const auto parts = split(path, '/');
    if (parts.size() > 2 && parts[0] == "cases") {
      cases.insert(parts[1]);
    }
  }
  if (cases.size() == 1) {
    return fmt::format("casectl {}: {}", command, *cases.begin());
  }
  return cases.empty() ? fmt::format("casectl {}", command) : fmt::format("casectl {}: {} cases", command, cases.size());
}

std::string complaint(const GitRun& run) {
  const std::string text = trim(run.err.empty() ? run.out : run.err);
  return text.empty() ? fmt::format("git exited with status {}", run.status) : text;
}

}  // namespace

std::string commit_paths(const std::filesystem::path& dir, const std::vector<std::string>& paths,
                         const std::string& command) {
  const GitRun where = run_git(dir, {"rev-parse", "--absolute-git-dir"});
  if (!where.ok() || where.lines().empty()) {
    return "not a git repository (git.commit is set in casectl.yaml)";
  }
  // The paths go in a file, not on the command line: an import writes tens of thousands.
  const std::filesystem::path list = std::filesystem::path(where.lines().front()) / "casectl-commit-paths";
  std::string text;
  for (const auto& path : paths) {
    text += path + '\0';
  }
  services::write_outside_file(list, text, "the list of files to commit");
  const std::vector<std::string> from_list{"--pathspec-from-file=" + list.string(), "--pathspec-file-nul"};
  std::vector<std::string> add{"--literal-pathspecs", "add"};
  add.insert(add.end(), from_list.begin(), from_list.end());
  GitRun run = run_git(dir, add);
  if (run.ok()) {
    std::vector<std::string> commit{"--literal-pathspecs", "commit", "--quiet", "--no-verify", "-m",
                                    commit_message(paths, command)};
    commit.insert(commit.end(), from_list.begin(), from_list.end());
    run = run_git(dir, commit);
  }
  std::error_code ignored;
  std::filesystem::remove(list, ignored);
  return run.ok() ? std::string() : complaint(run);
}

std::string own_executable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("casectl") : path.string();
}

}  // namespace casectl::cli
