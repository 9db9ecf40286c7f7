#include "cli/pager.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <streambuf>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "casectl/model/text.hpp"
#include "cli/terminal.hpp"

extern char** environ;

namespace casectl::cli {
namespace {

struct Pager {
  std::string command;
  bool user_choice = false;
  bool quiet = false;
  bool tried = false;
  pid_t pid = -1;
  int saved_stderr = -1;  ///< the terminal, while stderr goes to the pager
};
Pager g_pager;
volatile pid_t g_pager_pid = -1;  // for the signal handler

/// Characters that need a shell to mean what they say (git's list, without the blank): a command without them is
/// run directly, so that a pager that cannot be found is known at once.
bool needs_shell(const std::string& command) {
  return command.find_first_of("|&;<>()$`\\\"'*?[#~=%\t\n") != std::string::npos;
}

/// The file `name` runs, found as execvp would find it; "" when there is none.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  }
  std::string path = environment("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  for (const auto& dir : split(path, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

/// When casectl is stopped by a signal while the pager shows its output, the pager keeps the terminal until the
/// user quits it, and only then does casectl end (as git does): the shell's prompt never lands inside the pager.
extern "C" void wait_for_pager_then_reraise(int signal_number) {
  ::close(STDOUT_FILENO);
  ::close(STDERR_FILENO);
  if (g_pager_pid > 0) {
    while (::waitpid(g_pager_pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void say_cannot_run(const std::string& why) {
  if (g_pager.user_choice && !g_pager.quiet) {
    std::cerr << "casectl: cannot run the pager '" << g_pager.command << "' (" << why
              << "); the output follows without it\n";
  }
}

/// Starts the pager and makes it the reader of stdout (and of stderr when that is the terminal). Gives false, with
/// everything as it was, when it cannot be started.
bool start_pager() {
  // Learned now, while stdout is still the terminal: widths and colours are decided for the terminal.
  (void)stdout_is_terminal();
  (void)stderr_is_terminal();
  (void)terminal_columns();

  std::vector<std::string> words;
  std::string program;
  if (needs_shell(g_pager.command)) {
    program = "/bin/sh";
    words = {"sh", "-c", g_pager.command};
  } else {
    for (auto& word : split(g_pager.command, ' ')) {
      if (!word.empty()) {
        words.push_back(word);
      }
    }
    if (words.empty()) {
      return false;
    }
    program = find_program(words[0]);
    if (program.empty()) {
      say_cannot_run("not found");
      return false;
    }
  }
  std::vector<char*> argv;
  for (auto& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  // As git does: less quits at once when the output fits the screen (F), passes colours (R) and leaves the text
  // on the screen (X), unless the user's LESS says otherwise; lv passes colours too. casectl writes UTF-8 whatever
  // the locale: less is told so unless the user says otherwise, or under LANG=C it would show <E2><80><A6>.
  std::vector<std::string> env;
  bool has_less = false;
  bool has_lv = false;
  bool has_charset = false;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    env.emplace_back(*e);
    has_less = has_less || starts_with(*e, "LESS=");
    has_lv = has_lv || starts_with(*e, "LV=");
    has_charset = has_charset || starts_with(*e, "LESSCHARSET=") || starts_with(*e, "LESSCHARDEF=");
  }
  if (!has_less) {
    env.emplace_back("LESS=FRX");
  }
  if (!has_lv) {
    env.emplace_back("LV=-c");
  }
  if (!has_charset) {
    env.emplace_back("LESSCHARSET=utf-8");
  }
  std::vector<char*> envp;
  for (auto& entry : env) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  int text[2];
  int notify[2];  // closed unread by a successful exec; the child's errno when exec fails
  if (::pipe2(text, O_CLOEXEC) != 0) {
    return false;
  }
  if (::pipe2(notify, O_CLOEXEC) != 0) {
    ::close(text[0]);
    ::close(text[1]);
    return false;
  }
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {text[0], text[1], notify[0], notify[1]}) {
      ::close(fd);
    }
    say_cannot_run(std::strerror(errno));
    return false;
  }
  if (pid == 0) {
    ::dup2(text[0], STDIN_FILENO);  // dup2 clears close-on-exec on the copy
    ::execve(program.c_str(), argv.data(), envp.data());
    const int error = errno;
    (void)!::write(notify[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(text[0]);
  ::close(notify[1]);
  int error = 0;
  ssize_t n = 0;
  while ((n = ::read(notify[0], &error, sizeof error)) < 0 && errno == EINTR) {
  }
  ::close(notify[0]);
  if (n > 0) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    ::close(text[1]);
    say_cannot_run(std::strerror(error));
    return false;
  }
  g_pager.pid = pid;
  g_pager_pid = pid;
  // Line by line: what goes to stderr (into the same pipe) then keeps its place among the lines of stdout.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  ::dup2(text[1], STDOUT_FILENO);
  if (stderr_is_terminal()) {
    g_pager.saved_stderr = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (g_pager.saved_stderr >= 0) {
      ::dup2(text[1], STDERR_FILENO);
    }
  }
  ::close(text[1]);
  // A user who quits the pager early ends the output, not casectl with an error or a signal.
  ::signal(SIGPIPE, SIG_IGN);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    ::signal(signal_number, wait_for_pager_then_reraise);
  }
  return true;
}

/// Sits on top of std::cout's buffer and starts the pager when the first byte is written.
class StartPagerBuffer : public std::streambuf {
 public:
  explicit StartPagerBuffer(std::streambuf* next) : m_next(next) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
    }
    begin();
    return m_next->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n > 0) {
      begin();
    }
    return m_next->sputn(s, n);
  }
  int sync() override { return m_next->pubsync(); }

 private:
  void begin() {
    if (!g_pager.tried) {
      g_pager.tried = true;
      start_pager();
    }
  }
  std::streambuf* m_next;
};

}  // namespace

std::optional<std::string> pager_command() {
  std::optional<std::string> command = environment("CASECTL_PAGER");
  if (!command) {
    command = environment("PAGER");
  }
  if (!command) {
    return std::string("less -FRX");
  }
  const std::string trimmed = trim(*command);
  if (trimmed.empty() || trimmed == "cat") {
    return std::nullopt;
  }
  return trimmed;
}

void page_output(const std::string& command, bool user_choice, bool quiet) {
  if (!stdout_is_terminal() || g_pager.tried || command.empty()) {
    return;
  }
  g_pager.command = command;
  g_pager.user_choice = user_choice;
  g_pager.quiet = quiet;
  // Never destroyed: the runtime flushes std::cout after the last static object is gone.
  static auto* buffer = new StartPagerBuffer(std::cout.rdbuf());
  std::cout.rdbuf(buffer);
}

bool pager_started() { return g_pager.pid > 0; }

void finish_paging() {
  if (g_pager.pid <= 0) {
    return;
  }
  std::cout.flush();
  std::fflush(stdout);
  std::cout.clear();
  std::clearerr(stdout);
  // The pager sees the end of its input once no descriptor of casectl holds the pipe.
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::close(null_fd);
  }
  if (g_pager.saved_stderr >= 0) {
    ::dup2(g_pager.saved_stderr, STDERR_FILENO);
    ::close(g_pager.saved_stderr);
    g_pager.saved_stderr = -1;
  }
  while (::waitpid(g_pager.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  g_pager.pid = -1;
  g_pager_pid = -1;
}

}  // namespace casectl::cli
