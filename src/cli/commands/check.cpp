#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <ostream>
#include <set>

#include "casectl/model/text.hpp"

#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/git.hpp"
#include "cli/json.hpp"
#include "cli/repository.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

struct CheckOptions {
  std::string format = "text";
  bool full = false;
  bool staged = false;
};

std::vector<std::string> nul_separated(const std::string& text) {
  std::vector<std::string> items;
  for (auto& item : split(text, '\0')) {
    if (!item.empty()) {
      items.push_back(std::move(item));
    }
  }
  return items;
}

/// The files git would commit, as the index holds them, copied into a private folder: the staged cases, with
/// casectl.yaml and the instruments (every file, when those changed or very many cases did).
std::vector<std::string> staged_files(const std::filesystem::path& root, bool& everything) {
  const GitRun changed = run_git(root, {"diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"});
  if (!changed.ok()) {
    throw Error(ErrorKind::not_found, fmt::format("{} is not in a git repository", root.string()));
  }
  std::set<std::string> cases;
  everything = false;
  for (const auto& path : nul_separated(changed.out)) {
    const auto parts = split(path, '/');
    if (parts.size() > 2 && parts[0] == "cases") {
      cases.insert("cases/" + parts[1]);
    } else if (path == "casectl.yaml" || parts[0] == "instruments") {
      everything = true;
    }
  }
  if (cases.empty() && !everything) {
    return {};
  }
  everything = everything || cases.size() > 200;
  std::vector<std::string> ls{"ls-files", "-z", "--", "casectl.yaml", "instruments"};
  if (!everything) {
    ls.insert(ls.end(), cases.begin(), cases.end());
  }
  return nul_separated(run_git(root, ls).out);
}

std::vector<Diagnostic> check_staged(Context& context) {
  const auto root = context.root();
  bool everything = false;
  const auto files = staged_files(root, everything);
  if (files.empty()) {
    return {};
  }
  const std::string copy = make_private_temp_dir();
  remove_on_signal(copy);
  std::vector<std::string> args{"--literal-pathspecs", "checkout-index", "-f", "--prefix=" + copy + "/"};
  if (everything) {
    args.push_back("-a");
  } else {
    args.push_back("--");
    args.insert(args.end(), files.begin(), files.end());
  }
  const GitRun run = run_git(root, args);
  std::vector<Diagnostic> problems;
  if (run.ok()) {
    problems = repository::check(copy, false, true);
  }
  std::error_code ignored;
  std::filesystem::remove_all(copy, ignored);
  clear_remove_on_signal();
  if (!run.ok()) {
    throw Error(ErrorKind::internal, "git checkout-index failed: " + trim(run.err));
  }
  return problems;
}

int run_check(Context& context, const CheckOptions& o) {
  const std::string& format = o.format;
  const auto problems = o.staged ? check_staged(context)
                                 : repository::check(context.root(), !context.options.no_cache, o.full,
                                                     context.progress());
  context.end_progress();
  if (format == "json") {
    Json array = Json::array();
    for (const auto& d : problems) {
      array.push(Json::object()
                     .set("path", Json::string(d.path))
                     .set("line", d.line > 0 ? Json::number(d.line) : Json())
                     .set("column", d.column > 0 ? Json::number(d.column) : Json())
                     .set("severity", Json::string(d.warning ? "warning" : "error"))
                     .set("message", Json::string(d.message)));
    }
    context.out << array.dump();
  } else {
    for (const auto& d : problems) {
      context.out << d.to_string() << '\n';
    }
  }
  const auto errors = std::count_if(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; });
  if (format != "json") {
    context.note(errors == 0 ? "no problems found" : std::to_string(errors) + " problem(s) found");
  }
  return errors == 0 ? exit_code::ok : exit_code::findings;
}

}  // namespace

void add_check(CLI::App& app, Context& context) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "validate every file; each problem as path:line:col: error: message; "
                                          "exit 1 when any is found");
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--full", o->full,
                "read every case folder again, even those in which no file changed since the last check");
  cmd->add_flag("--staged", o->staged,
                "check what git would commit (the index), not the working files: the pre-commit hook's check");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_check(context, *o); }; });
}

}  // namespace casectl::cli
