#include "cli/complete.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fcntl.h>
#include <map>
#include <ostream>
#include <set>
#include <unistd.h>

#include "casectl/model/date.hpp"
#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/completion.hpp"

namespace casectl::cli {
namespace {

using services::Candidate;

/// What the words before the one being completed say.
struct Line {
  CLI::App* command = nullptr;  ///< the deepest command named: casectl itself, "report", "report overdue", …
  std::string path;             ///< its names below casectl, "report overdue"; "" for casectl itself
  std::vector<std::string> positionals;              ///< the words given to the command's positional arguments
  std::map<const CLI::Option*, std::string> values;  ///< the last value given to each option
  std::set<const CLI::Option*> given;
  CLI::Option* pending = nullptr;  ///< the option whose value the word being completed is
  bool only_positionals = false;   ///< after "--"
};

/// What the word being completed may become: candidates, or a file name the shell completes itself.
struct Answer {
  Answer() = default;
  Answer(std::vector<Candidate> offered, std::string shell_completes = "")
      : candidates(std::move(offered)), directive(std::move(shell_completes)) {}
  std::vector<Candidate> candidates;
  std::string directive;  ///< "files" or "dirs"
};

bool takes_value(const CLI::Option& option) { return option.get_type_size_max() > 0; }

/// The option `name` ("--type", "-m") of `command` or of a command above it (options fall through to them).
CLI::Option* find_option(CLI::App* command, const std::string& name) {
  for (CLI::App* app = command; app != nullptr; app = app->get_parent()) {
    CLI::Option* option = app->get_option_no_throw(name);
    if (option != nullptr && option->nonpositional()) {
      return option;
    }
  }
  return nullptr;
}

CLI::App* find_subcommand(CLI::App& command, const std::string& name) {
  for (CLI::App* sub : command.get_subcommands({})) {
    if (!sub->get_name().empty() && sub->check_name(name)) {
      return sub;
    }
  }
  return nullptr;
}

Line read_line(CLI::App& app, const std::vector<std::string>& words) {
  Line line;
  line.command = &app;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (!line.only_positionals && word == "--") {
      line.only_positionals = true;
      continue;
    }
    if (!line.only_positionals && word.size() > 1 && word[0] == '-') {
      const bool long_name = starts_with(word, "--");
      const size_t eq = long_name ? word.find('=') : std::string::npos;
      CLI::Option* option = find_option(line.command, long_name ? word.substr(0, eq) : word.substr(0, 2));
      if (option == nullptr) {
        continue;  // unknown: as far as completion can tell, it takes no value
      }
      line.given.insert(option);
      if (!takes_value(*option)) {
        continue;
      }
      if (eq != std::string::npos) {
        line.values[option] = word.substr(eq + 1);
      } else if (!long_name && word.size() > 2) {
        line.values[option] = word.substr(2);  // -iphq9
      } else if (i + 1 < words.size()) {
        line.values[option] = words[++i];
      } else {
        line.pending = option;
      }
      continue;
    }
    if (line.positionals.empty() && !line.only_positionals) {
      if (CLI::App* sub = find_subcommand(*line.command, word)) {
        line.command = sub;
        line.path += (line.path.empty() ? "" : " ") + sub->get_name();
        continue;
      }
    }
    line.positionals.push_back(word);
  }
  return line;
}

/// The first clause of a help text, short enough to sit beside a candidate.
std::string summary(const std::string& help) {
  std::string text = help.substr(0, help.find("; "));
  if (text.size() > 60) {
    size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text = text.substr(0, cut) + "…";
  }
  return text;
}

/// Where the values of an option or positional argument come from.
enum class Source {
  none,
  files,
  dirs,
  dates,
  intervals,
  contact_types,
  closure_reasons,
  instruments,
  scores,
  programs,
  workers,
  active_workers,
  risk_levels,
  cases,
  goals,
  referrals,
  notes,
  open_flags,
  consent_parties,
  query_terms,
  assignments,
  edit_files,
};

bool has_long_name(const CLI::Option& option, const std::string& name) {
  const auto& names = option.get_lnames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// An option or argument with a CLI::IsMember check (--format, --by, --status, --outcome, --color, …) completes to
// the values it allows without a word here; the two functions below name those whose values come from elsewhere:
// casectl.yaml, the instruments, the case on the line, dates, files. A new option of that kind is added here.

/// Where the values of option `option` of the command `path` ("report overdue") come from.
Source option_source(const std::string& path, const CLI::Option& option) {
  auto is = [&option](const char* name) { return has_long_name(option, name); };
  const bool filters = path == "due" || starts_with(path, "report");  // a worker who left still has cases
  if (is("repo")) {
    return Source::dirs;
  }
  if (is("output")) {
    return Source::files;
  }
  if (is("type") && path == "log") {
    return Source::contact_types;
  }
  if (is("reason") && path == "close") {
    return Source::closure_reasons;
  }
  if (is("instrument")) {
    return Source::instruments;
  }
  if (is("score")) {
    return Source::scores;
  }
  if (is("program")) {
    return Source::programs;
  }
  if (is("risk")) {
    return Source::risk_levels;
  }
  if (is("worker")) {
    return filters ? Source::workers : Source::active_workers;
  }
  if (is("to")) {
    return path == "transfer"                      ? Source::active_workers
           : path == "refer" || path == "consent" ? Source::consent_parties
           : filters                               ? Source::dates
                                                   : Source::none;
  }
  if (is("revoke")) {
    return Source::consent_parties;
  }
  if (is("clear") && path == "flag") {
    return Source::open_flags;
  }
  if (is("amends")) {
    return Source::notes;
  }
  for (const char* name : {"date", "target", "follow-up", "today", "from", "on", "opened", "expires", "signed", "at"}) {
    if (is(name)) {
      return Source::dates;
    }
  }
  if (is("within") || is("every")) {
    return Source::intervals;
  }
  return Source::none;
}

/// Where the values of the positional argument `name` of the command `path` come from.
Source positional_source(const std::string& path, const std::string& name) {
  if (name == "case") {
    return Source::cases;
  }
  if (name == "ref" && path == "referral") {
    return Source::referrals;
  }
  if (name == "goal" && path == "plan update") {
    return Source::goals;
  }
  if (name == "id" && path == "note") {
    return Source::notes;
  }
  if (name == "file") {
    return path == "import" ? Source::files : path == "edit" ? Source::edit_files : Source::none;
  }
  if (name == "dir" && path == "init") {
    return Source::dirs;
  }
  if (name == "query") {
    return Source::query_terms;
  }
  if (name == "assignments" && path == "set") {
    return Source::assignments;
  }
  if (name == "expression" && path == "date") {
    return Source::dates;
  }
  return Source::none;
}

/// The values a check of the option allows (CLI::IsMember, whose description is "{a,b,c}").
std::vector<Candidate> allowed_values(CLI::Option& option) {
  std::vector<Candidate> out;
  for (int i = 0;; ++i) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;  // no more (CLI11 2.1 throws past the last)
    }
    const std::string description = validator->get_description();
    if (description.size() >= 2 && description.front() == '{' && description.back() == '}') {
      for (const auto& value : split(description.substr(1, description.size() - 2), ',')) {
        out.push_back({value, ""});
      }
    }
  }
  return out;
}

