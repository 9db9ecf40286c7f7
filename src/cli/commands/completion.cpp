#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/commands.hpp"

// The scripts know nothing of casectl's commands: for every word they ask casectl itself (`casectl __complete
// WORD…`, see cli/complete.hpp), which answers from its own parser and from the repository named on the line. So
// a script never goes stale, and an installed one serves every later casectl.

namespace casectl::cli {
namespace {

constexpr const char* k_bash = R"sh(# bash completion for casectl
# Install: casectl completion bash > ~/.local/share/bash-completion/completions/casectl
# (or /etc/bash_completion.d/casectl). The candidates come from casectl itself: casectl __complete WORD...

# __casectl_dequote WORD: WORD as the command would get it, in REPLY: without the shell's quoting ('...', "...",
# backslashes), and a leading ~ or ~/ the home folder. Nothing in it is run or expanded otherwise.
__casectl_dequote() {
  local word=$1 out="" quote="" c i
  if [[ $word == \~ || $word == \~/* ]]; then
    out=$HOME
    word=${word:1}
  fi
  for ((i = 0; i < ${#word}; i++)); do
    c=${word:i:1}
    if [[ $quote == "'" ]]; then
      if [[ $c == "'" ]]; then quote=""; else out+=$c; fi
    elif [[ $c == \\ ]]; then
      i=$((i + 1))
      if [[ $quote == '"' && ${word:i:1} != [\"\\\$\`] ]]; then out+=\\; fi
      out+=${word:i:1}
    elif [[ $quote == '"' ]]; then
      if [[ $c == '"' ]]; then quote=""; else out+=$c; fi
    elif [[ $c == "'" || $c == '"' ]]; then
      quote=$c
    else
      out+=$c
    fi
  done
  REPLY=$out
}

_casectl() {
  local line=${COMP_LINE:0:COMP_POINT} rest word i
  local -a words=()
  # The words up to the cursor. Bash splits --type=phone and status:open at the = and the : (COMP_WORDBREAKS);
  # casectl wants them whole, so a word with no blank before it is joined to the one before.
  for ((i = 0; i <= COMP_CWORD; i++)); do
    rest=${line#"${line%%[![:blank:]]*}"}
    if ((i == COMP_CWORD)); then
      word=$rest  # only what is left of the cursor
    else
      word=${COMP_WORDS[i]}
    fi
    if ((i > 1)) && [[ ${#rest} -eq ${#line} ]]; then
      words[-1]+=$word
    else
      words+=("$word")
    fi
    line=${rest:${#word}}
  done
  local -a args=()
  for word in "${words[@]:1}"; do
    __casectl_dequote "$word"
    args+=("$REPLY")
  done
  local current=${args[-1]} typed=${COMP_WORDS[COMP_CWORD]:0:${#rest}}
  # After --type= or status: bash's word is the = or the :, but what it replaces is what follows it: nothing yet.
  [[ $typed =~ ^[=:]+$ ]] && typed=""
  __casectl_dequote "$typed"
  local text=$REPLY
  # What of the word casectl completes lies before the text bash replaces (--type= of --type=ph).
  local before=$((${#current} - ${#text}))
  ((before < 0)) && before=0
  __casectl_dequote "${COMP_WORDS[0]}"
  local casectl=$REPLY
  local out
  out=$("$casectl" __complete "${args[@]}" 2>/dev/null) || return 0
  COMPREPLY=()
  local -a lines=()
  [[ -n $out ]] && mapfile -t lines <<<"$out"
  case ${lines[0]-} in
    :files | :dirs)
      # compgen expands a leading ~ itself, and keeps it in what it gives.
      if [[ $typed == \~* ]]; then
        __casectl_dequote "${typed:1}"
        text="~$REPLY"
      fi
      compopt -o filenames 2>/dev/null
      if [[ ${lines[0]} == :dirs ]]; then
        mapfile -t COMPREPLY < <(compgen -d -- "$text")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$text")
      fi
      return 0
      ;;
  esac
  local value matched=0
  for word in "${lines[@]}"; do
    value=${word%%$'\t'*}  # bash shows no descriptions
    [[ $value == "$current"* ]] && matched=1
    value=${value:before}
    if [[ $value == *[^A-Za-z0-9_.,:=@%+/-]* && $typed != [\"\']* ]]; then
      printf -v value '%q' "$value"
    fi
    COMPREPLY+=("$value")
  done
  # A part of a client's name gives case IDs that do not begin with it: keep the word on the line (bash would
  # otherwise replace it by what the IDs have in common) and list them.
  if ((${#COMPREPLY[@]} > 1 && !matched)); then
    COMPREPLY+=("$typed")
  fi
  if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[=:] ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}
complete -F _casectl casectl
)sh";

constexpr const char* k_zsh = R"sh(#compdef casectl
# zsh completion for casectl
# Install: casectl completion zsh > "${fpath[1]}/_casectl" (a folder of $fpath), then restart zsh.
# The candidates come from casectl itself: casectl __complete WORD... (VALUE, or VALUE<TAB>DESCRIPTION).

_casectl() {
  local out entry value
  local -a args lines spaced unspaced
  # The command and the words before the cursor, unquoted and with a leading ~ the home folder, as the command would
  # get them; the last the one being completed.
  args=("${(@Q)words[1,CURRENT-1]}" "${(Q)PREFIX}")
  local i
  for (( i = 1; i <= $#args; i++ )); do
    [[ $args[i] == '~' || $args[i] == '~/'* ]] && args[i]=$HOME${args[i]#'~'}
  done
  local casectl=$args[1]
  shift args
  out=$("$casectl" __complete "${args[@]}" 2>/dev/null) || return 1
  lines=("${(@f)out}")
  case $lines[1] in
    (:files) _files; return ;;
    (:dirs) _files -/; return ;;
  esac
  local matched=0
  for entry in $lines; do
    [[ -z $entry ]] && continue
    value=${entry%%$'\t'*}
    [[ $value == "${(Q)PREFIX}"* ]] && matched=1
    # _describe takes VALUE:DESCRIPTION, a colon of the value escaped.
    if [[ $entry == *$'\t'* ]]; then
      entry="${value//:/\\:}:${entry#*$'\t'}"
    else
      entry=${value//:/\\:}
    fi
    if [[ $value == *[=:] ]]; then
      unspaced+=("$entry")
    else
      spaced+=("$entry")
    fi
  done
  # A part of a client's name gives case IDs that do not begin with it: offer them all the same (-U).
  local -a any=()
  (( matched )) || any=(-U)
  local ret=1
  (( $#spaced )) && _describe -t casectl-values 'casectl' spaced "${any[@]}" && ret=0
  (( $#unspaced )) && _describe -t casectl-values 'casectl' unspaced -S '' "${any[@]}" && ret=0
  return $ret
}

if [[ $funcstack[1] == _casectl ]]; then
  _casectl "$@"  # autoloaded from $fpath
else
  compdef _casectl casectl  # sourced
fi
)sh";

constexpr const char* k_fish = R"sh(# fish completion for casectl
# Install: casectl completion fish > ~/.config/fish/completions/casectl.fish
# The candidates come from casectl itself: casectl __complete WORD... (VALUE, or VALUE<TAB>DESCRIPTION).

function __casectl_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l current_word (string unescape -- $current; or printf '%s\n' $current)
    # A leading ~ is the home folder, as the command would get it.
    set tokens (string replace -r -- '^~(?=/|$)' $HOME $tokens)
    set -l lines ($tokens[1] __complete $tokens[2..-1] "$current_word" 2>/dev/null)
    switch "$lines[1]"
        case :files
            __fish_complete_path $current_word
        case :dirs
            __fish_complete_directories $current_word ''
        case '*'
            string join \n -- $lines
    end
end

complete -c casectl -f -a '(__casectl_complete)'
)sh";

}  // namespace

void add_completion(CLI::App& app, Context& context) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "print a shell completion script for bash, zsh or fish");
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([&context, shell] {
    context.action = [&context, shell] {
      context.out << (*shell == "bash" ? k_bash : *shell == "zsh" ? k_zsh : k_fish);
      return 0;
    };
  });
}

}  // namespace casectl::cli
