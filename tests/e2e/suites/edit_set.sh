# set, edit and the write path: validation before writing, nothing written on failure, comments and unknown keys,
# byte-identical rewrites, the editor's private copy, the lock, read-only folders and file modes.

CANARY="Zyxwv Canary"

# one_case: a repository (the working directory) with one open case, $id, of the canary client; $f is its face
# sheet, $T the test directory, and the editor's private copies go to $T/rt (checked empty by no_private_copy).
one_case() {
  T=$PWD
  mkdir -m 700 rt
  export XDG_RUNTIME_DIR=$T/rt TMPDIR=$T/rt CASECTL_TODAY=2026-01-10
  new_repo || return 1
  intake "$CANARY" --program housing --worker alice || return 1
  f=cases/$id/case.yaml
}

# editor NAME BODY: an executable shell script $T/NAME that edits the file "$1"; $n is how often it has run
# (counted in $T/NAME.count).
editor() {
  printf '#!/bin/sh\nn=$(($(cat "$0.count" 2>/dev/null || echo 0) + 1)); echo $n >"$0.count"\n%s\n' "$2" >"$T/$1"
  chmod 755 "$T/$1"
}

# unchanged SNAPSHOT: fails unless the repository is exactly as in SNAPSHOT.
unchanged() { [ "$1" == "$(snapshot .)" ] || fail "files changed"; }

no_private_copy() { [ -z "$(ls -A "$T/rt")" ] || fail "the editor's copy was left behind: $(ls -A "$T/rt")"; }

# wait_for_lock: waits until a background flock holds .casectl.lock.
wait_for_lock() {
  for _ in $(seq 50); do
    flock -n .casectl.lock true || return 0
    sleep 0.1
  done
  fail "the background flock never took the lock"
}

# ---- set ---------------------------------------------------------------------------------------------------

test_set_each_field() {
  one_case || return
  crun set "$id" name="Zyxwv Q. Canary" dob=1980-04-02 phone=555-0100 email=z@example.org address="12 Elm St" \
    language=Spanish member_id=MCD-000123 program=aging worker=bob risk=high referred_by="Springfield Shelter" \
    opened=2026-01-05 tags=veteran,rental-assistance
  expect_rc 0
  local line
  # Plain where YAML reads the text back as it is; the phone number is quoted, as it could be read as a number.
  for line in '  name: Zyxwv Q. Canary' '  dob: 1980-04-02' '  phone: "555-0100"' '  email: z@example.org' \
    '  address: 12 Elm St' '  language: Spanish' '  member_id: MCD-000123' 'program: aging' \
    'worker: bob' 'risk: high' 'referred_by: Springfield Shelter' 'opened: 2026-01-05' \
    '  - veteran' '  - rental-assistance'; do
    grep -qxF "$line" "$f" || fail "$f lacks the line: $line"
  done
  crun check
  expect_rc 0
}

test_set_clears_optional_fields_and_refuses_to_clear_required_ones() {
  one_case || return
  crun set "$id" phone=555-0100 risk=low tags=veteran
  crun set "$id" phone= risk= tags= program=
  expect_rc 0
  grep -Eq '^(  phone|risk|tags|program):' "$f" && fail "a cleared field is still written"
  local before
  before=$(snapshot .)
  crun set "$id" name=
  expect_rc 65
  crun set "$id" opened=
  expect_rc 65
  unchanged "$before"
}

test_set_unknown_field_gives_64_and_writes_nothing() {
  one_case || return
  local before
  before=$(snapshot .)
  crun set "$id" colour=red
  expect_rc 64
  expect_err "colour"
  crun set "$id" phone=555-0100 colour=red
  expect_rc 64
  crun set "$id" phone
  expect_rc 64
  unchanged "$before"
}

test_set_bad_date_gives_65_and_writes_nothing() {
  one_case || return
  local before value
  before=$(snapshot .)
  for value in dob=2026-02-30 dob=1980-4-2 dob=soon opened=2026-13-01 dob=2030-01-01; do
    crun set "$id" phone=555-0100 "$value"
    expect_rc 65
    expect_err "${value%%=*}"
  done
  unchanged "$before"
}

