#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <sstream>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

struct AssessOptions {
  std::string case_ref;
  std::string instrument = "ssm";
  std::vector<std::string> scores;
  std::string date;
  std::string note;
};

std::string choices(const Instrument& instrument, const Item& item) {
  std::vector<std::string> parts;
  for (const auto& point : instrument.scale) {
    std::string label = point.label;
    for (const auto& [value, text] : item.levels) {
      if (value == point.value) {
        label += " — " + text;
      }
    }
    parts.push_back(fmt::format("{} {}", point.value, label));
  }
  if (item.allow_na) {
    parts.emplace_back("na not applicable");
  }
  return join(parts, item.levels.empty() ? " · " : "\n     ");
}

bool valid_answer(const Instrument& instrument, const Item& item, const std::string& answer) {
  return parse_answer(instrument, item, answer).has_value();
}

/// Asks item by item on a terminal (re-asking a bad answer), or reads one answer per item from piped stdin.
std::vector<std::pair<std::string, std::string>> ask(Context& context, const Instrument& instrument) {
  const bool terminal = stdin_is_terminal();
  std::vector<std::pair<std::string, std::string>> answers;
  if (terminal) {
    context.err << instrument.title << '\n';
    if (!instrument.prompt.empty()) {
      context.err << instrument.prompt << '\n';
    }
  }
  for (const auto& item : instrument.items) {
    std::string answer;
    while (true) {
      if (terminal) {
        context.err << fmt::format("\n{}  {}\n     {}\n> ", item.id, item.text, choices(instrument, item))
                    << std::flush;
      }
      if (!(std::cin >> answer)) {
        throw Error(ErrorKind::usage, fmt::format("no answer for item '{}'; nothing written", item.id));
      }
      answer = to_lower(answer);
      if (valid_answer(instrument, item, answer) || !terminal) {
        break;
      }
      context.err << fmt::format("  answer {} to {}{}\n", instrument.min_value(), instrument.max_value(),
                                 item.allow_na ? " or na" : "");
    }
    answers.emplace_back(item.id, answer);
  }
  return answers;
}

std::string score_text(const Score& s) { return s.value ? std::to_string(*s.value) : "na"; }

void print_result(Context& context, const services::AssessResult& r) {
  const Assessment& a = r.assessment;
  const bool color = context.color_out();
  context.out << fmt::format("{} {} on {} ({})\n", r.instrument.id, r.instrument.title, a.date.iso(), a.id);
  if (r.instrument.scoring == Scoring::sum && a.total) {
    context.out << fmt::format("total {}{}\n", *a.total, a.band.empty() ? "" : " — " + a.band);
  }
  for (const auto& flag : a.flags) {
    const std::string line = fmt::format("! {}{} — flagged on the case", flag, r.scored.urgent ? " (URGENT)" : "");
    context.out << (color ? std::string(ansi::red) + line + ansi::reset : line) << '\n';
  }
  for (const auto& flag : r.open_urgent_flags) {
    if (std::find(a.flags.begin(), a.flags.end(), flag.flag) == a.flags.end()) {
      context.note(fmt::format("urgent flag {} of {} is still open: only a person clears it (casectl flag {} --clear "
                               "{} -m REASON)",
                               flag.id.empty() ? flag.flag : flag.id, flag.since ? flag.since->iso() : "?",
                               a.case_id, flag.id.empty() ? "ID" : flag.id));
    }
  }
  if (!r.previous) {
    if (r.instrument.scoring == Scoring::domains) {
      for (const auto& [item_id, s] : a.scores) {
        const Item* item = r.instrument.find_item(item_id);
        context.out << fmt::format("  {:<28} {:>2}  {}\n", item ? item->text : item_id, score_text(s),
                                   s.value ? r.instrument.scale_label(*s.value) : "not applicable");
      }
    }
    context.out << "first assessment with " << r.instrument.id << '\n';
    return;
  }
  const Assessment& p = *r.previous;
  context.out << fmt::format("change since {}:\n", p.date.iso());
  if (p.total && a.total && r.instrument.scoring == Scoring::sum) {
    context.out << fmt::format("  {:<28} {:>3} → {:<3} ({:+})\n", "total", *p.total, *a.total, *a.total - *p.total);
  }
  for (const auto& [item_id, s] : a.scores) {
    const Item* item = r.instrument.find_item(item_id);
    std::string before = "-";
    std::string change;
    for (const auto& [pid, ps] : p.scores) {
      if (pid == item_id) {
        before = score_text(ps);
        if (ps.value && s.value) {
          change = fmt::format("({:+})", *s.value - *ps.value);
        }
      }
    }
    const std::string name = r.instrument.scoring == Scoring::domains && item ? item->text : item_id;
    context.out << fmt::format("  {:<28} {:>3} → {:<3} {}\n", name, before, score_text(s), change);
  }
}

int run_assess(Context& context, const AssessOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::AssessRequest request;
  request.instrument = o.instrument;
  request.date = date_option(context, o.date, "--date");
  request.note = o.note;
  for (const auto& s : o.scores) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorKind::usage, "--score takes ITEM=N (e.g. q1=2, housing=3, child-care=na)");
    }
    request.scores.emplace_back(trim(s.substr(0, eq)), trim(s.substr(eq + 1)));
  }
  if (request.scores.empty()) {
    request.scores = ask(context, services::load_instrument(context.session(), o.instrument));
  }
  print_result(context, services::assess(context.session(), id, request));
  return 0;
}

}  // namespace

void add_assess(CLI::App& app, Context& context) {
  auto o = std::make_shared<AssessOptions>();
  auto* cmd = app.add_subcommand("assess", "record an assessment with an instrument (asks item by item when no "
                                           "--score is given); prints total, band, flags and change");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("-i,--instrument", o->instrument, "instrument in instruments/ (phq9, gad7, ssm; default ssm)");
  cmd->add_option("--score", o->scores, "ITEM=N, one per item (repeat); na where the item allows it");
  cmd->add_option("--date", o->date, "date of the assessment (default: today)");
  cmd->add_option("-m,--message", o->note, "a note");
  add_author_option(*cmd, context);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_assess(context, *o); }; });
}

}  // namespace casectl::cli
