#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/process.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {

void add_transfer(CLI::App& app, Context& context) {
  struct Options {
    std::string case_ref;
    std::string to;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("transfer", "assign the case to another worker (recorded with the date)");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--to", o->to, "the worker taking the case")->required();
  cmd->callback([&context, o] {
    context.action = [&context, o] {
      const std::string id = case_argument(context, o->case_ref);
      services::transfer(context.session(), id, o->to);
      context.note(fmt::format("{} is now assigned to {}", id, o->to));
      return 0;
    };
  });
}

}  // namespace casectl::cli