test_set_unknown_program_worker_risk_lists_the_known_ones() {
  one_case || return
  local before
  before=$(snapshot .)
  crun set "$id" program=nope
  expect_rc 65
  expect_err "housing, aging, mental-health"
  crun set "$id" worker=nope
  expect_rc 65
  expect_err "alice, bob"
  crun set "$id" risk=nope
  expect_rc 65
  expect_err "low, medium, high"
  unchanged "$before"
}

test_set_refuses_a_face_sheet_with_a_comment() {
  one_case || return
  sed -i 's/^worker: alice$/worker: alice  # assigned at intake/' "$f"
  cp "$f" "$T/before.yaml"
  crun set "$id" worker=bob
  expect_rc 65
  expect_err "$f:7"
  expect_err "comment"
  [ "$(grep -c "which rewriting it would lose" <<<"$err")" -eq 1 ] || fail "the reason is printed more than once"
  expect_same "$T/before.yaml" "$f"
  printf '# Do not share.\n' | cat - "$T/before.yaml" >"$f" && cp "$f" "$T/before.yaml"
  crun set "$id" phone=555-0100
  expect_rc 65
  expect_same "$T/before.yaml" "$f"
}

test_set_keeps_keys_casectl_does_not_know() {
  one_case || return
  echo 'x-agency-field: "kept"' >>"$f"
  sed -i 's/^client:$/client:\n  x-pronouns: "they"/' "$f"
  crun set "$id" worker=bob phone=555-0100
  expect_rc 0
  grep -qxF 'x-agency-field: kept' "$f" || fail "x-agency-field was dropped"
  grep -qxF '  x-pronouns: they' "$f" || fail "client.x-pronouns was dropped"
  [ "$(tail -n 1 "$f")" == 'x-agency-field: kept' ] || fail "unknown keys should come after the known ones"
}

test_a_rewrite_gives_identical_bytes() {
  one_case || return
  crun set "$id" address='Apt "B" #5, 12 Elm\St — Zoë 日本' referred_by="# not a comment" tags=a,b
  expect_rc 0
  cp "$f" "$T/first.yaml"
  crun set "$id" worker=alice
  expect_rc 0
  expect_same "$T/first.yaml" "$f"
  crun show "$id" --format json
  [ "$(jq -r .client.address <<<"$out")" == 'Apt "B" #5, 12 Elm\St — Zoë 日本' ] || fail "address did not load back"
  crun check
  expect_rc 0
}

test_set_refuses_control_characters_without_echoing_the_name() {
  one_case || return
  local before value
  before=$(snapshot .)
  for value in $'Zyxwv Canary\r' $'Zyxwv\x01Canary' $'Zyxwv Canary\nline two' $'Zyxwv \xff Canary' $'Zyxwv\u2028Canary'; do
    crun set "$id" name="$value"
    expect_rc 65
    expect_err "name"
    expect_not_in_err "$CANARY"
    expect_not_in_err "Zyxwv"
  done
  unchanged "$before"
}

test_set_does_not_write_through_a_symlink() {
  one_case || return
  mv "$f" "$T/elsewhere.yaml" && ln -s "$T/elsewhere.yaml" "$f"
  cp "$T/elsewhere.yaml" "$T/before.yaml"
  crun set "$id" worker=bob
  expect_rc 65
  expect_err "$f"
  expect_same "$T/before.yaml" "$T/elsewhere.yaml"
  [ -L "$f" ] || fail "the symbolic link was replaced"
}

# ---- edit --------------------------------------------------------------------------------------------------

test_edit_saves_a_valid_change_and_keeps_the_comment() {
  one_case || return
  sed -i 's/^worker: alice$/worker: alice  # assigned at intake/' "$f"
  editor ed "sed -i 's/^program: housing\$/program: aging/' \"\$1\""
  EDITOR=$T/ed crun edit "$id"
  expect_rc 0
  grep -qxF 'program: aging' "$f" || fail "the change was not saved"
  grep -qxF 'worker: alice  # assigned at intake' "$f" || fail "the user's comment was lost"
  expect_mode "$f" 600
  no_private_copy
}

