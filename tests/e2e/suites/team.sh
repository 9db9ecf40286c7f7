# shellcheck shell=bash
# A team on one git remote: the field-by-field merge driver, resolve, hooks, auto-commit and sync.

export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="2026-03-02T09:00:00Z" GIT_COMMITTER_DATE="2026-03-02T09:00:00Z"

# team_remote: ./remote.git with an agency of three workers (alice, bob, carol), committing each change itself.
team_remote() {
  git init -q --bare -b main remote.git
  "$CASECTL" init seed --agency "Team Agency" >/dev/null 2>&1 || { fail "init failed"; return 1; }
  sed -i -e 's/^  commit: false/  commit: true/' seed/casectl.yaml
  sed -i -e '/email: "bob@example.org"/a\  - id: carol\n    name: "Carol Diaz"\n    email: "carol@example.org"' seed/casectl.yaml
  git -C seed checkout -q -b main
  git -C seed add -A
  git -C seed -c user.name=Admin -c user.email=admin@example.org commit -q -m "casectl init"
  git -C seed remote add origin "$PWD/remote.git"
  git -C seed push -q -u origin main 2>/dev/null || fail "cannot push the seed"
}

# clone_for WORKER: ./WORKER, a clone of the remote set up for that worker.
clone_for() {
  git clone -q remote.git "$1" 2>/dev/null || { fail "clone failed"; return 1; }
  git -C "$1" config user.name "$1"
  git -C "$1" config user.email "$1@example.org"
  (cd "$1" && CASECTL_WORKER=$1 "$CASECTL" hooks install) >/dev/null 2>&1 || fail "hooks install failed in $1"
}

# as WORKER DAY ARGS...: casectl in WORKER's clone, as WORKER, on 2026-03-DAY; sets out, err and rc.
as() {
  local who=$1 day=$2
  shift 2
  local o e
  o=$(mktemp) e=$(mktemp)
  (cd "$who" && CASECTL_WORKER=$who GIT_AUTHOR_DATE="2026-03-${day}T10:00:00Z" \
    GIT_COMMITTER_DATE="2026-03-${day}T10:00:00Z" "$CASECTL" --today "2026-03-$day" "$@") >"$o" 2>"$e" </dev/null
  rc=$?
  out=$(cat "$o") err=$(cat "$e")
  rm -f "$o" "$e"
}

# must WORKER DAY ARGS...: like as, and fails the test unless casectl succeeds.
must() {
  as "$@"
  [ "$rc" -eq 0 ] || fail "casectl ${*:3} as $1 on day $2 exited $rc"
}

test_init_declares_the_merge_driver() {
  "$CASECTL" init repo >/dev/null 2>&1 || fail "init failed"
  grep -qx 'cases/\*/case.yaml merge=casectl' repo/.gitattributes || fail ".gitattributes lacks the face sheet's driver"
  grep -qx 'cases/\*/plan.yaml merge=casectl' repo/.gitattributes || fail ".gitattributes lacks the plan's driver"
  grep -qx '.cache/' repo/.gitignore || fail ".gitignore lacks the index"
  [[ $(git -C repo config merge.casectl.driver) == *"merge-file %O %A %B %P" ]] || fail "the driver is not configured"
}

