#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/cases.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace casectl::cli {
namespace {

struct FlagOptions {
  std::string case_ref;
  std::string text;
  bool urgent = false;
  std::string clear;
  std::string message;
  std::string format = "table";
};

int list_flags(Context& context, const std::string& id, const std::string& format) {
  const auto overview = services::load_overview(context.session(), id);
  Listing listing;
  listing.columns = {"id", "flag", "urgent", "since", "cleared", "cleared_reason"};
  for (const auto& flag : overview.file.face.flags) {
    listing.rows.push_back({Cell::optional(flag.id), flag.flag, flag.urgent ? "yes" : "no",
                            Cell::optional(flag.since ? std::optional(flag.since->iso()) : std::nullopt),
                            Cell::optional(flag.cleared ? std::optional(flag.cleared->iso()) : std::nullopt),
                            Cell::optional(flag.cleared_reason)});
  }
  print_listing(context.out, listing, format, context.color_out());
  return 0;
}

int run_flag(Context& context, const FlagOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  if (!o.clear.empty()) {
    if (!o.text.empty() || o.urgent) {
      throw Error(ErrorKind::usage, "--clear takes a flag's ID and -m REASON, not a new flag's text");
    }
    services::clear_flag(context.session(), id, o.clear, o.message);
    context.note(fmt::format("cleared flag {} of {}", o.clear, id));
    return 0;
  }
  if (o.text.empty()) {
    return list_flags(context, id, o.format);
  }
  const std::string flag_id = services::add_flag(context.session(), id, {o.text, o.urgent, o.message});
  if (o.urgent) {
    context.note("an urgent flag: a safety follow-up with the client is due (see 'casectl due')");
  }
  context.out << flag_id << '\n';
  return 0;
}

}  // namespace

void add_flag(CLI::App& app, Context& context) {
  auto o = std::make_shared<FlagOptions>();
  auto* cmd = app.add_subcommand("flag", "raise a flag on a case (prints its ID), clear one with a reason, or list "
                                         "them");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("text", o->text, "what the flag says, e.g. \"fall risk\" (none: list the case's flags)");
  cmd->add_flag("--urgent", o->urgent, "an urgent (safety) flag: a follow-up with the client becomes due");
  cmd->add_option("--clear", o->clear, "clear the open flag with this ID (or unique prefix); needs -m REASON");
  cmd->add_option("-m,--message", o->message, "a note on a new flag; the reason when clearing one");
  cmd->add_option("--format", o->format, "for the list: table, json, csv or tsv")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_flag(context, *o); }; });
}

}  // namespace casectl::cli
