# Bad input: every storage rule of casectl-files(5) broken on purpose, and the repository and command-line
# errors around them. Each must give `path:line:col: error:` (the position where the problem has one), the exit
# code of the brief (§4), no crash and no hang, and never the client's name on stderr.

CANARY="Zyxwv Canary"

# one_case: a repository (the working directory) with one open case, $id, of the canary client; $f is its face
# sheet and $T the test directory.
one_case() {
  T=$PWD
  new_repo || return 1
  intake "$CANARY" --program housing --worker alice --today 2026-01-10 || return 1
  f=cases/$id/case.yaml
}

# face FORMAT: replaces the face sheet with printf FORMAT (\n, \t, \xHH); @ID@ stands for the case ID.
face() { printf -- "${1//@ID@/$id}" >"$f"; }

# A valid face sheet, one key a line, for tests that break one line of it (line 5 is the client's name).
valid_face='schema: 1\nid: "@ID@"\nstatus: "open"\nclient:\n  name: "Zyxwv Canary"\nprogram: "housing"\nworker: "alice"\nopened: "2026-01-10"\n'

# swap OLD NEW: writes that valid face sheet with its first OLD replaced by NEW (both taken literally, in printf
# notation: '\\' for one backslash in the file).
swap() { face "${valid_face/"$1"/"$2"}"; }

# rejected PATH [LOC]: `check` exits 1 and `show` exits 65, both with a line starting "PATH LOC: error: " (LOC is a
# regex, ":LINE:COL" by default any line and column; '' for a file-level problem), no client name on stderr.
# The output of `show` is left in $out/$err for further checks.
rejected() {
  local loc=${2-':[0-9]+:[0-9]+'} re
  re=$'(^|\n)'"${1//./\\.}$loc: error: "
  crun check
  expect_rc 1
  [[ "$out"$'\n'"$err" =~ $re ]] || fail "check does not report $1$loc"
  expect_not_in_err "$CANARY"
  crun show "$id"
  expect_rc 65
  expect_err_re "$re"
  expect_not_in_err "$CANARY"
}

# contact: writes a valid contact note of case $id (the man page's example, but with a record ID of [a-z2-7]: the
# page's "k3x9" has a 9); $c is its path.
contact() {
  mkdir -p "cases/$id/contacts"
  c=cases/$id/contacts/2026-03-05-k3x7.yaml
  printf 'schema: 1\nkind: "contact"\nid: "k3x7"\ncase: "%s"\nat: "2026-03-05T10:30-05:00"\ntype: "phone"\n' "$id" >"$c"
  printf 'minutes: 20\nworker: "alice"\nnote: |\n  Spoke with the client about the voucher.\n' >>"$c"
}

# rename_case OLD NEW: moves a case folder to a chosen ID (to build prefixes that collide).
rename_case() {
  mv "cases/$1" "cases/$2"
  sed -i "s/^id: $1$/id: \"$2\"/" "cases/$2/case.yaml"
}

# ---- YAML syntax -------------------------------------------------------------------------------------------

test_valid_face_sheet_is_accepted() {
  one_case || return
  face "$valid_face"
  crun show "$id"
  expect_rc 0
  crun check
  expect_rc 0
}

test_malformed_yaml() {
  one_case || return
  face 'schema: 1\nid: "@ID@"\nstatus: [open\nclient:\n  name: "Zyxwv Canary"\n'
  rejected "$f"
  expect_err "not valid YAML"
  crun list
  expect_rc 65
}

test_unclosed_quote_in_the_middle() {
  one_case || return
  swap 'name: "Zyxwv Canary"' 'name: "Zyxwv Canary'
  rejected "$f"
  expect_err "not valid YAML"
  swap 'status: "open"' "status: 'open"
  rejected "$f"
}

test_unclosed_quote_on_the_last_line() {
  one_case || return
  swap 'opened: "2026-01-10"' 'opened: "2026-01-10'
  rejected "$f"
  face "$valid_face"'referred_by: "Shelter\n'
  rejected "$f"
  face "$valid_face""referred_by: 'Shelter\n"
  rejected "$f"
}

test_list_where_text_is_expected() {
  one_case || return
  swap '"Zyxwv Canary"' '[Zyxwv, Canary]'
  rejected "$f" ':5:9'
  expect_err "'name'"
  swap '"2026-01-10"' '["2026-01-10"]'
  rejected "$f" ':8:9'
  expect_err "'opened'"
}

