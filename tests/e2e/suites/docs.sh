# Documentation coverage: casectl(1) documents every command and option that the binary's --help lists, the
# man pages lint clean, every --help works, and the README points to both man pages.
# The binary's --help is the truth: a command or option added to the code without a word in casectl(1)
# fails here.
# Sourced by run.sh, which provides CASECTL, SOURCE_DIR, run, fail, expect_*, new_repo, intake, $out, $err, $rc.
# shellcheck shell=bash disable=SC2154

MAN1="$SOURCE_DIR/man/casectl.1"
MAN5="$SOURCE_DIR/man/casectl-files.5"

# subcommands_of [COMMAND...]: the names listed under "Subcommands:" in the help of casectl [COMMAND...].
subcommands_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    awk '/^Subcommands:/ { s = 1; next } s && /^  [a-z]/ { print $1 } s && /^[^ ]/ { s = 0 }'
}

# command_paths: every command, one a line, with its subcommands as "plan add", "report overdue", ...
command_paths() {
  local cmd sub
  for cmd in $(subcommands_of); do
    echo "$cmd"
    for sub in $(subcommands_of "$cmd"); do
      echo "$cmd $sub"
    done
  done
}

# options_of [COMMAND...]: the options of casectl [COMMAND...] --help, one a line (-m, --message, ...),
# leaving out -h/--help, which every command has.
options_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    awk '/^Options:/ { s = 1; next } /^[A-Za-z]/ { s = 0 } s && /^  -/ { print $1 }' |
    tr ',' '\n' | grep -v -x -e '-h' -e '--help'
}

