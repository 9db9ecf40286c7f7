// `casectl report`: overdue (for cron), and the period reports a supervisor and a funder sign, one per file here.
#include "cli/commands/report/report.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace casectl::cli {
namespace report {

services::Period period_of(Context& context, const Options& options) {
  const Date today = context.today();
  const Date from = date_option(context, options.from, "--from").value_or(Date::from_ymd(today.year(), today.month(), 1));
  const Date to = date_option(context, options.to, "--to").value_or(today);
  if (to < from) {
    throw Error(ErrorKind::usage, "--to is before --from");
  }
  return {from, to};
}

Cell one_decimal(std::optional<double> value) {
  return value ? Cell::decimal(fmt::format("{:.1f}", *value)) : Cell();
}

PeriodTable::PeriodTable(Context& context, const Options& options, services::Period period, const std::string& what,
                         std::vector<std::string> columns)
    : m_context(context), m_options(options), m_period(period) {
  m_listing.title = fmt::format("{} by {}, {} to {}, as of {}", what, options.by, period.from.iso(), period.to.iso(),
                                context.today().iso());
  m_listing.columns.push_back(options.by);
  if (options.by == "worker" || options.by == "program") {
    m_listing.columns.emplace_back("name");
  }
  m_listing.columns.insert(m_listing.columns.end(), columns.begin(), columns.end());
  for (const char* column : {"from", "to", "as_of"}) {
    m_listing.columns.emplace_back(column);
  }
}

void PeriodTable::add(const std::string& group, std::vector<Cell> cells) {
  std::vector<Cell> row{group};
  if (m_options.by == "worker" || m_options.by == "program") {
    const Config& config = m_context.session().config();
    const Worker* worker = m_options.by == "worker" ? config.find_worker(group) : nullptr;
    const Program* program = m_options.by == "program" ? config.find_program(group) : nullptr;
    row.push_back(Cell::optional(worker ? worker->name : program ? program->name : std::string()));
  }
  row.insert(row.end(), cells.begin(), cells.end());
  for (const Date day : {m_period.from, m_period.to, m_context.today()}) {
    row.emplace_back(day.iso());
  }
  m_listing.rows.push_back(std::move(row));
}

int PeriodTable::print(const Problems& problems) {
  print_listing(m_context.out, m_listing, m_options.format, m_context.color_out());
  return finish(m_context, problems, exit_code::ok);
}

CLI::App* add_period_report(CLI::App& parent, Context& context, const char* name, const char* help,
                            std::vector<std::string> by_choices, std::shared_ptr<Options> options,
                            std::function<int(Context&, const Options&)> run) {
  auto* cmd = parent.add_subcommand(name, help);
  if (!by_choices.empty()) {
    options->by = by_choices.front();
    cmd->add_option("--by", options->by, fmt::format("group by {} (default {})", fmt::join(by_choices, ", "),
                                                     by_choices.front()))
        ->check(CLI::IsMember(by_choices));
  }
  cmd->add_option("--from", options->from, "first day of the period")->required();
  cmd->add_option("--to", options->to, "last day of the period")->required();
  cmd->add_option("--format", options->format, "table, json, csv or tsv")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv"}));
  cmd->callback([&context, options, run] { context.action = [&context, options, run] { return run(context, *options); }; });
  return cmd;
}

}  // namespace report

void add_report(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("report", "reports for supervisors, funders and cron: overdue, caseload, closures, "
                                           "contacts, outcomes, goals, compliance, referrals");
  cmd->require_subcommand(1);

  auto overdue = std::make_shared<DueReport>();
  overdue->overdue_only = true;
  auto* o1 = cmd->add_subcommand("overdue", "overdue items only; prints nothing when nothing is overdue (for cron)");
  o1->add_option("--by", overdue->by, "group by worker")->check(CLI::IsMember({"worker"}));
  add_due_options(*o1, *overdue);
  o1->callback([&context, overdue] { context.action = [&context, overdue] { return print_due(context, *overdue); }; });

  report::add_caseload(*cmd, context);
  report::add_closures(*cmd, context);
  report::add_contacts(*cmd, context);
  report::add_outcomes(*cmd, context);
  report::add_goals(*cmd, context);
  report::add_compliance(*cmd, context);
  report::add_referrals(*cmd, context);
}

}  // namespace casectl::cli
