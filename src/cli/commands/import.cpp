#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/exchange.hpp"
#include "casectl/services/files.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace casectl::cli {
namespace {

struct ImportOptions {
  std::string file;
  bool dry_run = false;
  bool skip_bad = false;
  std::string date_format;  ///< mdy or dmy: how to read 2/3/1999
};

/// One line each, written 64 KiB at a time: stderr is unbuffered, and a file of 100,000 rows can have a million.
void print_diagnostics(std::ostream& err, const std::vector<Diagnostic>& diagnostics) {
  std::string lines;
  for (const auto& diagnostic : diagnostics) {
    lines += diagnostic.to_string();
    lines += '\n';
    if (lines.size() >= 65536) {
      err << lines;
      lines.clear();
    }
  }
  err << lines;
}

int run_import(Context& context, const ImportOptions& o) {
  const std::string text = services::read_outside_file(o.file, o.file, 16 * services::max_file_size());
  const auto result = services::import_csv(context.session(), text, o.file, o.dry_run, o.skip_bad,
                                             o.date_format == "mdy"   ? DayMonthOrder::month_first
                                             : o.date_format == "dmy" ? DayMonthOrder::day_first
                                                                      : DayMonthOrder::unknown);
  context.end_progress();
  if (!context.options.quiet) {
    print_diagnostics(context.err, result.warnings);
  }
  print_diagnostics(context.err, result.problems);
  for (const auto& id : result.created) {
    context.out << id << '\n';
  }
  const auto already = result.already_imported.size();
  const int good = result.rows - static_cast<int>(result.problems.size() + already);
  const std::string skipped = already ? fmt::format(" ({} imported already)", already) : "";
  if (o.dry_run) {
    context.note(fmt::format("dry run: {} of {} rows would be imported{}; nothing written", good, result.rows,
                             skipped));
  } else if (!result.problems.empty() && !o.skip_bad) {
    context.err << fmt::format("casectl: error: {} of {} rows have problems; nothing written (fix them, or "
                               "import the others with --skip-bad)\n",
                               result.problems.size(), result.rows);
  } else {
    context.note(fmt::format("imported {} of {} rows{}", result.created.size(), result.rows, skipped));
  }
  return result.problems.empty() ? exit_code::ok : exit_code::data;
}

}  // namespace

void add_import(CLI::App& app, Context& context) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "open cases from a spreadsheet saved as CSV with a header row (" +
                                               join(services::import_columns(), ", ") + "); prints the new IDs");
  cmd->add_option("file", o->file, "the CSV file")->required();
  cmd->add_flag("--dry-run", o->dry_run, "check every row and report, writing nothing");
  cmd->add_flag("--skip-bad", o->skip_bad, "import the good rows even when some are bad (exit 65 still says so)");
  cmd->add_option("--date-format", o->date_format,
                  "mdy or dmy: whether 2/3/1999 is February 3 or March 2 (without it such dates are refused)")
      ->check(CLI::IsMember({"mdy", "dmy"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_import(context, *o); }; });
}

}  // namespace casectl::cli
