// `casectl report closures`: the episodes that ended in a period, and how long they lasted.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::closures(context.session(), o.by, period);
  PeriodTable table(context, o, period, "Closures", {"closures", "mean_days", "median_days"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.closures), one_decimal(r.mean_days), one_decimal(r.median_days)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_closures(CLI::App& report, Context& context) {
  add_period_report(report, context, "closures",
                    "cases closed in a period, with the mean and median length of stay of each episode",
                    {"reason", "program", "worker"}, std::make_shared<Options>(), run);
}

}  // namespace casectl::cli::report