test_merge_file_merges_fields_and_marks_only_the_same_field() {
  new_repo || return
  intake "Rosa Diaz" --dob 1970-01-01 --phone 555-0100
  cp "cases/$id/case.yaml" base.yaml
  ok set "$id" phone=555-0101 && cp "cases/$id/case.yaml" ours.yaml
  cp base.yaml "cases/$id/case.yaml"
  ok set "$id" address="1 Main St" && ok flag "$id" "no voicemail" && cp "cases/$id/case.yaml" theirs.yaml
  cp ours.yaml merged.yaml
  run merge-file base.yaml merged.yaml theirs.yaml "cases/$id/case.yaml"
  expect_rc 0
  grep -q '555-0101' merged.yaml || fail "our phone is lost"
  grep -q '1 Main St' merged.yaml || fail "their address is lost"
  grep -q 'no voicemail' merged.yaml || fail "their flag is lost"
  cp merged.yaml "cases/$id/case.yaml"
  run check
  expect_rc 0
  # Both change the phone: a conflict on that field alone, with both values and who changed each.
  cp base.yaml "cases/$id/case.yaml" && ok set "$id" phone=555-0202 && cp "cases/$id/case.yaml" theirs2.yaml
  cp ours.yaml merged2.yaml
  run merge-file base.yaml merged2.yaml theirs2.yaml "cases/$id/case.yaml"
  expect_rc 1
  expect_err "client.phone"
  cp merged2.yaml "cases/$id/case.yaml"
  run check
  expect_rc 1
  expect_out "conflicting values of client.phone"
  expect_out "555-0101"
  expect_out "555-0202"
  expect_out "casectl resolve $id client.phone --ours"
  run resolve "$id" client.phone --theirs
  expect_rc 0
  grep -q '555-0202' "cases/$id/case.yaml" || fail "resolve did not keep their phone"
  run check
  expect_rc 0
}

test_merge_file_joins_records_added_on_both_sides() {
  new_repo || return
  intake "Rosa Diaz" --dob 1970-01-01
  run plan add "$id" "Find a flat" && g1=$out
  cp "cases/$id/case.yaml" base.yaml && cp "cases/$id/plan.yaml" base_plan.yaml
  ok flag "$id" "fall risk" --urgent && ok consent "$id" --to "Clinic A" --purpose care
  ok transfer "$id" --to bob
  ok plan add "$id" "Get a bus pass" && ok plan update "$id" "$g1" --progress "viewed two flats"
  cp "cases/$id/case.yaml" ours.yaml && cp "cases/$id/plan.yaml" ours_plan.yaml
  cp base.yaml "cases/$id/case.yaml" && cp base_plan.yaml "cases/$id/plan.yaml"
  ok flag "$id" "no voicemail" && ok consent "$id" --to "Clinic B" --purpose care
  ok close "$id" --reason moved --force
  cp "cases/$id/case.yaml" theirs.yaml
  cp base_plan.yaml "cases/$id/plan.yaml"
  ok reopen "$id" 2>/dev/null
  cp base.yaml "cases/$id/case.yaml"
  ok plan add "$id" "Open a bank account" && ok plan update "$id" "$g1" --status met --progress "moved in"
  cp "cases/$id/plan.yaml" theirs_plan.yaml
  run merge-file base.yaml ours.yaml theirs.yaml "cases/$id/case.yaml"
  expect_rc 0
  run merge-file base_plan.yaml ours_plan.yaml theirs_plan.yaml "cases/$id/plan.yaml"
  expect_rc 0
  for text in "fall risk" "no voicemail" "Clinic A" "Clinic B" "transferred" "closed" "moved"; do
    grep -q "$text" ours.yaml || fail "the merged face sheet lost: $text"
  done
  for text in "Get a bus pass" "Open a bank account" "viewed two flats" "moved in" "status: \"\\?met"; do
    grep -q "$text" ours_plan.yaml || fail "the merged plan lost: $text"
  done
  cp ours.yaml "cases/$id/case.yaml" && cp ours_plan.yaml "cases/$id/plan.yaml"
  run check
  expect_rc 0
}

