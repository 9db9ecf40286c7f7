#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/git.hpp"
#include "cli/repository.hpp"

namespace casectl::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  std::string agency = "Our Agency";
  bool no_git = false;
};

int run_init(Context& context, const InitOptions& options) {
  repository::create(options.dir, options.agency);
  if (!options.no_git) {
    if (!run_git({}, {"init", "--quiet", "--", options.dir}).ok()) {
      context.note("warning: 'git init' failed or git is not installed; the repository is not under version control");
    } else if (const auto problem = configure_merge_driver(options.dir, own_executable()); !problem.empty()) {
      context.note("warning: git will merge case files line by line (" + problem + "); 'casectl hooks install' "
                   "sets up the field-by-field merge");
    }
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
