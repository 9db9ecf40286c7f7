// `casectl report caseload`: open at the start, intakes, reopenings, closures, open at the end, and served.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::caseload(context.session(), o.by, period);
  PeriodTable table(context, o, period, "Caseload",
                    {"open_at_start", "intakes", "reopenings", "closures", "open_at_end", "served"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.open_at_start), Cell::of_number(r.intakes), Cell::of_number(r.reopenings),
                        Cell::of_number(r.closures), Cell::of_number(r.open_at_end), Cell::of_number(r.served)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_caseload(CLI::App& report, Context& context) {
  auto* cmd = add_period_report(report, context, "caseload",
                                "cases open at the start and the end of a period, intakes, reopenings, closures and "
                                "clients served (default period: this month to date)",
                                {"worker", "program", "risk"}, std::make_shared<Options>(), run);
  cmd->get_option("--from")->required(false)->description("first day of the period (default: the 1st of this month)");
  cmd->get_option("--to")->required(false)->description("last day of the period (default: today)");
}

}  // namespace casectl::cli::report
