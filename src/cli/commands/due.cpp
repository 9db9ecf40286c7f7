#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/reports.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/render.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {

const std::vector<std::string> k_due_formats = {"table", "json", "csv", "tsv", "ics", "id"};

int print_due(Context& context, const DueReport& report) {
  services::Session& session = context.session();
  services::DueQuery query;
  if (!report.within.empty()) {
    query.within = Interval::parse(report.within);
    if (!query.within) {
      throw Error(ErrorKind::usage, "--within: not an interval (such as 7d, 2w, 1m)");
    }
  }
  // A mistyped filter must not look like "nothing due".
  const Config& config = session.config();
  if (!report.worker.empty() && !config.find_worker(report.worker)) {
    throw Error(ErrorKind::usage, fmt::format("--worker: unknown worker '{}' (casectl.yaml knows: {})", report.worker,
                                              join(config.worker_ids(), ", ")));
  }
  if (!report.program.empty() && !config.find_program(report.program)) {
    throw Error(ErrorKind::usage, fmt::format("--program: unknown program '{}' (casectl.yaml knows: {})",
                                              report.program, join(config.program_ids(), ", ")));
  }
  if (report.why && report.format != "table") {
    throw Error(ErrorKind::usage, "--why is a view for people; json, csv and tsv carry the whole reason already");
  }
  query.worker = report.worker;
  query.program = report.program;
  query.overdue_only = report.overdue_only;
  // A person at a terminal reads names; cron mail, files and pipes get IDs only, unless --names.
  const bool for_a_person = report.format == "table" && stdout_is_terminal();
  query.with_names = report.names || for_a_person;
  auto result = services::due(session, query);
  auto& items = result.items;
  const DueNames* names = for_a_person ? &result.names : nullptr;
  auto print_items = [&](const std::vector<DueItem>& shown) {
    if (report.why) {
      context.out << due_why(shown, names, context.terminal_width(), context.color_out());
      return;
    }
    Listing listing = due_listing(shown, names);
    listing.width = context.terminal_width();
    print_listing(context.out, listing, report.format, context.color_out());
  };
  if (report.by == "worker") {
    std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) { return a.worker < b.worker; });
  }
  if (report.format == "ics") {
    if (!items.empty() || !report.overdue_only) {
      context.out << due_calendar(items, session.today, result.names);
    }
  } else if (report.format == "table" && !report.by.empty()) {
    // The heading of an item's group: its worker, or its day (every overdue item under one heading).
    auto heading = [&](const DueItem& item) {
      if (report.by == "worker") {
        return item.worker.empty() ? std::string("(no worker)") : item.worker;
      }
      if (item.overdue()) {
        return std::string("Overdue");
      }
      return fmt::format("{} {}{}", item.due.weekday_name(), item.due.iso(), item.days_overdue == 0 ? " (today)" : "");
    };
    std::string current = "\x01";
    std::vector<DueItem> group;
    auto flush = [&] {
      if (!group.empty()) {
        context.out << fmt::format("{}: {} item{}\n", current, group.size(), group.size() == 1 ? "" : "s");
        print_items(group);
        context.out << '\n';
      }
      group.clear();
    };
    for (const auto& item : items) {
      if (heading(item) != current) {
        flush();
        current = heading(item);
      }
      group.push_back(item);
    }
    flush();
  } else if (report.format == "id") {
    std::vector<std::string> seen;  // one line per case, most urgent first
    for (const auto& item : items) {
      if (std::find(seen.begin(), seen.end(), item.case_id) == seen.end()) {
        seen.push_back(item.case_id);
        context.out << item.case_id << '\n';
      }
    }
  } else if (!items.empty() || report.format == "json" || !report.overdue_only) {
    print_items(items);
  }
  return finish(context, result.problems, report.exit_code && !items.empty() ? exit_code::findings : exit_code::ok);
}

void add_due_options(CLI::App& cmd, DueReport& report) {
  cmd.add_option("--worker", report.worker, "only this worker's cases");
  cmd.add_option("--program", report.program, "only this program's cases");
  cmd.add_flag("--exit-code", report.exit_code, "exit 1 when something is listed (for scripts and cron)");
  cmd.add_flag("--names", report.names,
               "client names in ics summaries (off by default: calendars leak); a table on a terminal has them");
  cmd.add_flag("--why", report.why,
               "each item whole, its reason wrapped to the terminal, instead of a table (the table shortens it)");
  cmd.add_option("--format", report.format, "table, json, csv, tsv, ics or id")->check(CLI::IsMember(k_due_formats));
}

void add_due(CLI::App& app, Context& context) {
  auto report = std::make_shared<DueReport>();
  auto* cmd = app.add_subcommand("due", "the agenda: everything overdue (most overdue first) or due soon, each "
                                        "with the rule and the date it counts from");
  cmd->add_option("--within", report->within, "how far ahead to look (default: due_soon in casectl.yaml)");
  cmd->add_option("--by", report->by, "group by worker, or by day (all overdue items first, then each day's)")
      ->check(CLI::IsMember({"worker", "day"}));
  add_due_options(*cmd, *report);
  cmd->callback([&context, report] { context.action = [&context, report] { return print_due(context, *report); }; });
}

}  // namespace casectl::cli
