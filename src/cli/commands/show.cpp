#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <ostream>
#include <tuple>

#include "casectl/model/error.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"
#include "cli/render.hpp"

namespace casectl::cli {
namespace {

struct ShowOptions {
  std::string case_ref;
  std::string format = "text";
};

/// The latest assessment with each instrument.
std::map<std::string, const Assessment*> latest_assessments(const CaseFile& file) {
  std::map<std::string, const Assessment*> latest;
  for (const auto& a : file.assessments) {
    latest[a.instrument] = &a;  // oldest first, so the last one stays
  }
  return latest;
}

/// At most `limit` characters (not bytes) of the first line of `text`, cut on a character boundary.
std::string first_line(const std::string& text, size_t limit = 60) {
  const std::string line = text.substr(0, text.find('\n'));
  size_t characters = 0;
  size_t cut = std::string::npos;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0u) != 0x80u) {
      if (characters == limit - 3) {
        cut = i;
      }
      ++characters;
    }
  }
  return characters > limit ? line.substr(0, cut) + "..." : line;
}

/// The last `count` contact notes (of any kind), newest first.
std::vector<const Contact*> latest_notes(const CaseFile& file, size_t count = 3) {
  std::vector<const Contact*> notes;
  for (const auto& c : file.contacts) {
    notes.push_back(&c);
  }
  std::stable_sort(notes.begin(), notes.end(), [](const Contact* a, const Contact* b) { return a->at > b->at; });
  if (notes.size() > count) {
    notes.resize(count);
  }
  return notes;
}