test_referral_answers_from_two_clones_on_one_day_stay_distinct_and_ordered() {
  new_repo || return
  intake "Rosa Diaz" --dob 1970-01-01
  ok consent "$id" --to "Clinic" --purpose care
  run refer "$id" --to "Clinic" && ref=$out
  ok referral "$id" "$ref" --status no-response
  ok referral "$id" "$ref" --status accepted
  run timeline "$id"
  [[ "$out" == *no-response*accepted* ]] || fail "the answers are not in the order given"
  grep -l "recorded:" cases/"$id"/referrals/*-"$ref"-*.yaml | wc -l | grep -qx 2 || fail "answers lack their moment"
}

test_a_schema_1_repository_reads_and_migrates_as_it_is_written() {
  cp -r "$SOURCE_DIR/examples/agency" repo && cd repo || return
  run check
  expect_rc 0
  run plan add c-6vbmgffs "Learn to cook"
  expect_rc 0
  [[ "$out" =~ ^g[a-z2-7]{4}$ ]] || fail "a new goal's ID is not random: $out"
  grep -q '^schema: 2' cases/c-6vbmgffs/plan.yaml || fail "the rewritten plan is not schema 2"
  grep -q 'id: "\?g1"\?' cases/c-6vbmgffs/plan.yaml || fail "the old goal IDs are gone"
  grep -q '^schema: 1' cases/c-6vbmgffs/contacts/2026-06-05-hgol.yaml || fail "a record was rewritten"
  run check
  expect_rc 0
  sed -i 's/^schema: 2/schema: 3/' cases/c-6vbmgffs/plan.yaml
  run check
  expect_rc 1
  expect_out "newer casectl"
}

test_auto_commit_commits_exactly_the_files_written() {
  team_remote || return
  clone_for alice || return
  must alice 03 intake "Rosa Diaz" --dob 1970-01-01
  local id=$out
  echo "scratch" >alice/notes.txt
  must alice 03 log "$id" -m "Met Rosa at home" --type visit
  [ "$(git -C alice status --porcelain -- cases)" == "" ] || fail "case files left uncommitted"
  git -C alice status --porcelain | grep -q notes.txt || fail "an unrelated file was committed"
  local message
  message=$(git -C alice log -1 --format=%s)
  [ "$message" == "casectl log: $id" ] || fail "commit message: $message"
  git -C alice log --format=%B | grep -q Rosa && fail "a client's name is in a commit message"
  [ "$(git -C alice log --format=%s | grep -c "casectl intake: $id")" -eq 1 ] || fail "the intake is not its own commit"
}

test_hooks_install_checks_what_is_staged() {
  team_remote || return
  clone_for alice || return
  [ -x alice/.git/hooks/pre-commit ] || fail "no executable pre-commit hook"
  must alice 03 intake "Rosa Diaz" --dob 1970-01-01
  local id=$out
  sed -i 's/^status: .*/status: sideways/' "alice/cases/$id/case.yaml"
  git -C alice add -A
  git -C alice commit -q -m "hand edit" 2>/dev/null && fail "the hook let a broken face sheet be committed"
  git -C alice checkout -q -- "cases/$id/case.yaml" 2>/dev/null
  git -C alice reset -q
  git -C alice checkout -q -- .
  echo "# a comment" >"alice/README.local"
  git -C alice add README.local
  git -C alice commit -q -m "not a case file" || fail "the hook refused a commit with no case file"
  # Someone else's hook is not replaced without --force.
  printf '#!/bin/sh\nexit 0\n' >alice/.git/hooks/pre-commit
  (cd alice && "$CASECTL" hooks install) >/dev/null 2>&1 && fail "replaced a foreign hook"
  (cd alice && "$CASECTL" hooks install --force) >/dev/null 2>&1 || fail "--force did not replace it"
}

test_sync_refuses_without_an_upstream_and_with_uncommitted_work() {
  "$CASECTL" init repo >/dev/null 2>&1
  run -C repo sync
  expect_rc 78
  expect_err "git push -u"
  team_remote || return
  clone_for alice || return
  echo x >>alice/casectl.yaml
  as alice 03 sync
  expect_rc 65
  expect_err "not committed"
}

