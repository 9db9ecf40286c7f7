# Hardened against faults, hostile files and curious eyes (issue 11): one regression test per defect fixed.

ok() {
  run "$@"
  [ "$rc" -eq 0 ] || fail "setup command failed: casectl $*"
}

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

test_a_huge_goal_number_does_not_overflow_the_next_one() {
  new_repo || return
  intake "Gia Goals" --program housing
  ok plan add "$id" "First goal"
  sed -i 's/^  - id: "g1"$/  - id: "g2147483647"/' "cases/$id/plan.yaml"
  grep -q 'g2147483647' "cases/$id/plan.yaml" || { fail "could not set up the goal id"; return; }
  run plan add "$id" "Second goal"
  expect_rc 0
  expect_out "g2147483648"
  run plan add "$id" "Third goal"
  expect_rc 0
  expect_out "g2147483649"
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
