#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/complete.hpp"
#include "cli/exit_codes.hpp"
#include "cli/git.hpp"
#include "cli/repository.hpp"
#include "cli/help_format.hpp"
#include "cli/pager.hpp"
#include "cli/progress.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return exit_code::usage;
    case ErrorKind::data:
      return exit_code::data;
    case ErrorKind::not_found:
      return exit_code::no_input;
    case ErrorKind::cannot_write:
      return exit_code::cannot_create;
    case ErrorKind::busy:
      return exit_code::temporary;
    case ErrorKind::permission:
      return exit_code::permission;
    case ErrorKind::config:
      return exit_code::config;
    case ErrorKind::internal:
      return exit_code::internal;
  }
  return exit_code::internal;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", "create a new case repository", add_init},
      {"intake", "open a case for a new client", add_intake},
      {"assess", "record an assessment with an instrument", add_assess},
      {"plan", "show or change the service plan", add_plan},
      {"log", "record a contact note", add_log},
      {"refer", "refer the client to a provider", add_refer},
      {"referral", "record a referral's answer", add_referral},
      {"review", "record a periodic review or set the review schedule", add_review},
      {"consent", "record or revoke a consent to share information", add_consent},
      {"transfer", "assign the case to another worker", add_transfer},
      {"flag", "raise, clear or list the case's flags (urgent: a safety follow-up)", add_flag},
      {"close", "close the case", add_close},
      {"reopen", "reopen a closed case", add_reopen},
      {"show", "show a case on one screen", add_show},
      {"timeline", "everything that happened to a case", add_timeline},
      {"note", "print one contact note whole", add_note},
      {"list", "list cases matching a query", add_list},
      {"set", "change fields of a face sheet", add_set},
      {"edit", "edit a face sheet or plan in $EDITOR, validated on save", add_edit},
      {"check", "validate every file of the repository", add_check},
      {"due", "what is overdue or due soon", add_due},
      {"report", "overdue, caseload, contacts and outcomes reports", add_report},
      {"export", "export cases as json, csv, SQLite or PostgreSQL, optionally de-identified", add_export},
      {"sql", "answer a read-only SQL query over the cases", add_sql},
      {"doctor", "which repository, worker and settings are in use, and why", add_doctor},
      {"sync", "pull the team's work, check, and push yours", add_sync},
      {"resolve", "settle a case's merge conflicts, field by field", add_resolve},
      {"hooks", "install git's pre-commit check and field-by-field merge", add_hooks},
      {"merge-file", "git's merge driver for face sheets and plans", add_merge_file},
      {"import", "open cases from a CSV spreadsheet", add_import},
      {"date", "show the date a date expression stands for", add_date},
      {"completion", "print a shell completion script", add_completion},
  };
  return table;
}

Context::Context(std::ostream& out_stream, std::ostream& err_stream) : out(out_stream), err(err_stream) {}
Context::~Context() = default;

ProgressSink Context::progress() {
  if (!m_progress) {
    m_progress = std::make_unique<ProgressLine>(stderr_is_terminal() && !options.quiet && !pager_started());
  }
  return [line = m_progress.get()](const char* what, size_t done, size_t total) {
    if (!pager_started()) {  // stderr may be the pager's now
      line->update(what, done, total);
    }
  };
}

void Context::end_progress() const {
  if (m_progress) {
    m_progress->clear();
  }
}

Date Context::today() {
  if (m_today) {
    return *m_today;
  }
  const LocalNow now = local_now();
  const Date real_today = Date::from_ymd(now.year, now.month, now.day);
  std::string fixed = options.today;
  if (fixed.empty()) {
    fixed = environment("CASECTL_TODAY").value_or("");
  }
  if (fixed.empty()) {
    m_today = real_today;
  } else {
    m_today = parse_date_expression(fixed, real_today);
    if (!m_today) {
      throw Error(ErrorKind::usage, "--today / CASECTL_TODAY: not a valid date (use YYYY-MM-DD)");
    }
  }
  return *m_today;
}

std::filesystem::path Context::root() const {
  std::optional<std::filesystem::path> option;
  std::optional<std::filesystem::path> env_repo;
  if (!options.repo.empty()) {
    option = options.repo;
  }
  if (auto env = environment("CASECTL_REPO"); env && !env->empty()) {
    env_repo = *env;
  }
  std::error_code ec;
  return repository::find(option, env_repo, std::filesystem::current_path(ec));
}

