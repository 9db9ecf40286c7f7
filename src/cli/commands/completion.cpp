#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "casectl/model/text.hpp"
#include "cli/commands.hpp"

namespace casectl::cli {
namespace {

/// The long and short option names of a command, as typed.
std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* option : cmd.get_options()) {
    for (const auto& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
    for (const auto& name : option->get_snames()) {
      names.push_back("-" + name);
    }
  }
  return names;
}

std::string bash_script(const CLI::App& app) {
  std::string cases;
  for (const CLI::App* sub : app.get_subcommands({})) {
    std::vector<std::string> words = option_names(*sub);
    for (const CLI::App* nested : sub->get_subcommands({})) {
      words.push_back(nested->get_name());
    }
    cases += fmt::format("    {}) words=\"{}\" ;;\n", sub->get_name(), join(words, " "));
  }
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) {
    commands.push_back(sub->get_name());
  }
  return fmt::format(R"sh(# bash completion for casectl; install: casectl completion bash > /etc/bash_completion.d/casectl
_casectl() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} command="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in -*) ;; *) command=${{COMP_WORDS[i]}}; break ;; esac
  done
  if [ -z "$command" ]; then
    COMPREPLY=($(compgen -W "{} {}" -- "$cur"))
    return
  fi
  case $command in
{}  esac
  if [[ $cur != -* ]] && [[ " show timeline assess plan log refer referral review consent transfer close reopen set edit " == *" $command "* ]]; then
    words="$words $(casectl list status:all --format id 2>/dev/null)"
  fi
  COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
}}
complete -F _casectl casectl
)sh",
                     join(commands, " "), join(option_names(app), " "), cases);
}

std::string zsh_script(const CLI::App& app) {
  std::string lines;
  for (const CLI::App* sub : app.get_subcommands({})) {
    std::string help = sub->get_description();
    help = help.substr(0, help.find(';'));
    std::string escaped;
    for (char c : help) {
      if (c == '\'' || c == ':') {
        escaped += c == '\'' ? "'\\''" : "\\:";
      } else {
        escaped += c;
      }
    }
    lines += fmt::format("    '{}:{}'\n", sub->get_name(), escaped);
  }
  return fmt::format(R"sh(#compdef casectl
# zsh completion for casectl; install: casectl completion zsh > "${{fpath[1]}}/_casectl"
_casectl() {{
  local -a commands
  commands=(
{}  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
  else
    compadd -- $(casectl list status:all --format id 2>/dev/null)
  fi
}}
_casectl "$@"
)sh",
                     lines);
}

std::string fish_script(const CLI::App& app) {
  std::string out = "# fish completion for casectl; install: casectl completion fish > "
                    "~/.config/fish/completions/casectl.fish\n";
  for (const CLI::App* sub : app.get_subcommands({})) {
    std::string help = sub->get_description();
    help = help.substr(0, help.find(';'));
    std::string escaped;
    for (char c : help) {
      escaped += c == '\'' ? std::string("\\'") : std::string(1, c);
    }
    out += fmt::format("complete -c casectl -n __fish_use_subcommand -f -a {} -d '{}'\n", sub->get_name(), escaped);
    for (const CLI::Option* option : sub->get_options()) {
      for (const auto& name : option->get_lnames()) {
        out += fmt::format("complete -c casectl -n '__fish_seen_subcommand_from {}' -l {}\n", sub->get_name(), name);
      }
    }
  }
  out += "complete -c casectl -n 'not __fish_use_subcommand' -f -a '(casectl list status:all --format id 2>/dev/null)'\n";
  return out;
}

}  // namespace

void add_completion(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "print a shell completion script for bash, zsh or fish");
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([&context, shell, &app] {
    context.action = [&context, shell, &app] {
      context.out << (*shell == "bash" ? bash_script(app) : *shell == "zsh" ? zsh_script(app) : fish_script(app));
      return 0;
    };
  });
}

}  // namespace casectl::cli
