// `casectl report outcomes`: first versus latest score of each client in a period, per domain of an instrument.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands/report/report.hpp"
#include "cli/exit_codes.hpp"

namespace casectl::cli::report {
namespace {

Cell two_decimals(double value) { return Cell::decimal(fmt::format("{:.2f}", value)); }

Cell share(int part, int whole) { return one_decimal(whole ? std::optional<double>(100.0 * part / whole) : std::nullopt); }

int run(Context& context, const Options& o) {
  const std::optional<Date> from = date_option(context, o.from, "--from");
  const Date to = date_option(context, o.to, "--to").value_or(context.today());
  if (from && to < *from) {
    throw Error(ErrorKind::usage, "--to is before --from");
  }
  const services::OutcomesQuery query{o.instrument, o.program, o.threshold};
  const auto result = services::outcomes(context.session(), query, {from.value_or(Date::from_days(-1000000)), to});
  const std::string program = o.program.empty() ? "all" : o.program;
  Listing listing;
  listing.title = fmt::format("Outcomes with {} ({} is better), program {}, {} to {}, as of {}", result.instrument,
                              result.lower_is_better ? "lower" : "higher", program,
                              from ? from->iso() : "the first assessment", to.iso(), context.today().iso());
  listing.columns = {"instrument",    "program",         "domain",      "clients",   "mean_first", "mean_latest",
                     "mean_change",   "improved",        "unchanged",   "worse",     "improved_share",
                     "unchanged_share", "worse_share",   "threshold",   "from",      "to",         "as_of"};
  for (const auto& r : result.rows) {
    listing.rows.push_back({result.instrument, program, r.domain, Cell::of_number(r.clients),
                            two_decimals(r.mean_first), two_decimals(r.mean_latest), two_decimals(r.mean_change),
                            Cell::of_number(r.improved), Cell::of_number(r.unchanged), Cell::of_number(r.worse),
                            share(r.improved, r.clients), share(r.unchanged, r.clients), share(r.worse, r.clients),
                            Cell::of_number(r.threshold), Cell::optional(from ? from->iso() : std::string()),
                            to.iso(), context.today().iso()});
  }
  print_listing(context.out, listing, o.format, context.color_out());
  return finish(context, result.problems, exit_code::ok);
}

}  // namespace

void add_outcomes(CLI::App& report, Context& context) {
  auto options = std::make_shared<Options>();
  auto* cmd = add_period_report(report, context, "outcomes",
                                "per domain: first versus latest score in a period of each client with two or more "
                                "assessments; mean change; improved, unchanged and worse by a meaningful change",
                                {}, options, run);
  cmd->get_option("--from")->required(false)->description("first day of the period (default: every assessment)");
  cmd->get_option("--to")->required(false)->description("last day of the period (default: today)");
  cmd->add_option("-i,--instrument", options->instrument, "instrument (default ssm)");
  cmd->add_option("--program", options->program, "only clients in this program at their latest score");
  cmd->add_option("--threshold", options->threshold,
                  "the smallest change that counts as improved or worse (default: the instrument's "
                  "meaningful_change for the total, 1 for items)")
      ->check(CLI::Range(1, 1000));
}

}  // namespace casectl::cli::report