test_edit_unchanged_writes_nothing() {
  one_case || return
  local before
  before=$(snapshot .)
  editor ed 'exit 0'
  EDITOR=$T/ed crun edit "$id"
  expect_rc 0
  expect_err "no changes"
  unchanged "$before"
  no_private_copy
}

test_edit_invalid_then_unchanged_gives_65_and_writes_nothing() {
  one_case || return
  local before
  before=$(snapshot .)
  editor ed '[ $n -eq 1 ] && sed -i "s/^worker: alice\$/worker: [oops/" "$1"; exit 0'
  EDITOR=$T/ed crun edit "$id"
  expect_rc 65
  expect_err_re "$f:[0-9]+:[0-9]+: error: "
  expect_not_in_err "$CANARY"
  [ "$(cat "$T/ed.count")" -eq 2 ] || fail "the editor was not re-opened once with the problems"
  unchanged "$before"
  no_private_copy
}

test_edit_invalid_then_fixed_is_saved() {
  one_case || return
  editor ed 'if [ $n -eq 1 ]; then sed -i "s/^worker: alice\$/worker: [oops/" "$1"
else cp "$1" "$0.seen"; sed -i "s/^worker: \[oops\$/worker: bob/" "$1"; fi'
  EDITOR=$T/ed crun edit "$id"
  expect_rc 0
  grep -qxF 'worker: bob' "$f" || fail "the fixed edit was not saved"
  grep -q '^# casectl:' "$f" && fail "casectl's explanation lines were saved into the file"
  grep -q '^# casectl: line [0-9]' "$T/ed.seen" || fail "the editor was not shown the problem"
  no_private_copy
}

test_edit_refuses_a_contact_file() {
  one_case || return
  mkdir -p "cases/$id/contacts"
  printf 'schema: 1\nkind: "contact"\nid: "k3x7"\ncase: "%s"\nat: "2026-03-05T10:30-05:00"\n' "$id" \
    >"cases/$id/contacts/2026-03-05-k3x7.yaml"
  local before
  before=$(snapshot .)
  editor ed 'echo "x-changed: true" >>"$1"'
  EDITOR=$T/ed crun edit "$id" contacts/2026-03-05-k3x7.yaml
  expect_rc 64
  EDITOR=$T/ed crun edit "$id" 2026-03-05-k3x7.yaml
  expect_rc 64
  [ ! -e "$T/ed.count" ] || fail "the editor was started"
  unchanged "$before"
}

test_edit_private_copy_is_private_and_removed() {
  one_case || return
  editor ed 'stat -c %a "$1" "$(dirname "$1")" >"$0.modes"; echo "$1" >"$0.path"
sed -i "s/^worker: alice\$/worker: bob/" "$1"'
  EDITOR=$T/ed crun edit "$id"
  expect_rc 0
  [ "$(tr '\n' ' ' <"$T/ed.modes")" == "600 700 " ] || fail "copy and folder modes: $(cat "$T/ed.modes")"
  [[ "$(cat "$T/ed.path")" == "$T/rt/"* ]] || fail "the copy is not under XDG_RUNTIME_DIR: $(cat "$T/ed.path")"
  [[ "$(cat "$T/ed.path")" != *Zyxwv* ]] || fail "the copy's path names the client"
  no_private_copy
}

test_edit_with_a_failing_editor_writes_nothing() {
  one_case || return
  local before
  before=$(snapshot .)
  editor ed 'echo "x-changed: true" >>"$1"; exit 3'
  EDITOR=$T/ed crun edit "$id"
  [ "$rc" -ne 0 ] || fail "exit code 0 after the editor failed"
  expect_err "editor"
  unchanged "$before"
  no_private_copy
}

test_edit_interrupted_by_ctrl_c_removes_the_private_copy() {
  one_case || return
  cp "$f" "$T/before.yaml"
  # Ctrl-C at a terminal signals the whole foreground process group: casectl and the editor (which ignores it,
  # as vi does, and then quits without a change).
  editor ed 'trap "" INT; kill -INT 0; sleep 0.3'
  EDITOR=$T/ed timeout 10 setsid "$CASECTL" edit "$id" >/dev/null 2>&1 </dev/null
  sleep 0.5
  expect_same "$T/before.yaml" "$f"
  no_private_copy
}

