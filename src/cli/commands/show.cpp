#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <map>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
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

std::optional<Date> next_review(const std::vector<DueItem>& due) {
  for (const auto& item : due) {
    if (item.kind == "review") {
      return item.due;
    }
  }
  return std::nullopt;
}

Json show_json(const services::CaseOverview& overview) {
  const CaseFile& file = overview.file;
  const Case& c = file.face;
  Json plan = Json::array();
  if (file.plan) {
    for (const auto& goal : file.plan->goals) {
      plan.push(goal_json(goal));
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
    referrals.push(referral_json(file, r));
  }
  Json scores = Json::array();
  for (const auto& [instrument, a] : latest_assessments(file)) {
    scores.push(Json::object()
                    .set("instrument", Json::string(instrument))
                    .set("date", Json::string(a->date.iso()))
                    .set("total", a->total ? Json::number(*a->total) : Json())
                    .set("band", Json::optional_string(a->band)));
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
      .set("due", std::move(due));
}

void show_text(std::ostream& out, const services::CaseOverview& overview, bool color) {
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
  if (!line.empty()) {
    out << "  " << join(line, " · ") << '\n';
  }
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
      out << fmt::format("  {} {}{}{}\n", goal.id, goal.goal, goal.domain.empty() ? "" : " [" + goal.domain + "]",
                         goal.target ? " — target " + goal.target->iso() : "");
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
    if (status == ReferralStatus::sent || status == ReferralStatus::accepted) {
      out << fmt::format("Referral {}: {}{} — {} since {}{}\n", r.id, r.to, r.service.empty() ? "" : " (" + r.service + ")",
                         to_string(status), r.date.iso(),
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
    out << fmt::format("Score: {} {}{} on {}\n", instrument, a->total ? std::to_string(*a->total) : "-",
                       a->band.empty() ? "" : " (" + a->band + ")", a->date.iso());
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
    context.out << show_json(overview).dump();
  } else {
    show_text(context.out, overview, context.color_out());
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
