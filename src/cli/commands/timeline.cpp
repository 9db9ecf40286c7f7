#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <ostream>
#include <tuple>
#include <variant>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"
#include "cli/output.hpp"

namespace casectl::cli {
namespace {

/// At most `limit` characters (not bytes) of `text`: a longer text is cut on a character boundary and ends in
/// "...", so that a multi-byte UTF-8 character is never split.
std::string shorten(const std::string& text, size_t limit) {
  size_t characters = 0;
  size_t cut = std::string::npos;  // the byte offset where the kept part ends
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
      if (characters == limit - 3) {
        cut = i;
      }
      ++characters;
    }
  }
  return characters > limit ? text.substr(0, cut) + "..." : text;
}

std::string first_line(const std::string& text) { return shorten(text.substr(0, text.find('\n')), 80); }

/// A note as written, without the line break that ends its last line.
std::string whole(std::string text) {
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

/// The addenda of each contact note: note ID → the IDs of the notes that amend it, oldest first.
using Addenda = std::map<std::string, std::vector<std::string>>;

Addenda addenda_of(const std::vector<services::TimelineEntry>& entries) {
  Addenda addenda;
  for (const auto& e : entries) {
    if (const auto* c = std::get_if<Contact>(&e.source); c && !c->amends.empty()) {
      addenda[c->amends].push_back(c->id);
    }
  }
  return addenda;
}

/// One event in words: the first line of each note, shortened, or (full) every note whole.
struct Describe {
  bool full = false;
  const Addenda* addenda = nullptr;

  std::string text(const std::string& note) const { return full ? whole(note) : first_line(note); }

  std::string operator()(const CaseEvent& e) const {
    if (e.event == "transferred" || e.event == "program-changed" || e.event == "risk-changed") {
      const std::string what = e.event == "transferred"       ? "transferred"
                               : e.event == "program-changed" ? "program"
                                                              : "risk";
      return fmt::format("{} from {} to {}", what, e.from.empty() ? "(none)" : e.from, e.to.empty() ? "(none)" : e.to);
    }
    if (e.event == "flag" || e.event == "urgent-flag") {
      return fmt::format("{} {} raised", e.event == "flag" ? "flag" : "urgent flag", e.note);
    }
    if (e.event == "flag-cleared") {
      return fmt::format("flag {} cleared: {}", e.note, text(e.reason));
    }
    if (e.event == "closed") {
      return fmt::format("closed: {}{}", e.reason, e.note.empty() ? "" : " — " + text(e.note));
    }
    return e.note.empty() ? e.event : e.event + " " + text(e.note);
  }
  std::string operator()(const services::ConsentSigned& s) const {
    const Consent& c = s.consent;
    return fmt::format("consent to share with {}{}{}", c.party, c.purpose.empty() ? "" : " for " + c.purpose,
                       c.expires ? ", until " + c.expires->iso() : "");
  }
  std::string operator()(const services::ConsentRevoked& r) const {
    return fmt::format("consent to share with {} revoked", r.consent.party);
  }
  std::string operator()(const Contact& c) const {
    std::string amended;
    if (addenda != nullptr) {
      if (auto it = addenda->find(c.id); it != addenda->end()) {
        amended = " (amended by " + join(it->second, ", ") + ")";
      }
    }
    if (c.kind() == ContactKind::addendum) {
      return fmt::format("addendum to note {}{}: {}", c.amends, amended, text(c.note));
    }
    return fmt::format("{}{}{}{}: {}", c.is_attempt() ? "attempted contact" : c.type,
                       c.with.empty() ? "" : " with " + join(c.with, ", "),
                       c.minutes ? fmt::format(" ({} min)", *c.minutes) : "", amended, text(c.note));
  }
  std::string operator()(const Assessment& a) const {
    return fmt::format("{}{}{}{}{}", a.instrument, a.total ? " total " + std::to_string(*a.total) : "",
                       a.band.empty() ? "" : " (" + a.band + ")", a.flags.empty() ? "" : " — " + join(a.flags, "; "),
                       a.note.empty() ? "" : ": " + text(a.note));
  }
  std::string operator()(const Review& r) const {
    return "review: " + to_string(r.outcome) + (r.note.empty() ? "" : " — " + text(r.note));
  }
  std::string operator()(const Referral& r) const {
    return fmt::format("referred to {}{}{}{}", r.to, r.service.empty() ? "" : " for " + r.service,
                       r.without_consent.empty() ? "" : " (without consent: recorded reason)",
                       full && !r.reason.empty() ? ": " + whole(r.reason) : "");
  }
  std::string operator()(const ReferralUpdate& u) const {
    return fmt::format("referral {} {}{}", u.referral, to_string(u.status), u.note.empty() ? "" : " — " + text(u.note));
  }
  std::string operator()(const services::GoalAdded& g) const { return "goal added: " + text(g.goal); }
  std::string operator()(const services::GoalProgress& g) const {
    const Progress& p = g.progress;
    return fmt::format("goal {}{}{}", g.goal_id, p.status ? " now " + to_string(*p.status) : "",
                       p.note.empty() ? "" : ": " + text(p.note));
  }
};

/// The record's own note, whole: what a worker wrote (empty when the record has none).
struct RecordNote {
  std::string operator()(const CaseEvent& e) const {
    if (e.event == "flag-cleared") {
      return e.reason;
    }
    if (e.event == "flag" || e.event == "urgent-flag" || e.event == "safety-flag") {
      return "";  // the note of a flag event is the flag's ID or name
    }
    return e.note;
  }
  std::string operator()(const services::ConsentSigned&) const { return ""; }
  std::string operator()(const services::ConsentRevoked&) const { return ""; }
  std::string operator()(const Contact& c) const { return c.note; }
  std::string operator()(const Assessment& a) const { return a.note; }
  std::string operator()(const Review& r) const { return r.note; }
  std::string operator()(const Referral& r) const { return r.reason; }
  std::string operator()(const ReferralUpdate& u) const { return u.note; }
  std::string operator()(const services::GoalAdded& g) const { return g.goal; }
  std::string operator()(const services::GoalProgress& g) const { return g.progress.note; }
};

/// Where an event falls within its day. Events with a time (contact notes) are in time order; records with only
/// a date keep a fixed place around them: the opening or reopening first, then the timed notes, then consents
/// signed, assessments, goals added, goal progress, referrals, referral answers, reviews, consents revoked, other
/// case events (transfers, flags, schedule changes), and the closing last. casectl(1) says the same.
int day_rank(const services::TimelineEntry& e) {
  struct Rank {
    int operator()(const CaseEvent& c) const {
      if (c.event == "opened" || c.event == "reopened") {
        return 0;
      }
      return c.event == "closed" ? 11 : 10;
    }
    int operator()(const Contact&) const { return 1; }
    int operator()(const services::ConsentSigned&) const { return 2; }
    int operator()(const Assessment&) const { return 3; }
    int operator()(const services::GoalAdded&) const { return 4; }
    int operator()(const services::GoalProgress&) const { return 5; }
    int operator()(const Referral&) const { return 6; }
    int operator()(const ReferralUpdate&) const { return 7; }
    int operator()(const Review&) const { return 8; }
    int operator()(const services::ConsentRevoked&) const { return 9; }
  };
  return std::visit(Rank{}, e.source);
}

void order_within_days(std::vector<services::TimelineEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const int ra = day_rank(a);
    const int rb = day_rank(b);
    return std::tie(a.date, ra, a.time) < std::tie(b.date, rb, b.time);
  });
}