test_non_date_and_impossible_date_in_opened() {
  one_case || return
  swap 2026-01-10 soon
  rejected "$f" ':8:9'
  expect_err "'opened'"
  swap 2026-01-10 2026-02-30
  rejected "$f" ':8:9'
  expect_err "'opened'"
}

test_missing_required_key() {
  one_case || return
  swap 'opened: "2026-01-10"\n' ''
  rejected "$f"
  expect_err "missing required key 'opened'"
  swap '  name: "Zyxwv Canary"\n' '  dob: "1980-04-02"\n'
  rejected "$f" ':5:3'
  expect_err "'name'"
}

test_duplicate_keys() {
  one_case || return
  face "${valid_face}worker: \"bob\"\n"
  rejected "$f" ':9:1'
  expect_err "duplicate key 'worker'"
  swap '  name: "Zyxwv Canary"\n' '  name: "Zyxwv Canary"\n  name: "Other"\n'
  rejected "$f" ':6:3'
  expect_err "duplicate key 'name'"
}

test_two_documents() {
  one_case || return
  face "${valid_face}---\nschema: 1\n"
  rejected "$f" ':(9|10):1'
  face "${valid_face}...\nschema: 1\n"
  rejected "$f" ':(9|10):1'
  face "---\n${valid_face}---\n"
  rejected "$f"
}

test_anchor_and_self_referencing_alias() {
  one_case || return
  face "${valid_face}x-list: &x [1, *x]\n"
  rejected "$f" ':9:9'
  expect_err "anchors"
  face "${valid_face}x-ref: *nothing\n"
  rejected "$f" ':9:[0-9]+'
}

test_billion_laughs() {
  one_case || return
  local prev=a line i
  {
    echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    for i in b c d e f g h i j k; do
      line="$i: &$i [*$prev"
      for _ in 1 2 3 4 5 6 7 8 9; do line+=",*$prev"; done
      echo "$line]"
      prev=$i
    done
  } >"$f"
  rejected "$f" ':1:4'
}

test_tag() {
  one_case || return
  swap 'id: ' 'id: !!str '
  rejected "$f" ':2:5'
  expect_err "tags"
  swap 'status: ' 'status: !open '
  rejected "$f" ':3:9'
  expect_err "tags"
}

test_nesting_deeper_than_16_levels() {
  one_case || return
  local i indent=""
  face "$valid_face"
  for i in $(seq 20); do
    echo "${indent}x-k$i:" >>"$f"
    indent+="  "
  done
  echo "${indent}v: 1" >>"$f"
  rejected "$f"
  expect_err "nested deeper than 16"
}

test_hundred_thousand_open_brackets() {
  one_case || return
  head -c 100000 /dev/zero | tr '\0' '[' >"$f"
  rejected "$f"
  expect_err "nested deeper than 16"
  head -c 100000 /dev/zero | tr '\0' '{' >"$f"
  rejected "$f"
}

test_file_over_1_mib() {
  one_case || return
  face "$valid_face"
  { printf 'x-big: "'; head -c 1100000 /dev/zero | tr '\0' 'a'; printf '"\n'; } >>"$f"
  rejected "$f" ''
  expect_err "limit"
}

test_lone_comma() {
  one_case || return
  face ','
  rejected "$f"
  face ',\n'
  rejected "$f"
  face '\n,\n'
  rejected "$f"
}

test_empty_file() {
  one_case || return
  : >"$f"
  rejected "$f" ''
  expect_err "empty"
  face '\n  \n# only a comment\n'
  rejected "$f" '(:[0-9]+:[0-9]+)?'
  face '"just text"\n'
  rejected "$f" ':1:1'
}

# ---- Encoding ----------------------------------------------------------------------------------------------

test_invalid_utf8() {
  one_case || return
  swap 'Zyxwv Canary' 'Zyxwv \xff Canary'
  rejected "$f" ':5:[0-9]+'
  expect_err "UTF-8"
  swap 'Zyxwv Canary' 'Zyxwv \xe2\x80 Canary'
  rejected "$f" ':5:[0-9]+'
  swap 'Zyxwv Canary' 'Zyxwv \xc0\xaf Canary'
  rejected "$f" ':5:[0-9]+'
}

