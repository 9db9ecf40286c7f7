#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "casectl/services/files.hpp"
#include "cli/commands.hpp"
#include "cli/private_copy.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

struct LogOptions {
  std::string case_ref;
  std::string message;
  bool message_given = false;
  std::string type;
  std::vector<std::string> with;
  int minutes = -1;
  std::string at;
  std::string follow_up;
  std::string amends;
};

/// The note from the editor, on a private copy; lines starting with '#' are instructions.
std::string note_from_editor() {
  const PrivateCopy copy("NOTE.txt");
  copy.write("\n# Write the contact note above. Lines starting with '#' are left out.\n"
             "# An empty note aborts; nothing is written.\n");
  if (run_editor(copy.path()) != 0) {
    throw Error(ErrorKind::cannot_write, "the editor failed; nothing written");
  }
  std::string note;
  for (const auto& line : split(copy.read(), '\n')) {
    if (!starts_with(line, "#")) {
      note += line + '\n';
    }
  }
  return note;
}

std::optional<DateTime> at_option(Context& context, const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  const auto& session = context.session();
  if (auto at = DateTime::parse_iso(text, session.utc_offset_minutes)) {
    return at;
  }
  if (text.size() == 5 && text[2] == ':') {  // HH:MM today
    if (auto at = DateTime::parse_iso(session.today.iso() + "T" + text, session.utc_offset_minutes)) {
      return at;
    }
  }
  if (auto day = parse_date_expression(text, session.today)) {
    return DateTime{*day, session.minutes_now, session.utc_offset_minutes};
  }
  throw Error(ErrorKind::usage, "--at: not a valid date and time (YYYY-MM-DDTHH:MM, HH:MM, or a date)");
}

int run_log(Context& context, const LogOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::ContactRequest request;
  if (o.message_given) {
    request.note = o.message;
  } else if (!stdin_is_terminal()) {
    request.note = read_stdin();
  } else {
    request.note = note_from_editor();
  }
  request.note = trim(request.note);
  if (!request.note.empty()) {
    request.note += '\n';
  }
  request.type = o.type;
  request.with = o.with;
  if (o.minutes >= 0) {
    request.minutes = o.minutes;
  }
  request.at = at_option(context, o.at);
  request.follow_up = date_option(context, o.follow_up, "--follow-up");
  request.amends = o.amends;
  const std::string note_id = services::log_contact(context.session(), id, request);
  context.out << note_id << '\n';
  return 0;
}

}  // namespace

void add_log(CLI::App& app, Context& context) {
  auto o = std::make_shared<LogOptions>();
  auto* cmd = app.add_subcommand("log", "record a contact note (text from -m, piped stdin, or $VISUAL/$EDITOR); "
                                        "prints the note's ID");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("-m,--message", o->message, "the note")->each([o](const std::string&) { o->message_given = true; });
  cmd->add_option("--type", o->type,
                  "phone, visit, office, video, email, text, collateral (with someone else about the client), or "
                  "attempt (no answer); default phone. Not with --amends");
  // One value per --with, taken as typed: CLI11 would split "[Mom, Dad]" into two people.
  cmd->add_option("--with", o->with, "who took part (repeat for several)")->allow_extra_args(false);
  cmd->add_option("--minutes", o->minutes, "length of the contact in minutes")->check(CLI::Range(0, 1440));
  cmd->add_option("--at", o->at, "when: YYYY-MM-DDTHH:MM, HH:MM (today) or a date (default: now)");
  cmd->add_option("--follow-up", o->follow_up, "date by which to follow up");
  cmd->add_option("--amends", o->amends,
                  "the ID of an earlier note this one corrects: an addendum, which never counts as a contact");
  add_author_option(*cmd, context);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_log(context, *o); }; });
}

}  // namespace casectl::cli
