# init, intake, list, show: the happy paths and the contracts of their output.

test_init_creates_a_private_repository() {
  umask 022
  run init repo --agency "Test Agency" --no-git
  expect_rc 0
  expect_file repo/casectl.yaml
  expect_file repo/instruments/phq9.yaml
  expect_file repo/.gitignore
  expect_file repo/.gitattributes
  expect_mode repo 700
  expect_mode repo/casectl.yaml 600
  grep -q 'agency: "Test Agency"' repo/casectl.yaml || fail "agency not written"
  run -C repo check
  expect_rc 0
}

test_init_refuses_an_existing_repository() {
  new_repo
  local before
  before=$(snapshot .)
  run init . --no-git
  expect_rc 73
  expect_err "already a case repository"
  [ "$before" == "$(snapshot .)" ] || fail "files changed"
}

test_intake_prints_the_id_alone() {
  new_repo
  run intake "Maria Example" --dob 1980-04-02 --program housing --worker alice --risk medium --today 2026-01-10
  expect_rc 0
  [[ "$out" =~ ^c-[a-z2-7]{8}$ ]] || fail "stdout is not an ID alone: $out"
  expect_file "cases/$out/case.yaml"
  expect_mode "cases/$out" 700
  expect_mode "cases/$out/case.yaml" 600
}

test_list_defaults_to_open_cases() {
  new_repo
  intake "Maria Example" --program housing --worker alice --today 2026-01-10
  run list --today 2026-02-01 --format id
  expect_rc 0
  expect_out_is "$id"
  run list --format json --today 2026-02-01
  expect_out '"next_review": "2026-02-09"'
  expect_out '"name": "Maria Example"'
}

test_show_finds_a_case_by_prefix_and_by_name() {
  new_repo
  intake "Maria Example" --program housing --today 2026-01-10
  run show "${id:2:3}"
  expect_rc 0
  expect_out "Maria Example"
  run show maria --format json
  expect_rc 0
  expect_out "\"id\": \"$id\""
}

test_date_expressions() {
  run date 2026-02-28 --today 2026-01-01
  expect_out_is "2026-02-28"
  run date eom --today 2024-02-10
  expect_out_is "2024-02-29"
  run date fri --today 2026-11-20
  expect_out_is "2026-11-27"
  run date 2026-02-30
  expect_rc 64
}

test_the_example_agency_passes_check() {
  run -C "$SOURCE_DIR/examples/agency" check
  expect_rc 0
  run -C "$SOURCE_DIR/examples/agency" list status:all --format id
  [ "$(printf '%s\n' "$out" | wc -l)" -ge 5 ] || fail "the example agency should have cases at several stages"
}

test_the_example_cron_files_exist() {
  expect_file "$SOURCE_DIR/examples/cron/casectl.crontab"
  expect_file "$SOURCE_DIR/examples/cron/casectl-overdue@.service"
  expect_file "$SOURCE_DIR/examples/cron/casectl-overdue@.timer"
  grep -q 'report overdue' "$SOURCE_DIR/examples/cron/casectl.crontab" || fail "the crontab runs no report"
}

# The layers of the brief (model -> storage -> services -> command line -> main): each includes only those below.
test_each_layer_uses_only_the_layers_below() {
  cd "$SOURCE_DIR" || return
  local found
  found=$(grep -rln '<yaml.h>' src include | grep -v '^src/storage/')
  [ -z "$found" ] || fail "libyaml outside storage: $found"
  found=$(grep -rln 'CLI/CLI' src include | grep -v '^src/cli/')
  [ -z "$found" ] || fail "CLI11 outside the command line: $found"
  found=$(grep -rlE 'casectl/(storage|services)/|"(storage|services|cli)/' src/model include/casectl/model)
  [ -z "$found" ] || fail "the model includes a higher layer: $found"
  found=$(grep -rlE 'casectl/services/|"(services|cli)/' src/storage include/casectl/storage)
  [ -z "$found" ] || fail "storage includes a higher layer: $found"
  found=$(grep -rl '"cli/' src/services include/casectl/services)
  [ -z "$found" ] || fail "services include the command line: $found"
  found=$(grep -rlE 'casectl/storage/|"storage/' include/casectl/services)
  [ -z "$found" ] || fail "the services' public headers show the storage layer: $found"
  found=$(grep -rlE 'casectl/storage/|"storage/' src/cli src/main.cpp | grep -v '^src/cli/repository\.cpp$')
  [ -z "$found" ] || fail "the command line includes storage outside the composition root: $found"
  found=$(grep -rlE 'getenv|std::cout|std::cerr' src include | grep -v '^src/cli/')
  [ -z "$found" ] || fail "only the command line reads the environment or prints: $found"
}

# One writer at a time: two processes adding goals to the same plan (read, change, write) lose none.
test_concurrent_writers_lose_no_update() {
  new_repo
  intake "Maria Example" --program housing --today 2026-01-10
  export CASECTL_LOCK_TIMEOUT=60 CASECTL_TODAY=2026-01-10
  local n=12 w
  for w in a b; do
    (for i in $(seq 1 $n); do "$CASECTL" -q plan add "$id" "goal $w$i" >/dev/null || echo "failed $w$i"; done) >"$w.log" 2>&1 &
  done
  wait
  [ ! -s a.log ] && [ ! -s b.log ] || fail "a writer failed: $(cat a.log b.log)"
  run plan "$id" --format json
  [ "$(jq '.goals | length' <<<"$out")" -eq $((2 * n)) ] || fail "expected $((2 * n)) goals, got $(jq '.goals | length' <<<"$out")"
  [ "$(jq '[.goals[].id] | unique | length' <<<"$out")" -eq $((2 * n)) ] || fail "goal IDs are not unique"
  run check
  expect_rc 0
}

