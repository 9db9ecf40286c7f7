#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

struct CloseOptions {
  std::string case_ref;
  std::string reason;
  std::string summary;
  bool force = false;
};

bool confirm(Context& context, const std::string& question) {
  context.err << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return to_lower(trim(answer)) == "y" || to_lower(trim(answer)) == "yes";
}

int run_close(Context& context, const CloseOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::CloseRequest request{o.reason, o.summary, o.force};
  const auto goals = services::active_goals(context.session(), id);
  if (!goals.empty() && !o.force && stdin_is_terminal()) {
    if (!confirm(context, fmt::format("{} has active goals ({}). Close it anyway?", id, join(goals, ", ")))) {
      context.note("not closed");
      return 0;
    }
    request.active_goals_confirmed = true;
  }
  services::close_case(context.session(), id, request);
  context.note(fmt::format("closed {} ({})", id, o.reason));
  return 0;
}

}  // namespace

void add_close(CLI::App& app, Context& context) {
  auto o = std::make_shared<CloseOptions>();
  auto* cmd = app.add_subcommand("close", "close the case with a reason from casectl.yaml and a closing summary");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--reason", o->reason, "closure reason (goals-met, withdrew, lost-contact, …)")->required();
  cmd->add_option("-m,--message", o->summary, "closing summary / discharge plan");
  cmd->add_flag("--force", o->force, "close even with active goals, without asking");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_close(context, *o); }; });
}

void add_reopen(CLI::App& app, Context& context) {
  auto case_ref = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("reopen", "reopen a closed case (its closures stay in the history)");
  cmd->add_option("case", *case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->callback([&context, case_ref] {
    context.action = [&context, case_ref] {
      const std::string id = case_argument(context, *case_ref);
      services::reopen_case(context.session(), id);
      context.note("reopened " + id);
      return 0;
    };
  });
}

}  // namespace casectl::cli