struct TimelineOptions {
  std::string case_ref;
  std::string format = "text";
  bool full = false;
};

const std::vector<std::string> k_columns = {"date", "time", "kind", "ref", "text", "note", "amends", "amended_by"};

int run_timeline(Context& context, const TimelineOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  auto entries = services::timeline(context.session(), id);
  order_within_days(entries);
  const Addenda addenda = addenda_of(entries);
  auto amends_of = [](const services::TimelineEntry& e) {
    const auto* c = std::get_if<Contact>(&e.source);
    return c ? c->amends : std::string();
  };
  auto amended_by = [&](const services::TimelineEntry& e) {
    const auto* c = std::get_if<Contact>(&e.source);
    const auto it = c ? addenda.find(c->id) : addenda.end();
    return it == addenda.end() ? std::vector<std::string>{} : it->second;
  };
  // Programs get every text whole; only the text format for people shortens.
  const Describe everything{true, &addenda};
  if (o.format == "json") {
    Json array = Json::array();
    for (const auto& e : entries) {
      Json by = Json::array();
      for (const auto& a : amended_by(e)) {
        by.push(Json::string(a));
      }
      array.push(Json::object()
                     .set("date", Json::string(e.date.iso()))
                     .set("time", Json::optional_string(e.time))
                     .set("kind", Json::string(e.kind))
                     .set("ref", Json::optional_string(e.ref))
                     .set("text", Json::string(std::visit(everything, e.source)))
                     .set("note", Json::optional_string(whole(std::visit(RecordNote{}, e.source))))
                     .set("amends", Json::optional_string(amends_of(e)))
                     .set("amended_by", std::move(by)));
    }
    context.out << array.dump();
    return 0;
  }
  if (o.format == "csv" || o.format == "tsv") {
    Listing listing;
    listing.columns = k_columns;
    for (const auto& e : entries) {
      listing.rows.push_back({e.date.iso(), Cell::optional(e.time), e.kind, Cell::optional(e.ref),
                              std::visit(everything, e.source), Cell::optional(whole(std::visit(RecordNote{}, e.source))),
                              Cell::optional(amends_of(e)), Cell::optional(join(amended_by(e), " "))});
    }
    print_listing(context.out, listing, o.format, false);
    return 0;
  }
  const Describe describe{o.full, &addenda};
  const std::string indent(38, ' ');  // under the description column
  for (const auto& e : entries) {
    const std::string text = std::visit(describe, e.source);
    const auto lines = split(text, '\n');
    context.out << fmt::format("{} {:5} {:<15} {:<4} {}\n", e.date.iso(), e.time, e.kind, e.ref,
                               lines.empty() ? "" : lines.front());
    for (size_t i = 1; i < lines.size(); ++i) {
      context.out << (lines[i].empty() ? "" : indent + lines[i]) << '\n';
    }
  }
  return 0;
}

}  // namespace

void add_timeline(CLI::App& app, Context& context) {
  auto o = std::make_shared<TimelineOptions>();
  auto* cmd = app.add_subcommand("timeline", "everything that happened to the case, in date order, one line each");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--format", o->format, "text, json, csv or tsv (json, csv and tsv hold every note whole)")
      ->check(CLI::IsMember({"text", "json", "csv", "tsv"}));
  cmd->add_flag("--full", o->full, "print every note whole, continuation lines indented (text format)");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_timeline(context, *o); }; });
}

}  // namespace casectl::cli
