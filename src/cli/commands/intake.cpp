#include <CLI/CLI.hpp>
#include <ostream>

#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

struct IntakeOptions {
  std::string name, dob, program, worker, phone, referred_by, risk, opened;
};

int run_intake(Context& context, const IntakeOptions& o) {
  services::IntakeRequest request;
  request.name = o.name;
  request.dob = date_option(context, o.dob, "--dob");
  request.program = o.program;
  request.worker = o.worker;
  request.phone = o.phone;
  request.referred_by = o.referred_by;
  request.risk = o.risk;
  request.opened = date_option(context, o.opened, "--opened");
  const auto result = services::intake(context.session(), request);
  for (const auto& warning : result.missing) {
    context.note("warning: " + warning);
  }
  for (const auto& warning : result.duplicate_warnings) {
    context.note("warning: " + warning);
  }
  context.out << result.id << '\n';
  return 0;
}

}  // namespace

void add_intake(CLI::App& app, Context& context) {
  auto o = std::make_shared<IntakeOptions>();
  auto* cmd = app.add_subcommand("intake", "open a case for a new client; prints the new case ID");
  cmd->add_option("name", o->name, "the client's name")->required();
  cmd->add_option("--dob", o->dob, "date of birth (YYYY-MM-DD)");
  cmd->add_option("--program", o->program, "program, as listed in casectl.yaml");
  cmd->add_option("--worker", o->worker,
                  "assigned worker (default: whoever is writing: $CASECTL_WORKER, else the worker whose email is "
                  "your git user.email or whose login is yours)");
  cmd->add_option("--phone", o->phone, "phone number");
  cmd->add_option("--referred-by", o->referred_by, "who referred the client");
  cmd->add_option("--risk", o->risk, "risk level, as listed in casectl.yaml");
  cmd->add_option("--opened", o->opened, "date the case opened (default: today)");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_intake(context, *o); }; });
}

}  // namespace casectl::cli