test_crlf_file() {
  one_case || return
  face "${valid_face//'\n'/'\r\n'}"
  rejected "$f" ':1:[0-9]+'
  expect_err "carriage return"
  swap 'status: "open"' 'status: "open"\r'
  rejected "$f" ':3:15'
}

test_nul_byte() {
  one_case || return
  swap 'status:' 'status:\x00'
  rejected "$f" ':3:[0-9]+'
  expect_err "U+0000"
  crun list
  expect_rc 65
}

test_byte_order_mark() {
  one_case || return
  face "\xef\xbb\xbf$valid_face"
  rejected "$f" ':1:1'
  expect_err "byte-order mark"
  crun list
  expect_rc 65
}

test_escape_that_decodes_to_invalid_utf8() {
  one_case || return
  # "\N" is NEL (U+0085), a C1 control: refused like a raw one (an older parser decoded it to a lone byte).
  swap 'Zyxwv Canary' 'Zyxwv \\N Canary'
  rejected "$f" ':5:[0-9]+'
}

test_escaped_control_characters_are_refused_like_raw_ones() {
  one_case || return
  local esc
  for esc in '\\e[31m' '\\0' '\\r' '\\x7f' '\\L'; do
    swap 'Zyxwv Canary' "Zyxwv ${esc}Canary"
    rejected "$f" ':5:[0-9]+'
  done
}

test_conflict_markers_reported_with_their_lines() {
  one_case || return
  face 'schema: 1\nid: "@ID@"\nstatus: "open"\n<<<<<<< HEAD\nworker: "alice"\n=======\nworker: "bob"\n>>>>>>> theirs\n'
  rejected "$f" ':4:1'
  expect_err "conflict"
  crun check
  [[ "$out" == *"$f:4:1: error: "*"conflict"*"casectl resolve"* ]] || fail "check does not report the conflict at line 4"
  # A marker outside a whole conflict is reported on its own line.
  face 'schema: 1\nid: "@ID@"\nstatus: "open"\nworker: "alice"\n=======\n'
  crun check
  [[ "$out" == *"$f:5:1: error: "*"conflict marker"* ]] || fail "check does not report the stray marker on line 5"
}

# ---- Not a regular file ------------------------------------------------------------------------------------

test_case_yaml_is_a_directory() {
  one_case || return
  rm "$f" && mkdir "$f"
  rejected "$f" ''
  expect_err "directory"
  crun list
  expect_rc 65
}

test_case_yaml_is_a_fifo() {
  one_case || return
  rm "$f" && mkfifo "$f"
  rejected "$f" ''
  crun list
  expect_rc 65
}

test_case_yaml_is_a_symlink_to_a_valid_file() {
  one_case || return
  mv "$f" "$T/elsewhere.yaml"
  ln -s "$T/elsewhere.yaml" "$f"
  rejected "$f" ''
  expect_err "symbolic link"
}

test_check_reports_each_problem_once() {
  one_case || return
  rm "$f" && mkfifo "$f"
  crun check
  expect_rc 1
  [ "$(grep -c "^$f: error" <<<"$out")" -eq 1 ] || fail "the FIFO is reported more than once"
  rm "$f" && ln -s "$T/nowhere.yaml" "$f"
  crun check
  [ "$(grep -c "^$f: error" <<<"$out")" -eq 1 ] || fail "the symbolic link is reported more than once"
}

test_unreadable_case_file_is_a_permission_error() {
  one_case || return
  chmod 000 "$f"
  (cd "$T" && chown -R 65534:65534 repo 2>/dev/null)
  as_unprivileged show "$id"
  expect_rc 77
  expect_err "$f"
  expect_err "ermission"
  expect_not_in_err "$CANARY"
}

# ---- Contact notes -----------------------------------------------------------------------------------------

test_valid_contact_note_is_accepted() {
  one_case || return
  contact
  crun check
  expect_rc 0
  crun show "$id"
  expect_rc 0
}

test_broken_contact_notes() {
  one_case || return
  contact
  echo 'minutes: 30' >>"$c"
  rejected "$c" ':11:1'
  expect_err "duplicate key 'minutes'"
  contact
  sed -i 's/2026-03-05T10:30-05:00/2026-02-30T10:30-05:00/' "$c"
  rejected "$c" ':5:[0-9]+'
  contact
  sed -i 's/Spoke/Sp\xc3oke/' "$c"
  rejected "$c" ':10:[0-9]+'
  rm "$c" && mkfifo "$c"
  rejected "$c" ''
}