std::vector<Candidate> plain(const std::vector<std::string>& values) {
  std::vector<Candidate> out;
  for (const auto& value : values) {
    out.push_back({value, ""});
  }
  return out;
}

class Completer {
 public:
  Completer(Context& context, Line line) : m_context(context), m_line(std::move(line)) {}

  Answer complete(const std::string& word) {
    if (m_line.pending != nullptr) {
      return option_values(*m_line.pending, word, "");
    }
    if (!m_line.only_positionals && starts_with(word, "-")) {
      const size_t eq = word.find('=');
      if (starts_with(word, "--") && eq != std::string::npos) {  // --type=ph
        CLI::Option* option = find_option(m_line.command, word.substr(0, eq));
        return option != nullptr && takes_value(*option) ? option_values(*option, word.substr(eq + 1),
                                                                          word.substr(0, eq + 1))
                                                         : Answer{};
      }
      return matching(option_names(), word);
    }
    Answer answer;
    const bool may_be_subcommand = m_line.positionals.empty() && !m_line.only_positionals;
    if (may_be_subcommand) {
      answer.candidates = matching(subcommands(), word);
      if (m_line.command->get_require_subcommand_min() > 0) {
        return answer;
      }
    }
    if (CLI::Option* positional = next_positional()) {
      Answer values = positional_values(*positional, word);
      answer.candidates.insert(answer.candidates.end(), values.candidates.begin(), values.candidates.end());
      answer.directive = values.directive;
    } else if (answer.candidates.empty()) {
      answer.candidates = matching(option_names(), word);  // the command takes nothing more: its options
    }
    return answer;
  }

 private:
  Context& m_context;
  Line m_line;

  const services::Session& session() { return m_context.session(); }

  static std::vector<Candidate> matching(const std::vector<Candidate>& candidates, const std::string& word,
                                         const std::string& prefix = "") {
    std::vector<Candidate> out;
    for (const auto& candidate : candidates) {
      if (starts_with(prefix + candidate.value, word)) {
        out.push_back({prefix + candidate.value, candidate.description});
      }
    }
    return out;
  }

