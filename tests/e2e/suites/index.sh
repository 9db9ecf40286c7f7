# The index is never wrong (issue 10): after casectl's own commands, git, hand edits of every kind, a damaged or
# foreign index file, readers racing a writer, and a read-only repository, every command that reads many cases
# answers exactly as it does with --no-cache, which reads every file.
#
# The index trusts a file's stamp only once it is 2 seconds old (a change within the clock's resolution of the
# stamp would not show), so the tests wait that long before the commands that should fill it.

settle() { sleep 2.2; }

# index_rows: how many cases the index file holds a face sheet for (python's sqlite3, read-only).
index_rows() {
  python3 - "$PWD/.cache/index.sqlite" <<'EOF' 2>/dev/null || echo none
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("select count(*) from cases join faces using (id)").fetchone()[0])
EOF
}

# warm: fills the index from files old enough to be trusted, and checks it was filled.
warm() {
  settle
  run list status:all
  run list status:all
  [ "$(index_rows)" != none ] && [ "$(index_rows)" -gt 0 ] || fail "the index was not filled: $(index_rows)"
}

# The commands compared, each with the index and with --no-cache: today, and replayed on a past day.
COMPARED=(
  "list status:all --format json"
  "list --format json"
  "list status:closed --format json"
  "due --format json"
  "due --within 400d --format json"
  "report overdue --format json"
  "report caseload --from 2026-01-01 --to 2026-06-30 --format json"
  "report contacts --from 2026-01-01 --to 2026-06-30 --format json"
  "report goals --from 2026-01-01 --to 2026-06-30 --format json"
  "report referrals --from 2026-01-01 --to 2026-06-30 --format json"
  "report compliance --from 2026-01-01 --to 2026-06-30 --format json"
  "report closures --from 2026-01-01 --to 2026-06-30 --format json"
  "report outcomes -i phq9 --from 2026-01-01 --to 2026-06-30 --format json"
  "export --deidentify --format csv"
  "--today 2026-03-15 list status:all --format json"
  "--today 2026-03-15 due --format json"
  "--today 2026-03-15 report overdue --format json"
  "check"
)

# same_answers [WHO]: every compared command gives the same stdout, stderr and exit code both ways (WHO=nobody
# runs them as the unprivileged user).
same_answers() {
  local cmd with without
  for cmd in "${COMPARED[@]}"; do
    # shellcheck disable=SC2086
    if [ "${1:-}" == nobody ]; then
      as_unprivileged $cmd; with="$rc|$out|$err"
      as_unprivileged --no-cache $cmd; without="$rc|$out|$err"
    else
      run $cmd; with="$rc|$out|$err"
      run --no-cache $cmd; without="$rc|$out|$err"
    fi
    if [ "$with" != "$without" ]; then
      fail "'casectl $cmd' answers differently with the index"
      diff <(printf '%s\n' "$with") <(printf '%s\n' "$without") | head -10 >&2
      return 1
    fi
  done
}

# rewrite_in_place FILE FROM TO: replaces FROM by TO in FILE, writing the same file (same inode), as an editor that
# writes in place does: no folder changes.
rewrite_in_place() {
  python3 - "$@" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
with open(path, "r+", encoding="utf-8") as f:
    text = f.read().replace(old, new)
    f.seek(0)
    f.write(text)
    f.truncate()
EOF
}

# phq9 N...: the --score options of a PHQ-9 with these nine answers.
phq9() {
  local i=1 n
  for n in "$@"; do printf -- '--score q%d=%d ' "$i" "$n"; i=$((i + 1)); done
}

# agency: a repository with open, closed and reopened cases, records of every kind, over the first half of 2026.
agency() {
  new_repo || return 1
  export CASECTL_TODAY=2026-06-30
  intake "Ann Lee" --program housing --worker alice --opened 2026-01-05 --dob 1980-02-03 || return 1
  ann=$id
  ok log "$ann" -m "first visit" --type visit --minutes 45 --at 2026-01-06T10:00
  ok assess "$ann" -i phq9 $(phq9 1 1 1 1 1 1 1 1 0) --today 2026-01-10
  ok assess "$ann" -i phq9 $(phq9 0 0 1 0 0 1 0 0 0) --today 2026-05-10
  ok plan add "$ann" "Find stable housing" --target 2026-05-01 --today 2026-01-12
  ann_goal=$out
  ok refer "$ann" --to "Food bank" --without-consent "verbal consent given" --today 2026-02-01
  intake "Ben Ortiz" --program housing --worker bob --opened 2026-01-10 || return 1
  ben=$id
  ok log "$ben" -m "phone call" --type phone --minutes 20 --at 2026-02-02T09:00
  ok close "$ben" --reason moved --today 2026-04-01
  intake "Cy Park" --program housing --worker alice --opened 2025-11-01 || return 1
  cy=$id
  ok log "$cy" -m "visit" --type visit --minutes 30 --at 2026-01-20T14:00
  ok close "$cy" --reason goals-met --today 2026-02-15
  ok reopen "$cy" --today 2026-03-20
  ok transfer "$cy" --to bob --today 2026-04-02
  ok review "$cy" -m "going well" --today 2026-04-10
  ok export --deidentify   # makes the pseudonyms' key, which a read-only repository could not
}

