# Documentation coverage: a man page for every command and subcommand that the binary's --help lists, each page
# naming every option of its command and no option its command lacks, casectl(1) listing every command, global
# option, exit status and environment variable, cross-references that lead somewhere, pages that lint clean,
# examples in casectl-dates(7) and casectl-queries(7) that give what they say, and a README that points to the pages.
# The binary's --help is the truth: a command or option added to the code without its page (or a word in it)
# fails here, and so does a page that documents an option the code no longer has.
# Sourced by run.sh, which provides CASECTL, SOURCE_DIR, run, fail, expect_*, new_repo, intake, $out, $err, $rc.
# shellcheck shell=bash disable=SC2154

MAN_DIR="$SOURCE_DIR/man"
MAN1="$MAN_DIR/casectl.1"
FILES5="$MAN_DIR/casectl-files.5"
CONFIG5="$MAN_DIR/casectl.yaml.5"
DATES7="$MAN_DIR/casectl-dates.7"
QUERIES7="$MAN_DIR/casectl-queries.7"

# subcommands_of [COMMAND...]: the names listed under "Subcommands:" in the help of casectl [COMMAND...].
# A hidden command is not listed there, and needs no page.
subcommands_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    awk '/^Subcommands:/ { s = 1; next } s && /^  [a-z]/ { print $1 } s && /^[^ ]/ { s = 0 }'
}

# command_paths [COMMAND...]: every command under casectl [COMMAND...], one a line, with its subcommands and
# theirs as "plan add", "report overdue", ...
command_paths() {
  local sub
  for sub in $(subcommands_of "$@"); do
    echo "${*:+$* }$sub"
    command_paths "$@" "$sub"
  done
}

# options_of [COMMAND...]: the options of casectl [COMMAND...] --help, one a line (-m, --message, ...),
# leaving out -h/--help, which every command has.
options_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    awk '/^Options:/ { s = 1; next } /^[A-Za-z]/ { s = 0 } s && /^  -/ { print $1 }' |
    tr ',' '\n' | grep -v -x -e '-h' -e '--help'
}

# global_options: the options of casectl itself, which every command takes, and -h, --help and --version.
global_options() {
  options_of
  printf '%s\n' -h --help --version
}

