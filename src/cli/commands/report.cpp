#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/reports.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace casectl::cli {
namespace {

struct ReportOptions {
  std::string by;
  std::string from;
  std::string to;
  std::string format = "table";
  std::string instrument = "ssm";
  std::string program;
};

std::pair<Date, Date> period(Context& context, const ReportOptions& o, bool required) {
  const Date today = context.today();
  if (required && (o.from.empty() || o.to.empty())) {
    throw Error(ErrorKind::usage, "give the period with --from DATE --to DATE");
  }
  const Date from = date_option(context, o.from, "--from").value_or(Date::from_ymd(today.year(), today.month(), 1));
  const Date to = date_option(context, o.to, "--to").value_or(today);
  if (to < from) {
    throw Error(ErrorKind::usage, "--to is before --from");
  }
  return {from, to};
}

std::string decimal(double value) { return fmt::format("{:.2f}", value); }

int caseload_report(Context& context, const ReportOptions& o) {
  const auto [from, to] = period(context, o, false);
  const auto report = services::caseload(context.session(), o.by, from, to);
  Listing listing;
  listing.columns = {o.by, "open", "opened", "closed", "from", "to"};
  for (const auto& row : report.rows) {
    listing.rows.push_back({row.group, Cell::of_number(row.open), Cell::of_number(row.opened),
                            Cell::of_number(row.closed), from.iso(), to.iso()});
  }
  print_listing(context.out, listing, o.format, context.color_out());
  return finish(context, report.problems, exit_code::ok);
}

int contacts_report(Context& context, const ReportOptions& o) {
  const auto [from, to] = period(context, o, true);
  const auto report = services::contacts(context.session(), o.by, from, to);
  Listing listing;
  listing.columns = {o.by,         "contacts", "contact_minutes", "collateral", "collateral_minutes",
                     "attempts",   "addenda",  "clients",         "from",       "to"};
  for (const auto& row : report.rows) {
    listing.rows.push_back({row.group, Cell::of_number(row.contacts), Cell::of_number(row.contact_minutes),
                            Cell::of_number(row.collateral), Cell::of_number(row.collateral_minutes),
                            Cell::of_number(row.attempts), Cell::of_number(row.addenda), Cell::of_number(row.clients),
                            from.iso(), to.iso()});
  }
  print_listing(context.out, listing, o.format, context.color_out());
  return finish(context, report.problems, exit_code::ok);
}

int outcomes_report(Context& context, const ReportOptions& o) {
  std::optional<Date> from = date_option(context, o.from, "--from");
  std::optional<Date> to = date_option(context, o.to, "--to");
  if (from && to && *to < *from) {
    throw Error(ErrorKind::usage, "--to is before --from");
  }
  const auto result = services::outcomes(context.session(), o.instrument, o.program, from, to);
  Listing listing;
  listing.columns = {"domain",  "clients",   "mean_first", "mean_latest", "mean_change",
                     "improved", "unchanged", "worse",      "improved_share"};
  for (const auto& row : result.rows) {
    const double share = row.clients ? 100.0 * row.improved / row.clients : 0.0;
    listing.rows.push_back({row.domain, Cell::of_number(row.clients), Cell::decimal(decimal(row.mean_first)),
                            Cell::decimal(decimal(row.mean_latest)), Cell::decimal(decimal(row.mean_change)),
                            Cell::of_number(row.improved), Cell::of_number(row.unchanged), Cell::of_number(row.worse),
                            Cell::decimal(fmt::format("{:.1f}", share))});
  }
  print_listing(context.out, listing, o.format, context.color_out());
  if (o.format == "table") {
    context.note(fmt::format("{}: first versus latest assessment of each client with two or more; {} is better",
                             result.instrument, result.lower_is_better ? "lower" : "higher"));
  }
  return finish(context, result.problems, exit_code::ok);
}

CLI::App* report_subcommand(CLI::App& parent, const char* name, const char* help, ReportOptions& o) {
  auto* cmd = parent.add_subcommand(name, help);
  cmd->add_option("--format", o.format, "table, json, csv or tsv")->check(CLI::IsMember({"table", "json", "csv", "tsv"}));
  return cmd;
}

}  // namespace

void add_report(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("report", "reports for supervisors, funders and cron: overdue, caseload, "
                                           "contacts, outcomes");
  cmd->require_subcommand(1);

  auto overdue = std::make_shared<DueReport>();
  overdue->overdue_only = true;
  auto* o1 = cmd->add_subcommand("overdue", "overdue items only; prints nothing when nothing is overdue (for cron)");
  o1->add_option("--by", overdue->by, "group by worker")->check(CLI::IsMember({"worker"}));
  add_due_options(*o1, *overdue);
  o1->callback([&context, overdue] { context.action = [&context, overdue] { return print_due(context, *overdue); }; });

  auto caseload = std::make_shared<ReportOptions>();
  caseload->by = "worker";
  auto* o2 = report_subcommand(*cmd, "caseload", "open cases per group, and those opened and closed in a period "
                                                 "(default: this month to date)", *caseload);
  o2->add_option("--by", caseload->by, "worker, program or risk (default worker)")
      ->check(CLI::IsMember({"worker", "program", "risk"}));
  o2->add_option("--from", caseload->from, "start of the period");
  o2->add_option("--to", caseload->to, "end of the period (default: today)");
  o2->callback([&context, caseload] { context.action = [&context, caseload] { return caseload_report(context, *caseload); }; });

  auto contacts = std::make_shared<ReportOptions>();
  contacts->by = "worker";
  auto* o3 = report_subcommand(*cmd, "contacts", "units of service in a period: contacts made and attempted, "
                                                 "minutes, clients", *contacts);
  o3->add_option("--by", contacts->by, "worker, type or program (default worker)")
      ->check(CLI::IsMember({"worker", "type", "program"}));
  o3->add_option("--from", contacts->from, "start of the period")->required();
  o3->add_option("--to", contacts->to, "end of the period")->required();
  o3->callback([&context, contacts] { context.action = [&context, contacts] { return contacts_report(context, *contacts); }; });

  auto outcomes = std::make_shared<ReportOptions>();
  auto* o4 = report_subcommand(*cmd, "outcomes", "per domain: first versus latest score of each client with two or "
                                                 "more assessments; mean change; share improved", *outcomes);
  o4->add_option("-i,--instrument", outcomes->instrument, "instrument (default ssm)");
  o4->add_option("--program", outcomes->program, "only this program's clients");
  o4->add_option("--from", outcomes->from, "only assessments from this date");
  o4->add_option("--to", outcomes->to, "only assessments up to this date (default: today)");
  o4->callback([&context, outcomes] { context.action = [&context, outcomes] { return outcomes_report(context, *outcomes); }; });
}

}  // namespace casectl::cli