/// A note as written, without the line break that ends its last line.
std::string whole(std::string text) {
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

std::string note_type(const Contact& c) { return c.kind() == ContactKind::addendum ? "addendum" : c.type; }

/// What an assessment came to. An instrument scored by domains stores no total: its total is the sum of its
/// domain scores, with the instrument's band for it when the instrument defines bands.
struct ScoreSummary {
  std::optional<int> total;
  std::string band;
  int domains = 0;  ///< how many domains were added up (0 for an instrument with a stored total)
};

ScoreSummary summarize(const services::Session& session, const Assessment& a) {
  if (a.total) {
    return {a.total, a.band, 0};
  }
  ScoreSummary s;
  int sum = 0;
  for (const auto& [item, score] : a.scores) {
    if (score.value) {
      sum += *score.value;
      ++s.domains;
    }
  }
  if (s.domains == 0) {
    return {std::nullopt, a.band, 0};
  }
  s.total = sum;
  s.band = a.band;
  if (s.band.empty()) {
    try {
      s.band = services::load_instrument(session, a.instrument).band_for(sum);
    } catch (const Error&) {
      // An instrument that can no longer be read: the total alone.
    }
  }
  return s;
}

/// The date of a referral's status: that of its latest answer, else the referral's own date.
Date status_date(const CaseFile& file, const Referral& r) {
  const ReferralUpdate* latest = nullptr;
  for (const auto& u : file.referral_updates) {
    if (u.referral == r.id && (!latest || !RecordOrder{}(u, *latest))) {
      latest = &u;
    }
  }
  return latest ? latest->date : r.date;
}

bool goal_overdue(const Goal& goal, Date today) {
  return goal.status == GoalStatus::active && goal.target && *goal.target < today;
}

Json person_json(const Person& p) {
  return Json::object()
      .set("name", Json::string(p.name))
      .set("relation", Json::optional_string(p.relation))
      .set("role", Json::optional_string(p.role))
      .set("organization", Json::optional_string(p.organization))
      .set("phone", Json::optional_string(p.phone))
      .set("dob", Json::optional_string(optional_date(p.dob)));
}

/// "Ana Example (daughter, born 2012-03-04)": a person and what is known of them, on one line.
std::string person_text(const Person& p) {
  std::vector<std::string> about;
  for (const auto* part : {&p.relation, &p.role, &p.organization, &p.phone}) {
    if (!part->empty()) {
      about.push_back(*part);
    }
  }
  if (p.dob) {
    about.push_back("born " + p.dob->iso());
  }
  return about.empty() ? p.name : p.name + " (" + join(about, ", ") + ")";
}

std::optional<Date> next_review(const std::vector<DueItem>& due) {
  for (const auto& item : due) {
    if (item.kind == "review") {
      return item.due;
    }
  }
  return std::nullopt;
}

Json show_json(const services::Session& session, const services::CaseOverview& overview) {
  const CaseFile& file = overview.file;
  const Case& c = file.face;
  Json plan = Json::array();
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      plan.push(goal_json(goal).set("overdue", Json::boolean(goal_overdue(goal, session.today))));
    }
  }
  Json consents = Json::array();
  for (const auto& consent : c.consents) {
    consents.push(Json::object()
                      .set("party", Json::string(consent.party))
                      .set("purpose", Json::optional_string(consent.purpose))
                      .set("signed", Json::optional_string(optional_date(consent.signed_on)))
                      .set("expires", Json::optional_string(optional_date(consent.expires)))
                      .set("revoked", Json::optional_string(optional_date(consent.revoked))));
  }
  Json flags = Json::array();
  for (const auto& flag : c.flags) {
    flags.push(Json::object()
                   .set("flag", Json::string(flag.flag))
                   .set("since", Json::optional_string(optional_date(flag.since)))
                   .set("urgent", Json::boolean(flag.urgent)));
  }
  Json referrals = Json::array();
  for (const auto& r : file.referrals) {
    referrals.push(referral_json(file, r).set("status_date", Json::string(status_date(file, r).iso())));
  }
  Json scores = Json::array();
  for (const auto& [instrument, a] : latest_assessments(file)) {
    const ScoreSummary s = summarize(session, *a);
    scores.push(Json::object()
                    .set("instrument", Json::string(instrument))
                    .set("date", Json::string(a->date.iso()))
                    .set("total", s.total ? Json::number(*s.total) : Json())
                    .set("band", Json::optional_string(s.band))
                    .set("domains", s.domains ? Json::number(s.domains) : Json()));
  }
  Json notes = Json::array();
  for (const Contact* n : latest_notes(file)) {
    notes.push(Json::object()
                   .set("id", Json::string(n->id))
                   .set("date", Json::string(n->at.date.iso()))
                   .set("time", Json::string(fmt::format("{:02}:{:02}", n->at.minutes / 60, n->at.minutes % 60)))
                   .set("type", Json::optional_string(note_type(*n)))
                   .set("note", Json::string(whole(n->note))));
  }
  Json household = Json::array();
  for (const auto& p : c.household) {
    household.push(person_json(p));
  }
  Json care_team = Json::array();
  for (const auto& p : c.care_team) {
    care_team.push(person_json(p));
  }
  Json due = Json::array();
  for (const auto& item : overview.due) {
    due.push(Json::object()
                 .set("kind", Json::string(item.kind))
                 .set("due", Json::string(item.due.iso()))
                 .set("days_overdue", Json::number(item.days_overdue))
                 .set("reason", Json::string(item.reason)));
  }
  const Contact* last_contact = file.last_contact_made();
  const Review* last_review = file.last_review();
  return case_json(c)
      .set("flags", std::move(flags))
      .set("plan", std::move(plan))
      .set("consents", std::move(consents))
      .set("last_contact", last_contact ? Json::string(last_contact->at.date.iso()) : Json())
      .set("last_review", last_review ? Json::string(last_review->date.iso()) : Json())
      .set("next_review", Json::optional_string(optional_date(next_review(overview.due))))
      .set("referrals", std::move(referrals))
      .set("latest_scores", std::move(scores))
      .set("due", std::move(due))
      .set("household", std::move(household))
      .set("care_team", std::move(care_team))
      .set("latest_notes", std::move(notes));
}