# man_section PATH: the source of the subsection of casectl(1) for the command PATH ("log", "plan add"), from
# its .Ss line (included) to the next .Ss or .Sh; nothing when there is none. The heading may quote the words
# or mark them up with Cm or Nm.
man_section() {
  awk -v want="$1" '
    function heading(line) {
      sub(/^\.Ss[ \t]+/, "", line)
      gsub(/"/, "", line)
      gsub(/(^|[ \t])(Cm|Nm|Ic)[ \t]/, " ", line)
      gsub(/[ \t]+/, " ", line)
      sub(/^ /, "", line)
      sub(/ $/, "", line)
      return line
    }
    /^\.Ss[ \t]/ { if (s) exit; if (heading($0) == want) s = 1 }
    /^\.Sh[ \t]/ { if (s) exit }
    s { print }
  ' "$MAN1"
}

# man_sh NAME: the source of the .Sh NAME section of casectl(1).
man_sh() {
  awk -v want=".Sh $1" '$0 == want { s = 1; next } s && /^\.Sh[ \t]/ { exit } s { print }' "$MAN1"
}

# documents TEXT OPTION: whether mdoc source TEXT marks up OPTION (-m or --message) with Fl.
documents() {
  local flag=${2#-}
  grep -Eq "(^\.|[ \t])Fl ${flag}([^A-Za-z0-9-]|$)" <<<"$1"
}

test_the_man_pages_exist() {
  [ -f "$MAN1" ] || fail "missing $MAN1"
  [ -f "$MAN5" ] || fail "missing $MAN5"
}

test_help_lists_commands_to_check() {
  # Guards the parsing below: were it to find nothing, every coverage test would pass vacuously.
  local paths
  paths=$(command_paths)
  for cmd in init intake log due report "report overdue" "plan add" completion; do
    grep -qx "$cmd" <<<"$paths" || fail "casectl --help does not list '$cmd' (or the parsing of --help broke)"
  done
  options_of log | grep -qx -- '--message' || fail "options_of log finds no --message"
  options_of log | grep -qx -- '-m' || fail "options_of log finds no -m"
}

test_every_command_has_a_subsection_in_casectl_1() {
  local path
  while read -r path; do
    [ -n "$(man_section "$path")" ] || fail "casectl(1) has no .Ss subsection for '$path'"
  done < <(command_paths)
}

test_every_command_subsection_shows_its_synopsis() {
  local path section
  while read -r path; do
    section=$(man_section "$path")
    [ -n "$section" ] || continue  # reported by the test above
    # The synopsis names the command: ".Cm plan add" or ".Cm report overdue".
    grep -Eq "^\.Cm ${path}( |$)" <<<"$section" || fail "the subsection '$path' does not show '.Cm $path'"
  done < <(command_paths)
}

test_every_option_of_every_command_is_documented_in_its_subsection() {
  local path section items option
  while read -r path; do
    section=$(man_section "$path")
    [ -n "$section" ] || continue
    # In the synopsis, and described in an item of the option list (.It Fl -name ...).
    items=$(grep -E '^\.It ' <<<"$section")
    # shellcheck disable=SC2086 # the path's words are separate arguments
    while read -r option; do
      documents "$section" "$option" || fail "casectl(1), subsection '$path', does not mention $option"
      documents "$items" "$option" || fail "casectl(1), subsection '$path', has no .It describing $option"
    done < <(options_of $path)
  done < <(command_paths)
}

test_every_long_option_appears_in_casectl_1() {
  local path option page
  page=$(cat "$MAN1")
  # shellcheck disable=SC2086
  while read -r option; do
    case $option in --*) documents "$page" "$option" || fail "casectl(1) never mentions $option" ;; esac
  done < <(while read -r path; do options_of $path; done < <(command_paths))
}

test_every_global_option_is_documented() {
  local page option
  page=$(cat "$MAN1")
  while read -r option; do
    documents "$page" "$option" || fail "casectl(1) does not document the global option $option"
  done < <(options_of)
  documents "$page" --help || fail "casectl(1) does not document --help"
  documents "$(man_sh SYNOPSIS)" -C || fail "the SYNOPSIS lacks -C"
  documents "$(man_sh SYNOPSIS)" --today || fail "the SYNOPSIS lacks --today"
  documents "$(man_sh SYNOPSIS)" --version || fail "the SYNOPSIS lacks --version"
}

test_every_help_exits_0() {
  local path
  run --help
  expect_rc 0
  expect_out "Usage:"
  # shellcheck disable=SC2086
  while read -r path; do
    run $path --help
    [ "$rc" -eq 0 ] || fail "'casectl $path --help' exited $rc"
    [[ "$out" == *"Usage: casectl $path"* ]] || fail "'casectl $path --help' prints no usage line"
    [ -z "$err" ] || fail "'casectl $path --help' wrote to stderr"
  done < <(command_paths)
  run --version
  expect_rc 0
  local project_version
  project_version=$(sed -n 's/^project(casectl VERSION \([0-9.]*\).*/\1/p' "$SOURCE_DIR/CMakeLists.txt")
  [ -n "$project_version" ] || fail "no version in CMakeLists.txt's project()"
  expect_out_is "casectl $project_version"
}

test_man_pages_lint_clean() {
  if ! command -v mandoc >/dev/null 2>&1; then
    echo "docs: mandoc is not installed; skipping the man page lint (apt-get install mandoc)" >&2
    return 0
  fi
  local page report status
  for page in "$SOURCE_DIR"/man/*.[1-9]; do
    report=$(mandoc -Tlint -Wwarning "$page" 2>&1)
    status=$?
    # mandoc exits 2 or more on a warning or worse; a stale mandoc.db on the host is no concern of the page.
    report=$(grep -E ': (WARNING|ERROR|UNSUPP|BADARG|SYSERR):' <<<"$report")
    if [ "$status" -ne 0 ] || [ -n "$report" ]; then
      fail "mandoc -Tlint -Wwarning $(basename "$page") (exit $status): $report"
    fi
  done
}

test_man_page_source_lines_are_short() {
  local long
  long=$(awk 'length > 99 { print FILENAME ":" FNR }' "$MAN1")
  [ -z "$long" ] || fail "casectl(1) has source lines over 99 columns: $long"
}

test_every_exit_status_is_documented() {
  local status_section code
  status_section=$(man_sh "EXIT STATUS")
  [ -n "$status_section" ] || { fail "casectl(1) has no EXIT STATUS section"; return; }
  # The statuses of the brief, and any the code defines.
  for code in $({ echo 0 1 64 65 66 70 73 75 77 78 | tr ' ' '\n'
    grep -Eo '= *[0-9]+;' "$SOURCE_DIR/src/cli/exit_codes.hpp" | tr -dc '0-9\n'; } | sort -un); do
    grep -Eq "^\.It ${code}\$" <<<"$status_section" || fail "EXIT STATUS does not list $code"
  done
}

test_every_environment_variable_is_documented() {
  local env_section name
  env_section=$(man_sh ENVIRONMENT)
  [ -n "$env_section" ] || { fail "casectl(1) has no ENVIRONMENT section"; return; }
  for name in $(grep -rhoE '(environment|getenv)\("[A-Z_]+"' "$SOURCE_DIR/src" | grep -oE '[A-Z_]{2,}' | sort -u) \
    XDG_RUNTIME_DIR TMPDIR; do
    grep -Eq "^\.It Ev .*\b${name}\b" <<<"$env_section" || fail "ENVIRONMENT does not list $name"
  done
}

test_json_fields_of_list_show_and_due_are_documented() {
  if ! command -v jq >/dev/null 2>&1; then
    echo "docs: jq is not installed; skipping the JSON field check" >&2
    return 0
  fi
  local output field id
  output=$(man_sh OUTPUT)
  new_repo || return
  run --today 2026-06-01 intake "Docs Example" --dob 1980-04-02 --program housing --worker alice --risk low \
    --opened 2026-01-05
  expect_rc 0
  id=$out
  run --today 2026-06-01 list --format json
  expect_rc 0
  for field in $(jq -r '.[0] | keys[]' <<<"$out"); do
    grep -Eq "^\.Cm ${field}( |$)" <<<"$output" || fail "OUTPUT does not name the list field $field"
  done
  run --today 2026-06-01 show "$id" --format json
  expect_rc 0
  for field in $(jq -r 'keys[]' <<<"$out") $(jq -r '.client | keys[]' <<<"$out"); do
    grep -Eq "^\.Cm ${field}( |$)" <<<"$output" || fail "OUTPUT does not name the show field $field"
  done
  run --today 2026-06-01 due --format json
  expect_rc 0
  [ "$(jq length <<<"$out")" -gt 0 ] || { fail "nothing due on a case with no contact for months"; return; }
  for field in $(jq -r '.[0] | keys[]' <<<"$out"); do
    grep -Eq "^\.Cm ${field}( |$)" <<<"$output" || fail "OUTPUT does not name the due field $field"
  done
  for field in $(jq -r '.[].kind' <<<"$out" | sort -u); do
    grep -Eq "^\.It Cm ${field}( |$)" <<<"$(man_sh "WHAT BECOMES DUE")" ||
      fail "WHAT BECOMES DUE does not explain the kind $field"
  done
}

test_the_kinds_of_due_item_are_explained() {
  local section kind
  section=$(man_sh "WHAT BECOMES DUE")
  for kind in review assessment contact goal follow-up referral consent; do
    grep -Eq "^\.It Cm ${kind}( |$)" <<<"$section" || fail "WHAT BECOMES DUE does not explain $kind"
  done
}

test_readme_mentions_both_man_pages() {
  local readme="$SOURCE_DIR/README.md"
  [ -f "$readme" ] || { fail "missing README.md"; return; }
  grep -Eq 'casectl\(1\)|man/casectl\.1|man 1 casectl' "$readme" || fail "README.md does not mention casectl(1)"
  grep -Eq 'casectl-files\(5\)|man/casectl-files\.5|man 5 casectl-files' "$readme" ||
    fail "README.md does not mention casectl-files(5)"
}

test_man_pages_refer_to_each_other() {
  grep -Eq '^\.Xr casectl-files 5' "$MAN1" || fail "casectl(1) does not refer to casectl-files(5)"
  grep -Eq '^\.Xr casectl 1' "$MAN5" || fail "casectl-files(5) does not refer to casectl(1)"
}
