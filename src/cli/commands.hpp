#pragma once

#include <string>
#include <vector>

#include "cli/context.hpp"

namespace casectl::cli {

/// One subcommand: its name, its one-line summary for help, and the function that adds it to the parser.
struct Command {
  const char* name;
  const char* summary;
  Registrar add;
};

/// The options `due` and `report overdue` share.
struct DueReport {
  std::string within;
  std::string worker;
  std::string program;
  std::string format = "table";
  std::string by;  ///< "worker" groups the output per worker
  bool overdue_only = false;
  bool exit_code = false;
  bool names = false;
  bool why = false;  ///< each item whole, its reason wrapped, instead of a table
};
int print_due(Context& context, const DueReport& report);
void add_due_options(CLI::App& cmd, DueReport& report);

/// Every subcommand, in the order `casectl --help` lists them.
const std::vector<Command>& commands();

// Each is defined in cli/commands/NAME.cpp.
void add_init(CLI::App& app, Context& context);
void add_intake(CLI::App& app, Context& context);
void add_show(CLI::App& app, Context& context);
void add_list(CLI::App& app, Context& context);
void add_set(CLI::App& app, Context& context);
void add_edit(CLI::App& app, Context& context);
void add_check(CLI::App& app, Context& context);
void add_date(CLI::App& app, Context& context);
void add_assess(CLI::App& app, Context& context);
void add_plan(CLI::App& app, Context& context);
void add_log(CLI::App& app, Context& context);
void add_refer(CLI::App& app, Context& context);
void add_referral(CLI::App& app, Context& context);
void add_review(CLI::App& app, Context& context);
void add_consent(CLI::App& app, Context& context);
void add_transfer(CLI::App& app, Context& context);
void add_close(CLI::App& app, Context& context);
void add_flag(CLI::App& app, Context& context);
void add_reopen(CLI::App& app, Context& context);
void add_timeline(CLI::App& app, Context& context);
void add_note(CLI::App& app, Context& context);
void add_due(CLI::App& app, Context& context);
void add_report(CLI::App& app, Context& context);
void add_export(CLI::App& app, Context& context);
void add_sql(CLI::App& app, Context& context);
void add_doctor(CLI::App& app, Context& context);
void add_import(CLI::App& app, Context& context);
void add_completion(CLI::App& app, Context& context);
void add_sync(CLI::App& app, Context& context);
void add_resolve(CLI::App& app, Context& context);
void add_hooks(CLI::App& app, Context& context);
void add_merge_file(CLI::App& app, Context& context);

}  // namespace casectl::cli