  std::vector<Candidate> option_names() const {
    std::vector<Candidate> out;
    for (CLI::Option* option : m_line.command->get_options()) {
      if (!option->nonpositional() || (m_line.given.count(option) > 0 && option->get_items_expected_max() <= 1)) {
        continue;
      }
      for (const auto& name : option->get_lnames()) {
        out.push_back({"--" + name, summary(option->get_description())});
      }
      for (const auto& name : option->get_snames()) {
        out.push_back({"-" + name, summary(option->get_description())});
      }
    }
    return out;
  }

  std::vector<Candidate> subcommands() const {
    std::vector<Candidate> out;
    for (CLI::App* sub : m_line.command->get_subcommands({})) {
      if (!sub->get_name().empty()) {
        out.push_back({sub->get_name(), summary(sub->get_description())});
      }
    }
    return out;
  }

  /// The positional argument the next word goes to.
  CLI::Option* next_positional() const {
    size_t before = m_line.positionals.size();
    for (CLI::Option* option : m_line.command->get_options()) {
      if (option->nonpositional()) {
        continue;
      }
      const auto most = static_cast<size_t>(std::max(option->get_items_expected_max(), 1));
      if (before < most) {
        return option;
      }
      before -= most;
    }
    return nullptr;
  }

  /// The case the command's first positional argument names, as typed; "" when none is given yet.
  std::string case_on_line() const {
    for (CLI::Option* option : m_line.command->get_options()) {
      if (!option->nonpositional()) {
        return option->get_name() == "case" && !m_line.positionals.empty() ? m_line.positionals.front() : "";
      }
    }
    return "";
  }

  std::string value_of(const std::string& option_name) const {
    const CLI::Option* option = find_option(m_line.command, option_name);
    const auto it = m_line.values.find(option);
    return it == m_line.values.end() ? "" : it->second;
  }

  Answer option_values(CLI::Option& option, const std::string& word, const std::string& prefix) {
    const Source source = option_source(m_line.path, option);
    if (source == Source::none) {
      return matching(allowed_values(option), prefix + word, prefix);
    }
    return values(source, word, prefix);
  }

  Answer positional_values(CLI::Option& positional, const std::string& word) {
    const Source source = positional_source(m_line.path, positional.get_name());
    if (source == Source::none) {
      return matching(allowed_values(positional), word);
    }
    return values(source, word, "");
  }

  services::CaseState case_state() const {
    const std::string& p = m_line.path;
    if (p == "reopen") {
      return services::CaseState::closed;
    }
    return p == "show" || p == "timeline" || p == "note" || p == "plan" ? services::CaseState::any
                                                                        : services::CaseState::open;
  }

  std::vector<Candidate> workers(bool active_only) {
    std::vector<Candidate> out;
    for (const auto& worker : session().config().workers) {
      if (worker.active || !active_only) {
        out.push_back({worker.id, worker.name + (worker.active ? "" : " (left)")});
      }
    }
    return out;
  }

  std::vector<Candidate> dates() {
    std::vector<Candidate> out;
    const Date today = m_context.today();
    for (const char* expression : {"today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday",
                                   "friday", "saturday", "sunday", "eow", "eom", "eoq"}) {
      const auto day = parse_date_expression(expression, today);
      out.push_back({expression, day ? day->iso() : ""});
    }
    return out;
  }

  /// `list` and `export` terms: key:value, and the values of each key.
  std::vector<Candidate> query_terms(const std::string& word) {
    const size_t colon = word.find(':');
    if (colon == std::string::npos) {
      return {{"status:", "open (default), closed or all"}, {"worker:", "the worker's cases"},
              {"program:", "the program's cases"},          {"risk:", "cases at a risk level"},
              {"tag:", "cases with a tag"},                  {"flag:", "cases with an open flag (urgent, any)"}};
    }
    const std::string key = word.substr(0, colon + 1);
    const Config& config = session().config();
    std::vector<Candidate> values;
    if (key == "status:") {
      values = plain({"open", "closed", "all"});
    } else if (key == "worker:") {
      values = workers(false);
    } else if (key == "program:") {
      values = programs();
    } else if (key == "risk:") {
      values = plain(config.risk_levels);
    } else if (key == "tag:") {
      values = services::tag_candidates(session());
    } else if (key == "flag:") {
      values = {{"urgent", "an open urgent flag"}, {"any", "any open flag"}};
    }
    for (auto& value : values) {
      value.value = key + value.value;
    }
    return values;
  }

  std::vector<Candidate> programs() {
    std::vector<Candidate> out;
    for (const auto& program : session().config().programs) {
      out.push_back({program.id, program.name});
    }
    return out;
  }

