#include "cli/terminal.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fmt/format.h>
#include <iostream>
#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/text.hpp"
#include "cli/git.hpp"

namespace casectl::cli {

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }
// Stdout and stderr are asked once: once a pager reads them, what was decided for the terminal (colour, width,
// names for a person) still holds.
bool stdout_is_terminal() {
  static const bool is = ::isatty(STDOUT_FILENO) == 1;
  return is;
}

size_t terminal_columns() {
  static const size_t columns = [] {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      return static_cast<size_t>(size.ws_col);
    }
    return static_cast<size_t>(80);
  }();
  return columns;
}
bool stderr_is_terminal() {
  static const bool is = ::isatty(STDERR_FILENO) == 1;
  return is;
}

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

namespace {

/// Passes bytes through to `target`, holding back the start of a UTF-8 sequence until it is whole, so that
/// hidden formatting characters (and, with `controls`, control characters) are written out visibly.
class VisibleBuffer : public std::streambuf {
 public:
  VisibleBuffer(std::streambuf* target, bool controls) : m_target(target), m_controls(controls) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
    }
    m_pending += traits_type::to_char_type(c);
    const auto lead = static_cast<unsigned char>(m_pending.front());
    const size_t whole = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (m_pending.size() >= whole || (m_pending.size() > 1 && (static_cast<unsigned char>(m_pending.back()) & 0xC0) != 0x80)) {
      return emit() ? c : traits_type::eof();
    }
    return c;
  }
  int sync() override { return emit() && m_target->pubsync() == 0 ? 0 : -1; }

 private:
  bool emit() {
    if (m_pending.empty()) {
      return true;
    }
    std::string shown = m_pending;
    const auto lead = static_cast<unsigned char>(m_pending.front());
    if (lead >= 0x80 || m_controls) {
      const std::string visible = visible_text(m_pending);
      const bool is_control = lead < 0x20 || lead == 0x7F || (lead == 0xC2 && m_pending.size() == 2 &&
                                                             static_cast<unsigned char>(m_pending[1]) <= 0x9F);
      if (m_controls || !is_control) {
        shown = visible;  // on stdout, casectl's own colours stay colours
      }
    }
    m_pending.clear();
    return m_target->sputn(shown.data(), static_cast<std::streamsize>(shown.size())) ==
           static_cast<std::streamsize>(shown.size());
  }

  std::streambuf* m_target;
  bool m_controls;
  std::string m_pending;
};

}  // namespace

void show_hidden_characters_on_terminals() {
  // Never destroyed: the runtime flushes std::cout and std::cerr after the last static object is gone.
  if (stdout_is_terminal()) {
    static auto* out = new VisibleBuffer(std::cout.rdbuf(), false);
    std::cout.rdbuf(out);
  }
  if (stderr_is_terminal()) {
    static auto* err = new VisibleBuffer(std::cerr.rdbuf(), true);
    std::cerr.rdbuf(err);
  }
}

LocalNow local_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  const int offset = static_cast<int>(local.tm_gmtoff / 60);
  if (offset < -14 * 60 || offset > 14 * 60) {  // no place on Earth is further from UTC; nothing could record it
    throw Error(ErrorKind::usage, fmt::format("TZ puts local time {:+}:{:02} from UTC, further than any time zone "
                                              "(14 hours at most); set TZ to yours, such as America/Chicago",
                                              offset / 60, (offset < 0 ? -offset : offset) % 60));
  }
  return LocalNow{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour * 60 + local.tm_min, offset};
}

std::string read_stdin(size_t cap) {
  std::string text;
  char buffer[8192];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(std::cin.gcount()));
    if (text.size() > cap) {
      throw Error(ErrorKind::data, "the text on standard input is too long");
    }
  }
  return text;
}