test_the_index_is_made_on_first_use_private_and_git_ignored() {
  agency || return
  warm
  expect_file .cache/index.sqlite
  expect_mode .cache/index.sqlite 600
  expect_mode .cache 700
  grep -qx '.cache/' .gitignore || fail ".gitignore does not list .cache/"
  same_answers
}

test_casectl_commands_keep_it_current() {
  agency || return
  warm
  ok log "$ann" -m "home visit" --type visit --minutes 60 --at 2026-06-01T10:00
  ok plan update "$ann" "$ann_goal" --status met --progress "Moved in." --today 2026-06-09
  ok close "$ann" --reason goals-met --today 2026-06-10
  ok reopen "$ben" --today 2026-06-12
  ok set "$cy" name="Cyrus Park" risk=high
  ok assess "$cy" -i phq9 $(phq9 2 2 2 1 1 1 0 0 0) --today 2026-06-20
  ok plan add "$ben" "Keep the job" --target 2026-09-01 --today 2026-06-13
  same_answers
  intake "Dee Moss" --program housing --worker alice --opened 2026-06-29 || return
  same_answers
  warm
  same_answers
}

test_a_face_sheet_rewritten_in_place_the_same_size_in_the_same_second_shows() {
  agency || return
  warm
  # An editor that writes in place, then gives the file back its old size and mtime: only the ctime changes.
  python3 - "cases/$ann/case.yaml" <<'EOF'
import os, sys
path = sys.argv[1]
st = os.stat(path)
text = open(path, encoding="utf-8").read().replace("Ann Lee", "Ann Lea", 1)
assert len(text.encode()) == st.st_size
with open(path, "r+", encoding="utf-8") as f:
    f.write(text)
os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
EOF
  run list --format json
  expect_jq --arg id "$ann" '.[] | select(.id == $id) | .name == "Ann Lea"'
  same_answers
}

test_an_mtime_in_the_future_or_the_past_does_not_fool_it() {
  agency || return
  warm
  sed -i 's/^risk: .*$//' "cases/$cy/case.yaml"
  touch -d "2031-01-01" "cases/$cy/case.yaml"
  same_answers
  settle
  same_answers
  sed -i "s/Ann Lee/Ann Lea/" "cases/$ann/case.yaml"
  touch -d "2020-01-01" "cases/$ann/case.yaml" "cases/$ann"
  same_answers
  run list "Ann Lea"
  expect_out "$ann"
}

test_records_and_cases_added_removed_or_renamed_by_hand_show() {
  agency || return
  warm
  local contact
  contact=$(find "cases/$ann/contacts" -name '*.yaml' | head -1)
  sed "s/^id: .*/id: \"x7k2m9p4\"/" "$contact" >"cases/$ann/contacts/2026-06-02-x7k2m9p4.yaml"
  same_answers
  rm "$contact"
  same_answers
  mkdir -p "cases/$ben/contacts"
  cp "cases/$ann/contacts/2026-06-02-x7k2m9p4.yaml" "cases/$ben/contacts/"
  sed -i "s/^case: .*/case: \"$ben\"/" "cases/$ben/contacts/2026-06-02-x7k2m9p4.yaml"
  same_answers   # a closed case's history, changed by hand, read for the past period and the replayed day
  rm -r "cases/$cy/reviews"
  same_answers
  mv "cases/$cy" "$PWD/../cy-moved"
  same_answers
  mv "$PWD/../cy-moved" "cases/$cy"
  same_answers
  cp -r "cases/$ann" "cases/c-abcdefgh"   # a copy whose id does not match its folder: a problem both ways
  same_answers
  rm -r "cases/c-abcdefgh"
  warm
  same_answers
}

test_a_changed_configuration_is_taken_into_account() {
  agency || return
  warm
  sed -i 's/^  - id: bob$/  - id: bob\n    active: false/' casectl.yaml
  same_answers
  sed -i 's/every: 30d/every: 10d/' casectl.yaml
  same_answers
  warm
  same_answers
}

