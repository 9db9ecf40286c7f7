#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/services/process.hpp"
#include "cli/commands.hpp"
#include "cli/json.hpp"

namespace casectl::cli {

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
                         .set("text", Json::string(e.text)));
        }
        context.out << array.dump();
        return 0;
      }
      for (const auto& e : entries) {
        context.out << fmt::format("{} {:5} {:<15} {}\n", e.date.iso(), e.time, e.kind, e.text);
      }
      return 0;
    };
  });
}

}  // namespace casectl::cli
