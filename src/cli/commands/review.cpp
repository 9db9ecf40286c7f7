#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/process.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

struct ReviewOptions {
  std::string case_ref;
  std::string date;
  std::string outcome = "continue";
  bool outcome_given = false;
  std::string message;
  std::string every;
  std::string on;
};

int run_review(Context& context, const ReviewOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::ReviewRequest request;
  request.record = !o.message.empty() || !o.date.empty() || o.outcome_given || (o.every.empty() && o.on.empty());
  request.date = date_option(context, o.date, "--date");
  request.outcome = *parse_review_outcome(o.outcome);
  request.note = o.message;
  if (!o.every.empty()) {
    request.every = Interval::parse(o.every);
    if (!request.every) {
      throw Error(ErrorKind::usage, "--every: not an interval (such as 30d, 6w, 3m, 1y)");
    }
  }
  request.on = date_option(context, o.on, "--on");
  const std::string review_id = services::review(context.session(), id, request);
  if (request.record) {
    if (request.outcome == ReviewOutcome::close) {
      context.note("the review's outcome is close: close the case with 'casectl close " + id + " --reason R'");
    }
    context.out << review_id << '\n';
  }
  if (request.every) {
    context.note(fmt::format("{}: reviews every {} from now on", id, request.every->str()));
  } else if (request.on) {
    context.note(fmt::format("{}: next review on {}", id, request.on->iso()));
  }
  return 0;
}

}  // namespace

void add_review(CLI::App& app, Context& context) {
  auto o = std::make_shared<ReviewOptions>();
  auto* cmd = app.add_subcommand("review", "record a periodic review; or, with --every/--on, change this case's "
                                           "review schedule");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--date", o->date, "date of the review (default: today)");
  cmd->add_option("--outcome", o->outcome, "continue, revise or close (default: continue)")
      ->check(CLI::IsMember({"continue", "revise", "close"}))
      ->each([o](const std::string&) { o->outcome_given = true; });
  cmd->add_option("-m,--message", o->message, "the review's note");
  auto* every = cmd->add_option("--every", o->every, "review this case every INTERVAL (e.g. 30d, 3m)");
  auto* on = cmd->add_option("--on", o->on, "review this case next on DATE");
  every->excludes(on);
  add_author_option(*cmd, context);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_review(context, *o); }; });
}

}  // namespace casectl::cli
