#include <CLI/CLI.hpp>
#include <ostream>

#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "casectl/model/text.hpp"
#include "cli/output.hpp"

namespace casectl::cli {
namespace {

struct ListOptions {
  std::vector<std::string> query;
  std::string format = "table";
};

int run_list(Context& context, const ListOptions& o) {
  Problems problems;
  const auto cases = services::list_cases(context.session(), o.query, problems);
  Listing listing;
  listing.columns = {"id", "name", "status", "program", "worker", "risk", "opened", "closed", "next_review", "flags"};
  for (const auto& c : cases) {
    listing.rows.push_back({c.id, c.name, c.status, Cell::optional(c.program), Cell::optional(c.worker),
                            Cell::optional(c.risk), c.opened.iso(),
                            Cell::optional(c.closed ? std::optional(c.closed->iso()) : std::nullopt),
                            Cell::optional(c.next_review ? std::optional(c.next_review->iso()) : std::nullopt),
                            Cell::optional(join(c.flags, "; "))});
  }
  listing.shortens = {9, 1};  // on a narrow terminal the flags, then the name, give way; never the ID
  listing.drops = {"closed", "opened", "program"};
  listing.width = context.terminal_width();
  print_listing(context.out, listing, o.format, context.color_out());
  return finish(context, problems, exit_code::ok);
}

}  // namespace

void add_list(CLI::App& app, Context& context) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "list cases: QUERY terms status:open (default), status:closed, "
                                         "status:all, worker:W, program:P, risk:R, tag:T, or words of the name");
  cmd->add_option("query", o->query, "query terms, all of which must match");
  cmd->add_option("--format", o->format, "table, json, csv, tsv or id")->check(CLI::IsMember(k_listing_formats));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_list(context, *o); }; });
}

}  // namespace casectl::cli