# page_of PATH: the page of the command PATH ("log", "plan add"): man/casectl-log.1, man/casectl-plan-add.1.
page_of() {
  local name=${1// /-}
  echo "$MAN_DIR/casectl-$name.1"
}

# section_of PAGE NAME: the source of the section .Sh NAME of PAGE, without its .Sh line.
section_of() {
  awk -v want=".Sh $2" '$0 == want { s = 1; next } s && /^\.Sh[ \t]/ { exit } s { print }' "$1"
}

# documents TEXT OPTION: whether mdoc source TEXT marks up OPTION (-m or --message) with Fl.
documents() {
  local flag=${2#-}
  grep -Eq "(^\.|[[:blank:]])Fl ${flag}([^A-Za-z0-9-]|$)" <<<"$1"
}

# names_field TEXT FIELD: whether mdoc source TEXT names FIELD with Cm, as in ".Cm id", ".It Cm id" or
# ".Cm name , dob , phone".
names_field() {
  grep -Eq "^\.(It )?Cm (.+ )?${2}( |$)" <<<"$1"
}

# option_groups_of [COMMAND...]: the options of casectl [COMMAND...] --help as --help shows them, one a line with
# their forms separated by commas (-m,--message), leaving out -h,--help.
option_groups_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    awk '/^Options:/ { s = 1; next } /^[A-Za-z]/ { s = 0 } s && /^  -/ { print $1 }' | grep -v -x -e '-h,--help'
}

# flags_in TEXT: every option that mdoc source TEXT marks up with Fl, one a line (".Fl -to" gives --to).
flags_in() {
  grep -oE '(^\.|[[:blank:]])Fl[[:blank:]]+-?[A-Za-z0-9][A-Za-z0-9-]*' <<<"$1" | sed -E 's/^.*Fl[[:blank:]]+/-/'
}

test_the_man_pages_exist() {
  local page
  for page in "$MAN1" "$FILES5" "$CONFIG5" "$DATES7" "$QUERIES7" "$MAN_DIR/casectl-sql.7"; do
    [ -f "$page" ] || fail "missing $page"
  done
}

test_help_lists_commands_to_check() {
  # Guards the parsing below: were it to find nothing, every coverage test would pass vacuously.
  local paths cmd
  paths=$(command_paths)
  for cmd in init intake log due report "report overdue" "report caseload" "plan add" "plan update" completion; do
    grep -qx "$cmd" <<<"$paths" || fail "casectl --help does not list '$cmd' (or the parsing of --help broke)"
  done
  options_of log | grep -qx -- '--message' || fail "options_of log finds no --message"
  options_of log | grep -qx -- '-m' || fail "options_of log finds no -m"
  options_of | grep -qx -- '-C' || fail "options_of finds no global -C"
  [ "$(page_of "plan add")" = "$MAN_DIR/casectl-plan-add.1" ] || fail "page_of 'plan add' is $(page_of "plan add")"
  flags_in '.It Fl m Ar TEXT , Fl -message Ar TEXT' | tr '\n' ' ' | grep -qx -- '-m --message ' ||
    fail "flags_in does not find -m and --message"
}

test_every_command_has_a_page() {
  local path
  while read -r path; do
    [ -f "$(page_of "$path")" ] || fail "'casectl $path' has no page: $(page_of "$path")"
  done < <(command_paths)
}

test_every_command_page_is_of_a_command() {
  # A page left behind by a command renamed or removed. A hidden command (one --help does not list) may have a
  # page: it answers --help all the same.
  local page name listed
  listed=$(command_paths | tr ' ' '-')
  for page in "$MAN_DIR"/casectl-*.1; do
    name=$(basename "$page" .1)
    name=${name#casectl-}
    grep -qx -- "$name" <<<"$listed" && continue
    # shellcheck disable=SC2086 # the page's name, split at its hyphens, is the command's words
    "$CASECTL" ${name//-/ } --help >/dev/null 2>&1 ||
      fail "$(basename "$page") is the page of no command ('casectl ${name//-/ } --help' fails)"
  done
}

test_every_command_page_names_its_command() {
  local path page name synopsis
  while read -r path; do
    page=$(page_of "$path")
    [ -f "$page" ] || continue  # reported above
    name=$(basename "$page" .1)
    grep -qx "\.Dt ${name^^} 1" "$page" || fail "$(basename "$page") lacks '.Dt ${name^^} 1'"
    grep -qx "\.Nm $name" <<<"$(section_of "$page" NAME)" || fail "$(basename "$page"): NAME lacks '.Nm $name'"
    grep -Eq '^\.Nd [a-z]' <<<"$(section_of "$page" NAME)" || fail "$(basename "$page"): NAME has no .Nd"
    synopsis=$(section_of "$page" SYNOPSIS)
    grep -qx '\.Nm casectl' <<<"$synopsis" || fail "$(basename "$page"): SYNOPSIS lacks '.Nm casectl'"
    grep -Eq "^\.Cm ${path}( |$)" <<<"$synopsis" || fail "$(basename "$page"): SYNOPSIS lacks '.Cm $path'"
  done < <(command_paths)
}

test_every_command_page_has_the_sections() {
  local path page section
  while read -r path; do
    page=$(page_of "$path")
    [ -f "$page" ] || continue
    for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO"; do
      grep -qx "\.Sh $section" "$page" || fail "$(basename "$page") has no $section section"
    done
    # shellcheck disable=SC2086
    if [ -n "$(options_of $path)" ]; then
      grep -qx '\.Sh OPTIONS' "$page" || fail "$(basename "$page") has no OPTIONS section"
    fi
    grep -Eq '^\.Xr casectl 1( |$)' <<<"$(section_of "$page" "SEE ALSO")" ||
      fail "$(basename "$page"): SEE ALSO does not name casectl(1)"
  done < <(command_paths)
}

test_every_option_of_every_command_is_documented_in_its_page() {
  local path page text items synopsis option group shown
  while read -r path; do
    page=$(page_of "$path")
    [ -f "$page" ] || continue
    text=$(cat "$page")
    synopsis=$(section_of "$page" SYNOPSIS)
    # Shown in the synopsis, and described in an item of OPTIONS (.It Fl -name ...).
    items=$(grep -E '^\.It ' <<<"$(section_of "$page" OPTIONS)")
    # shellcheck disable=SC2086 # the path's words are separate arguments
    while read -r option; do
      documents "$items" "$option" || fail "$(basename "$page"): OPTIONS has no .It describing $option"
      documents "$text" "$option" || fail "$(basename "$page") never mentions $option"
    done < <(options_of $path)
    # The synopsis shows one form of each: -m, or --message.
    # shellcheck disable=SC2086
    while read -r group; do
      shown=0
      for option in ${group//,/ }; do
        documents "$synopsis" "$option" && shown=1
      done
      [ "$shown" -eq 1 ] || fail "$(basename "$page"): the SYNOPSIS does not show $group"
    done < <(option_groups_of $path)
  done < <(command_paths)
}

# choices_of [COMMAND...]: the values that casectl [COMMAND...] --help lists for its options and arguments, as
# "--format json" or "shell bash", one a line.
choices_of() {
  "$CASECTL" "$@" --help 2>/dev/null |
    sed -nE 's/^  ([-a-z]+,)?([-a-z]+) TEXT:\{([^}]*)\}.*/\2 \3/p' |
    while read -r name values; do
      for value in ${values//,/ }; do
        printf '%s %s\n' "$name" "$value"
      done
    done
}

test_every_value_an_option_takes_is_named_in_its_page() {
  # --format json, --status partly-met, --by day, completion's bash: each named with Cm in the page.
  local path page text name value count=0
  while read -r path; do
    page=$(page_of "$path")
    [ -f "$page" ] || continue
    text=$(cat "$page")
    # shellcheck disable=SC2086
    while read -r name value; do
      count=$((count + 1))
      grep -Eq "(^\.|[[:blank:]])Cm([[:blank:]].*)?[[:blank:]]${value}([[:blank:]]|$)" <<<"$text" ||
        fail "$(basename "$page") does not name the value $value of $name"
    done < <(choices_of $path)
  done < <(command_paths)
  while read -r name value; do
    grep -Eq "(^\.|[[:blank:]])Cm([[:blank:]].*)?[[:blank:]]${value}([[:blank:]]|$)" "$MAN1" ||
      fail "casectl.1 does not name the value $value of $name"
  done < <(choices_of)
  [ "$count" -ge 50 ] || fail "found only $count values of options in --help (or the parsing of --help broke)"
}

test_every_option_a_page_names_exists() {
  local path page known option
  while read -r path; do
    page=$(page_of "$path")
    [ -f "$page" ] || continue
    # shellcheck disable=SC2086
    known=$({ options_of $path; global_options; } | sort -u)
    while read -r option; do
      grep -qx -- "$option" <<<"$known" ||
        fail "$(basename "$page") names $option, which 'casectl $path --help' does not list"
    done < <(flags_in "$(section_of "$page" SYNOPSIS; section_of "$page" OPTIONS)" | sort -u)
  done < <(command_paths)
  known=$(global_options | sort -u)
  while read -r option; do
    grep -qx -- "$option" <<<"$known" || fail "casectl.1 names $option, which 'casectl --help' does not list"
  done < <(flags_in "$(section_of "$MAN1" SYNOPSIS; section_of "$MAN1" OPTIONS)" | sort -u)
}

test_every_global_option_is_documented_in_casectl_1() {
  local options option
  options=$(section_of "$MAN1" OPTIONS)
  while read -r option; do
    documents "$(grep -E '^\.It ' <<<"$options")" "$option" || fail "casectl(1), OPTIONS, has no .It for $option"
  done < <(global_options)
  for option in -C --today --version --help; do
    documents "$(section_of "$MAN1" SYNOPSIS)" "$option" || fail "the SYNOPSIS of casectl(1) lacks $option"
  done
}

test_casectl_1_lists_every_command_and_each_page_its_subcommands() {
  local commands path parent
  commands=$(section_of "$MAN1" COMMANDS)
  [ -n "$commands" ] || { fail "casectl(1) has no COMMANDS section"; return; }
  while read -r path; do
    if [[ $path != *" "* ]]; then
      grep -Eq "^\.Xr casectl-$path 1( |$)" <<<"$commands" ||
        fail "casectl(1), COMMANDS, does not refer to casectl-$path(1)"
    else
      parent=$(page_of "${path% *}")
      [ -f "$parent" ] || continue
      grep -Eq "^\.Xr casectl-${path// /-} 1( |$)" "$parent" ||
        fail "$(basename "$parent") does not refer to casectl-${path// /-}(1)"
    fi
  done < <(command_paths)
}

test_every_cross_reference_to_a_casectl_page_leads_to_one() {
  local page ref name section
  for page in "$MAN_DIR"/*.[1-9]; do
    while read -r ref; do
      read -r _ name section _ <<<"$ref"
      [ -f "$MAN_DIR/$name.$section" ] || fail "$(basename "$page") refers to $name($section), which is not in man/"
    done < <(grep -E '^\.Xr casectl[A-Za-z0-9._-]* [1-9]' "$page" | sort -u)
  done
  # The README's "casectl-log(1)", "man casectl-log" and "man 5 casectl.yaml".
  while read -r ref; do
    name=${ref%(*}
    section=${ref#*(}
    section=${section%)}
    [ -f "$MAN_DIR/$name.$section" ] || fail "README.md refers to $ref, which is not in man/"
  done < <(grep -oE 'casectl[A-Za-z0-9._-]*\([1-9]\)' "$SOURCE_DIR/README.md" | sort -u)
  local words
  while read -r ref; do
    read -r -a words <<<"$ref"
    if [ "${#words[@]}" -eq 3 ]; then
      [ -f "$MAN_DIR/${words[2]}.${words[1]}" ] || fail "README.md says '$ref', and there is no such page in man/"
    else
      compgen -G "$MAN_DIR/${words[1]}.[1-9]" >/dev/null ||
        fail "README.md says '$ref', and there is no such page in man/"
    fi
  done < <(grep -oE 'man( [1-9])? casectl[A-Za-z0-9._-]*[A-Za-z0-9]' "$SOURCE_DIR/README.md" | sort -u)
}

test_every_page_refers_back_to_casectl_1() {
  local page
  for page in "$MAN_DIR"/*.[1-9]; do
    [ "$page" = "$MAN1" ] && continue
    grep -Eq '^\.Xr casectl 1( |$)' "$page" || fail "$(basename "$page") does not refer to casectl(1)"
  done
  local see_also
  see_also=$(section_of "$MAN1" "SEE ALSO")
  for page in "casectl-files 5" "casectl.yaml 5" "casectl-dates 7" "casectl-queries 7" "casectl-sql 7"; do
    grep -Eq "^\.Xr $page( |$)" <<<"$see_also" || fail "casectl(1), SEE ALSO, does not name ${page% *}(${page#* })"
  done
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
  for page in "$MAN_DIR"/*.[1-9]; do
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
  long=$(awk 'length > 99 { print FILENAME ":" FNR }' "$MAN_DIR"/*.[1-9])
  [ -z "$long" ] || fail "man page source lines over 99 columns: $long"
}

test_every_exit_status_is_documented() {
  local status_section code
  status_section=$(section_of "$MAN1" "EXIT STATUS")
  [ -n "$status_section" ] || { fail "casectl(1) has no EXIT STATUS section"; return; }
  # The statuses of the brief, and any the code defines.
  for code in $({ echo 0 1 64 65 66 70 73 75 77 78 | tr ' ' '\n'
    grep -Eo '= *[0-9]+;' "$SOURCE_DIR/src/cli/exit_codes.hpp" | tr -dc '0-9\n'; } | sort -un); do
    grep -Eq "^\.It ${code}\$" <<<"$status_section" || fail "EXIT STATUS does not list $code"
  done
}

test_every_environment_variable_is_documented() {
  local env_section name
  env_section=$(section_of "$MAN1" ENVIRONMENT)
  [ -n "$env_section" ] || { fail "casectl(1) has no ENVIRONMENT section"; return; }
  for name in $(grep -rhoE '(environment|getenv)\("[A-Z_]+"' "$SOURCE_DIR/src" | grep -oE '[A-Z_]{2,}' | sort -u) \
    XDG_RUNTIME_DIR TMPDIR; do
    grep -Eq "^\.It Ev .*\b${name}\b" <<<"$env_section" || fail "ENVIRONMENT does not list $name"
  done
}

test_json_fields_of_list_show_and_due_are_documented_in_their_pages() {
  if ! command -v jq >/dev/null 2>&1; then
    echo "docs: jq is not installed; skipping the JSON field check" >&2
    return 0
  fi
  local field id list_page show_page due_page
  list_page=$(cat "$(page_of list)")
  show_page=$(cat "$(page_of show)")
  due_page=$(cat "$(page_of due)")
  new_repo || return
  run --today 2026-06-01 intake "Docs Example" --dob 1980-04-02 --program housing --worker alice --risk low \
    --opened 2026-01-05
  expect_rc 0
  id=$out
  run --today 2026-06-01 list --format json
  expect_rc 0
  for field in $(jq -r '.[0] | keys[]' <<<"$out"); do
    names_field "$list_page" "$field" || fail "casectl-list(1) does not name the field $field"
  done
  run --today 2026-06-01 show "$id" --format json
  expect_rc 0
  for field in $(jq -r 'keys[]' <<<"$out") $(jq -r '.client | keys[]' <<<"$out"); do
    names_field "$show_page" "$field" || fail "casectl-show(1) does not name the field $field"
  done
  run --today 2026-06-01 due --format json
  expect_rc 0
  [ "$(jq length <<<"$out")" -gt 0 ] || { fail "nothing due on a case with no contact for months"; return; }
  for field in $(jq -r '.[0] | keys[]' <<<"$out"); do
    names_field "$due_page" "$field" || fail "casectl-due(1) does not name the field $field"
  done
  for field in $(jq -r '.[].kind' <<<"$out" | sort -u); do
    grep -Eq "^\.It Cm ${field}( |$)" <<<"$(section_of "$CONFIG5" "WHAT BECOMES DUE")" ||
      fail "casectl.yaml(5), WHAT BECOMES DUE, does not explain the kind $field"
  done
}

test_the_kinds_of_due_item_are_explained() {
  local section kind
  section=$(section_of "$CONFIG5" "WHAT BECOMES DUE")
  for kind in review assessment contact goal follow-up referral consent safety; do
    grep -Eq "^\.It Cm ${kind}( |$)" <<<"$section" ||
      fail "casectl.yaml(5), WHAT BECOMES DUE, does not explain $kind"
  done
}

# page_examples PAGE: the command lines of the literal displays of PAGE's EXAMPLES, "$ casectl ..." without the
# "$ ", each followed by the lines it prints up to the next command line or the end of the display, then "--".
page_examples() {
  awk '/^\.Sh EXAMPLES/ { ex = 1; next } /^\.Sh / { ex = 0 }
       ex && /^\.Bd -literal/ { on = 1; n = 0; next }
       on && /^\.Ed/ { if (n) print "--"; on = 0; n = 0; next }
       on && /^\$ casectl / { if (n) print "--"; n = 1; sub(/^\$ /, ""); print; next }
       on && n { print }' "$1" | sed -e 's/\\&//g' -e 's/\\(aq/'\''/g' -e 's/\\e/\\/g'
}

test_the_date_examples_of_casectl_dates_7_hold() {
  local command expected line count=0
  while IFS= read -r command; do
    expected=""
    while IFS= read -r line && [ "$line" != "--" ]; do
      expected+="$line"$'\n'
    done
    expected=${expected%$'\n'}
    count=$((count + 1))
    # shellcheck disable=SC2086 # the example's words, as a shell would split them
    eval "set -- ${command#casectl }"
    run "$@"
    [ "$rc" -eq 0 ] || { fail "casectl-dates(7): '$command' exits $rc: $err"; continue; }
    [ "$out" = "$expected" ] || fail "casectl-dates(7): '$command' prints '$out', the page says '$expected'"
  done < <(page_examples "$DATES7")
  [ "$count" -ge 15 ] || fail "casectl-dates(7) shows $count examples, expected 15 or more"
}

test_the_query_examples_of_casectl_queries_7_run() {
  # On the example agency, each as of its last day: every example runs, and prints what the page shows when the
  # page shows anything.
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  local command expected line count=0
  while IFS= read -r command; do
    expected=""
    while IFS= read -r line && [ "$line" != "--" ]; do
      expected+="$line"$'\n'
    done
    expected=${expected%$'\n'}
    count=$((count + 1))
    # shellcheck disable=SC2086
    eval "set -- ${command#casectl }"
    run -C example "$@"
    [ "$rc" -eq 0 ] || { fail "casectl-queries(7): '$command' exits $rc: $err"; continue; }
    [ -z "$expected" ] || [ "$out" = "$expected" ] ||
      fail "casectl-queries(7): '$command' prints '$out', the page says '$expected'"
  done < <(page_examples "$QUERIES7")
  [ "$count" -ge 8 ] || fail "casectl-queries(7) shows $count examples, expected 8 or more"
}

test_readme_points_to_the_pages() {
  local readme="$SOURCE_DIR/README.md" page name section
  [ -f "$readme" ] || { fail "missing README.md"; return; }
  for page in "$MAN_DIR"/*.[57] "$MAN1"; do
    name=$(basename "$page")
    section=${name##*.}
    name=${name%.*}
    grep -Fq "$name($section)" "$readme" || grep -Fq "man $section $name" "$readme" ||
      grep -Fq "man/$name.$section" "$readme" || fail "README.md does not point to $name($section)"
  done
  grep -Eq 'man casectl-[a-z]+' "$readme" || fail "README.md does not say how to read a command's page"
}
