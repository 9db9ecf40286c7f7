#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

int run_date(Context& context, const std::string& expression) {
  const auto date = date_option(context, expression, "date");
  context.out << date->iso() << '\n';
  context.note(date->weekday_name());
  return 0;
}

}  // namespace

void add_date(CLI::App& app, Context& context) {
  auto expression = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("date", "print the date a date expression stands for (YYYY-MM-DD, today, "
                                         "yesterday, tomorrow, weekday names, +3d, -2w, 1m, 1y, eow, eom, eoq)");
  cmd->add_option("expression", *expression, "the date expression")->required();
  cmd->callback([&context, expression] {
    context.action = [&context, expression] { return run_date(context, *expression); };
  });
}

}  // namespace casectl::cli