# Ten working days of three workers on shared and own cases, committing each change and syncing each evening, by
# merge on even days and rebase on odd ones: no sync conflicts, every record reaches every clone, check is clean.
test_ten_days_of_routine_work_never_conflict() {
  team_remote || return
  local w day
  for w in alice bob carol; do clone_for "$w" || return; done
  must alice 02 intake "Shared One" --dob 1960-01-01 && local s1=$out
  must alice 02 intake "Shared Two" --dob 1961-01-01 && local s2=$out
  must alice 02 plan add "$s1" "Keep the flat" && local goal=$out
  must alice 02 consent "$s1" --to "Clinic" --purpose care
  must alice 02 sync
  declare -A own
  local records=() parties=() flags=() reviews=()
  for w in bob carol; do must "$w" 02 sync; done
  for w in alice bob carol; do
    must "$w" 02 intake "Own $w" --dob 1970-02-02 && own[$w]=$out
    must "$w" 02 sync
  done
  for w in alice bob carol; do must "$w" 02 sync; done
  for day in 03 04 05 06 07 08 09 10 11 12; do
    for w in alice bob carol; do
      must "$w" "$day" log "$s1" -m "Day $day call by $w" --type phone && records+=("$out")
      if [ "$w" != carol ] || [ "$((10#$day))" -le 10 ]; then  # carol closes her case on day 10
        must "$w" "$day" log "${own[$w]}" -m "Day $day visit" --type visit && records+=("$out")
      fi
      must "$w" "$day" plan update "$s1" "$goal" --progress "Day $day progress by $w" && true
      must "$w" "$day" plan add "$s2" "Goal of $w on day $day" && records+=("$out")
      must "$w" "$day" consent "$s2" --to "Party $w $day" --purpose "support" && parties+=("Party $w $day")
      case $w in
        alice) must "$w" "$day" set "$s2" phone="555-01$day" ;;
        bob) must "$w" "$day" set "$s2" address="$day Main Street" ;;
        carol) must "$w" "$day" set "$s2" language="lang$day" ;;
      esac
      if [ "$day" == "04" ]; then
        must "$w" "$day" assess "${own[$w]}" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 \
          --score q6=1 --score q7=1 --score q8=1 --score q9=2
        [[ "$out" =~ \(([a-z2-7]{4})\) ]] && records+=("${BASH_REMATCH[1]}")
        must "$w" "$day" flag "$s1" "safety check by $w" --urgent && flags+=("$out")
      fi
      if [ "$day" == "06" ]; then
        must "$w" "$day" review "${own[$w]}" -m "on track by $w" && reviews+=("on track by $w")
        must "$w" "$day" review "${own[$w]}" --on 2026-04-01
        must "$w" "$day" consent "$s2" --revoke "Party $w 03"
      fi
      if [ "$day" == "08" ]; then
        local next=alice
        [ "$w" == alice ] && next=bob
        must "$w" "$day" transfer "${own[$w]}" --to "$next"
        [ "$w" == alice ] && must "$w" "$day" set "$s1" risk=high
      fi
      if [ "$day" == "10" ] && [ "$w" == carol ]; then
        must "$w" "$day" close "${own[$w]}" --reason moved --force
      fi
    done
    for w in alice bob carol; do
      as "$w" "$day" sync "$([ $((10#$day % 2)) -eq 0 ] && echo --merge || echo --rebase)"
      [ "$rc" -eq 0 ] || fail "day $day: $w's sync exited $rc: $err"
    done
  done
  for w in alice bob carol alice bob; do must "$w" 12 sync; done
  local head
  head=$(git -C alice rev-parse HEAD)
  for w in bob carol; do
    [ "$(git -C "$w" rev-parse HEAD)" == "$head" ] || fail "$w is not at the same commit as alice"
  done
  for w in alice bob carol; do
    as "$w" 12 check
    [ "$rc" -eq 0 ] || fail "check in $w's clone: $out"
    for r in "${records[@]}"; do
      grep -rqE "^id: \"?$r\"?$|- id: \"?$r\"?$" "$w/cases" || fail "record $r is missing in $w's clone"
    done
    for p in "${parties[@]}"; do grep -q "$p" "$w/cases/$s2/case.yaml" || fail "consent to $p missing in $w"; done
    for r in "${reviews[@]}"; do grep -rq "$r" "$w/cases" || fail "review '$r' missing in $w"; done
    [ "$(grep -c 'revoked:' "$w/cases/$s2/case.yaml")" -eq 3 ] || fail "revocations lost in $w"
    [ "$(grep -c '^  - id:' "$w/cases/$s2/plan.yaml")" -eq 30 ] || fail "goals lost in $w"
    for f in "${flags[@]}"; do grep -qE "id: \"?$f\"?$" "$w/cases/$s1/case.yaml" || fail "flag $f missing in $w"; done
    [ "$(grep -c "progress by" "$w/cases/$s1/plan.yaml")" -eq 30 ] || fail "progress notes lost in $w"
    [ "$(grep -c "event: \"\\?transferred" "$w/cases/${own[alice]}/case.yaml")" -eq 1 ] || fail "transfer lost in $w"
    grep -q 'status: "\?closed' "$w/cases/${own[carol]}/case.yaml" || fail "closure lost in $w"
  done
}

