#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>

#include "casectl/services/cases.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json.hpp"
#include "cli/repository.hpp"

namespace casectl::cli {
namespace {

struct CheckOptions {
  std::string format = "text";
  bool full = false;
};

int run_check(Context& context, const CheckOptions& o) {
  const std::string& format = o.format;
  const auto problems = repository::check(context.root(), !context.options.no_cache, o.full, context.progress());
  context.end_progress();
  if (format == "json") {
    Json array = Json::array();
    for (const auto& d : problems) {
      array.push(Json::object()
                     .set("path", Json::string(d.path))
                     .set("line", d.line > 0 ? Json::number(d.line) : Json())
                     .set("column", d.column > 0 ? Json::number(d.column) : Json())
                     .set("severity", Json::string(d.warning ? "warning" : "error"))
                     .set("message", Json::string(d.message)));
    }
    context.out << array.dump();
  } else {
    for (const auto& d : problems) {
      context.out << d.to_string() << '\n';
    }
  }
  const auto errors = std::count_if(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; });
  if (format != "json") {
    context.note(errors == 0 ? "no problems found" : std::to_string(errors) + " problem(s) found");
  }
  return errors == 0 ? exit_code::ok : exit_code::findings;
}

}  // namespace

void add_check(CLI::App& app, Context& context) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "validate every file; each problem as path:line:col: error: message; "
                                          "exit 1 when any is found");
  cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--full", o->full,
                "read every case folder again, even those in which no file changed since the last check");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_check(context, *o); }; });
}

}  // namespace casectl::cli
