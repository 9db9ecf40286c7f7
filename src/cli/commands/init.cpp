#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/repository.hpp"

namespace casectl::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  std::string agency = "Our Agency";
  bool no_git = false;
};

/// Runs `git init` in `dir`; false when git is missing or fails.
bool git_init(const std::string& dir) {
  const pid_t pid = ::fork();
  if (pid < 0) {
    return false;
  }
  if (pid == 0) {
    ::execlp("git", "git", "init", "--quiet", "--", dir.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int run_init(Context& context, const InitOptions& options) {
  repository::create(options.dir, options.agency);
  if (!options.no_git && !git_init(options.dir)) {
    context.note("warning: 'git init' failed or git is not installed; the repository is not under version control");
  }
  context.note(fmt::format("created a case repository in {}; edit casectl.yaml for your agency", options.dir));
  return 0;
}

}  // namespace

void add_init(CLI::App& app, Context& context) {
  auto options = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "create a new case repository (casectl.yaml, instruments, git)");
  cmd->add_option("dir", options->dir, "directory to create it in (default: the current directory)");
  cmd->add_option("--agency", options->agency, "the agency's name, written to casectl.yaml");
  cmd->add_flag("--no-git", options->no_git, "do not run 'git init'");
  cmd->callback([&context, options] { context.action = [&context, options] { return run_init(context, *options); }; });
}

}  // namespace casectl::cli
