#pragma once
// What the `report` subcommands share: their options, the period, and the columns every period report ends with.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casectl/services/reports.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

namespace CLI {
class App;
}

namespace casectl::cli::report {

struct Options {
  std::string by;
  std::string from;
  std::string to;
  std::string format = "table";
  std::string instrument = "ssm";
  std::string program;
  std::string kind;
  std::optional<int> threshold;
};

/// A period report's listing: its grouping column named for what it holds (`by`), a `name` column beside worker
/// and program IDs, the report's own columns, then from, to and as_of on every row.
class PeriodTable {
 public:
  PeriodTable(Context& context, const Options& options, services::Period period, const std::string& what,
              std::vector<std::string> columns);
  void add(const std::string& group, std::vector<Cell> cells);
  /// Prints the listing, then what could not be read; gives the exit code.
  int print(const Problems& problems);

 private:
  Context& m_context;
  const Options& m_options;
  services::Period m_period;
  Listing m_listing;
};

/// A number with one decimal, or nothing.
Cell one_decimal(std::optional<double> value);

/// Adds a period report: --from and --to (both required), --format, and --by with its choices (the first is the
/// default). `run` is the report's action.
CLI::App* add_period_report(CLI::App& parent, Context& context, const char* name, const char* help,
                            std::vector<std::string> by_choices, std::shared_ptr<Options> options,
                            std::function<int(Context&, const Options&)> run);

services::Period period_of(Context& context, const Options& options);

// One per subcommand, in cli/commands/report/NAME.cpp.
void add_caseload(CLI::App& report, Context& context);
void add_closures(CLI::App& report, Context& context);
void add_contacts(CLI::App& report, Context& context);
void add_outcomes(CLI::App& report, Context& context);
void add_goals(CLI::App& report, Context& context);
void add_compliance(CLI::App& report, Context& context);
void add_referrals(CLI::App& report, Context& context);

}  // namespace casectl::cli::report