void show_text(std::ostream& out, const services::Session& session, const services::CaseOverview& overview,
               bool color) {
  const CaseFile& file = overview.file;
  const Case& c = file.face;
  auto bold = [&](const std::string& s) { return color ? std::string(ansi::bold) + s + ansi::reset : s; };
  auto red = [&](const std::string& s) { return color ? std::string(ansi::red) + s + ansi::reset : s; };
  out << bold(c.client.name) << "  " << c.id << "  " << (c.is_open() ? "open" : "CLOSED") << '\n';
  std::vector<std::string> line;
  auto add = [&](const char* label, const std::string& value) {
    if (!value.empty()) {
      line.push_back(fmt::format("{} {}", label, value));
    }
  };
  add("Program", c.program);
  add("Worker", c.worker);
  add("Risk", c.risk);
  add("Opened", c.opened.iso());
  if (c.closed) {
    add("Closed", c.closed->iso() + (c.closure_reason.empty() ? "" : " (" + c.closure_reason + ")"));
  }
  out << "  " << join(line, " · ") << '\n';
  line.clear();
  add("Born", optional_date(c.client.dob));
  add("Phone", c.client.phone);
  add("Email", c.client.email);
  add("Language", c.client.language);
  add("Member ID", c.client.member_id);
  if (!line.empty()) {
    out << "  " << join(line, " · ") << '\n';
  }
  if (!c.client.address.empty()) {
    out << "  Address " << c.client.address << '\n';
  }
  auto people = [&](const char* label, const std::vector<Person>& list) {
    std::vector<std::string> names;
    for (const auto& p : list) {
      names.push_back(person_text(p));
    }
    if (!names.empty()) {
      out << "  " << label << ": " << join(names, "; ") << '\n';
    }
  };
  people("Household", c.household);
  people("Care team", c.care_team);
  for (const auto& flag : c.flags) {
    const std::string text = fmt::format("  ! {}{}", flag.flag, flag.since ? " (since " + flag.since->iso() + ")" : "");
    out << (flag.urgent ? red(text + " URGENT") : text) << '\n';
  }
  if (!c.tags.empty()) {
    out << "  Tags: " << join(c.tags, ", ") << '\n';
  }

  out << '\n' << bold("Plan") << '\n';
  int active = 0;
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      if (goal.status != GoalStatus::active) {
        continue;
      }
      ++active;
      const std::string text =
          fmt::format("  {} {}{}{}", goal.id, goal.goal, goal.domain.empty() ? "" : " [" + goal.domain + "]",
                      goal.target ? " — target " + goal.target->iso() : "");
      out << (goal_overdue(goal, session.today) ? red(text + " OVERDUE") : text) << '\n';
    }
  }
  if (active == 0) {
    out << "  no active goals\n";
  }

  out << '\n';
  if (const Contact* last = file.last_contact_made()) {
    out << fmt::format("Last contact: {} {}{}\n", last->at.date.iso(), last->type,
                       last->minutes ? fmt::format(" ({} min)", *last->minutes) : "");
  } else {
    out << "Last contact: none\n";
  }
  const Review* last_review = file.last_review();
  const auto next = next_review(overview.due);
  out << fmt::format("Reviews: last {}; next {}\n",
                     last_review ? last_review->date.iso() + " (" + to_string(last_review->outcome) + ")" : "none",
                     next ? next->iso() : "none scheduled");
  for (const auto& r : file.referrals) {
    const ReferralStatus status = file.referral_status(r.id);
    if (status == ReferralStatus::sent || status == ReferralStatus::accepted || status == ReferralStatus::no_response) {
      out << fmt::format("Referral {}: {}{} — {} since {}{}\n", r.id, r.to, r.service.empty() ? "" : " (" + r.service + ")",
                         to_string(status), status_date(file, r).iso(),
                         r.follow_up ? ", follow up " + r.follow_up->iso() : "");
    }
  }
  for (const auto& consent : c.consents) {
    std::string state = consent.revoked ? "revoked " + consent.revoked->iso()
                        : consent.expires ? "expires " + consent.expires->iso()
                                          : "no expiry";
    out << fmt::format("Consent: {}{} — {}\n", consent.party,
                       consent.purpose.empty() ? "" : " (" + consent.purpose + ")", state);
  }
  for (const auto& [instrument, a] : latest_assessments(file)) {
    const ScoreSummary s = summarize(session, *a);
    out << fmt::format("Score: {} {}{}{} on {}\n", instrument, s.total ? std::to_string(*s.total) : "-",
                       s.domains ? fmt::format(" (total of {} domains)", s.domains) : "",
                       s.band.empty() ? "" : " (" + s.band + ")", a->date.iso());
  }
  const auto notes = latest_notes(file);
  if (!notes.empty()) {
    out << '\n' << bold("Latest notes") << '\n';
    for (const Contact* n : notes) {
      out << fmt::format("  {} {:<10} {:<4} {}\n", n->at.date.iso(), note_type(*n), n->id, first_line(n->note));
    }
  }
  if (!overview.due.empty()) {
    out << '\n' << bold("Due") << '\n';
    for (const auto& item : overview.due) {
      std::string text = fmt::format("  {:<10} {}  {}", item.kind, item.due.iso(), due_phrase(item));
      out << (item.overdue() ? red(text) : text) << '\n';
    }
  }
}

int run_show(Context& context, const ShowOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  const auto overview = services::load_overview(context.session(), id);
  if (o.format == "json") {
    context.out << show_json(context.session(), overview).dump();
  } else {
    show_text(context.out, context.session(), overview, context.color_out());
  }
  return 0;
}

}  // namespace

void add_show(CLI::App& app, Context& context) {
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "show a case on one screen: client, status, flags, goals, contacts, "
                                         "reviews, referrals, consents, scores, what is due");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&context, o] { context.action = [&context, o] { return run_show(context, *o); }; });
}

}  // namespace casectl::cli
