#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "casectl/services/analytics.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/exchange.hpp"
#include "casectl/services/reports.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json.hpp"
#include "cli/output.hpp"
#include "cli/render.hpp"

namespace casectl::cli {
namespace {

struct ExportOptions {
  std::vector<std::string> query;
  std::string format = "json";
  bool deidentify = false;
  std::string output;  ///< the database file of --format sqlite
  bool force = false;
};

Json deidentified_json(const services::DeidentifiedCase& d) {
  Json assessments = Json::array();
  for (const auto& a : d.assessments) {
    assessments.push(Json::object()
                         .set("instrument", Json::string(a.instrument))
                         .set("year", Json::number(a.year))
                         .set("total", a.total ? Json::number(*a.total) : Json())
                         .set("band", Json::optional_string(a.band))
                         .set("scores", scores_json(a.scores)));
  }
  Json goals = Json::array();
  for (const auto& g : d.goals) {
    goals.push(Json::object().set("domain", Json::optional_string(g.domain)).set("status", Json::string(g.status)));
  }
  Json referrals = Json::array();
  for (const auto& r : d.referrals) {
    referrals.push(Json::object().set("year", Json::number(r.year)).set("status", Json::string(r.status)));
  }
  return Json::object()
      .set("pseudonym", Json::string(d.pseudonym))
      .set("birth_year", d.birth_year.empty() ? Json() : Json::raw_number(d.birth_year))
      .set("age", Json::optional_string(d.age))
      .set("program", Json::optional_string(d.program))
      .set("worker", Json::optional_string(d.worker))
      .set("risk", Json::optional_string(d.risk))
      .set("status", Json::string(d.status))
      .set("opened_year", Json::number(d.opened_year))
      .set("closed_year", d.closed_year ? Json::number(*d.closed_year) : Json())
      .set("closure_reason", Json::optional_string(d.closure_reason))
      .set("contacts", Json::number(d.contacts))
      .set("attempts", Json::number(d.attempts))
      .set("minutes", Json::number(d.minutes))
      .set("reviews", Json::number(d.reviews))
      .set("assessments", std::move(assessments))
      .set("goals", std::move(goals))
      .set("referrals", std::move(referrals));
}

Json full_json(const CaseFile& file) {
  const Case& c = file.face;
  Json contacts = Json::array();
  for (const auto& k : file.contacts) {
    contacts.push(Json::object()
                      .set("id", Json::string(k.id))
                      .set("at", Json::string(k.at.iso()))
                      .set("type", Json::string(k.type))
                      .set("with", strings_json(k.with))
                      .set("minutes", k.minutes ? Json::number(*k.minutes) : Json())
                      .set("worker", Json::optional_string(k.worker))
                      .set("follow_up", Json::optional_string(optional_date(k.follow_up)))
                      .set("amends", Json::optional_string(k.amends))
                      .set("note", Json::string(k.note)));
  }
  Json assessments = Json::array();
  for (const auto& a : file.assessments) {
    assessments.push(Json::object()
                         .set("id", Json::string(a.id))
                         .set("date", Json::string(a.date.iso()))
                         .set("instrument", Json::string(a.instrument))
                         .set("total", a.total ? Json::number(*a.total) : Json())
                         .set("band", Json::optional_string(a.band))
                         .set("scores", scores_json(a.scores)));
  }
  Json reviews = Json::array();
  for (const auto& r : file.reviews) {
    reviews.push(Json::object()
                     .set("id", Json::string(r.id))
                     .set("date", Json::string(r.date.iso()))
                     .set("outcome", Json::string(to_string(r.outcome)))
                     .set("note", Json::optional_string(r.note)));
  }
  Json referrals = Json::array();
  for (const auto& r : file.referrals) {
    referrals.push(referral_json(file, r));
  }
  Json goals = Json::array();
  if (file.plan) {
    for (const auto& g : file.plan->goals) {
      goals.push(goal_json(g));
    }
  }
  return case_json(c)
      .set("plan", std::move(goals))
      .set("contacts", std::move(contacts))
      .set("assessments", std::move(assessments))
      .set("reviews", std::move(reviews))
      .set("referrals", std::move(referrals));
}

Listing full_listing(const std::vector<CaseFile>& files) {
  Listing listing;
  listing.columns = {"id",      "name",    "dob",    "phone",  "email",  "address", "language",
                     "member_id", "program", "worker", "risk", "status", "opened",  "closed",
                     "closure_reason", "referred_by", "tags", "contacts", "attempts", "minutes"};
  for (const auto& file : files) {
    const Case& c = file.face;
    long long contacts = 0, attempts = 0, minutes = 0;
    for (const auto& k : file.contacts) {  // contacts with the client, as the due rules and reports count them
      contacts += k.kind() == ContactKind::client ? 1 : 0;
      attempts += k.kind() == ContactKind::attempt ? 1 : 0;
      minutes += k.kind() == ContactKind::client ? k.minutes.value_or(0) : 0;
    }
    listing.rows.push_back({c.id, c.client.name, optional_date(c.client.dob), c.client.phone, c.client.email,
                            c.client.address, c.client.language, c.client.member_id, c.program, c.worker, c.risk,
                            to_string(c.status), c.opened.iso(), optional_date(c.closed), c.closure_reason,
                            c.referred_by, join(c.tags, ";"), Cell::of_number(contacts), Cell::of_number(attempts),
                            Cell::of_number(minutes)});
  }
  return listing;
}

const std::vector<std::string> k_deidentified_columns = {
    "pseudonym", "birth_year", "age",     "program", "worker",    "risk",          "status",
    "opened_year", "closed_year", "closure_reason", "contacts", "attempts", "minutes", "reviews",
    "assessments", "goals",     "goals_met", "referrals"};

std::vector<Cell> deidentified_row(const services::DeidentifiedCase& d) {
  const auto met = std::count_if(d.goals.begin(), d.goals.end(), [](const auto& g) { return g.status == "met"; });
  return {d.pseudonym, Cell::optional(d.birth_year), Cell::optional(d.age), d.program, d.worker,
          d.risk, d.status, Cell::of_number(d.opened_year),
          d.closed_year ? Cell::of_number(*d.closed_year) : Cell(), d.closure_reason,
          Cell::of_number(d.contacts), Cell::of_number(d.attempts), Cell::of_number(d.minutes),
          Cell::of_number(d.reviews), Cell::of_number(static_cast<long long>(d.assessments.size())),
          Cell::of_number(static_cast<long long>(d.goals.size())), Cell::of_number(met),
          Cell::of_number(static_cast<long long>(d.referrals.size()))};
}

/// The de-identified export, sorted by pseudonym so that the order does not follow the names. Each case becomes
/// its output row as soon as it is read: a whole agency's cases are never held at once.
int export_deidentified(Context& context, const std::vector<std::string>& terms, const std::string& format) {
  services::Session& session = context.session();
  const services::Deidentifier deidentify(session);
  Problems problems;
  std::vector<std::pair<std::string, Json>> objects;
  Listing listing;
  listing.columns = k_deidentified_columns;
  services::for_each_matching_case(
      session, terms, false,
      [&](const CaseFile& file) {
        const auto d = deidentify(file);
        if (format == "json") {
          objects.emplace_back(d.pseudonym, deidentified_json(d));
        } else {
          listing.rows.push_back(deidentified_row(d));
        }
      },
      problems);
  if (format == "json") {
    std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Json array = Json::array();
    for (auto& [pseudonym, object] : objects) {
      array.push(std::move(object));
    }
    context.out << array.dump();
  } else {
    std::sort(listing.rows.begin(), listing.rows.end(),
              [](const auto& a, const auto& b) { return *a[0].text < *b[0].text; });
    print_listing(context.out, listing, format, false);
  }
  return finish(context, problems, exit_code::ok);
}

/// The relational exports (casectl-sql(7)): a SQLite database file, or a script for PostgreSQL's psql.
int export_tables(Context& context, const std::vector<std::string>& terms, const ExportOptions& o) {
  Problems problems;
  if (o.format == "sqlite") {
    if (o.output.empty()) {
      throw Error(ErrorKind::usage, "--format sqlite writes a database file: give it with -o FILE");
    }
    services::export_sqlite(context.session(), terms, o.deidentify, o.output, o.force, problems);
  } else {
    if (!o.output.empty()) {
      throw Error(ErrorKind::usage, "--format postgres writes to standard output; -o is for --format sqlite");
    }
    services::write_postgres_script(context.session(), terms, o.deidentify,
                                    [&](const std::string& text) { context.out << text; }, problems);
  }
  return finish(context, problems, exit_code::ok);
}

int run_export(Context& context, const ExportOptions& o) {
  if (!o.output.empty() && o.format != "sqlite") {
    throw Error(ErrorKind::usage, "-o is for --format sqlite; other formats go to standard output");
  }
  services::Session& session = context.session();
  std::vector<std::string> terms = o.query;
  if (terms.empty()) {
    terms.emplace_back("status:all");
  }
  if (o.format == "sqlite" || o.format == "postgres") {
    return export_tables(context, terms, o);
  }
  if (o.deidentify) {
    return export_deidentified(context, terms, o.format);
  }
  Problems problems;
  const auto files = services::matching_cases(session, terms, problems);
  if (o.format == "json") {
    Json array = Json::array();
    for (const auto& file : files) {
      array.push(full_json(file));
    }
    context.out << array.dump();
  } else {
    print_listing(context.out, full_listing(files), o.format, false);
  }
  return finish(context, problems, exit_code::ok);
}

}  // namespace

void add_export(CLI::App& app, Context& context) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "export cases (all, or those a list QUERY selects) as json, csv, a "
                                           "SQLite database or a PostgreSQL script; "
                                           "--deidentify for funders and auditors (HIPAA Safe Harbor)");
  cmd->add_option("query", o->query, "list query terms (default: status:all)");
  cmd->add_option("--format", o->format,
                  "json, csv or tsv; sqlite (a database file, -o) or postgres (a psql script): see casectl-sql(7)")
      ->check(CLI::IsMember({"json", "csv", "tsv", "sqlite", "postgres"}));
  cmd->add_option("-o,--output", o->output, "the database file of --format sqlite (written whole, or not at all)");
  cmd->add_flag("--force", o->force, "replace the -o file when it exists");
  cmd->add_flag("--deidentify", o->deidentify,
                "no names, contact details, member IDs or free text; dates as years; ages over 89 as 90+; stable "
                "pseudonyms");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_export(context, *o); }; });
}

}  // namespace casectl::cli
