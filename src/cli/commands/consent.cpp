#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/process.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

struct ConsentOptions {
  std::string case_ref;
  std::string to;
  std::string purpose;
  std::string signed_on;
  std::string expires;
  std::string revoke;
};

int run_consent(Context& context, const ConsentOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  if (!o.revoke.empty()) {
    const int n = services::revoke_consent(context.session(), id, o.revoke);
    context.note(fmt::format("revoked {} consent{} of {}", n, n == 1 ? "" : "s", id));
    return 0;
  }
  if (o.to.empty() || o.purpose.empty()) {
    throw Error(ErrorKind::usage, "give --to PARTY and --purpose PURPOSE (or --revoke PARTY)");
  }
  services::ConsentRequest request{o.to, o.purpose, date_option(context, o.signed_on, "--signed"), {}, {}};
  // A term (1y, 6m, 90d) counts from the signing date; anything else is a date.
  if (auto term = Interval::parse(o.expires); term && !o.expires.empty() && o.expires[0] != '+' && o.expires[0] != '-') {
    request.expires_after = term;
  } else {
    request.expires = date_option(context, o.expires, "--expires");
  }
  services::add_consent(context.session(), id, request);
  context.note("recorded the consent on " + id);
  return 0;
}

}  // namespace

void add_consent(CLI::App& app, Context& context) {
  auto o = std::make_shared<ConsentOptions>();
  auto* cmd = app.add_subcommand("consent", "record the client's consent to share information with a party, or "
                                            "revoke it");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  auto* to = cmd->add_option("--to", o->to, "the party information may be shared with");
  cmd->add_option("--purpose", o->purpose, "what for");
  cmd->add_option("--signed", o->signed_on, "date signed (default: today)");
  cmd->add_option("--expires", o->expires,
                  "when it expires: a date, or a term from the signing date such as 1y or 6m (default: the "
                  "agency's consent term in casectl.yaml)");
  cmd->add_option("--revoke", o->revoke, "revoke every current consent to this party (today)")->excludes(to);
  cmd->callback([&context, o] { context.action = [&context, o] { return run_consent(context, *o); }; });
}

}  // namespace casectl::cli
