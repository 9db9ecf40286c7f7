#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/team.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/git.hpp"
#include "cli/repository.hpp"

namespace casectl::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> git_lines_in(const fs::path& root, const std::vector<std::string>& args) {
  const GitRun run = run_git(root, args);
  return run.ok() ? run.lines() : std::vector<std::string>{};
}

/// Before pulling: a git repository with an upstream branch, no merge half done, nothing left uncommitted.
std::string ready_to_sync(const fs::path& root) {
  if (!run_git(root, {"rev-parse", "--is-inside-work-tree"}).ok()) {
    throw Error(ErrorKind::not_found, fmt::format("{} is not in a git repository", root.string()));
  }
  const auto upstream = git_lines_in(root, {"rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"});
  if (upstream.empty()) {
    throw Error(ErrorKind::config, "this branch follows no branch of a remote; push it once with 'git push -u "
                                   "origin HEAD', then 'casectl sync'");
  }
  if (!git_lines_in(root, {"diff", "--name-only", "--diff-filter=U"}).empty()) {
    throw Error(ErrorKind::data, "a merge is not finished: 'casectl check' shows the conflicts, 'casectl resolve' "
                                 "settles them; then 'git add' the files and 'git rebase --continue' or 'git commit'");
  }
  const auto pending = git_lines_in(root, {"status", "--porcelain", "--", "."});
  if (!pending.empty()) {
    throw Error(ErrorKind::data,
                fmt::format("{} file(s) have changes that are not committed; commit them first ('git add -A && git "
                            "commit'), or set 'git: commit: true' in casectl.yaml so that casectl commits each change",
                            pending.size()));
  }
  return upstream.front();
}

int report_conflicts(Context& context, const fs::path& root) {
  const auto conflicted = git_lines_in(root, {"diff", "--name-only", "--diff-filter=U"});
  if (conflicted.empty()) {
    throw Error(ErrorKind::busy, "git pull failed (see git's message above); nothing was pushed");
  }
  for (const auto& path : conflicted) {
    context.out << path << '\n';
  }
  context.err << fmt::format(
      "casectl: {} file(s) changed on both sides. 'casectl check' shows each conflicting field with both values; "
      "'casectl resolve CASE FIELD --ours' (or --theirs) keeps one. Then 'git add' the files, 'git rebase "
      "--continue' (or 'git commit' after a merge) and 'casectl sync' again.\n",
      conflicted.size());
  return exit_code::findings;
}

struct SyncOptions {
  bool rebase = false;
  bool merge = false;
};

int run_sync(Context& context, const SyncOptions& o) {
  if (o.rebase && o.merge) {
    throw Error(ErrorKind::usage, "give --rebase or --merge, not both");
  }
  const fs::path root = context.root();
  const std::string upstream = ready_to_sync(root);
  const std::string how = o.rebase ? "rebase" : o.merge ? "merge" : context.session().config().git.pull;
  if (const std::string problem = configure_merge_driver(root, own_executable()); !problem.empty()) {
    context.note("warning: git will merge case files line by line: " + problem);
  }
  if (services::prepare_for_git(context.session())) {
    const std::string problem = commit_paths(root, {".gitattributes", "cases/.gitkeep"}, "sync");
    if (!problem.empty()) {
      throw Error(ErrorKind::cannot_write, "cannot commit .gitattributes and cases/.gitkeep: " + problem);
    }
  }
  const GitRun pull = run_git(root, {"pull", "--quiet", how == "merge" ? "--no-rebase" : "--rebase"},
                              GitOutput::shown);
  if (!pull.ok()) {
    return report_conflicts(context, root);
  }
  const auto problems = repository::check(root, !context.options.no_cache, false);
  const auto errors = std::count_if(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; });
  if (errors > 0) {
    for (const auto& d : problems) {
      context.out << d.to_string() << '\n';
    }
    context.err << fmt::format("casectl: {} problem(s) after the pull; nothing was pushed: fix them, commit, and "
                               "'casectl sync' again\n",
                               errors);
    return exit_code::findings;
  }
  if (!run_git(root, {"push", "--quiet"}, GitOutput::shown).ok()) {
    throw Error(ErrorKind::busy, "git push failed (see git's message above; did someone push meanwhile?): run "
                                 "'casectl sync' again");
  }
  context.note(fmt::format("in step with {}", upstream));
  return exit_code::ok;
}

}  // namespace

void add_sync(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("sync", "take in the team's work and share yours: git pull (rebase or merge, as "
                                         "casectl.yaml says), casectl check, git push");
  auto o = std::make_shared<SyncOptions>();
  cmd->add_flag("--rebase", o->rebase, "rebase this clone's commits on the others' (whatever casectl.yaml says)");
  cmd->add_flag("--merge", o->merge, "merge the others' commits into this clone's (whatever casectl.yaml says)");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_sync(context, *o); }; });
}

}  // namespace casectl::cli
