#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/process.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

struct ReferOptions {
  std::string case_ref;
  std::string to;
  std::string service;
  std::string reason;
  std::string follow_up;
  std::string date;
  std::string without_consent;
  // referral
  std::string referral;
  std::string status;
  std::string message;
};

int run_refer(Context& context, const ReferOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::ReferralRequest request{o.to,
                                    o.service,
                                    o.reason,
                                    date_option(context, o.follow_up, "--follow-up"),
                                    date_option(context, o.date, "--date"),
                                    o.without_consent};
  const std::string referral_id = services::refer(context.session(), id, request);
  if (!o.without_consent.empty()) {
    context.note("warning: referred without a current consent; the reason is recorded on the referral");
  }
  context.out << referral_id << '\n';
  return 0;
}

int run_referral(Context& context, const ReferOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  const auto status = parse_referral_status(o.status);
  const std::string referral = services::update_referral(context.session(), id, o.referral, *status, o.message,
                                                         date_option(context, o.follow_up, "--follow-up"));
  context.note(fmt::format("referral {} of {} is now {}", referral, id, o.status));
  return 0;
}

}  // namespace

void add_refer(CLI::App& app, Context& context) {
  auto o = std::make_shared<ReferOptions>();
  auto* cmd = app.add_subcommand("refer", "refer the client to a provider (needs a current consent for that "
                                          "party); prints the referral's ID");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("--to", o->to, "the provider")->required();
  cmd->add_option("--service", o->service, "the service asked for");
  cmd->add_option("--reason", o->reason, "why");
  cmd->add_option("--follow-up", o->follow_up,
                  "date by which an answer is expected, when it becomes due (default: the agency's referral "
                  "follow-up in casectl.yaml)");
  cmd->add_option("--date", o->date, "date of the referral (default: today)");
  cmd->add_option("--without-consent", o->without_consent,
                  "refer although no current consent covers the party; the REASON is recorded");
  add_author_option(*cmd, context);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_refer(context, *o); }; });
}

void add_referral(CLI::App& app, Context& context) {
  auto o = std::make_shared<ReferOptions>();
  auto* cmd = app.add_subcommand("referral", "record a referral's answer or outcome: accepted, declined or "
                                             "completed close the loop; no-response keeps it due");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("ref", o->referral, "the referral's ID (or a unique prefix)")->required();
  cmd->add_option("--status", o->status, "sent, accepted, declined, completed or no-response")
      ->required()
      ->check(CLI::IsMember(referral_status_names()));
  cmd->add_option("-m,--message", o->message, "a note");
  cmd->add_option("--follow-up", o->follow_up, "a new date by which an answer is expected (e.g. after no-response)");
  add_author_option(*cmd, context);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_referral(context, *o); }; });
}

}  // namespace casectl::cli
