#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"

namespace casectl::cli {
namespace {

std::string first_line(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  return line.size() > 80 ? line.substr(0, 77) + "..." : line;
}

/// One event in words.
struct Describe {
  std::string operator()(const CaseEvent& e) const {
    if (e.event == "transferred") {
      return fmt::format("transferred from {} to {}", e.from, e.to);
    }
    if (e.event == "flag" || e.event == "urgent-flag") {
      return fmt::format("{} {} raised", e.event == "flag" ? "flag" : "urgent flag", e.note);
    }
    if (e.event == "flag-cleared") {
      return fmt::format("flag {} cleared: {}", e.note, first_line(e.reason));
    }
    if (e.event == "closed") {
      return fmt::format("closed: {}{}", e.reason, e.note.empty() ? "" : " — " + first_line(e.note));
    }
    return e.note.empty() ? e.event : e.event + " " + first_line(e.note);
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
    if (c.kind() == ContactKind::addendum) {
      return fmt::format("addendum to note {}: {}", c.amends, first_line(c.note));
    }
    return fmt::format("{}{}{}: {}", c.is_attempt() ? "attempted contact" : c.type,
                       c.with.empty() ? "" : " with " + join(c.with, ", "),
                       c.minutes ? fmt::format(" ({} min)", *c.minutes) : "", first_line(c.note));
  }
  std::string operator()(const Assessment& a) const {
    return fmt::format("{}{}{}{}", a.instrument, a.total ? " total " + std::to_string(*a.total) : "",
                       a.band.empty() ? "" : " (" + a.band + ")", a.flags.empty() ? "" : " — " + join(a.flags, "; "));
  }
  std::string operator()(const Review& r) const {
    return "review: " + to_string(r.outcome) + (r.note.empty() ? "" : " — " + first_line(r.note));
  }
  std::string operator()(const Referral& r) const {
    return fmt::format("referred to {}{}{}", r.to, r.service.empty() ? "" : " for " + r.service,
                       r.without_consent.empty() ? "" : " (without consent: recorded reason)");
  }
  std::string operator()(const ReferralUpdate& u) const {
    return fmt::format("referral {} {}{}", u.referral, to_string(u.status), u.note.empty() ? "" : " — " + first_line(u.note));
  }
  std::string operator()(const services::GoalAdded& g) const { return "goal added: " + first_line(g.goal); }
  std::string operator()(const services::GoalProgress& g) const {
    const Progress& p = g.progress;
    return fmt::format("goal {}{}{}", g.goal_id, p.status ? " now " + to_string(*p.status) : "",
                       p.note.empty() ? "" : ": " + first_line(p.note));
  }
};

std::string describe(const services::TimelineEntry& e) { return std::visit(Describe{}, e.source); }

}  // namespace

void add_timeline(CLI::App& app, Context& context) {
  struct Options {
    std::string case_ref;
    std::string format = "text";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("timeline", "everything that happened to the case, in date order, one line each");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&context, o] {
    context.action = [&context, o] {
      const std::string id = case_argument(context, o->case_ref);
      const auto entries = services::timeline(context.session(), id);
      if (o->format == "json") {
        Json array = Json::array();
        for (const auto& e : entries) {
          array.push(Json::object()
                         .set("date", Json::string(e.date.iso()))
                         .set("time", Json::optional_string(e.time))
                         .set("kind", Json::string(e.kind))
                         .set("ref", Json::optional_string(e.ref))
                         .set("text", Json::string(describe(e))));
        }
        context.out << array.dump();
        return 0;
      }
      for (const auto& e : entries) {
        context.out << fmt::format("{} {:5} {:<15} {}\n", e.date.iso(), e.time, e.kind, describe(e));
      }
      return 0;
    };
  });
}

}  // namespace casectl::cli
