# Shell completion (issue 12): the scripts `casectl completion SHELL` prints, driven in the real bash, zsh and
# fish, each asking casectl (`casectl __complete WORD…`) for the commands, options, option values from
# casectl.yaml, case IDs (with the client's name beside them where the shell shows descriptions), goal and referral
# IDs of the case on the line, and files.
#
# bash: the script is sourced and its function called with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set as
# bash sets them (the words split at blanks and at = and :), and COMPREPLY read back.
# zsh: an interactive `zsh -f` on a pseudo-terminal (zsh/zpty) loads the script from $fpath through compinit, as an
# installed one is, and a TAB is typed; compadd is wrapped to print each match it adds with the line zsh displays
# for it ("c-… -- Rosa Martinez"), then the real compadd runs.
# fish: `complete -C LINE` prints what fish offers, each with its description after a tab.
# The shells are required: CI installs them (.ci/install-deps), and a missing one fails the test, never skips it.
# Sourced by run.sh, which provides CASECTL, run, ok, fail, expect_*, new_repo, intake, snapshot, $out, $err, $rc.
# shellcheck shell=bash disable=SC2154,SC2016

# setup: casectl on PATH as bin/casectl (the scripts call the casectl on the line), and a repository in ./repo, the
# working directory, with Rosa Martinez (open: two goals, a referral), Jules Juarez (open) and Omar Haddad (closed).
setup() {
  mkdir -p bin && ln -sf "$CASECTL" bin/casectl || return 1
  export PATH="$PWD/bin:$PATH"
  new_repo || return 1
  intake "Rosa Martinez" --program housing --worker alice || return 1
  rosa=$id
  intake "Jules Juarez" --program aging --worker bob || return 1
  jules=$id
  intake "Omar Haddad" --program housing || return 1
  omar=$id
  ok close "$omar" --reason moved -m "Moved out of the county"
  ok plan add "$rosa" "Find stable housing"
  goal1=$out
  ok plan add "$rosa" "Open a bank account"
  goal2=$out
  ok consent "$rosa" --to "Food Bank" --purpose "food assistance"
  ok refer "$rosa" --to "Food Bank" --service groceries
  ref=$out
}

need_shell() {
  command -v "$1" >/dev/null 2>&1 && return 0
  fail "$1 is not installed: the completion tests need bash, zsh and fish (apt-get install zsh fish; .ci/install-deps)"
  return 1
}