test_git_checkout_pull_merge_reset_and_rebase() {
  agency || return
  git init -q . && git add -A && git -c user.email=t@example.org -c user.name=T commit -qm start || return
  warm
  git checkout -q -b side
  ok log "$ann" -m "on a branch" --type phone --minutes 5 --at 2026-06-20T09:00
  ok close "$cy" --reason withdrew --today 2026-06-21
  git add -A && git -c user.email=t@example.org -c user.name=T commit -qm side
  warm
  git checkout -q master 2>/dev/null || git checkout -q main
  same_answers
  ok log "$cy" -m "main line" --type phone --minutes 5 --at 2026-06-22T09:00
  git add -A && git -c user.email=t@example.org -c user.name=T commit -qm main
  warm
  git -c user.email=t@example.org -c user.name=T merge -q --no-edit side
  same_answers
  git reset -q --hard HEAD~1
  same_answers
  git -c user.email=t@example.org -c user.name=T rebase -q side >/dev/null 2>&1
  same_answers
  # a pull from a clone that went on working
  local here=$PWD
  git clone -q "$here" "$here/../other" && (cd "$here/../other" && "$CASECTL" log "$ann" -m "from the other clone" \
    --type visit --minutes 15 --at 2026-06-25T11:00 >/dev/null && git add -A &&
    git -c user.email=t@example.org -c user.name=T commit -qm other)
  warm
  git -c user.email=t@example.org -c user.name=T pull -q --no-rebase "$here/../other" HEAD
  same_answers
}

