// `casectl report referrals`: the referrals sent in a period and whether their loops closed.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::referrals(context.session(), o.by, period);
  PeriodTable table(context, o, period, "Referrals",
                    {"sent", "accepted", "completed", "declined", "no_response", "no_answer", "closed_loop",
                     "closed_loop_rate", "median_days_to_answer"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.sent), Cell::of_number(r.accepted), Cell::of_number(r.completed),
                        Cell::of_number(r.declined), Cell::of_number(r.no_response), Cell::of_number(r.no_answer),
                        Cell::of_number(r.closed_loop), one_decimal(r.closed_loop_rate),
                        one_decimal(r.median_days_to_answer)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_referrals(CLI::App& report, Context& context) {
  add_period_report(report, context, "referrals",
                    "referrals sent in a period: accepted, completed, declined, no response, no answer; closed-loop "
                    "rate and median days to an answer",
                    {"provider", "program"}, std::make_shared<Options>(), run);
}

}  // namespace casectl::cli::report