# bash_complete LINE: what bash's completion offers for LINE with the cursor at its end, one a line (COMPREPLY).
bash_complete() {
  local script
  script=$(mktemp)
  casectl completion bash >"$script"
  out=$(bash --norc --noprofile -c '
    source "$1" || exit 99
    line=$2
    COMP_WORDS=()
    # As bash splits a line for completion: at blanks, and a run of COMP_WORDBREAKS characters (= and :) is a word.
    re="^[[:blank:]]*([^[:blank:]=:]+|[=:]+)"
    while [[ $line =~ $re ]]; do
      COMP_WORDS+=("${BASH_REMATCH[1]}")
      line=${line:${#BASH_REMATCH[0]}}
    done
    [[ -z $2 || $2 == *[[:blank:]] ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$2
    COMP_POINT=${#2}
    _casectl casectl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$script" "$1" 2>&1)
  rc=$?
  rm -f "$script"
  [ "$rc" -eq 0 ] || fail "bash completion of '$1' failed ($rc)"
}

# bash_typed KEYS: types KEYS (\t a TAB) into an interactive bash on a pseudo-terminal that has sourced the script,
# as a person would: readline's own word splitting, replacing and listing. $out is what the terminal showed, and
# $typed_line the line being edited afterwards.
bash_typed() {
  local script
  script=$(mktemp)
  casectl completion bash >"$script"
  out=$(timeout -k 2 30 python3 - "$script" "$1" <<'EOF'
import os, pty, select, sys, time
script, keys = sys.argv[1], sys.argv[2].replace("\\t", "\t")
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
def read_until(marker):
    seen = b""
    end = time.time() + 20
    while marker not in seen and time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen
# Ctrl-G prints the line being edited between markers.
os.write(fd, b"PS1='$ '; source '" + script.encode() + b"'; bind -x '\"\\C-g\": printf \"\\n<li\"\"ne>%s</li\"\"ne>\\n\" \"$READLINE_LINE\"'; echo '<rea''dy>'\n")
read_until(b"<ready>")
os.write(fd, keys.encode())
time.sleep(1)
os.write(fd, b"\x07")
sys.stdout.write(read_until(b"</line>").decode(errors="replace"))
os.kill(pid, 9)
EOF
)
  rc=$?
  rm -f "$script"
  out=$(printf '%s\n' "$out" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g')
  typed_line=$(printf '%s\n' "$out" | sed -n 's/.*<line>\(.*\)<\/line>.*/\1/p' | tail -1)
  [ "$rc" -eq 0 ] && [[ $out == *"</line>"* ]] && return 0
  fail "interactive bash did not answer for '$1' ($rc)"
}

# zsh_complete LINE: the matches zsh's completion adds for LINE with the cursor at its end, each as
# "MATCH<TAB>WHAT ZSH DISPLAYS" (the display only when the match has a description).
zsh_complete() {
  local functions harness
  functions=$(mktemp -d) harness=$(mktemp)
  casectl completion zsh >"$functions/_casectl"
  cat >"$harness" <<'EOF'
zmodload zsh/zpty || exit 98
zpty casectl_zsh zsh -f -i
zpty -w casectl_zsh "PS1='' PS2='' RPS1=''; unsetopt zle_bell 2>/dev/null; fpath=(${(q)1} \$fpath)"
zpty -w casectl_zsh 'autoload -Uz compinit && compinit -u -D'
zpty -w casectl_zsh 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" select-prompt ""; LISTMAX=100000'
# Each compadd that adds matches (not one that only asks which would match, -O -A -D) prints them first.
zpty -w casectl_zsh '
compadd() {
  local __a
  for __a in "$@"; do
    [[ $__a == -- ]] && break
    [[ $__a == -[OAD]* ]] && { builtin compadd "$@"; return }
  done
  local -a __hits __shown
  local __d
  (( ${@[(I)-d]} )) && __d=${@[${@[(i)-d]}+1]} && __shown=("${(@P)__d}")
  builtin compadd -A __hits -D __shown "$@"
  local __i
  for (( __i = 1; __i <= $#__hits; __i++ )); do
    print -r -- "<match>$__hits[__i]"$'"'"'\t'"'"'"${__shown[__i]}"
  done
  builtin compadd "$@"
}'
zpty -w casectl_zsh '__casectl_capture() { print -r -- "<begin>"; _main_complete; print -r -- "<end>" }'
zpty -w casectl_zsh 'zle -C __casectl_capture complete-word __casectl_capture; bindkey "^I" __casectl_capture'
zpty -w casectl_zsh 'print -r -- "<rea""dy>"'
zpty -r casectl_zsh ignored '*<ready>*' || exit 97
zpty -w -n casectl_zsh "$2"$'\t'
zpty -r casectl_zsh output '*<end>*' || exit 96
zpty -d casectl_zsh
print -r -- "$output"
EOF
  out=$(timeout -k 2 30 zsh -f "$harness" "$functions" "$1" 2>&1)
  rc=$?
  rm -rf "$functions" "$harness"
  [ "$rc" -eq 0 ] || fail "zsh completion of '$1' failed ($rc)"
  # The matches, without the terminal's carriage returns and escape sequences.
  out=$(printf '%s\n' "$out" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | grep -o '<match>.*' | sed 's/^<match>//')
}

# fish_complete LINE: what fish's completion offers for LINE, each as "CANDIDATE<TAB>DESCRIPTION".
fish_complete() {
  local script
  script=$(mktemp)
  casectl completion fish >"$script"
  out=$(fish --no-config -c 'source $argv[1]; or exit 99; complete -C $argv[2]' "$script" "$1" 2>&1)
  rc=$?
  rm -f "$script"
  [ "$rc" -eq 0 ] || fail "fish completion of '$1' failed ($rc)"
}

# offers CANDIDATE…: each is one of the candidates (a whole line of $out, or a line's candidate before its tab).
offers() {
  local c
  for c in "$@"; do
    printf '%s\n' "$out" | cut -f1 | grep -qxF -- "$c" || fail "'$c' is not offered"
  done
}
# offers_not CANDIDATE…: none is.
offers_not() {
  local c
  for c in "$@"; do
    printf '%s\n' "$out" | cut -f1 | grep -qxF -- "$c" && fail "'$c' is offered"
  done
  return 0
}
# offers_exactly CANDIDATE…: these and nothing else, in any order.
offers_exactly() {
  local want got
  want=$(printf '%s\n' "$@" | sort)
  got=$(printf '%s\n' "$out" | cut -f1 | grep -v '^$' | sort)
  [ "$want" == "$got" ] || fail "offered: ${got//$'\n'/ }, expected: ${want//$'\n'/ }"
}
# offers_line LINE: $out has this line exactly (a candidate with its description).
offers_line() { printf '%s\n' "$out" | grep -qxF -- "$1" || fail "no line '$1'"; }

# --- casectl __complete, the call-back ---------------------------------------------------------------------

test_complete_prints_case_ids_with_the_clients_names() {
  setup || return
  run __complete show ""
  expect_rc 0
  offers_line "$rosa	Rosa Martinez"
  offers_line "$jules	Jules Juarez"
  offers_line "$omar	Omar Haddad"
  [ -z "$err" ] || fail "stderr is not empty"
}

test_complete_is_hidden_from_help() {
  run --help
  expect_not_in_out "__complete"
  run __complete ""
  expect_rc 0
  offers init intake log report completion
  offers_not __complete
}

test_complete_is_silent_and_succeeds_whatever_goes_wrong() {
  setup || return
  cd .. || return
  # No repository here: no case IDs, but the commands still complete.
  run __complete show ""
  expect_rc 0
  expect_no_out
  [ -z "$err" ] || fail "stderr: $err"
  run __complete -C /nonexistent show ""
  expect_rc 0
  expect_no_out
  [ -z "$err" ] || fail "stderr: $err"
  run __complete log
  expect_rc 0
  offers log
  # A broken casectl.yaml: nothing, and nothing on stderr.
  printf 'schema: [\n' >>repo/casectl.yaml
  run __complete -C repo log --type ""
  expect_rc 0
  expect_no_out
  [ -z "$err" ] || fail "stderr: $err"
  run __complete -C repo --today 2026-02-30 show ""
  expect_rc 0
  [ -z "$err" ] || fail "stderr: $err"
  # Nonsense lines.
  for line in "--" "-- --" "plan update" "referral nobody" "--repo" "report nothing --by" "log --type=" "-"; do
    # shellcheck disable=SC2086
    run __complete $line ""
    expect_rc 0
    [ -z "$err" ] || fail "stderr for '$line': $err"
  done
}

test_complete_writes_no_file_but_the_index() {
  setup || return
  local before after
  before=$(snapshot . | grep -v '\.cache/')
  run __complete log ros
  offers "$rosa"
  run __complete show ""
  after=$(snapshot . | grep -v '\.cache/')
  [ "$before" == "$after" ] || fail "completing changed the repository"
}

# --- bash --------------------------------------------------------------------------------------------------

test_bash_completes_commands() {
  setup || return
  bash_complete "casectl "
  offers init intake assess plan log refer referral review consent transfer flag close reopen show timeline \
    note list set edit check due report export sql doctor import date completion
  offers_not __complete --help
  bash_complete "casectl re"
  offers_exactly refer referral reopen report resolve review
  bash_complete "casectl report "
  offers overdue caseload closures contacts outcomes goals compliance referrals
  bash_complete "casectl plan "
  offers add update "$rosa" "$jules" "$omar"
}

test_bash_completes_the_options_of_nested_commands() {
  setup || return
  bash_complete "casectl report overdue --"
  offers --by --worker --program --exit-code --names --format --help
  offers_not --from --within --agency --repo
  [ "$(printf '%s\n' "$out" | grep -cx -- --help)" -eq 1 ] || fail "--help offered more than once"
  bash_complete "casectl plan add $rosa \"Keep the flat\" --"
  offers --domain --target --step --responsible
  offers_not --status --format
  bash_complete "casectl -"
  offers -C --repo --today --color --quiet --no-cache --version
  # An option given once is not offered again; one that repeats is.
  bash_complete "casectl log $rosa --type phone --with Ana --"
  offers_not --type
  offers --with --minutes
}

test_bash_repository_of_minus_C() {
  setup || return
  cd .. || return
  bash_complete "casectl -C repo show "
  offers_exactly "$rosa" "$jules" "$omar"
  bash_complete "casectl --repo repo log "
  offers_exactly "$rosa" "$jules"
  bash_complete "casectl --repo=repo log "
  offers_exactly "$rosa" "$jules"
  bash_complete "casectl show -C repo "
  offers "$rosa"
  # CASECTL_REPO too.
  CASECTL_REPO=$PWD/repo bash_complete "casectl reopen "
  offers_exactly "$omar"
  bash_complete "casectl -C "
  offers_exactly repo bin
  # ~ is the home folder (here the test's folder), as for the command itself.
  bash_complete "casectl -C ~/repo show "
  offers_exactly "$rosa" "$jules" "$omar"
  bash_complete "casectl -C ~/re"
  offers_exactly "~/repo"
}

test_bash_option_values_come_from_casectl_yaml() {
  setup || return
  sed -i 's/^contact_types: \[\(.*\)\]/contact_types: [\1, home-visit]/' casectl.yaml
  sed -i 's/^closure_reasons: \[\(.*\)\]/closure_reasons: [\1, graduated]/' casectl.yaml
  bash_complete "casectl log $rosa --type "
  offers_exactly phone visit office video email text collateral attempt home-visit
  bash_complete "casectl log $rosa --type h"
  offers_exactly home-visit
  bash_complete "casectl close $rosa --reason "
  offers goals-met withdrew lost-contact moved transferred deceased ineligible other graduated
  # --reason=… : bash replaces only what follows the =.
  bash_complete "casectl close $rosa --reason=gr"
  offers_exactly graduated
  bash_complete "casectl intake Ana --program "
  offers_exactly housing aging mental-health
  bash_complete "casectl intake Ana --risk "
  offers_exactly low medium high
  bash_complete "casectl transfer $rosa --to "
  offers_exactly alice bob
  bash_complete "casectl due --worker "
  offers_exactly alice bob
  bash_complete "casectl list worker:"
  offers_exactly alice bob
  bash_complete "casectl list program:ho"
  offers_exactly housing
  bash_complete "casectl list st"
  offers_exactly status:
  bash_complete "casectl set $rosa ri"
  offers_exactly risk=
  bash_complete "casectl set $rosa risk="
  offers_exactly low medium high
}

test_bash_option_values_from_the_commands_own_checks() {
  setup || return
  bash_complete "casectl referral $rosa $ref --status "
  offers_exactly sent accepted declined completed no-response
  bash_complete "casectl review $rosa --outcome "
  offers_exactly continue revise close
  bash_complete "casectl list --format "
  offers_exactly table json csv tsv id
  bash_complete "casectl --color "
  offers_exactly auto always never
  bash_complete "casectl completion "
  offers_exactly bash zsh fish
  bash_complete "casectl plan update $rosa $goal1 --status "
  offers_exactly active met partly-met not-met dropped
  bash_complete "casectl due --within "
  offers 30d
  bash_complete "casectl --today 2026-01-05 review $rosa --date eo"
  offers_exactly eow eom eoq
}

test_bash_instruments() {
  setup || return
  bash_complete "casectl assess $rosa --instrument "
  offers_exactly gad7 phq9 ssm
  bash_complete "casectl assess $rosa -i "
  offers_exactly gad7 phq9 ssm
  bash_complete "casectl report outcomes --instrument p"
  offers_exactly phq9
  # --score ITEM= of the instrument on the line, then the item's answers.
  bash_complete "casectl assess $rosa -i phq9 --score "
  offers_exactly q1= q2= q3= q4= q5= q6= q7= q8= q9=
  bash_complete "casectl assess $rosa -i phq9 --score q9="
  offers_exactly 0 1 2 3
}

test_bash_goal_and_referral_ids_of_the_case_on_the_line() {
  setup || return
  bash_complete "casectl plan update $rosa "
  offers_exactly "$goal1" "$goal2"
  bash_complete "casectl plan update Rosa "
  offers_exactly "$goal1" "$goal2"
  bash_complete "casectl plan update $jules "
  offers_exactly
  bash_complete "casectl referral $rosa "
  offers_exactly "$ref"
  bash_complete "casectl referral ${rosa:0:6} "
  offers_exactly "$ref"
  bash_complete "casectl refer $rosa --to "
  offers_exactly "Food\\ Bank"
  bash_complete "casectl plan update "
  offers "$rosa" "$jules"
  offers_not "$omar"
}

test_bash_records_of_the_case_on_the_line() {
  setup || return
  ok log "$rosa" -m "Called about the flat" --type phone
  local note=$out
  ok flag "$rosa" "no voicemail"
  local flag=$out
  bash_complete "casectl note $rosa "
  offers_exactly "$note"
  bash_complete "casectl log $rosa --amends "
  offers_exactly "$note"
  bash_complete "casectl flag $rosa --clear "
  offers_exactly "$flag"
  bash_complete "casectl consent $rosa --revoke "
  offers_exactly "Food\\ Bank"
  bash_complete "casectl edit $rosa "
  offers_exactly case.yaml plan.yaml
  # Nothing of a case when none is on the line yet, or it names none.
  bash_complete "casectl log --amends "
  offers_exactly
  bash_complete "casectl note nobody "
  offers_exactly
  # zsh and fish show the note's date, time and type, the goal's status and words, the referral's provider.
  run __complete note "$rosa" ""
  [[ $out == "$note	20"*" phone" ]] || fail "note described as: $out"
  run __complete plan update "$rosa" ""
  offers_line "$goal1	[active] Find stable housing"
  run __complete referral "$rosa" ""
  [[ $out == "$ref	"*" to Food Bank (sent)" ]] || fail "referral described as: $out"
}

test_bash_dates_and_their_days() {
  setup || return
  bash_complete "casectl --today 2026-01-05 review $rosa --date "
  offers today yesterday tomorrow monday sunday eow eom eoq
  bash_complete "casectl report contacts --from 2026-01-01 --to eo"
  offers_exactly eow eom eoq
  run __complete --today 2026-01-05 review "$rosa" --date eo
  offers_line "eom	2026-01-31"
  offers_line "eow	2026-01-11"
}

test_bash_a_name_fragment_completes_to_the_case_id() {
  setup || return
  bash_complete "casectl log ros"
  offers_exactly "$rosa"
  bash_complete "casectl log Juarez"
  offers_exactly "$jules"
  bash_complete "casectl show hadd"
  offers_exactly "$omar"
  # log takes open cases only; reopen closed ones only.
  bash_complete "casectl log omar"
  offers_exactly
  bash_complete "casectl reopen omar"
  offers_exactly "$omar"
  bash_complete "casectl reopen "
  offers_exactly "$omar"
  # An ID prefix, with or without its c-.
  bash_complete "casectl show ${rosa:0:5}"
  offers_exactly "$rosa"
  bash_complete "casectl show ${jules:2:3}"
  offers "$jules"
  # A fragment of several names: their IDs, and the word itself so that bash keeps it on the line.
  intake "Rosalind Franklin" || return
  bash_complete "casectl log ros"
  offers_exactly "$rosa" "$id" ros
}

test_bash_as_typed_at_a_terminal() {
  setup || return
  bash_typed 'casectl log ros\t'
  [ "$typed_line" == "casectl log $rosa " ] || fail "the line is '$typed_line'"
  bash_typed 'casectl log "Rosa M\t'
  [ "$typed_line" == "casectl log \"$rosa\" " ] || fail "the line is '$typed_line'"
  bash_typed "casectl log $rosa --type=vi\\t"
  [ "$typed_line" == "casectl log $rosa --type=vi" ] || fail "the line is '$typed_line'"
  bash_typed "casectl log $rosa --type=vis\\t"
  [ "$typed_line" == "casectl log $rosa --type=visit " ] || fail "the line is '$typed_line'"
  bash_typed 'casectl list worker:b\t'
  [ "$typed_line" == "casectl list worker:bob " ] || fail "the line is '$typed_line'"
  bash_typed 'casectl list status:\t\t'
  [[ $out == *open*closed* || $out == *all*closed*open* ]] || fail "status: values not listed"
  bash_typed "casectl set $rosa pro\\t"
  [ "$typed_line" == "casectl set $rosa program=" ] || fail "the line is '$typed_line'"
  # A part of several clients' names: the word stays, and the IDs are listed.
  intake "Rosalind Franklin" || return
  bash_typed 'casectl log ros\t\t'
  [ "$typed_line" == "casectl log ros" ] || fail "the line is '$typed_line'"
  [[ $out == *"$rosa"* && $out == *"$id"* ]] || fail "the two IDs are not listed"
}

test_bash_import_completes_files() {
  setup || return
  printf 'name\nAna Lima\n' >people.csv
  mkdir -p sheets
  bash_complete "casectl import peo"
  offers_exactly people.csv
  bash_complete "casectl import she"
  offers_exactly sheets
  bash_complete "casectl export --format sqlite -o peo"
  offers_exactly people.csv
}

# --- zsh ---------------------------------------------------------------------------------------------------

test_zsh_shows_the_clients_name_beside_the_case_id() {
  need_shell zsh || return
  setup || return
  zsh_complete "casectl show "
  offers "$rosa" "$jules" "$omar"
  printf '%s\n' "$out" | grep -q "^$rosa	.*Rosa Martinez" || fail "no Rosa Martinez beside $rosa"
  printf '%s\n' "$out" | grep -q "^$jules	.*Jules Juarez" || fail "no Jules Juarez beside $jules"
}

test_zsh_completes_commands_options_and_values() {
  need_shell zsh || return
  setup || return
  zsh_complete "casectl "
  offers init intake log report completion
  offers_not __complete
  printf '%s\n' "$out" | grep -q "^intake	.*open a case" || fail "no description beside intake"
  zsh_complete "casectl report overdue --"
  offers --by --worker --program --exit-code --format
  offers_not --from
  zsh_complete "casectl log $rosa --type "
  offers_exactly phone visit office video email text collateral attempt
  zsh_complete "casectl close $rosa --reason "
  offers goals-met moved other
  zsh_complete "casectl assess $rosa --instrument "
  offers_exactly gad7 phq9 ssm
  zsh_complete "casectl plan update $rosa "
  offers_exactly "$goal1" "$goal2"
  zsh_complete "casectl referral $rosa "
  offers_exactly "$ref"
  cd .. || return
  zsh_complete "casectl -C repo show "
  offers_exactly "$rosa" "$jules" "$omar"
  zsh_complete "casectl -C ~/repo show "
  offers_exactly "$rosa" "$jules" "$omar"
}

test_zsh_a_name_fragment_completes_to_the_case_id() {
  need_shell zsh || return
  setup || return
  zsh_complete "casectl log ros"
  offers_exactly "$rosa"
}

test_zsh_import_completes_files() {
  need_shell zsh || return
  setup || return
  printf 'name\nAna Lima\n' >people.csv
  zsh_complete "casectl import peo"
  offers people.csv
}

# --- fish --------------------------------------------------------------------------------------------------

test_fish_shows_the_clients_name_beside_the_case_id() {
  need_shell fish || return
  setup || return
  fish_complete "casectl log "
  offers_line "$rosa	Rosa Martinez"
  offers_line "$jules	Jules Juarez"
  offers_not "$omar"
}

test_fish_completes_commands_options_and_values() {
  need_shell fish || return
  setup || return
  fish_complete "casectl "
  offers init intake log report completion
  offers_not __complete
  fish_complete "casectl report overdue --"
  offers --by --worker --program --exit-code --format
  offers_not --from
  fish_complete "casectl log $rosa --type "
  offers_exactly phone visit office video email text collateral attempt
  fish_complete "casectl close $rosa --reason "
  offers goals-met moved other
  fish_complete "casectl assess $rosa --instrument "
  offers_exactly gad7 phq9 ssm
  offers_line "phq9	Patient Health Questionnaire-9"
  fish_complete "casectl plan update $rosa "
  offers_exactly "$goal1" "$goal2"
  fish_complete "casectl referral $rosa "
  offers_exactly "$ref"
  fish_complete "casectl transfer $rosa --to "
  offers_line "bob	Bob Okafor"
  cd .. || return
  fish_complete "casectl -C repo show "
  offers_exactly "$rosa" "$jules" "$omar"
  fish_complete "casectl -C ~/repo show "
  offers_exactly "$rosa" "$jules" "$omar"
}

test_fish_import_completes_files() {
  need_shell fish || return
  setup || return
  printf 'name\nAna Lima\n' >people.csv
  fish_complete "casectl import peo"
  offers people.csv
}

test_zsh_script_sourced_registers_itself() {
  need_shell zsh || return
  out=$(zsh -f -c 'autoload -Uz compinit && compinit -u -D && source <("$1" completion zsh) && print -r -- $_comps[casectl]' \
    zsh "$CASECTL" 2>&1)
  [ "$out" == "_casectl" ] || fail "sourcing _casectl registered: '$out'"
}