# A kill at any instant leaves the old face sheet or the new one, never a torn one; a stale temporary file is
# reported by check as a warning and removed by the next write.
test_kill_during_write_never_tears_a_file() {
  new_repo
  intake "Maria Example" --program housing --today 2026-01-10
  local i pid
  for i in $(seq 1 40); do
    "$CASECTL" -q --today 2026-01-10 set "$id" "phone=555-$i" "tags=t$i" >/dev/null 2>&1 &
    pid=$!
    sleep "0.00$((RANDOM % 9))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    run check
    [ "$rc" -eq 0 ] || { fail "check failed after kill $i"; return; }
  done
  run --today 2026-01-10 set "$id" phone=555-0000
  expect_rc 0
  [ -z "$(find "cases/$id" -name '.*.tmp-*')" ] || fail "a stale temporary file was not removed"
}

test_doctor_says_which_repository_worker_and_settings_are_in_use_and_why() {
  new_repo || return
  run doctor --format json
  expect_rc 0
  expect_jq '.repository | endswith("/repo (from the nearest folder at or above the working directory that holds casectl.yaml)")'
  expect_jq '.today | endswith("(from the system clock)")'
  expect_jq '.agency | startswith("Test Agency (")'
  expect_jq '."writer lock" == "free" and .interrupted == "none"'
  expect_jq '.colour == "off (the output is not a terminal)"'
  CASECTL_WORKER=alice NO_COLOR=1 run --today 2026-01-05 doctor --format json
  expect_jq '.you == "alice (from CASECTL_WORKER)"'
  expect_jq '.today == "2026-01-05 (from --today)"'
  expect_jq '.colour == "off (NO_COLOR is set)"'
  CASECTL_WORKER=nobody-here run doctor --format json
  expect_rc 0
  expect_jq '.you | startswith("cannot write: CASECTL_WORKER: unknown worker")'
  # Another writer holds the lock: doctor says so, and waits for nothing.
  flock .casectl.lock sleep 5 &
  local holder=$!
  sleep 0.3
  run doctor --format json
  kill "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null
  expect_jq '."writer lock" == "held: another casectl is writing now"'
  run doctor
  expect_out "git          not a git repository"
  cd .. || return
  run -C repo doctor --format json
  expect_jq '.repository | endswith("repo (from -C)")'
}

test_doctor_outside_a_repository_says_what_it_can_and_exits_66() {
  mkdir empty && cd empty || return
  run doctor
  expect_rc 66
  expect_out "casectl  0."
  expect_out "problem  not in a case repository"
  expect_out "colour"
}

test_doctor_tells_a_git_clone_s_branch_remote_and_unpushed_commits() {
  git init -q --bare remote.git
  new_repo || return
  git init -q -b main && git add -A && git -c user.email=t@example.org -c user.name=T commit -q -m init &&
    git remote add origin ../remote.git && git push -q -u origin main 2>/dev/null || { fail "git set-up failed"; return; }
  intake "Git Client" --program housing --worker alice -q || return
  git add -A && git -c user.email=t@example.org -c user.name=T commit -q -m "a case"
  run doctor --format json
  expect_rc 0
  expect_jq '.git | startswith("branch main; 0 uncommitted")'
  expect_jq '."git remote" == "origin; 1 commit(s) not pushed"'
  expect_jq '."git hooks" == "no pre-commit hook"'
  expect_jq '."git merge" | startswith("line by line")'
  run hooks install
  expect_rc 0
  run doctor --format json
  expect_jq '."git hooks" == "a pre-commit hook is installed"'
  expect_jq '."git merge" | startswith("face sheets and plans field by field")'
}

test_list_on_a_narrow_terminal_shortens_names_never_ids_and_drops_empty_columns() {
  new_repo || return
  intake "Bartholomew Featherstonehaugh-Wolfeschlegel" --program housing --worker alice -q || return
  local case_id=$id
  COLUMNS=80 on_a_terminal list --color never
  expect_out "$case_id  Bartholomew"
  expect_out "…"
  expect_not_in_out "CLOSED"   # open cases only: a column of nothing has no room on a terminal
  [ "$(wc -L <<<"$out")" -le 80 ] || fail "list is $(wc -L <<<"$out") columns wide on an 80-column terminal"
  run list
  expect_out "Bartholomew Featherstonehaugh-Wolfeschlegel"
  expect_out "CLOSED"
}

test_help_on_a_terminal_is_wrapped_to_its_width() {
  local args widest
  for args in "--help" "due --help" "export --help" "report contacts --help"; do
    # shellcheck disable=SC2086
    COLUMNS=80 on_a_terminal $args
    widest=$(wc -L <<<"$out")
    [ "$widest" -le 80 ] || fail "casectl $args is $widest columns wide on an 80-column terminal"
    expect_out "Usage: casectl"
  done
  run --help   # into a pipe: as CLI11 writes it
  [ "$(wc -L <<<"$out")" -gt 80 ] || fail "help into a pipe was wrapped"
}
