// `casectl doctor`: which repository and settings are in use and why, who you are in it, and the state of the
// index, the writer's lock, git and colour — what to look at first when something is not as expected.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>

#include "casectl/services/health.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

struct DoctorOptions {
  std::string format = "table";
};

std::string repository_source(const Context& context) {
  if (!context.options.repo.empty()) {
    return "-C";
  }
  if (environment("CASECTL_REPO").value_or("").empty()) {
    return "the nearest folder at or above the working directory that holds casectl.yaml";
  }
  return "CASECTL_REPO";
}

std::string today_source(const Context& context) {
  if (!context.options.today.empty()) {
    return "--today";
  }
  return environment("CASECTL_TODAY").value_or("").empty() ? "the system clock" : "CASECTL_TODAY";
}

std::string colour_state(const Context& context) {
  if (context.options.color != "auto") {
    return fmt::format("{} (--color {})", context.color_out() ? "on" : "off", context.options.color);
  }
  if (!environment("NO_COLOR").value_or("").empty()) {
    return "off (NO_COLOR is set)";
  }
  if (!stdout_is_terminal()) {
    return "off (the output is not a terminal)";
  }
  return context.color_out() ? "on (the output is a terminal)" : "off (TERM=dumb)";
}

std::string worker_state(const services::RepositoryHealth& health) {
  if (!health.worker_problem.empty()) {
    return "cannot write: " + health.worker_problem;
  }
  if (health.worker.empty()) {
    return "unknown: give --worker, set CASECTL_WORKER, or list your git user.email or login in casectl.yaml";
  }
  return fmt::format("{} (from {})", health.worker, health.worker_told_by);
}

std::string index_state(const Context& context, const services::RepositoryHealth& health) {
  std::string state = "none yet (the next command that reads every case builds it)";
  if (health.index_bytes) {
    const double bytes = static_cast<double>(*health.index_bytes);
    state = bytes < 1e6 ? fmt::format(".cache/index.sqlite, {:.0f} kB", bytes / 1e3)
                        : fmt::format(".cache/index.sqlite, {:.1f} MB", bytes / 1e6);
  }
  return context.options.no_cache ? state + "; not used (--no-cache)" : state;
}

std::string lock_state(const services::RepositoryHealth& health) {
  if (!health.lock_problem.empty()) {
    return "cannot tell: " + health.lock_problem;
  }
  return health.writer_busy ? "held: another casectl is writing now" : "free";
}

/// Lines about the git repository the case repository is in, if any.
std::vector<std::pair<std::string, std::string>> git_state(const std::string& root) {
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"-C", root});
    return git_lines(args);
  };
  if (git({"rev-parse", "--is-inside-work-tree"}) != std::vector<std::string>{"true"}) {
    return {{"git", "not a git repository (or git is not installed)"}};
  }
  std::vector<std::pair<std::string, std::string>> out;
  const auto branch = git({"rev-parse", "--abbrev-ref", "HEAD"});
  const auto remotes = git({"remote"});
  const auto changed = git({"status", "--porcelain"});
  out.emplace_back("git", fmt::format("branch {}; {} uncommitted change{}", branch.empty() ? "?" : branch.front(),
                                      changed.size(), changed.size() == 1 ? "" : "s"));
  if (remotes.empty()) {
    out.emplace_back("git remote", "none");
  } else {
    const auto ahead = git({"rev-list", "--count", "@{upstream}..HEAD"});
    out.emplace_back("git remote", fmt::format("{}; {}", fmt::join(remotes, ", "),
                                               ahead.empty() ? std::string("no upstream branch")
                                                             : ahead.front() + " commit(s) not pushed"));
  }
  const auto hooks = git({"rev-parse", "--git-path", "hooks"});
  const bool hook = !hooks.empty() && std::filesystem::exists(std::filesystem::path(root) / hooks.front() / "pre-commit");
  out.emplace_back("git hooks", hook ? "a pre-commit hook is installed" : "no pre-commit hook");
  const bool merges_by_field = !git({"config", "--get", "merge.casectl.driver"}).empty();
  out.emplace_back("git merge", merges_by_field ? "face sheets and plans field by field (casectl merge-file)"
                                                : "line by line: 'casectl hooks install' sets up the field merge");
  return out;
}

int run_doctor(Context& context, const DoctorOptions& o) {
  Listing listing;
  listing.columns = {"item", "state"};
  auto add = [&](const std::string& item, const std::string& state) { listing.rows.push_back({item, state}); };
  add("casectl", CASECTL_VERSION);
  int code = exit_code::ok;
  try {
    const auto root = context.root();
    add("repository", fmt::format("{} (from {})", root.string(), repository_source(context)));
    services::Session& session = context.session();
    add("today", fmt::format("{} (from {})", session.today.iso(), today_source(context)));
    const auto health = services::repository_health(session);
    add("agency", fmt::format("{} ({} programs, {} workers, {} instruments)", health.agency, health.programs,
                              health.workers, health.instruments));
    add("you", worker_state(health));
    add("index", index_state(context, health));
    add("writer lock", lock_state(health));
    add("interrupted", health.interrupted ? "a transaction was interrupted; the next command that writes finishes "
                                            "or undoes it"
                                          : "none");
    for (const auto& [item, state] : git_state(root.string())) {
      add(item, state);
    }
  } catch (const Error& e) {
    add("problem", e.what());
    code = exit_code_for(e.kind());
  }
  add("colour", colour_state(context));
  if (o.format == "json") {  // one object, so that a script asks for .you or .index
    Json object = Json::object();
    for (const auto& row : listing.rows) {
      object.set(*row[0].text, Json::string(*row[1].text));
    }
    context.out << object.dump();
  } else {
    print_listing(context.out, listing, o.format, false);
  }
  return code;
}

}  // namespace

void add_doctor(CLI::App& app, Context& context) {
  auto o = std::make_shared<DoctorOptions>();
  auto* cmd = app.add_subcommand("doctor", "which repository, settings and worker are in use and why; the index, the "
                                           "writer's lock, git and colour");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_doctor(context, *o); }; });
}

}  // namespace casectl::cli
