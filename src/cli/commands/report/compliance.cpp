// `casectl report compliance`: the deadlines that fell in a period, met on time, late, or missing.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::compliance(context.session(), o.kind, o.by, period);
  PeriodTable table(context, o, period, o.kind.empty() ? "Compliance" : "Compliance (" + o.kind + ")",
                    {"due", "on_time", "late", "mean_days_late", "missing", "on_time_rate"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.due), Cell::of_number(r.on_time), Cell::of_number(r.late),
                        one_decimal(r.mean_days_late), Cell::of_number(r.missing), one_decimal(r.on_time_rate)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_compliance(CLI::App& report, Context& context) {
  auto options = std::make_shared<Options>();
  auto* cmd = add_period_report(report, context, "compliance",
                                "the deadlines that fell due in a period: met on time, met late (days late), or "
                                "missing — replayed from the record",
                                {"kind", "worker"}, options, run);
  cmd->add_option("--kind", options->kind, "only deadlines of this kind")
      ->check(CLI::IsMember({"review", "assessment", "contact", "follow-up", "referral", "consent", "safety", "goal"}));
}

}  // namespace casectl::cli::report
