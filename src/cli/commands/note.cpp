#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/error.hpp"
#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"
#include "cli/render.hpp"

namespace casectl::cli {
namespace {

struct NoteOptions {
  std::string case_ref;
  std::string note_ref;
  std::string format = "text";
};

/// The one contact note whose ID is `ref` or begins with it.
const Contact& find_note(const CaseFile& file, const std::string& ref) {
  if (ref.empty()) {
    throw Error(ErrorKind::usage, "give the note's ID (or a unique prefix of it)");
  }
  const Contact* found = nullptr;
  int matches = 0;
  for (const auto& c : file.contacts) {
    if (c.id == ref) {
      return c;
    }
    if (starts_with(c.id, ref)) {
      found = &c;
      ++matches;
    }
  }
  if (matches == 0) {
    throw Error(ErrorKind::not_found, fmt::format("{} has no contact note '{}'", file.face.id, ref));
  }
  if (matches > 1) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' matches {} contact notes of {}; give more of the ID", ref, matches, file.face.id));
  }
  return *found;
}

/// The note as written, without the line break that ends its last line.
std::string whole(std::string text) {
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

std::string clock(const Contact& c) { return fmt::format("{:02}:{:02}", c.at.minutes / 60, c.at.minutes % 60); }

std::string type_of(const Contact& c) { return c.kind() == ContactKind::addendum ? "addendum" : c.type; }

int run_note(Context& context, const NoteOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  const auto overview = services::load_overview(context.session(), id);
  const CaseFile& file = overview.file;
  const Contact& c = find_note(file, o.note_ref);
  std::vector<const Contact*> addenda;
  for (const auto& other : file.contacts) {
    if (other.amends == c.id) {
      addenda.push_back(&other);
    }
  }
  if (o.format == "json") {
    Json with = Json::array();
    for (const auto& w : c.with) {
      with.push(Json::string(w));
    }
    Json by = Json::array();
    for (const Contact* a : addenda) {
      by.push(Json::string(a->id));
    }
    context.out << Json::object()
                       .set("case", Json::string(file.face.id))
                       .set("id", Json::string(c.id))
                       .set("date", Json::string(c.at.date.iso()))
                       .set("time", Json::string(clock(c)))
                       .set("type", Json::optional_string(type_of(c)))
                       .set("kind", Json::string(to_string(c.kind())))
                       .set("with", std::move(with))
                       .set("minutes", c.minutes ? Json::number(*c.minutes) : Json())
                       .set("worker", Json::optional_string(c.worker))
                       .set("follow_up", Json::optional_string(optional_date(c.follow_up)))
                       .set("amends", Json::optional_string(c.amends))
                       .set("amended_by", std::move(by))
                       .set("note", Json::string(whole(c.note)))
                       .dump();
    return 0;
  }
  auto field = [&](const char* label, const std::string& value) {
    if (!value.empty()) {
      context.out << fmt::format("{:<11} {}\n", label, value);
    }
  };
  field("Note:", c.id + "  " + file.face.id);
  field("Date:", c.at.date.iso() + " " + clock(c));
  field("Type:", type_of(c));
  field("With:", join(c.with, ", "));
  field("Minutes:", c.minutes ? std::to_string(*c.minutes) : "");
  field("Worker:", c.worker);
  field("Follow-up:", optional_date(c.follow_up));
  if (!c.amends.empty()) {
    std::string amended = c.amends;
    for (const auto& other : file.contacts) {
      if (other.id == c.amends) {
        amended += fmt::format(" ({} {} {})", other.at.date.iso(), clock(other), type_of(other));
      }
    }
    field("Amends:", amended);
  }
  for (const Contact* a : addenda) {
    field("Amended by:", fmt::format("{} ({} {})", a->id, a->at.date.iso(), clock(*a)));
  }
  context.out << '\n' << whole(c.note) << '\n';
  return 0;
}

}  // namespace

void add_note(CLI::App& app, Context& context) {
  auto o = std::make_shared<NoteOptions>();
  auto* cmd = app.add_subcommand("note", "print one contact note whole, with its header and its addenda");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("id", o->note_ref, "the note's record ID (or a unique prefix), as timeline shows it")->required();
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_note(context, *o); }; });
}

}  // namespace casectl::cli
