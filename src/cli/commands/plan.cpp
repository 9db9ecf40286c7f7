#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"
#include "cli/render.hpp"

namespace casectl::cli {
namespace {

struct PlanOptions {
  std::string case_ref;
  std::string format = "text";
  // plan add
  std::string goal;
  std::string domain;
  std::string target;
  std::vector<std::string> steps;
  std::string responsible;
  // plan update
  std::string goal_id;
  std::string status;
  std::string progress;
  std::string date;
};

int show_plan(Context& context, const PlanOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  const auto plan = services::load_plan(context.session(), id);
  if (o.format == "json") {
    Json goals = Json::array();
    for (const auto& goal : plan ? plan->goals : std::vector<Goal>{}) {
      goals.push(goal_json(goal));
    }
    context.out << Json::object().set("case", Json::string(id)).set("goals", std::move(goals)).dump();
    return 0;
  }
  if (!plan || plan->goals.empty()) {
    context.out << "no goals yet; add one with: casectl plan add " << id << " \"GOAL in the client's words\"\n";
    return 0;
  }
  for (const auto& goal : plan->goals) {
    const bool overdue = goal.status == GoalStatus::active && goal.target && *goal.target < context.today();
    context.out << fmt::format("{} [{}] {}\n", goal.id, to_string(goal.status), goal.goal);
    std::vector<std::string> details;
    if (!goal.domain.empty()) {
      details.push_back("domain " + goal.domain);
    }
    if (goal.target) {
      details.push_back("target " + goal.target->iso() + (overdue ? " (past due)" : ""));
    }
    if (!goal.responsible.empty()) {
      details.push_back("responsible " + goal.responsible);
    }
    if (!details.empty()) {
      context.out << "    " << join(details, " · ") << '\n';
    }
    for (const auto& step : goal.steps) {
      context.out << "    - " << step << '\n';
    }
    for (const auto& p : goal.progress) {
      context.out << fmt::format("    {}{}{}\n", p.date.iso(), p.status ? " → " + to_string(*p.status) : "",
                                 p.note.empty() ? "" : ": " + p.note.substr(0, p.note.find('\n')));
    }
  }
  return 0;
}

int add_goal(Context& context, const PlanOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::GoalRequest request{o.goal, o.domain, date_option(context, o.target, "--target"), o.steps,
                                o.responsible};
  const std::string goal_id = services::add_goal(context.session(), id, request);
  context.out << goal_id << '\n';
  return 0;
}

int update_goal(Context& context, const PlanOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::GoalUpdate update;
  if (!o.status.empty()) {
    update.status = parse_goal_status(o.status);
  }
  update.progress = o.progress;
  update.target = date_option(context, o.target, "--target");
  update.date = date_option(context, o.date, "--date");
  services::update_goal(context.session(), id, o.goal_id, update);
  context.note(fmt::format("updated goal {} of {}", o.goal_id, id));
  return 0;
}

}  // namespace

void add_plan(CLI::App& app, Context& context) {
  auto o = std::make_shared<PlanOptions>();
  auto* cmd = app.add_subcommand("plan", "show the service plan; 'plan add' and 'plan update' change it");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name");
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->require_subcommand(0, 1);
  cmd->callback([&context, o, cmd] {
    if (cmd->get_subcommands().empty()) {
      if (o->case_ref.empty()) {
        throw CLI::RequiredError("case");
      }
      context.action = [&context, o] { return show_plan(context, *o); };
    }
  });

  auto* add = cmd->add_subcommand("add", "add a goal, in the client's words; prints its ID");
  add->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  add->add_option("goal", o->goal, "the goal, in the client's words")->required();
  add->add_option("--domain", o->domain, "life domain (e.g. housing, income, health)");
  add->add_option("--target", o->target, "target date");
  add->add_option("--step", o->steps, "a measurable step or service (repeat for several)")->allow_extra_args(false);
  add->add_option("--responsible", o->responsible, "who is responsible");
  add->callback([&context, o] { context.action = [&context, o] { return add_goal(context, *o); }; });

  auto* update = cmd->add_subcommand("update", "record progress, a new status or a new target date for a goal");
  update->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  update->add_option("goal", o->goal_id, "the goal's ID, as 'plan add' printed it (gk2xq; older plans' g1, g2, …)")
      ->required();
  update->add_option("--status", o->status, "active, met, partly-met, not-met or dropped")
      ->check(CLI::IsMember(goal_status_names()));
  update->add_option("--progress", o->progress, "a dated progress note");
  update->add_option("--target", o->target, "a new target date");
  update->add_option("--date", o->date, "date of the progress entry (default: today)");
  add_author_option(*update, context);
  update->callback([&context, o] { context.action = [&context, o] { return update_goal(context, *o); }; });
}

}  // namespace casectl::cli