# Both change the same field: the one conflict, shown with both values and both authors, resolved without losing
# the rest of either side's work.
test_the_same_field_changed_in_two_clones_is_the_only_conflict() {
  team_remote || return
  local w
  for w in alice bob; do clone_for "$w" || return; done
  must alice 03 intake "Shared One" --dob 1960-01-01 && local s1=$out
  must alice 03 sync && must bob 03 sync
  must alice 04 set "$s1" phone=555-0101 && must alice 04 log "$s1" -m "Alice called" --type phone
  must alice 04 flag "$s1" "fall risk"
  must bob 04 set "$s1" phone=555-0202 && must bob 04 set "$s1" address="2 Elm St"
  must bob 04 consent "$s1" --to "Clinic" --purpose care
  must alice 04 sync
  as bob 04 sync
  expect_rc 1
  expect_out "cases/$s1/case.yaml"
  expect_err "casectl resolve"
  as bob 04 check
  expect_rc 1
  expect_out "conflicting values of client.phone"
  expect_out "555-0101"
  expect_out "555-0202"
  expect_out "alice"
  expect_out "bob"
  [ "$(grep -c '^<<<<<<<' "bob/cases/$s1/case.yaml")" -eq 1 ] || fail "more than the phone conflicts"
  must bob 04 resolve "$s1" client.phone --theirs
  git -C bob add -A && GIT_EDITOR=true git -C bob rebase --continue >/dev/null 2>&1 || fail "the rebase did not go on"
  must bob 04 sync
  must alice 04 sync
  for w in alice bob; do
    for text in "2 Elm St" "Clinic" "fall risk"; do
      grep -q "$text" "$w/cases/$s1/case.yaml" || fail "$w lost: $text"
    done
    as "$w" 04 check
    [ "$rc" -eq 0 ] || fail "check in $w: $out"
  done
  [ "$(git -C alice rev-parse HEAD)" == "$(git -C bob rev-parse HEAD)" ] || fail "the clones differ"
}

test_resolve_merges_again_what_git_merged_line_by_line() {
  team_remote || return
  local w
  for w in alice bob; do clone_for "$w" || return; done
  must alice 03 intake "Shared One" --dob 1960-01-01 && local s1=$out
  must alice 03 sync && must bob 03 sync
  git -C bob config --remove-section merge.casectl  # as in a clone where no casectl command set it up
  must alice 04 flag "$s1" "fall risk" && must alice 04 sync
  must bob 04 flag "$s1" "no voicemail"
  (cd bob && git pull -q --rebase) >/dev/null 2>&1 && fail "git merged the flags line by line"
  as bob 04 check
  expect_rc 1
  expect_out "casectl resolve $s1"
  must bob 04 resolve "$s1"
  grep -q "fall risk" "bob/cases/$s1/case.yaml" || fail "alice's flag is lost"
  grep -q "no voicemail" "bob/cases/$s1/case.yaml" || fail "bob's flag is lost"
  as bob 04 check
  expect_rc 0
}

test_resolve_refuses_what_it_cannot_do_and_writes_nothing() {
  new_repo || return
  intake "Rosa Diaz" --dob 1970-01-01
  local before
  before=$(snapshot .)
  run resolve "$id" --ours --theirs
  expect_rc 64
  expect_err "not both"
  run resolve "$id" client.phone
  expect_rc 64
  expect_err "--ours or --theirs"
  run resolve "$id" client.phone --ours
  expect_rc 64
  expect_err "no conflict of client.phone"
  run resolve "$id"
  expect_rc 0
  expect_err "has no conflicts"
  run resolve c-zzzzzzzz
  expect_rc 66
  [ "$(snapshot .)" == "$before" ] || fail "resolve changed files"
}
