// `casectl sql`: one read-only SQL statement over the repository's tables (casectl-sql(7)).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <iterator>

#include "casectl/services/analytics.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"

namespace casectl::cli {
namespace {

struct SqlOptions {
  std::string statement;
  std::string format = "table";
};

Cell cell(const SqlValue& value) {
  if (const auto* n = std::get_if<int64_t>(&value)) {
    return Cell::of_number(*n);
  }
  if (const auto* r = std::get_if<double>(&value)) {
    std::string text = fmt::format("{}", *r);
    if (text.find_first_not_of("-0123456789") == std::string::npos) {
      text += ".0";  // a real stays a real: 100.0, as sqlite3 shows it, not 100
    }
    return Cell::decimal(text);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    return Cell(*text);
  }
  return Cell();
}

int run_sql(Context& context, const SqlOptions& o) {
  std::string statement = o.statement;
  if (statement == "-") {
    statement.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  Problems problems;
  const auto result = services::run_sql(context.session(), statement, problems);
  Listing listing;
  listing.columns = result.columns;
  for (const auto& row : result.rows) {
    std::vector<Cell> cells;
    for (const auto& value : row) {
      cells.push_back(cell(value));
    }
    listing.rows.push_back(std::move(cells));
  }
  print_listing(context.out, listing, o.format, context.color_out());
  return finish(context, problems, exit_code::ok);
}

}  // namespace

void add_sql(CLI::App& app, Context& context) {
  auto o = std::make_shared<SqlOptions>();
  auto* cmd = app.add_subcommand("sql", "answer a read-only SQL query (SQLite) over the cases' tables: see "
                                        "casectl-sql(7)");
  cmd->add_option("statement", o->statement, "one SELECT statement; - reads it from standard input")->required();
  cmd->add_option("--format", o->format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_sql(context, *o); }; });
}

}  // namespace casectl::cli
