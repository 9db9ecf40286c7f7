# At a terminal: long output goes through the pager, long work shows its progress on stderr; neither ever happens
# when the output goes to a file, a pipe or cron mail.

# on_tty SHELL-COMMAND: runs the command line on a pseudo-terminal (script(1)): sets out to what the terminal
# showed (stdout and stderr together, carriage returns kept) and rc to the command's exit status. $CASECTL is
# exported, so the command line can use it. A pager that waits for a key fails the test after 30 s (300 s under the
# sanitizers, where reading 5,000 cases takes longer than 30). (run.sh sets PAGER=cat; each test here names the
# pager it wants.)
tty_limit=30
if sanitized; then tty_limit=300; fi
on_tty() {
  local o
  o=$(mktemp)
  timeout -k 2 "$tty_limit" script -qec "$1" /dev/null >"$o" 2>&1
  rc=$?
  out=$(cat "$o")
  rm -f "$o"
  [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "hung on a terminal: $1"
}

# fake_pager: $PWD/pager.sh, a pager that writes a line to $PWD/pager.log each time it runs (with the LESS it
# was given) and shows its input between two markers.
fake_pager() {
  printf '#!/bin/sh\necho "ran LESS=${LESS-unset}" >>"%s/pager.log"\necho "[pager]"\ncat\necho "[/pager]"\n' "$PWD" \
    >"$PWD/pager.sh"
  chmod +x "$PWD/pager.sh"
  PAGER_SH=$PWD/pager.sh
  PAGER_LOG=$PWD/pager.log
}

pager_runs() { [ -f "$PAGER_LOG" ] && wc -l <"$PAGER_LOG" || echo 0; }

# one_case: a repository with one case ($id) that has a contact note ($note).
one_case() {
  fake_pager
  new_repo || return 1
  intake "Maria Example" --program housing --worker alice --today 2026-01-05 || return 1
  run log "$id" -m "Phoned Maria about the voucher" --minutes 20 --today 2026-01-06
  note=$out
}

test_paged_commands_go_through_the_pager_on_a_terminal() {
  one_case || return
  local n=0 cmd
  for cmd in "show $id" "timeline $id" "note $id $note" "list" "due --today 2026-06-01" "report caseload" \
    "report overdue --today 2026-06-01" "plan $id" "sql 'SELECT 1 AS one'"; do
    on_tty "PAGER=$PAGER_SH \"\$CASECTL\" $cmd"
    n=$((n + 1))
    [ "$rc" -eq 0 ] || fail "$cmd: exit $rc on a terminal with a pager"
    [ "$(pager_runs)" -eq "$n" ] || fail "$cmd: the pager did not run"
    [[ "$out" == *"[pager]"*"[/pager]"* ]] || fail "$cmd: the output did not go through the pager: $out"
  done
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" show $id"
  [[ "$out" == *"[pager]"*"Maria Example"*"[/pager]"* ]] || fail "show: the case is not in the pager's input"
}

test_the_default_pager_is_less_which_quits_at_once_when_the_output_fits() {
  command -v less >/dev/null || return 0
  one_case || return
  run set "$id" "name=$(printf 'Jos\xc3\xa9 Example')"
  on_tty "unset PAGER; \"\$CASECTL\" show $id"
  [ "$rc" -eq 0 ] || fail "show through less: exit $rc"
  # UTF-8 whatever the locale (LANG=C here), as casectl writes it without a pager
  [[ "$out" == *$'Jos\xc3\xa9 Example'* ]] || fail "show through less: $out"
}

test_the_pager_gets_colours_the_width_and_LESS_as_git_sets_it() {
  one_case || return
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" list"
  [[ "$out" == *"[pager]"*$'\e[1m'*"[/pager]"* ]] || fail "the colours chosen for the terminal were lost: $out"
  grep -qx 'ran LESS=FRX' "$PAGER_LOG" || fail "LESS is not FRX when it was not set: $(cat "$PAGER_LOG")"
  on_tty "LESS=R PAGER=$PAGER_SH \"\$CASECTL\" list"
  grep -qx 'ran LESS=R' "$PAGER_LOG" || fail "the user's LESS was not kept: $(cat "$PAGER_LOG")"
  on_tty "NO_COLOR=1 PAGER=$PAGER_SH \"\$CASECTL\" list"
  [[ "$out" != *$'\e['* ]] || fail "NO_COLOR was ignored through the pager"
}

test_no_pager_when_stdout_is_not_a_terminal() {
  one_case || return
  export PAGER=$PAGER_SH
  run list
  expect_rc 0
  expect_out "Maria Example"
  run show "$id"
  expect_rc 0
  on_tty "\"\$CASECTL\" list >listed.txt"
  [ "$rc" -eq 0 ] || fail "list into a file on a terminal: exit $rc"
  grep -q "Maria Example" listed.txt || fail "the listing did not reach the file"
  on_tty "\"\$CASECTL\" show $id | cat"
  [[ "$out" == *"Maria Example"* ]] || fail "show into a pipe lost its output"
  [ "$(pager_runs)" -eq 0 ] || fail "the pager ran for output that was not going to a terminal"
}

test_no_pager_option_and_environment_turn_the_pager_off() {
  one_case || return
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" --no-pager list"
  [[ "$out" == *"Maria Example"* && "$out" != *"[pager]"* ]] || fail "--no-pager: $out"
  on_tty "CASECTL_PAGER= PAGER=$PAGER_SH \"\$CASECTL\" list"
  [[ "$out" == *"Maria Example"* && "$out" != *"[pager]"* ]] || fail "CASECTL_PAGER empty: $out"
  on_tty "PAGER=cat \"\$CASECTL\" list"
  [[ "$out" == *"Maria Example"* ]] || fail "PAGER=cat: $out"
  on_tty "PAGER= \"\$CASECTL\" list"
  [[ "$out" == *"Maria Example"* ]] || fail "PAGER empty: $out"
  [ "$(pager_runs)" -eq 0 ] || fail "the pager ran although it was turned off"
  # CASECTL_PAGER comes before PAGER.
  on_tty "CASECTL_PAGER=$PAGER_SH PAGER=/nonexistent/pager \"\$CASECTL\" list"
  [ "$(pager_runs)" -eq 1 ] || fail "CASECTL_PAGER was not used before PAGER"
  [[ "$out" != *"cannot run the pager"* ]] || fail "PAGER was tried although CASECTL_PAGER is set: $out"
}

test_commands_that_write_or_print_nothing_never_start_the_pager() {
  one_case || return
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" log $id -m 'Left a message' --type attempt"
  [ "$rc" -eq 0 ] || fail "log on a terminal: exit $rc"
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" intake 'Ben Example' --program housing --worker alice"
  [ "$rc" -eq 0 ] || fail "intake on a terminal: exit $rc"
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" show c-zzzzzzzz"
  [ "$rc" -eq 66 ] || fail "show of no case: exit $rc, expected 66"
  [[ "$out" == *"error"* ]] || fail "the error was not shown: $out"
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" report overdue --today 2026-01-07"
  [ "$rc" -eq 0 ] || fail "report overdue with nothing overdue: exit $rc"
  [ "$(pager_runs)" -eq 0 ] || fail "the pager ran for a write, an error or an empty report"
}

test_a_pager_that_cannot_be_run_is_skipped_with_a_note() {
  one_case || return
  on_tty "PAGER=/nonexistent/pager \"\$CASECTL\" list"
  [ "$rc" -eq 0 ] || fail "exit $rc with a pager that does not exist"
  [[ "$out" == *"cannot run the pager '/nonexistent/pager'"* ]] || fail "no note about the pager: $out"
  [[ "$out" == *"Maria Example"* ]] || fail "the output was lost with the pager: $out"
  on_tty "PAGER=/nonexistent/pager \"\$CASECTL\" -q list"
  [[ "$out" != *"cannot run the pager"* && "$out" == *"Maria Example"* ]] || fail "--quiet: $out"
}

test_quitting_the_pager_early_is_not_an_error() {
  one_case || return
  local q='WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i FROM n'
  on_tty "PAGER='head -n 3' \"\$CASECTL\" sql '$q'"
  [ "$rc" -eq 0 ] || fail "exit $rc after the pager was quit early"
  [[ "$out" != *"error"* && "$out" != *"Broken pipe"* ]] || fail "a message after the pager was quit: $out"
  [ "$(printf '%s\n' "$out" | grep -c .)" -le 3 ] || fail "more than the pager showed reached the terminal"
}

test_the_exit_status_survives_the_pager() {
  one_case || return
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" due --exit-code --today 2026-06-01"
  [ "$rc" -eq 1 ] || fail "due --exit-code with items due: exit $rc through the pager, expected 1"
  [ "$(pager_runs)" -eq 1 ] || fail "the pager did not run"
}

test_help_goes_through_the_pager() {
  fake_pager
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" --help"
  [ "$rc" -eq 0 ] || fail "--help: exit $rc"
  [[ "$out" == *"[pager]"*"--no-pager"*"[/pager]"* ]] || fail "--help did not go through the pager: $out"
  on_tty "PAGER=$PAGER_SH \"\$CASECTL\" list --help --no-pager"
  [[ "$out" == *"status:open"* && "$out" != *"[pager]"* ]] || fail "list --help --no-pager: $out"
  [ "$(pager_runs)" -eq 1 ] || fail "the pager ran for help with --no-pager"
}

# many_cases N: a repository of N open cases, each with six contact notes, written straight to the files.
many_cases() {
  new_repo || return 1
  python3 - "$1" <<'EOF'
import os, random, sys
random.seed(7)
alpha = "abcdefghijklmnopqrstuvwxyz234567"
for i in range(int(sys.argv[1])):
    cid = "c-" + "".join(random.choice(alpha) for _ in range(8))
    os.makedirs(f"cases/{cid}/contacts")
    with open(f"cases/{cid}/case.yaml", "w") as f:
        f.write(f"schema: 1\nid: {cid}\nstatus: open\nclient:\n  name: Client {i} Invented\nprogram: housing\n"
                f"worker: alice\nopened: 2026-01-05\nhistory:\n  - date: 2026-01-05\n    event: opened\n")
    for k in range(6):
        rid = "".join(random.choice("abcdfghijk") for _ in range(3)) + alpha[k]
        with open(f"cases/{cid}/contacts/2026-01-{6 + k:02d}-{rid}.yaml", "w") as f:
            f.write(f"schema: 1\nkind: contact\nid: {rid}\ncase: {cid}\nat: 2026-01-{6 + k:02d}T10:00+00:00\n"
                    f"type: phone\nminutes: 10\nworker: alice\nnote: |\n  Called the client.\n")
EOF
}

# Progress is a line rewritten in place: "\rWHAT DONE/TOTAL…", erased at the end with blanks.
has_progress() { [[ "$out" == *$'\r'"$1 "[0-9]*/"$2"$'\xe2\x80\xa6'* ]]; }

test_long_work_shows_progress_on_stderr_at_a_terminal() {
  many_cases 5000 || return
  on_tty "\"\$CASECTL\" check --full >/dev/null"
  [ "$rc" -eq 0 ] || fail "check --full: exit $rc"
  has_progress "checking cases" 5000 || fail "check --full showed no progress: ${out:0:300}"
  [[ "$out" == *$'\r'"     "*$'\r'"casectl: no problems found"* ]] || fail "the progress line was not erased first"
  rm -rf .cache
  on_tty "\"\$CASECTL\" list >/dev/null"
  [ "$rc" -eq 0 ] || fail "list: exit $rc"
  has_progress "reading cases" 5000 || fail "a cold index showed no progress: ${out:0:300}"
}

test_import_shows_progress_at_a_terminal() {
  many_cases 3000 || return
  # 10,000 rows, so that the work lasts the half second before progress shows; names unlike each other, so that
  # a warning per row does not flood the terminal.
  python3 -c 'import random, string
random.seed(3)
word = lambda: "".join(random.choice(string.ascii_lowercase) for _ in range(9)).title()
print("name,dob,program,worker")
for i in range(10000): print(f"{word()} {word()},1981-02-{i % 28 + 1:02d},housing,alice")' >../clients.csv
  on_tty "\"\$CASECTL\" -q import ../clients.csv --dry-run >/dev/null"
  [ "$rc" -eq 0 ] || fail "import --dry-run: exit $rc"
  [[ "$out" != *$'\xe2\x80\xa6'* ]] || fail "progress shown with --quiet: ${out:0:300}"
  on_tty "\"\$CASECTL\" import ../clients.csv >/dev/null"
  [ "$rc" -eq 0 ] || fail "import: exit $rc"
  [ "$(ls cases | wc -l)" -eq 13000 ] || fail "the rows were not imported"
  [[ "$out" =~ $'\r'(reading\ rows|preparing\ cases|writing\ files|reading\ cases)\ [0-9]+/[0-9]+$'\xe2\x80\xa6' ]] ||
    fail "import showed no progress: ${out:0:300}"
}

test_progress_never_shows_when_stderr_is_not_a_terminal() {
  many_cases 5000 || return
  run check --full
  expect_rc 0
  [[ "$err" != *$'\r'* && "$err" != *"checking cases"* ]] || fail "progress in stderr that is not a terminal"
  rm -rf .cache
  on_tty "\"\$CASECTL\" list 2>list.err >/dev/null"
  [ "$rc" -eq 0 ] || fail "list: exit $rc"
  [ ! -s list.err ] || fail "progress written to a file: $(head -c 200 list.err)"
  on_tty "\"\$CASECTL\" -q check --full >/dev/null"
  [[ "$out" != *"checking cases"* ]] || fail "progress shown with --quiet"
}