# ---- check, list: every problem in every file --------------------------------------------------------------

test_check_reports_every_problem_in_every_file() {
  one_case || return
  local a=$id b status_line
  face '<<<<<<< HEAD\nschema: 1\n=======\n'
  intake "Ann Other" --today 2026-01-10 || return
  b=$id
  echo 'status: "closed"' >>"cases/$b/case.yaml"
  status_line=$(wc -l <"cases/$b/case.yaml")
  contact
  sed -i 's/^minutes: 20$/minutes: [20/' "$c"
  printf 'schema: 1\nid: "phq9"\nid: "phq9"\n' >instruments/phq9.yaml
  crun check
  expect_rc 1
  expect_out "cases/$a/case.yaml:1:1: error: "
  expect_out "cases/$a/case.yaml:3:1: error: "
  expect_out "cases/$b/case.yaml:$status_line:1: error: duplicate key 'status'"
  expect_out "$c:"
  expect_out "instruments/phq9.yaml:3:1: error: duplicate key 'id'"
  expect_not_in_err "$CANARY"
}

test_check_json_is_valid_and_lists_each_problem() {
  one_case || return
  face "${valid_face}worker: \"bob\"\n"
  contact
  printf '\xef\xbb\xbf' >"cases/$id/contacts/2026-03-06-r5tm.yaml"
  crun check --format json
  expect_rc 1
  jq -e 'type == "array" and length >= 2' <<<"$out" >/dev/null || fail "not a JSON array of the problems"
  jq -e --arg p "$f" 'any(.[]; .path == $p and .line == 9 and .column == 1 and .severity == "error")' \
    <<<"$out" >/dev/null || fail "JSON lacks the duplicate key in $f"
  jq -e --arg p "cases/$id/contacts/2026-03-06-r5tm.yaml" 'any(.[]; .path == $p)' <<<"$out" >/dev/null ||
    fail "JSON lacks the contact note with a BOM"
  expect_not_in_out "$CANARY"
}

test_check_json_with_no_problems_is_an_empty_array() {
  one_case || return
  crun check --format json
  expect_rc 0
  jq -e '. == []' <<<"$out" >/dev/null || fail "not an empty JSON array: $out"
  crun check
  expect_rc 0
  expect_no_out
}

test_check_with_a_broken_config_still_checks_the_cases() {
  one_case || return
  face '<<<<<<< HEAD\n'
  printf 'schema: 1\nworkers: [\n' >casectl.yaml
  crun check
  expect_rc 1
  expect_out "casectl.yaml:"
  expect_out "$f:1:1: error: "
}

test_list_reports_a_broken_case_and_lists_the_others() {
  one_case || return
  local broken=$id a b
  swap 'status: "open"' 'status: [open'
  intake "Ann Other" --today 2026-01-10 || return
  a=$id
  intake "Bob Third" --today 2026-01-10 || return
  b=$id
  crun list --format id
  expect_rc 65
  expect_err_re "cases/$broken/case\.yaml:[0-9]+:[0-9]+: error: "
  expect_out "$a"
  expect_out "$b"
  expect_not_in_err "$CANARY"
}

test_list_reports_a_symlinked_case_folder() {
  one_case || return
  local linked=$id
  intake "Ann Other" --today 2026-01-10 || return
  mv "cases/$linked" "$T/outside"
  ln -s "$T/outside" "cases/$linked"
  crun list --format id
  expect_rc 65
  expect_err "cases/$linked"
  expect_out "$id"
}

# ---- casectl.yaml ------------------------------------------------------------------------------------------

test_broken_config_gives_78() {
  one_case || return
  printf 'schema: 1\nworkers: [\n' >casectl.yaml
  crun show "$id"
  expect_rc 78
  expect_err_re 'casectl\.yaml:[0-9]+:[0-9]+: error: '
  crun list
  expect_rc 78
  expect_err_re 'casectl\.yaml:[0-9]+:[0-9]+: error: '
  printf 'schema: 1\nrisk_levels: "high"\n' >casectl.yaml
  crun list
  expect_rc 78
  expect_err "casectl.yaml:2:14: error: "
  crun check
  expect_rc 1
  expect_out "casectl.yaml:2:14: error: "
}