namespace {

/// CASECTL_LOCK_TIMEOUT: seconds, a whole or decimal number from 0 to 3600 ("2", "0.5"); nothing else.
std::chrono::milliseconds lock_timeout_from(const std::string& text) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 4 || !digits(whole) || !digits(fraction) ||
      (dot != std::string::npos && fraction.empty()) || std::stoi(whole) > 3600) {
    throw Error(ErrorKind::usage, "CASECTL_LOCK_TIMEOUT must be a number of seconds from 0 to 3600 (such as 5 or 0.5)");
  }
  const std::string millis = (fraction + "000").substr(0, 3);
  return std::chrono::milliseconds(std::stoll(whole) * 1000 + std::stoll(millis));
}

}  // namespace

services::Session& Context::session() {
  if (!m_session) {
    std::chrono::milliseconds lock_timeout = std::chrono::seconds(5);
    if (auto timeout = environment("CASECTL_LOCK_TIMEOUT")) {
      lock_timeout = lock_timeout_from(*timeout);
    }
    const LocalNow now = local_now();
    const std::filesystem::path repository_root = root();
    m_session = std::make_unique<services::Session>(services::Session{
        repository::open(repository_root, lock_timeout, !options.no_cache, progress(),
                         [this](const std::vector<std::string>& paths) {
                           written.insert(written.end(), paths.begin(), paths.end());
                         }),
        today(), now.minutes, now.utc_offset_minutes,
        identity(repository_root), today() == Date::from_ymd(now.year, now.month, now.day)});
  }
  return *m_session;
}

services::Identity Context::identity(const std::filesystem::path& repository_root) const {
  services::Identity identity;
  if (!options.worker.empty()) {
    identity.worker = options.worker;
    identity.named_by = "--worker";
  } else if (auto env = environment("CASECTL_WORKER"); env && !env->empty()) {
    identity.worker = *env;
    identity.named_by = "CASECTL_WORKER";
  }
  // Asked of git once, and only when nothing names a worker (an import asks for each row).
  identity.email = [path = repository_root.string(), asked = std::make_shared<std::optional<std::string>>()] {
    if (!*asked) {
      *asked = git_user_email(path);
    }
    return **asked;
  };
  identity.login = login_name();
  return identity;
}

void add_author_option(CLI::App& command, Context& context) {
  command.add_option("--worker", context.options.worker,
                     "who is writing this, a worker ID (default: $CASECTL_WORKER, else the worker whose email is "
                     "your git user.email or whose login is yours)");
}

bool Context::color_out() const {
  if (options.color == "always") {
    return true;
  }
  if (options.color == "never" || !environment("NO_COLOR").value_or("").empty()) {
    return false;
  }
  const auto term = environment("TERM");
  return stdout_is_terminal() && (!term || *term != "dumb");
}

size_t Context::terminal_width() const {
  if (!stdout_is_terminal()) {
    return 0;
  }
  const std::string columns = environment("COLUMNS").value_or("");
  if (!columns.empty() && columns.size() < 5 && std::all_of(columns.begin(), columns.end(), ::isdigit)) {
    return std::max<size_t>(std::stoul(columns), 40);
  }
  return std::max<size_t>(terminal_columns(), 40);
}

void Context::note(const std::string& message) const {
  end_progress();
  if (!options.quiet) {
    err << "casectl: " << message << '\n';
  }
}

std::optional<Date> date_option(Context& context, const std::string& value, const std::string& flag) {
  if (value.empty()) {
    return std::nullopt;
  }
  auto date = parse_date_expression(value, context.today());
  if (!date) {
    throw Error(ErrorKind::usage,
                fmt::format("{}: not a valid date (YYYY-MM-DD, today, yesterday, tomorrow, a weekday, +3d, -2w, "
                            "1m, eow, eom, eoq)",
                            flag));
  }
  return date;
}

std::string case_argument(Context& context, const std::string& reference) {
  return services::resolve_case(context.session(), reference);
}

int finish(Context& context, const Problems& problems, int exit_code_when_whole) {
  context.end_progress();
  for (const auto& problem : problems.diagnostics) {
    context.err << problem.to_string() << '\n';
  }
  if (problems.empty()) {
    return exit_code_when_whole;
  }
  context.err << fmt::format("casectl: error: {} problem(s) in case files; the cases they are in are missing from "
                             "this answer\n",
                             problems.diagnostics.size());
  return exit_code_for(problems.kind);
}