namespace {

char g_cleanup_dir[4096];

/// The fixed start of a record getdents64(2) gives; the entry's name follows it.
struct DirentHead {
  std::uint64_t inode;
  std::int64_t offset;
  unsigned short length;
  unsigned char type;
};

/// Removes the folder and what is in it, a level deep, with async-signal-safe system calls only.
void remove_folder_now(const char* dir) {
  const int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buffer[4096];
    long n = 0;
    while ((n = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
      for (long offset = 0; offset < n;) {
        const auto* entry = reinterpret_cast<const DirentHead*>(buffer + offset);
        const char* name = buffer + offset + offsetof(DirentHead, type) + 1;
        if (!(name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))) {
          if (::unlinkat(fd, name, 0) != 0) {
            ::unlinkat(fd, name, AT_REMOVEDIR);
          }
        }
        offset += entry->length;
      }
    }
    ::close(fd);
  }
  ::rmdir(dir);
}

extern "C" void remove_and_reraise(int signal_number) {
  if (g_cleanup_dir[0] != '\0') {
    remove_folder_now(g_cleanup_dir);
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void copy_path(char (&target)[4096], const std::string& path) {
  const size_t n = std::min(path.size(), sizeof target - 1);
  path.copy(target, n);
  target[n] = '\0';
}

}  // namespace

void remove_on_signal(const std::string& dir) {
  copy_path(g_cleanup_dir, dir);
  for (int signal_number : {SIGTERM, SIGHUP, SIGINT}) {
    ::signal(signal_number, remove_and_reraise);
  }
}

void clear_remove_on_signal() {
  for (int signal_number : {SIGTERM, SIGHUP, SIGINT}) {
    ::signal(signal_number, SIG_DFL);
  }
  g_cleanup_dir[0] = '\0';
}

int run_editor(const std::string& path) {
  std::string editor = environment("VISUAL").value_or("");
  if (editor.empty()) {
    editor = environment("EDITOR").value_or("");
  }
  if (editor.empty()) {
    editor = "vi";
  }
  // Through the shell, as git does, so that EDITOR="code --wait" works; the path is passed as "$1".
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw Error(ErrorKind::internal, "cannot start the editor");
  }
  if (pid == 0) {
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    const std::string script = editor + " \"$1\"";
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Like git, casectl lets the editor have Ctrl-C and Ctrl-\ while it runs.
  auto old_int = ::signal(SIGINT, SIG_IGN);
  auto old_quit = ::signal(SIGQUIT, SIG_IGN);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      break;
    }
  }
  ::signal(SIGINT, old_int);
  ::signal(SIGQUIT, old_quit);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::vector<std::string> git_lines(const std::vector<std::string>& args) {
  const GitRun run = run_git({}, args);
  return run.ok() ? run.lines() : std::vector<std::string>{};
}

std::string git_user_email(const std::string& repository) {
  const auto lines = git_lines({"-C", repository, "config", "--get", "user.email"});
  return lines.empty() ? std::string() : lines.front();
}

bool git_trusts_directory(const std::string& directory) {
  // As git itself: only the system and global configurations may say so, never the repository's own.
  for (const char* scope : {"--system", "--global"}) {
    for (const auto& value : git_lines({"config", scope, "--get-all", "safe.directory"})) {
      if (value == "*" || value == directory || value == directory + "/") {
        return true;
      }
    }
  }
  return false;
}

std::string login_name() {
  const struct passwd* entry = ::getpwuid(::geteuid());
  return entry && entry->pw_name ? std::string(entry->pw_name) : std::string();
}

std::string make_private_temp_dir() {
  std::string base;
  for (const char* candidate : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    if (auto dir = environment(candidate); dir && !dir->empty() && ::access(dir->c_str(), W_OK) == 0) {
      base = *dir;
      break;
    }
    if (std::string(candidate) == "XDG_RUNTIME_DIR" && ::access("/dev/shm", W_OK) == 0) {
      base = "/dev/shm";  // memory, not disk: the plaintext copy never reaches a disk
      break;
    }
  }
  if (base.empty()) {
    base = "/tmp";
  }
  std::string pattern = base + "/casectl-edit-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(ErrorKind::cannot_write, "cannot create a private directory for the editor");
  }
  ::chmod(pattern.c_str(), 0700);
  return pattern;
}

}  // namespace casectl::cli
