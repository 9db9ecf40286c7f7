# Hardened against faults, hostile files and curious eyes (issue 11): one regression test per defect fixed.

# --- 6. CSV formula injection -------------------------------------------------------------------------------------

test_csv_and_tsv_cells_that_a_spreadsheet_would_run_are_neutralised() {
  new_repo || return
  intake "=HYPERLINK(\"http://evil.example\",\"x\")" --program housing
  intake "+cmd" --program housing
  intake "@SUM(A1)" --program housing
  intake "-2+3" --program housing
  intake "Ann Plain" --program housing
  run list --format csv
  expect_rc 0
  expect_out "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""
  expect_out ",'+cmd,"
  expect_out ",'@SUM(A1),"
  expect_out ",'-2+3,"
  expect_out ",Ann Plain,"
  expect_not_in_out ",=HYPERLINK"
  run list --format tsv
  expect_out $'\t\'+cmd\t'
  run export --format csv
  expect_out ",'+cmd,"
  # Numbers keep their sign: a negative mean change is a number, not a formula.
  run report caseload --format csv
  expect_rc 0
}

# --- 9. output that was not written is not success ----------------------------------------------------------------

test_a_failed_write_to_standard_output_exits_74() {
  new_repo || return
  intake "Ann Output" --program housing
  "$CASECTL" list >/dev/full 2>err.txt
  [ $? -eq 74 ] || fail "list >/dev/full should exit 74"
  grep -q "could not write the output" err.txt || fail "no message: $(cat err.txt)"
  "$CASECTL" export --format json >&- 2>err.txt
  [ $? -eq 74 ] || fail "export with stdout closed should exit 74"
  grep -q "standard output is closed" err.txt || fail "no message: $(cat err.txt)"
  # A reader that goes away while SIGPIPE is ignored (systemd's default): EPIPE, exit 74.
  local status
  status=$(bash -c 'trap "" PIPE; for i in 1 2 3 4 5 6 7 8; do "$0" export --format json; done | head -c 1 >/dev/null;
                    echo "${PIPESTATUS[0]}"' "$CASECTL" 2>/dev/null)
  [ "$status" == 74 ] || fail "export into a closed pipe with SIGPIPE ignored exited $status"
  # Nothing to print is not a failure, and a closed stdout never becomes a case file's descriptor.
  "$CASECTL" check >&- 2>/dev/null
  [ $? -eq 0 ] || fail "check with stdout closed (it prints nothing there) should succeed"
  run check
  expect_rc 0
}

# --- 11. small ones -----------------------------------------------------------------------------------------------

test_goal_ids_of_any_older_form_stay_and_new_ones_are_random() {
  new_repo || return
  intake "Gia Goals" --program housing
  ok plan add "$id" "First goal"
  local first=$out
  sed -i "s/^  - id: \"\?$first\"\?$/  - id: \"g2147483647\"/" "cases/$id/plan.yaml"
  grep -q 'g2147483647' "cases/$id/plan.yaml" || { fail "could not set up the goal id"; return; }
  run plan add "$id" "Second goal"
  expect_rc 0
  [[ "$out" =~ ^g[a-z2-7]{4}$ ]] || fail "not a random goal ID: $out"
  ok plan update "$id" g2147483647 --status met
  run check
  expect_rc 0
}

test_lock_timeout_takes_seconds_and_nothing_else() {
  new_repo || return
  intake "Lou Lock" --program housing
  local bad
  for bad in inf 1e300 2s 0x10 -1 99999999999999999999 "" 1.; do
    CASECTL_LOCK_TIMEOUT=$bad run log "$id" -m "call"
    expect_rc 64
    expect_err "CASECTL_LOCK_TIMEOUT"
  done
  CASECTL_LOCK_TIMEOUT=0.5 run log "$id" -m "call"
  expect_rc 0
  CASECTL_LOCK_TIMEOUT=3 run log "$id" -m "call"
  expect_rc 0
}

test_init_refuses_an_agency_name_no_later_command_could_read() {
  run init repo --agency $'Bad\e[31m Agency' --no-git
  expect_rc 64
  expect_err "--agency"
  expect_no_file repo/casectl.yaml
  run init repo --agency $'Two\nLines' --no-git
  expect_rc 64
  run init repo --agency "Good Agency" --no-git
  expect_rc 0
}

# --- 1-3. de-identified exports -----------------------------------------------------------------------------------

# pseudonym_of CASE: the pseudonym an export gives the case (the only one exported).
pseudonym_of() {
  run export --deidentify --format json "$@"
  printf '%s' "$out" | jq -r '.[0].pseudonym'
}

test_pseudonyms_are_keyed_by_a_private_per_agency_secret() {
  new_repo || return
  intake "Kim Keyed" --program housing
  local first second
  first=$(pseudonym_of)
  expect_file .casectl.key
  expect_mode .casectl.key 600
  grep -qx '.casectl.key' .gitignore || fail ".gitignore does not list .casectl.key"
  second=$(pseudonym_of)
  [ "$first" == "$second" ] || fail "the same secret gives another pseudonym: $first $second"
  [[ "$first" =~ ^p-[a-z2-7]{10}$ ]] || fail "not a pseudonym: $first"
  # The same case ID in another agency's repository: another secret, another pseudonym.
  cd .. || return
  "$CASECTL" init other --agency "Other Agency" --no-git -q || { fail "init failed"; return; }
  cp -r "repo/cases/$id" other/cases/
  cd other || return
  [ "$(pseudonym_of)" != "$first" ] || fail "another agency's secret gives the same pseudonym"
  # A clone given the agency's secret (copied by hand, as the man page says) gives the same pseudonyms.
  cp ../repo/.casectl.key .casectl.key
  [ "$(pseudonym_of)" == "$first" ] || fail "the copied secret gives another pseudonym"
  # The secret never appears in what casectl prints.
  local key
  key=$(cat .casectl.key)
  run export --deidentify --format json
  expect_not_in_out "$key"
  # A .gitignore that does not list the secret is made to.
  printf '.casectl.lock\n' >.gitignore
  rm .casectl.key
  pseudonym_of >/dev/null
  grep -qx '.casectl.key' .gitignore || fail "the secret was made without .gitignore listing it"
  # A damaged secret is refused, not replaced.
  echo "not a key" >.casectl.key
  run export --deidentify --format json
  expect_rc 65
  expect_err ".casectl.key"
}

test_deidentified_exports_hold_only_values_from_closed_lists() {
  new_repo || return
  intake "Fay Freetext" --program housing --risk low
  ok plan add "$id" "Find a flat near Jane's school" --domain "Jane Doe's housing"
  ok plan add "$id" "Work" --domain employment
  ok assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 --score q6=1 --score q7=1 \
    --score q8=1 --score q9=0
  local f
  f=$(ls cases/"$id"/assessments/*.yaml)
  sed -i 's/^band: .*/band: "Jane Doe told me about her sister"/' "$f"
  ok close "$id" --reason other -m "done" --force
  sed -i 's/^closure_reason: .*/closure_reason: "moved in with Jane Doe"/' "cases/$id/case.yaml"
  sed -i 's/closure_reason: other/closure_reason: "moved in with Jane Doe"/' "cases/$id/case.yaml"
  run export --deidentify --format json
  expect_rc 0
  expect_not_in_out "Jane"
  expect_jq '.[0].closure_reason == "other"'
  expect_jq '.[0].goals | map(.domain) | sort == ["employment", "other"]'
  expect_jq '.[0].assessments[0].band == null and (.[0].assessments[0].scores | keys | length) == 9'
  run export --deidentify --format csv
  expect_not_in_out "Jane"
}

test_ages_in_deidentified_exports_do_not_tell_the_birthday() {
  new_repo || return
  intake "Bea Birthday" --program housing --dob 1980-06-15 --opened 2025-12-01
  run export --deidentify --format json --today 2026-06-14
  local before=$out
  run export --deidentify --format json --today 2026-06-15
  [ "$(printf '%s' "$before" | jq -c '.[0] | [.age, .birth_year]')" == "$(printf '%s' "$out" | jq -c '.[0] | [.age, .birth_year]')" ] \
    || fail "the age changed on the birthday"
  expect_jq '.[0].age == "46" and .[0].birth_year == 1980'
  run export --deidentify --format json --today 2026-01-01
  expect_jq '.[0].age == "46"'
}

# --- 8. trust ------------------------------------------------------------------------------------------------------

test_a_repository_owned_by_another_user_is_refused_unless_git_trusts_it() {
  [ "$(id -u)" -eq 0 ] || return 0  # giving files away needs root
  "$CASECTL" init planted --agency "Trap" --no-git -q || { fail "init failed"; return; }
  mkdir planted/mine
  chown -R 65534:65534 planted
  chmod 755 planted
  chown 0:0 planted/mine
  cd planted/mine || return
  local before
  before=$(snapshot ..)
  run intake "Sam Secret" --program housing
  expect_rc 77
  expect_err "belongs to another user"
  expect_err "safe.directory"
  expect_not_in_err "Sam"
  [ "$(snapshot ..)" == "$before" ] || fail "something was written into another user's tree"
  git config --global --add safe.directory "$(cd .. && pwd)"
  run list
  expect_rc 0
}

test_another_users_private_repository_is_permission_denied_not_missing() {
  new_repo || return
  cd .. || return
  as_unprivileged -C repo list
  [ "$(id -u)" -eq 0 ] || return 0
  expect_rc 77
  expect_err "permission denied"
}

# --- 5. no plaintext copy left behind ------------------------------------------------------------------------------

# An editor that leaves a backup beside the file (as vim and emacs do), then waits to be killed with casectl.
# (log's editor works on the same kind of private copy; it runs only on a terminal.)
test_a_signal_while_editing_removes_the_private_folder_and_the_editors_backup() {
  new_repo || return
  intake "Eve Editor" --program housing
  mkdir -m 700 runtime
  cat >slow-editor <<'SH'
#!/bin/sh
cp "$1" "$1~"
echo started >"$PWD/editor-started"
sleep 30
SH
  chmod +x slow-editor
  local command
  for command in "edit $id" "edit $id plan"; do
    rm -f editor-started
    # shellcheck disable=SC2086
    XDG_RUNTIME_DIR="$PWD/runtime" EDITOR="$PWD/slow-editor" "$CASECTL" $command </dev/null >/dev/null 2>&1 &
    local pid=$! i
    for i in $(seq 1 50); do [ -f editor-started ] && break; sleep 0.1; done
    [ -f editor-started ] || { fail "$command: the editor did not start"; kill "$pid"; return; }
    [ -n "$(ls runtime)" ] || fail "$command: no private folder while editing"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null
    pkill -f slow-editor 2>/dev/null
    [ -z "$(ls -A runtime)" ] || fail "$command: left behind: $(find runtime)"
  done
}

# --- 7. terminal escapes ------------------------------------------------------------------------------------------

# on_terminal ARGS...: runs casectl on a pseudo-terminal (script(1)); sets $out (the terminal's text).
on_terminal() {
  local command="$CASECTL"
  local arg
  for arg in "$@"; do command+=" $(printf '%q' "$arg")"; done
  out=$(script -qec "$command" /dev/null </dev/null 2>&1)
  rc=$?
}

test_hidden_formatting_is_refused_in_names_and_shown_on_terminals() {
  new_repo || return
  local rlo zwsp
  rlo=$(printf '\342\200\256') zwsp=$(printf '\342\200\213')  # U+202E, U+200B
  run intake "Ann ${rlo}txt.exe" --program housing
  expect_rc 65
  expect_err "invisible formatting character U+202E"
  run intake "Zed${zwsp}Zero" --program housing
  expect_rc 65
  intake "Ann Honest" --program housing
  run set "$id" "name=Ann ${rlo}Liar"
  expect_rc 65
  # Written by hand, it still reads, but a terminal shows it for what it is.
  sed -i "s/^  name: Ann Honest/  name: \"Ann ${rlo}Liar\"/" "cases/$id/case.yaml"
  on_terminal list
  [[ "$out" == *"Ann <U+202E>Liar"* ]] || fail "list on a terminal: $out"
  [[ "$out" != *"$rlo"* ]] || fail "the override reached the terminal"
  on_terminal show "$id"
  [[ "$out" != *"$rlo"* ]] || fail "show let the override reach the terminal"
  # Into a pipe or a file it is data, as written.
  run list --format json
  expect_out "Ann ${rlo}Liar"
}

test_a_file_name_with_escape_sequences_is_spelled_out() {
  new_repo || return
  intake "Fin Filename" --program housing
  touch "cases/$id/$(printf 'x\033]0;owned\007y')"
  run check
  expect_out 'x\x1B]0;owned\x07y'
  [[ "$out" != *$'\033'* ]] || fail "check printed an escape character"
}

# --- 4. no client data in messages --------------------------------------------------------------------------------

test_messages_never_repeat_what_may_be_client_data() {
  new_repo || return
  printf 'name,program\nAnn Row,Zelda Quux\n' >clients.csv
  run import clients.csv
  expect_rc 65
  expect_not_in_err "Zelda"
  expect_err "unknown program"
  intake "Ann Words" --program housing
  run log "$id" -m Talked with Zoltan Secretname about rent
  expect_rc 64
  expect_not_in_err "Zoltan"
  expect_not_in_err "Secretname"
  expect_err "quotes"
}

test_a_list_option_keeps_each_value_as_typed() {
  new_repo || return
  intake "Lia Lists" --program housing
  ok log "$id" -m "family meeting" --with "[Mom, Dad]" --with "Ann"
  run timeline "$id" --format json
  expect_jq '.[-1].text | test("with \\[Mom, Dad\\], Ann")'
  ok plan add "$id" "Stay housed" --step "[call, visit]"
  run plan "$id" --format json
  expect_jq '.goals[0].steps == ["[call, visit]"]'
}

test_a_time_zone_further_than_any_is_a_clear_usage_error() {
  new_repo || return
  intake "Tim Zone" --program housing
  TZ=UTC-15 run log "$id" -m "call"
  expect_rc 64
  expect_err "TZ"
  expect_not_in_err "YAML"
  TZ=UTC-14 run log "$id" -m "call"
  expect_rc 0
}

test_every_folder_made_is_followed_by_a_sync_of_its_parent() {
  command -v strace >/dev/null || return 0
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # LeakSanitizer cannot run under ptrace
  strace -f -e trace=mkdir,mkdirat,fsync -o init.trace "$CASECTL" init repo --no-git -q || { fail "init failed"; return; }
  cd repo || return
  strace -f -e trace=mkdir,mkdirat,fsync -o ../intake.trace "$CASECTL" intake "Dee Durable" --program housing \
    >/dev/null 2>&1 || { fail "intake failed"; return; }
  local trace
  for trace in ../init.trace ../intake.trace; do
    # Every mkdir is followed by an fsync before the next mkdir (or the end).
    awk '/mkdir/ { if (pending) bad = 1; pending = 1 } /fsync\(/ { pending = 0 } END { exit (bad || pending) }' \
      "$trace" || fail "a folder made without a sync of its parent: $(grep -E 'mkdir|fsync' "$trace" | head -20)"
  done
}