namespace {

void print_error(Context& context, const Error& e) {
  if (const auto* ambiguous = dynamic_cast<const AmbiguousCase*>(&e)) {
    context.err << "casectl: error: " << e.what() << ":\n";
    // Names help only the person at the terminal; piped or logged stderr gets IDs alone.
    const bool names = stderr_is_terminal();
    for (size_t i = 0; i < ambiguous->ids().size(); ++i) {
      context.err << "  " << ambiguous->ids()[i] << (names ? "  " + ambiguous->names()[i] : "") << '\n';
    }
    return;
  }
  if (e.diagnostics().empty()) {
    context.err << "casectl: error: " << e.what() << '\n';
    return;
  }
  for (const auto& d : e.diagnostics()) {
    context.err << d.to_string() << '\n';
  }
  if (e.kind() == ErrorKind::data || e.kind() == ErrorKind::config) {
    context.err << "casectl: error: " << e.what() << '\n';
  }
}

std::string version_text() { return "casectl " CASECTL_VERSION; }

/// CLI11 says only "a subcommand is required" for a mistyped command; name it, with a suggestion.
std::optional<std::string> unknown_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-C" || arg == "--repo" || arg == "--today" || arg == "--color") {
      ++i;  // the option's value
      continue;
    }
    if (arg.empty() || arg[0] == '-') {
      continue;
    }
    std::vector<std::string> names;
    for (const auto& command : commands()) {
      names.emplace_back(command.name);
    }
    if (std::find(names.begin(), names.end(), arg) != names.end()) {
      return std::nullopt;
    }
    auto hint = closest_match(arg, names);
    return fmt::format("unknown command '{}'{}", arg, hint ? fmt::format("; did you mean '{}'?", *hint) : "");
  }
  return std::nullopt;
}

/// A closed standard stream would let the next file casectl opens take its number, and output meant for the
/// terminal would land in a case file. Keeps the slots taken: /dev/full for stdout, so that output written to a
/// closed stdout still fails, /dev/null for the others. Gives whether stdout was closed.
bool keep_standard_streams_taken() {
  bool stdout_closed = false;
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0) {
      continue;
    }
    stdout_closed = stdout_closed || fd == 1;
    const int taken = ::open(fd == 1 ? "/dev/full" : "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (taken >= 0 && taken != fd) {
      ::dup2(taken, fd);
      ::close(taken);
    }
  }
  return stdout_closed;
}

/// The subcommand given, nested ones included ("plan add").
std::string command_name(CLI::App& app) {
  std::string name;
  for (CLI::App* sub = &app; !sub->get_subcommands().empty();) {
    sub = sub->get_subcommands().front();
    name += (name.empty() ? "" : " ") + sub->get_name();
  }
  return name;
}

/// With `git: commit: true` in casectl.yaml, commits exactly the files the command wrote. The change itself is
/// saved whatever git says; a commit that fails is a warning and exit status 75, so that cron or a script sees it.
int commit_if_asked(Context& context) {
  if (context.written.empty() || !context.has_session() || !context.session().config().git.commit) {
    return exit_code::ok;
  }
  const std::string problem = commit_paths(context.root(), context.written, context.command);
  if (problem.empty()) {
    return exit_code::ok;
  }
  context.err << "casectl: warning: the change is saved but not committed: " << problem << '\n';
  return exit_code::temporary;
}

/// Whether the command parsed is one whose output is read at length (a case, a timeline, a note, a listing, a
/// report, a plan, a query's rows): on a terminal it goes through the pager. Commands that write, prompt or
/// print an ID for a script do not page.
bool pages(const CLI::App& app) {
  static const std::vector<std::string> paged = {"show", "timeline", "note", "list", "due", "report", "plan", "sql"};
  for (const auto* sub : app.get_subcommands()) {
    if (std::find(paged.begin(), paged.end(), sub->get_name()) == paged.end()) {
      return false;
    }
    return sub->get_name() != "plan" || sub->get_subcommands().empty();  // plan add and plan update write
  }
  return false;
}

/// Sends what follows on stdout through the pager, when stdout is a terminal and neither --no-pager nor the
/// environment (CASECTL_PAGER or PAGER empty or "cat") turns it off.
void use_pager(const Context& context) {
  if (context.options.no_pager || !stdout_is_terminal()) {
    return;
  }
  if (const auto command = pager_command()) {
    const bool user_choice = environment("CASECTL_PAGER").has_value() || environment("PAGER").has_value();
    page_output(*command, user_choice, context.options.quiet);
  }
}

/// Runs the command's action, turning what it throws into a message and an exit status.
int run_action(Context& context) {
  try {
    const int code = context.action ? context.action() : exit_code::usage;
    context.end_progress();
    return code;
  } catch (const Error& e) {
    context.end_progress();
    print_error(context, e);
    return exit_code_for(e.kind());
  } catch (const std::bad_alloc&) {
    context.end_progress();
    context.err << "casectl: error: out of memory\n";
    return exit_code::internal;
  } catch (const std::exception& e) {
    context.end_progress();
    context.err << "casectl: internal error: " << e.what() << " (please report this)\n";
    return exit_code::internal;
  }
}

}  // namespace