test_config_that_is_not_a_regular_file_gives_78() {
  one_case || return
  mv casectl.yaml "$T/config.yaml"
  ln -s "$T/config.yaml" casectl.yaml
  crun list
  expect_rc 78
  expect_err "casectl.yaml: error: "
  rm casectl.yaml && mkfifo casectl.yaml
  crun show "$id"
  expect_rc 78
  expect_err "casectl.yaml: error: "
  rm casectl.yaml && : >casectl.yaml
  crun list
  expect_rc 78
}

# ---- Finding the repository and the case -------------------------------------------------------------------

test_no_repository_gives_66() {
  mkdir nothing && cd nothing || return
  crun list
  expect_rc 66
  expect_err "not in a case repository"
  crun show c-aaaaaaaa
  expect_rc 66
  crun -C "$PWD" check
  expect_rc 66
  CASECTL_REPO=$PWD crun list
  expect_rc 66
}

test_repository_found_by_option_then_environment_then_ancestor() {
  T=$PWD
  "$CASECTL" init one --agency One --no-git >/dev/null 2>&1 && "$CASECTL" init two --agency Two --no-git >/dev/null 2>&1
  local a b
  a=$("$CASECTL" -C one intake "Ann One" --today 2026-01-10) b=$("$CASECTL" -C two intake "Bob Two" --today 2026-01-10)
  mkdir -p "one/cases/$a/contacts" && cd "one/cases/$a/contacts" || return
  crun list --format id
  expect_out_is "$a"
  CASECTL_REPO=$T/two crun list --format id
  expect_out_is "$b"
  CASECTL_REPO=$T/two crun -C "$T/one" list --format id
  expect_out_is "$a"
  CASECTL_REPO=$T/two crun --repo "$T/one" list --format id
  expect_out_is "$a"
}

test_nearest_ancestor_wins() {
  one_case || return
  "$CASECTL" init inner --agency Inner --no-git >/dev/null 2>&1
  mkdir -p inner/deep/er && cd inner/deep/er || return
  crun list --format id
  expect_rc 0
  expect_no_out
  cd "$T/repo/cases/$id" || return
  crun list --format id
  expect_out_is "$id"
}

test_unknown_case_gives_66() {
  one_case || return
  crun show c-zzzzzzzz
  expect_rc 66
  expect_err "no case matches"
  crun show "Nobody Here"
  expect_rc 66
  crun set c-zzzzzzzz phone=1
  expect_rc 66
}

test_ambiguous_prefix_gives_64_listing_both() {
  one_case || return
  rename_case "$id" c-aaaa2222
  intake "Ann Other" --today 2026-01-10 || return
  rename_case "$id" c-aaaa3333
  crun show c-aaaa
  expect_rc 64
  expect_err "c-aaaa2222"
  expect_err "c-aaaa3333"
  crun show c-aaaa2
  expect_rc 0
}

test_ambiguous_name_lists_ids_not_names() {
  one_case || return
  local first=$id
  intake "$CANARY Junior" --today 2026-01-10 || return
  crun show zyxwv
  expect_rc 64
  expect_err "$first"
  expect_err "$id"
  expect_not_in_err "$CANARY"
}

# ---- Command line ------------------------------------------------------------------------------------------

test_command_line_errors_give_64() {
  one_case || return
  crun --bogus list
  expect_rc 64
  expect_err "--bogus"
  crun list --bogus
  expect_rc 64
  crun -C
  expect_rc 64
  crun show
  expect_rc 64
  crun set "$id"
  expect_rc 64
  crun check --format yaml
  expect_rc 64
}

test_unknown_subcommand_gives_64_naming_it() {
  one_case || return
  crun frobnicate
  expect_rc 64
  expect_err "frobnicate"
  crun
  expect_rc 64
}

test_help_gives_0() {
  crun --help
  expect_rc 0
  expect_out "Usage"
  local cmd
  for cmd in show list set edit check; do
    crun "$cmd" --help
    expect_rc 0
    expect_out "Usage: casectl $cmd"
  done
}

test_a_mistyped_command_suggests_the_command_meant() {
  crun lsit
  expect_rc 64
  expect_err "unknown command 'lsit'; did you mean 'list'?"
  crun shwo
  expect_err "did you mean 'show'?"
  crun frobnicate
  expect_rc 64
  expect_not_in_err "did you mean"
}
