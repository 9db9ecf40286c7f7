// `casectl report contacts`: units of service in a period.
#include <CLI/CLI.hpp>

#include "cli/commands/report/report.hpp"

namespace casectl::cli::report {
namespace {

int run(Context& context, const Options& o) {
  const services::Period period = period_of(context, o);
  const auto report = services::contacts(context.session(), o.by, period);
  PeriodTable table(context, o, period, "Contacts",
                    {"contacts", "contact_minutes", "collateral", "collateral_minutes", "attempts", "addenda",
                     "clients"});
  for (const auto& r : report.rows) {
    table.add(r.group, {Cell::of_number(r.contacts), Cell::of_number(r.contact_minutes),
                        Cell::of_number(r.collateral), Cell::of_number(r.collateral_minutes),
                        Cell::of_number(r.attempts), Cell::of_number(r.addenda), Cell::of_number(r.clients)});
  }
  return table.print(report.problems);
}

}  // namespace

void add_contacts(CLI::App& report, Context& context) {
  add_period_report(report, context, "contacts",
                    "units of service in a period: client contacts, collateral contacts, attempts and addenda, "
                    "minutes, clients",
                    {"worker", "program", "type"}, std::make_shared<Options>(), run);
}

}  // namespace casectl::cli::report
