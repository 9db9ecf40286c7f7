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