test_a_damaged_foreign_or_unreadable_index_is_made_again_never_trusted() {
  agency || return
  warm
  local expected
  run list status:all --format json
  expected=$out
  head -c 3000 .cache/index.sqlite >.cache/cut && mv .cache/cut .cache/index.sqlite   # truncated
  same_answers
  warm
  python3 - .cache/index.sqlite <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for i in range(len(data) // 2, len(data), 97):   # damage values, not the header
    data[i] ^= 0x5a
open(sys.argv[1], "wb").write(bytes(data))
EOF
  same_answers
  warm
  printf 'not a database at all\n' >.cache/index.sqlite
  same_answers
  warm
  python3 - .cache/index.sqlite <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update meta set value = '999' where key = 'version'")
db.execute("update cases set name = 'someone else'")
db.commit()
EOF
  same_answers
  # a summary changed by hand, with a stamp that still matches: its check sum does not hold
  python3 - .cache/index.sqlite "$ann" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update cases set open = 1 - open where id = ?", (sys.argv[2],))
db.commit()
EOF
  same_answers
  warm
  run list status:all --format json
  [ "$out" == "$expected" ] || fail "the remade index answers differently"
  rm -rf .cache && mkdir .cache && ln -s /etc/hostname .cache/index.sqlite   # a symbolic link is never followed
  same_answers
  [ "$(cat /etc/hostname)" != "" ] || fail "/etc/hostname was emptied"
  rm -rf .cache && printf 'x' >.cache     # not even a folder: read without an index
  same_answers
  rm -f .cache
  if [ "$(id -u)" -eq 0 ]; then
    warm
    chown -R 65534:65534 .
    chmod 000 .cache/index.sqlite
    same_answers nobody
  fi
}

test_a_read_only_repository_is_answered_without_saving() {
  agency || return
  [ "$(id -u)" -eq 0 ] || return 0
  rm -rf .cache
  settle
  chown -R 65534:65534 .
  chmod -R a-w .
  same_answers nobody   # no index can be made: read without one
  expect_no_file .cache/index.sqlite
  chmod -R u+w . && as_unprivileged list && chmod -R a-w .   # made, but from files too new to trust
  settle
  chmod -R u+w . && as_unprivileged list && as_unprivileged list && chmod -R a-w .
  same_answers nobody   # an index that cannot be written is read, and checked, all the same
  chmod -R u+w . && chown -R 0:0 .
  ok log "$ann" -m "later" --type phone --minutes 5 --at 2026-06-29T09:00
  chown -R 65534:65534 . && chmod -R a-w .
  same_answers nobody
  chmod -R u+w .
}

test_two_readers_and_a_writer_at_once() {
  agency || return
  warm
  local pids=() i
  for i in 1 2; do
    (for _ in 1 2 3 4 5 6 7 8; do "$CASECTL" due --format json >/dev/null 2>&1 || echo "reader failed" >>../errors; done) &
    pids+=($!)
  done
  for i in 1 2 3 4 5 6; do
    "$CASECTL" log "$ann" -m "note $i" --type phone --minutes 5 --at "2026-06-2${i}T09:00" >/dev/null 2>&1 ||
      echo "writer failed" >>../errors
    "$CASECTL" list status:all >/dev/null 2>&1 || echo "reader failed" >>../errors
  done
  wait "${pids[@]}"
  [ ! -s ../errors ] || fail "$(cat ../errors)"
  same_answers
  settle
  same_answers
}

test_name_lookup_uses_the_index_and_stays_right() {
  agency || return
  warm
  run show "Ann Lee"
  expect_rc 0
  expect_out "$ann"
  sed -i "s/Ben Ortiz/Ann Ortiz/" "cases/$ben/case.yaml"   # by hand: now two cases match "Ann"
  run show ann
  expect_rc 64
  expect_err "$ann"
  expect_err "$ben"
  run --no-cache show ann
  expect_rc 64
  run log ann -m "which one?" --type phone
  expect_rc 64
  run show "Ann Ortiz"
  expect_rc 0
  expect_out "$ben"
}

test_many_cases_whose_histories_change_after_their_face_sheets_were_indexed() {
  agency || return
  local ids=() i
  for i in $(seq 1 24); do
    intake "Client Number$i" --program housing --worker alice --opened 2026-06-01 || return
    ids+=("$id")
  done
  settle
  for id in "${ids[@]}"; do
    ok log "$id" -m "call" --type phone --minutes 5 --at 2026-06-02T09:00
  done
  run list   # face sheets old enough to keep, histories not: rows without a history
  same_answers
  settle
  same_answers
}

test_check_reads_again_only_what_changed_and_finds_records_changed_in_place() {
  agency || return
  warm
  run check
  expect_rc 0
  settle
  run check   # every folder's findings now kept
  printf 'stray: [unclosed\n' >"cases/$cy/plan.yaml"
  run check
  expect_rc 1
  expect_out "cases/$cy/plan.yaml"
  same_answers
  run check --full
  expect_rc 1
  expect_out "cases/$cy/plan.yaml"
  rm "cases/$cy/plan.yaml"
  # A note rewritten in place, the same size: the record folder does not change, so the index cannot see it.
  local note
  note=$(grep -l "minutes: 45" cases/"$ann"/contacts/*.yaml | head -1)
  [ -n "$note" ] || { fail "no note of 45 minutes"; return; }
  rewrite_in_place "$note" "minutes: 45" "minutes: 90"
  run check
  expect_rc 0
  expect_out "cases/$ann: warning: a record in this case was changed in place after it was written"
  run check
  expect_not_in_out "changed in place"   # said once; the index now has it
  same_answers
  run report contacts --from 2026-01-01 --to 2026-06-30 --by worker --format json
  expect_jq '[.[] | select(.worker == "alice") | .contact_minutes] == [90 + 30]'
}

test_a_changed_record_folder_is_read_again_file_by_file_and_stays_right() {
  agency || return
  # Notes that tie on date and time keep the order of their file names, however they are read.
  ok log "$ann" -m "call one" --type phone --minutes 5 --at 2026-06-01T09:00
  ok log "$ann" -m "call two" --type attempt --minutes 6 --at 2026-06-01T09:00
  ok log "$ann" -m "call three" --type phone --minutes 7 --at 2026-06-01T09:00
  warm
  run list status:all   # saves the summaries of files now settled
  same_answers
  # In one change of the folder: a note added by hand, one rewritten through a new file (sed -i), one written in
  # place: each shows, the rest are taken from the index.
  local first second
  first=$(grep -l "minutes: 45" cases/"$ann"/contacts/*.yaml)
  second=$(grep -l "minutes: 5$" cases/"$ann"/contacts/*.yaml)
  sed "s/^id: .*/id: \"q7k2\"/; s/^minutes: .*/minutes: 11/" "$second" >"cases/$ann/contacts/2026-06-01-q7k2.yaml"
  sed -i "s/^minutes: 45$/minutes: 46/" "$first"
  rewrite_in_place "$second" $'minutes: 5\n' $'minutes: 9\n'
  run report contacts --from 2026-01-01 --to 2026-06-30 --by worker --format json
  expect_jq '[.[] | select(.worker == "alice") | .contact_minutes] == [46 + 30 + 9 + 11 + 7]'
  same_answers
  settle
  same_answers
  ok log "$ann" -m "call four" --type phone --minutes 8 --at 2026-06-01T09:00
  rm "cases/$ann/contacts/2026-06-01-q7k2.yaml"
  same_answers
  settle
  same_answers
}
