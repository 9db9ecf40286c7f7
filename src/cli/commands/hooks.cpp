#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/files.hpp"
#include "casectl/services/team.hpp"
#include "cli/commands.hpp"
#include "cli/git.hpp"

namespace casectl::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_hook_mark = "# casectl pre-commit hook";

std::string hook_text(const std::string& executable) {
  return fmt::format("#!/bin/sh\n{}, installed by 'casectl hooks install': refuses a commit of case files that\n"
                     "# 'casectl check' finds wrong ('git commit --no-verify' skips it).\n"
                     "casectl={}\n[ -x \"$casectl\" ] || casectl=casectl\nexec \"$casectl\" check --staged\n",
                     k_hook_mark, shell_quoted(executable));
}

/// Where this clone keeps its hooks (core.hooksPath or .git/hooks).
fs::path hooks_dir(const fs::path& root) {
  const GitRun run = run_git(root, {"rev-parse", "--git-path", "hooks"});
  if (!run.ok() || run.lines().empty()) {
    throw Error(ErrorKind::not_found, fmt::format("{} is not in a git repository (git init, or clone the team's "
                                                  "remote, first)",
                                                  root.string()));
  }
  const fs::path dir = run.lines().front();
  return dir.is_absolute() ? dir : root / dir;
}

struct HooksOptions {
  bool force = false;
};

int run_hooks_install(Context& context, const HooksOptions& o) {
  const fs::path root = context.root();
  const fs::path dir = hooks_dir(root);
  const fs::path hook = dir / "pre-commit";
  std::error_code ec;
  if (fs::exists(hook, ec) && !o.force) {
    const std::string current = services::read_outside_file(hook, "the pre-commit hook", services::max_file_size());
    if (current.find(k_hook_mark) == std::string::npos) {
      throw Error(ErrorKind::cannot_write, fmt::format("{} exists and is not casectl's; nothing changed (--force "
                                                       "replaces it)",
                                                       hook.string()));
    }
  }
  fs::create_directories(dir, ec);
  services::write_outside_file(hook, hook_text(own_executable()), "the pre-commit hook");
  fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec,
                  ec);
  if (ec) {
    throw Error(ErrorKind::cannot_write, fmt::format("{}: cannot make it executable", hook.string()));
  }
  if (const std::string problem = configure_merge_driver(root, own_executable()); !problem.empty()) {
    throw Error(ErrorKind::cannot_write, "cannot set up the merge driver: " + problem);
  }
  context.note("installed the pre-commit hook (casectl check --staged) and the field-by-field merge of face sheets "
               "and plans in this clone");
  if (services::prepare_for_git(context.session())) {
    context.note(".gitattributes now names the merge driver (and cases/.gitkeep keeps cases/ in git): commit them, "
                 "or let 'casectl sync' do it, so that every clone has them");
  }
  return 0;
}

}  // namespace

void add_hooks(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("hooks", "set up this clone for team work: 'hooks install' adds a pre-commit hook "
                                          "that runs 'casectl check --staged' and makes git merge face sheets and "
                                          "plans field by field");
  cmd->require_subcommand(1);
  auto o = std::make_shared<HooksOptions>();
  auto* install = cmd->add_subcommand("install", "install the pre-commit hook and the merge driver in this clone");
  install->add_flag("--force", o->force, "replace a pre-commit hook that is not casectl's");
  install->callback([&context, o] { context.action = [&context, o] { return run_hooks_install(context, *o); }; });
}

}  // namespace casectl::cli