  /// `set` assignments: FIELD=, and the values of the fields that have a closed list.
  std::vector<Candidate> assignments(const std::string& word) {
    const size_t eq = word.find('=');
    std::vector<Candidate> out;
    if (eq == std::string::npos) {
      for (const auto& field : services::settable_fields()) {
        out.push_back({field + "=", ""});
      }
      return out;
    }
    const std::string field = word.substr(0, eq);
    out = field == "program" ? programs()
          : field == "worker" ? workers(true)
          : field == "risk"   ? plain(session().config().risk_levels)
          : field == "opened" ? dates()
                              : std::vector<Candidate>{};
    for (auto& candidate : out) {
      candidate.value = field + "=" + candidate.value;
    }
    return out;
  }

  /// assess --score: ITEM= of the instrument on the line (-i; ssm, assess's default, when none), then its answers.
  std::vector<Candidate> scores(const std::string& word) {
    std::string instrument = value_of("--instrument");
    if (instrument.empty()) {
      instrument = "ssm";
    }
    const size_t eq = word.find('=');
    std::vector<Candidate> out;
    if (eq == std::string::npos) {
      out = services::instrument_item_candidates(session(), instrument);
      for (auto& candidate : out) {
        candidate.value += "=";
      }
      return out;
    }
    const std::string item = word.substr(0, eq);
    out = services::instrument_score_candidates(session(), instrument, item);
    for (auto& candidate : out) {
      candidate.value = item + "=" + candidate.value;
    }
    return out;
  }

  Answer values(Source source, const std::string& word, const std::string& prefix) {
    const std::string typed = prefix + word;
    auto from = [&](const std::vector<Candidate>& candidates) { return Answer(matching(candidates, typed, prefix)); };
    const std::string case_ref = case_on_line();
    const bool needs_case = source == Source::goals || source == Source::referrals || source == Source::notes ||
                            source == Source::open_flags || source == Source::consent_parties;
    if (needs_case && case_ref.empty()) {
      return {};
    }
    switch (source) {
      case Source::none:
        return {};
      case Source::files:
        return {{}, "files"};
      case Source::dirs:
        return {{}, "dirs"};
      case Source::dates:
        return from(dates());
      case Source::intervals:
        return from(plain({"7d", "14d", "30d", "60d", "90d", "6w", "3m", "6m", "1y"}));
      case Source::contact_types:
        return from(plain(session().config().contact_types));
      case Source::closure_reasons:
        return from(plain(session().config().closure_reasons));
      case Source::instruments:
        return from(services::instrument_candidates(session()));
      case Source::scores:
        return from(scores(word));
      case Source::programs:
        return from(programs());
      case Source::workers:
        return from(workers(false));
      case Source::active_workers:
        return from(workers(true));
      case Source::risk_levels:
        return from(plain(session().config().risk_levels));
      case Source::cases:
        // Not narrowed to the word's prefix: a part of a client's name gives that client's case.
        return services::case_candidates(session(), word, case_state());
      case Source::goals:
        return from(services::goal_candidates(session(), case_ref));
      case Source::referrals:
        return from(services::referral_candidates(session(), case_ref));
      case Source::notes:
        return from(services::note_candidates(session(), case_ref));
      case Source::open_flags:
        return from(services::open_flag_candidates(session(), case_ref));
      case Source::consent_parties:
        return from(services::consent_party_candidates(session(), case_ref));
      case Source::query_terms:
        return from(query_terms(word));
      case Source::assignments:
        return from(assignments(word));
      case Source::edit_files:
        return from(plain({"case.yaml", "plan.yaml"}));
    }
    return {};
  }
};

/// One line of the answer: no tab or line break inside the value or the description, nothing unprintable.
std::string answer_line(const Candidate& candidate) {
  auto clean = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
    }
    return out;
  };
  const std::string description = clean(candidate.description);
  return clean(candidate.value) + (description.empty() ? "" : "\t" + description) + "\n";
}

}  // namespace

int complete_words(CLI::App& app, Context& context, const std::vector<std::string>& words) {
  // Whatever goes wrong, nothing reaches the terminal the user is typing in.
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
  try {
    const std::string word = words.empty() ? "" : words.back();
    Line line = read_line(app, words.empty() ? words : std::vector<std::string>(words.begin(), words.end() - 1));
    const auto value_of = [&line, &app](const char* name) {
      const auto it = line.values.find(find_option(&app, name));
      return it == line.values.end() ? std::string() : it->second;
    };
    context.options.repo = value_of("--repo");
    context.options.today = value_of("--today");
    context.options.no_cache = line.given.count(find_option(&app, "--no-cache")) > 0;
    Answer answer = Completer(context, std::move(line)).complete(word);
    std::string out;
    if (!answer.directive.empty()) {
      out = ":" + answer.directive + "\n";
    }
    std::set<std::string> seen;
    for (const auto& candidate : answer.candidates) {
      if (!candidate.value.empty() && seen.insert(candidate.value).second) {
        out += answer_line(candidate);
      }
    }
    context.out << out;
  } catch (...) {
    // no candidates
  }
  return 0;
}

}  // namespace casectl::cli
