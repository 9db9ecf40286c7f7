#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <ostream>
#include <sstream>

#include "casectl/services/cases.hpp"
#include "casectl/services/files.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/private_copy.hpp"
#include "cli/terminal.hpp"

namespace casectl::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_marker = "# casectl: ";

struct EditOptions {
  std::string case_ref;
  std::string file;
};

/// Drops the lines casectl put at the top to explain what was wrong.
std::string strip_markers(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string out;
  bool top = true;
  while (std::getline(in, line)) {
    if (top && line.rfind(k_marker, 0) == 0) {
      continue;
    }
    top = false;
    out += line + '\n';
  }
  if (!text.empty() && text.back() != '\n' && !out.empty()) {
    out.pop_back();
  }
  return out;
}

std::string with_problems(const std::string& text, const std::vector<Diagnostic>& problems) {
  std::string out = std::string(k_marker) + "not saved: fix the problems below, save and quit (an unchanged file "
                                            "gives up; these lines are removed)\n";
  for (const auto& d : problems) {
    out += fmt::format("{}line {}: {}{}\n", k_marker, d.line, d.warning ? "warning: " : "", d.message);
  }
  return out + text;
}

int run_edit(Context& context, const EditOptions& o) {
  const std::string id = case_argument(context, o.case_ref);
  services::Session& session = context.session();
  const auto target = services::begin_edit(session, id, o.file);
  PrivateCopy copy(fs::path(target.relative_path).filename());
  std::string shown = target.text;
  copy.write(shown);
  constexpr int k_max_rounds = 10;  // an editor that never produces a valid file must not loop forever
  for (int round = 0; round < k_max_rounds; ++round) {
    if (const int status = run_editor(copy.path()); status != 0) {
      context.err << fmt::format("casectl: error: the editor exited with status {}; nothing written\n", status);
      return exit_code::cannot_create;
    }
    const std::string edited = copy.read();
    if (edited == shown) {
      if (round == 0) {
        context.note("no changes; nothing written");
        return exit_code::ok;
      }
      context.err << "casectl: error: " << target.relative_path << " still has problems; nothing written\n";
      return exit_code::data;
    }
    const std::string text = strip_markers(edited);
    const auto problems = services::validate_edit(session, target, text);
    const bool has_errors =
        std::any_of(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; });
    if (!has_errors) {
      if (text == target.text) {
        context.note("no changes; nothing written");
        return exit_code::ok;
      }
      services::finish_edit(session, target, text);
      context.note("saved " + target.relative_path);
      return exit_code::ok;
    }
    for (const auto& d : problems) {
      context.err << d.to_string() << '\n';
    }
    shown = with_problems(text, problems);
    copy.write(shown);
  }
  context.err << fmt::format("casectl: error: {} is still not valid after {} rounds; nothing written\n",
                             target.relative_path, k_max_rounds);
  return exit_code::data;
}

}  // namespace

void add_edit(CLI::App& app, Context& context) {
  auto o = std::make_shared<EditOptions>();
  auto* cmd = app.add_subcommand(
      "edit", "edit the face sheet (case.yaml) or plan (plan.yaml) in $VISUAL/$EDITOR; saved only when valid");
  cmd->add_option("case", o->case_ref, "case ID, ID prefix, or part of the client's name")->required();
  cmd->add_option("file", o->file, "case.yaml (default) or plan.yaml");
  cmd->callback([&context, o] { context.action = [&context, o] { return run_edit(context, *o); }; });
}

}  // namespace casectl::cli
