#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/files.hpp"
#include "casectl/services/team.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/git.hpp"

namespace casectl::cli {
namespace {

struct MergeFileOptions {
  std::string base;
  std::string ours;
  std::string theirs;
  std::string path;
};

/// What git does without casectl, for a file that is not a face sheet or plan or not readable as one.
int merge_line_by_line(const MergeFileOptions& o) {
  const GitRun run = run_git({}, {"merge-file", "-L", "ours", "-L", "base", "-L", "theirs", o.ours, o.base, o.theirs});
  if (run.status < 0) {
    throw Error(ErrorKind::internal, "cannot run git merge-file");
  }
  return run.status == 0 ? exit_code::ok : exit_code::findings;
}

int run_merge_file(Context& context, const MergeFileOptions& o) {
  const auto document = services::document_at(o.path);
  if (!document) {
    return merge_line_by_line(o);
  }
  const auto cap = services::max_file_size();
  const std::string base = services::read_outside_file(o.base, "the common ancestor", cap);
  const std::string ours = services::read_outside_file(o.ours, "our version", cap);
  const std::string theirs = services::read_outside_file(o.theirs, "their version", cap);
  const std::string incoming = incoming_revision({});
  const auto merged = services::merge_document(
      *document, base, ours, change_label({}, "HEAD", o.path, "ours"), theirs,
      incoming.empty() ? std::string("theirs") : change_label({}, incoming, o.path, "theirs"));
  if (!merged) {
    return merge_line_by_line(o);
  }
  services::write_outside_file(o.ours, merged->text, "the merged version");
  if (merged->conflicts.empty()) {
    return exit_code::ok;
  }
  context.err << fmt::format("casectl: {}: changed on both sides: {}; 'casectl check' shows both values\n", o.path,
                             fmt::join(merged->conflicts, ", "));
  return exit_code::findings;
}

}  // namespace

void add_merge_file(CLI::App& app, Context& context) {
  auto o = std::make_shared<MergeFileOptions>();
  auto* cmd = app.add_subcommand("merge-file", "git's merge driver for face sheets and plans, field by field (set "
                                               "up by 'casectl hooks install'); exit 1 when a field conflicts");
  cmd->add_option("base", o->base, "the common ancestor's version (git's %O)")->required();
  cmd->add_option("ours", o->ours, "our version, replaced by the merged one (git's %A)")->required();
  cmd->add_option("theirs", o->theirs, "their version (git's %B)")->required();
  cmd->add_option("path", o->path, "the file's path in the repository (git's %P)")->required();
  cmd->callback([&context, o] { context.action = [&context, o] { return run_merge_file(context, *o); }; });
}

}  // namespace casectl::cli