test_edit_refuses_when_the_file_changed_meanwhile() {
  one_case || return
  export CASE_ID=$id
  editor ed '"$CASECTL" set "$CASE_ID" phone=555-0199 >/dev/null 2>&1
sed -i "s/^worker: alice\$/worker: bob/" "$1"'
  EDITOR=$T/ed crun edit "$id"
  [ "$rc" -ne 0 ] || fail "exit code 0: the concurrent change was overwritten"
  expect_err "$f"
  grep -qxF '  phone: "555-0199"' "$f" || fail "the change made meanwhile was lost"
  grep -qxF 'worker: alice' "$f" || fail "the stale edit was written"
  no_private_copy
}

# ---- lock, read-only folders, modes --------------------------------------------------------------------------

test_set_gives_75_while_the_lock_is_held() {
  one_case || return
  local before holder
  before=$(snapshot .)
  flock .casectl.lock sleep 3 &
  holder=$!
  wait_for_lock
  CASECTL_LOCK_TIMEOUT=0.5 crun set "$id" worker=bob
  expect_rc 75
  expect_err "lock"
  expect_not_in_err "$CANARY"
  unchanged "$before"
  wait "$holder"
}

test_edit_gives_75_while_the_lock_is_held() {
  one_case || return
  local before holder
  before=$(snapshot .)
  editor ed 'sed -i "s/^worker: alice\$/worker: bob/" "$1"'
  flock .casectl.lock sleep 3 &
  holder=$!
  wait_for_lock
  EDITOR=$T/ed CASECTL_LOCK_TIMEOUT=0.5 crun edit "$id"
  expect_rc 75
  unchanged "$before"
  no_private_copy
  wait "$holder"
}

test_set_in_a_read_only_case_folder_writes_nothing() {
  one_case || return
  cp "$f" "$T/before.yaml"
  chmod 500 "cases/$id"
  (cd "$T" && chown -R 65534:65534 repo 2>/dev/null)
  as_unprivileged set "$id" worker=bob
  [ "$rc" -eq 73 ] || [ "$rc" -eq 77 ] || fail "exit code $rc, expected 73 or 77"
  expect_err "cases/$id"
  expect_not_in_err "$CANARY"
  expect_same "$T/before.yaml" "$f"
  [ "$(ls -A "cases/$id")" == "case.yaml" ] || fail "a temporary file was left: $(ls -A "cases/$id")"
}

test_files_created_under_umask_022_are_private() {
  umask 022
  one_case || return
  crun set "$id" phone=555-0100 tags=veteran
  expect_rc 0
  editor ed 'sed -i "s/^worker: alice\$/worker: bob/" "$1"'
  EDITOR=$T/ed crun edit "$id"
  expect_rc 0
  editor plan 'sed -i "s/^goals: \[\]\$/goals:\n  - id: g1\n    goal: Find housing\n    status: active/" "$1"'
  EDITOR=$T/plan crun edit "$id" plan.yaml
  expect_rc 0
  expect_file "cases/$id/plan.yaml"
  local loose
  loose=$(find . -path ./.git -prune -o -perm /077 -print)
  [ -z "$loose" ] || fail "group or other permissions on: $loose"
}

test_failing_commands_never_print_the_client_name() {
  one_case || return
  intake "$CANARY Junior" || return
  editor ed 'sed -i "s/^  name: .*/  name: [Zyxwv Canary/" "$1"'
  local cmd
  for cmd in "set zyxwv phone=1" "set $id colour=red" "set $id dob=2026-02-30" "set $id worker=nope" \
    "edit $id" "show zyxwv" "edit zyxwv"; do
    # shellcheck disable=SC2086
    EDITOR=$T/ed crun $cmd
    [ "$rc" -ne 0 ] || fail "casectl $cmd should fail"
    expect_not_in_err "$CANARY"
  done
}