int run(int argc, char** argv) {
  const bool stdout_closed = keep_standard_streams_taken();
  show_hidden_characters_on_terminals();
  Context context(std::cout, std::cerr);
  CLI::App app{"casectl — case management for caseworkers, in plain text.\n"
               "Each client's case is a folder of YAML files in a git repository; see casectl(1) and "
               "casectl-files(5).",
               "casectl"};
  if (const size_t width = context.terminal_width()) {  // before the commands: they take the app's formatter
    app.formatter(std::make_shared<WrappingFormatter>(width));
  }
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("-C,--repo", context.options.repo, "the case repository (default: $CASECTL_REPO, else the "
                                                    "nearest directory upwards with casectl.yaml)");
  app.add_option("--today", context.options.today,
                 "take this date as today, for audits and tests (also $CASECTL_TODAY)");
  app.add_option("--color", context.options.color, "colour: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", context.options.quiet, "no notes or warnings on stderr");
  app.add_flag("--no-cache", context.options.no_cache,
               "read every file instead of the index (.cache/index.sqlite); the answers are the same");
  app.add_flag("--no-pager", context.options.no_pager,
               "never send long output through a pager (on a terminal it goes through $CASECTL_PAGER, else "
               "$PAGER, else less -FRX)");
  for (const auto& command : commands()) {
    command.add(app, context);
  }
  for (auto* sub : app.get_subcommands({})) {
    sub->fallthrough();
  }
  // Set after the commands are added, which would otherwise each repeat it.
  app.footer("On a terminal, long output goes through $CASECTL_PAGER, else $PAGER, else less -FRX (--no-pager turns "
             "it off), and long work (import, building the index, check) shows its progress on stderr.");
  // The completion scripts' call back (hidden from --help): the words on the line are not parsed as a command.
  if (argc >= 2 && std::string(argv[1]) == k_complete_command) {
    return complete_words(app, context, std::vector<std::string>(argv + 2, argv + argc));
  }
  if (auto unknown = unknown_command(argc, argv)) {
    context.err << "casectl: error: " << *unknown << "\nRun 'casectl --help' for the list of commands.\n";
    return exit_code::usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError&) {
    // Stray words are not repeated: an unquoted note (log -m Talked with Maria …) would be client data in a
    // terminal's scrollback or a cron mail. Stray options are named.
    std::vector<std::string> options;
    for (const auto& arg : app.remaining()) {
      if (starts_with(arg, "-") && arg.size() <= 40) {
        options.push_back(arg);
      }
    }
    context.err << "casectl: error: unexpected arguments"
                << (options.empty() ? std::string() : " (" + join(options, ", ") + ")")
                << "; put a note or a name in quotes (-m \"…\")\n"
                << "Run 'casectl --help' or 'casectl COMMAND --help' for usage.\n";
    return exit_code::usage;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version
      const bool help = dynamic_cast<const CLI::CallForHelp*>(&e) || dynamic_cast<const CLI::CallForAllHelp*>(&e);
      const auto no_pager = [](const char* arg) { return std::string(arg) == "--no-pager"; };
      context.options.no_pager = context.options.no_pager || std::any_of(argv + 1, argv + argc, no_pager);
      if (help) {
        use_pager(context);
      }
      const int code = app.exit(e);
      finish_paging();
      return code;
    }
    context.err << "casectl: error: " << e.what() << "\n"
                << "Run 'casectl --help' or 'casectl COMMAND --help' for usage.\n";
    return exit_code::usage;
  }
  context.command = command_name(app);
  if (pages(app)) {
    use_pager(context);
  }
  int code = run_action(context);
  if (code == exit_code::ok) {
    code = commit_if_asked(context);
  }
  if (pager_started()) {
    // Output the pager did not take was cut short by the user quitting it: no error, and the exit status stays.
    finish_paging();
    return code;
  }
  // Output that was not written is not success: a full disk, a closed stdout, a reader gone with SIGPIPE ignored.
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
    const int error = errno;
    const std::string why = stdout_closed ? "standard output is closed" : error != 0 ? std::strerror(error) : "";
    context.err << "casectl: error: could not write the output" << (why.empty() ? "" : " (" + why + ")") << '\n';
    return exit_code::io_error;
  }
  return code;
}


}  // namespace casectl::cli
