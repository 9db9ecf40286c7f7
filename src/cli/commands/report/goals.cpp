// `casectl report goals`: goals set and resolved in a period, and those still active at its end.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::goals(context.session(), o.by, period);
  PeriodTable table(context, o, period, "Goals",
                    {"created", "met", "partly_met", "not_met", "dropped", "active", "met_rate"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.created), Cell::of_number(r.met), Cell::of_number(r.partly_met),
                        Cell::of_number(r.not_met), Cell::of_number(r.dropped), Cell::of_number(r.active),
                        one_decimal(r.met_rate)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_goals(CLI::App& report, Context& context) {
  add_period_report(report, context, "goals",
                    "service-plan goals created, met, partly met, not met and dropped in a period, those still "
                    "active, and the met rate",
                    {"program", "worker"}, std::make_shared<Options>(), run);
}

}  // namespace casectl::cli::report
