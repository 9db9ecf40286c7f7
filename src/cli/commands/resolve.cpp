#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/team.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/git.hpp"

namespace casectl::cli {
namespace {

struct ResolveOptions {
  std::string case_ref;
  std::vector<std::string> fields;
  bool ours = false;
  bool theirs = false;
};

/// A file git merged line by line, merged again by field from the three versions git keeps while it conflicts.
std::string merge_again(Context& context, const std::string& path, services::TeamDocument document) {
  const auto root = context.root();
  const GitRun ours = run_git(root, {"show", ":2:" + path});
  const GitRun theirs = run_git(root, {"show", ":3:" + path});
  if (!ours.ok() || !theirs.ok()) {
    throw Error(ErrorKind::data, fmt::format("{} has conflict markers but git no longer holds both versions (is the "
                                             "merge over?); remove the markers with an editor, keeping both sides' "
                                             "lines, then run 'casectl check'",
                                             path));
  }
  const GitRun base = run_git(root, {"show", ":1:" + path});  // none when both sides added the file
  const std::string incoming = incoming_revision(root);
  const auto merged = services::merge_document(
      document, base.ok() ? base.out : std::string(), ours.out, change_label(root, "HEAD", path, "ours"), theirs.out,
      incoming.empty() ? std::string("theirs") : change_label(root, incoming, path, "theirs"));
  if (!merged) {
    throw Error(ErrorKind::data, fmt::format("{}: a version git holds is not a readable file of its kind, so it cannot "
                                             "be merged by field; resolve it with an editor and run 'casectl check'",
                                             path));
  }
  return merged->text;
}

void print_remaining(Context& context, const std::string& id) {
  for (const auto& document : services::conflicts_in(context.session(), id)) {
    for (const auto& f : document.fields) {
      context.out << fmt::format("{}: {}\n  ours   ({}): {}\n  theirs ({}): {}\n",
                                 services::path_of(id, document.document), f.field, f.ours_label, f.ours,
                                 f.theirs_label, f.theirs);
    }
  }
}

int run_resolve(Context& context, const ResolveOptions& o) {
  if (o.ours && o.theirs) {
    throw Error(ErrorKind::usage, "give --ours or --theirs, not both");
  }
  if (!o.fields.empty() && !o.ours && !o.theirs) {
    throw Error(ErrorKind::usage, "say which side to keep for those fields: --ours or --theirs");
  }
  const std::string id = case_argument(context, o.case_ref);
  std::vector<std::string> unknown_everywhere = o.fields;
  std::vector<std::string> written;
  for (const auto& document : services::conflicts_in(context.session(), id)) {
    const std::string path = services::path_of(id, document.document);
    std::string text = document.line_by_line ? merge_again(context, path, document.document) : document.text;
    if (o.ours || o.theirs) {
      std::vector<std::string> unknown;
      text = services::settle(text, o.fields, o.ours, unknown);
      std::erase_if(unknown_everywhere, [&](const std::string& f) {
        return std::find(unknown.begin(), unknown.end(), f) == unknown.end();
      });
    }
    if (text != document.text) {
      services::save_resolved(context.session(), id, document.document, text);
      written.push_back(path);
    }
  }
  if (!unknown_everywhere.empty()) {
    context.note(fmt::format("no conflict of {} in {}", fmt::join(unknown_everywhere, ", "), id));
  }
  const auto remaining = services::conflicts_in(context.session(), id);
  if (!remaining.empty()) {
    print_remaining(context, id);
    context.note(fmt::format("{} still has conflicts: keep a side of each with 'casectl resolve {} FIELD --ours' or "
                             "'--theirs'",
                             id, id));
    return exit_code::findings;
  }
  if (!written.empty()) {
    context.note(fmt::format("resolved {}; now 'git add' it and finish the merge ('git rebase --continue' or "
                             "'git commit'), then 'casectl sync'",
                             fmt::join(written, " and ")));
  } else if (unknown_everywhere.empty()) {
    context.note(fmt::format("{} has no conflicts", id));
  }
  return unknown_everywhere.empty() ? exit_code::ok : exit_code::usage;
}

}  // namespace

void add_resolve(CLI::App& app, Context& context) {
  auto o = std::make_shared<ResolveOptions>();
  auto* cmd = app.add_subcommand("resolve", "settle a case's merge conflicts: merge again field by field, or keep "
                                            "our or their value of a field; lists what remains");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("field", o->fields, "the conflicting fields to settle, as 'casectl check' names them (default: all)");
  cmd->add_flag("--ours", o->ours, "keep this clone's value");
  cmd->add_flag("--theirs", o->theirs, "keep the value merged in");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_resolve(context, *o); }; });
}

}  // namespace casectl::cli
