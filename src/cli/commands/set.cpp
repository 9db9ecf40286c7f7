#include <CLI/CLI.hpp>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

struct SetOptions {
  std::string case_ref;
  std::vector<std::string> assignments;
};

int run_set(Context& context, const SetOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::set_fields(context.session(), id, o.assignments);
  context.note("updated " + id);
  return 0;
}

}  // namespace

void add_set(CLI::App& app, Context& context) {
  auto o = std::make_shared<SetOptions>();
  auto* cmd = app.add_subcommand(
      "set", "change face-sheet fields: FIELD=VALUE (an empty VALUE clears the field); fields: " +
                 join(services::settable_fields(), ", "));
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("assignments", o->assignments, "FIELD=VALUE changes")->required();
  cmd->callback([&context, o] { context.action = [&context, o] { return run_set(context, *o); }; });
}

}  // namespace casectl::cli
