# The proof of issue 11 that needs many processes: a thousand writes raced from several processes with readers
# alongside, and a thousand writing commands killed with SIGKILL at random instants. Each test prints its figures.
# PROOF_ROUNDS=N makes it N of each (a multiple of 8): .ci/check's pass under the sanitizers, where every command
# starts ten times slower, runs fewer than the plain pass's thousand.
rounds=${PROOF_ROUNDS:-1000}

# contacts_of ID: how many contact notes case ID has, as casectl reads them.
contacts_of() {
  "$CASECTL" timeline "$1" --format json 2>/dev/null | jq '[.[] | select(.kind == "contact")] | length'
}

test_a_thousand_raced_writes_lose_nothing_and_readers_see_no_partial_state() {
  new_repo || return
  export CASECTL_LOCK_TIMEOUT=120 CASECTL_TODAY=2026-01-10
  intake "Shared Client" --program housing --worker alice -q || return
  local shared=$id w i
  local -a own=()
  for w in 1 2 3 4; do
    intake "Client Number $w$w$w" --program housing --worker alice -q || return
    own+=("$id")
  done
  # Four writers, a quarter of the writes each: a note on the shared case, then one on the writer's own case.
  local started=$SECONDS per_writer=$((rounds / 8))
  for w in 1 2 3 4; do
    (for i in $(seq 1 "$per_writer"); do
      "$CASECTL" -q log "$shared" -m "writer $w note $i" --type phone --minutes 1 >/dev/null || echo "failed: shared $w $i"
      "$CASECTL" -q log "${own[w - 1]}" -m "writer $w note $i" --type phone --minutes 1 >/dev/null ||
        echo "failed: own $w $i"
    done) >"writer$w.log" 2>&1 &
  done
  # Two readers alongside: every answer exits 0, and the shared case's notes only ever grow.
  local r
  for r in 1 2; do
    (last=0
    while [ ! -e writers.done ]; do
      n=$(contacts_of "$shared") || { echo "show failed"; continue; }
      [ "$n" -ge "$last" ] || echo "the notes went from $last back to $n"
      last=$n
      "$CASECTL" report contacts --from 2026-01-01 --to 2026-12-31 --format json >"r$r.json" 2>"r$r.err" ||
        echo "report failed: $(cat "r$r.err")"
      jq -e 'type == "array"' "r$r.json" >/dev/null || echo "the report is not JSON"
      echo "read $n" >>"reads$r"
    done) >"reader$r.log" 2>&1 &
  done
  local writers
  writers=$(jobs -p | head -4)
  # shellcheck disable=SC2086
  wait $writers
  touch writers.done
  wait
  local logs
  logs=$(cat writer*.log reader*.log)
  [ -z "$logs" ] || fail "$(printf '%s\n' "$logs" | head -5)"
  [ "$(contacts_of "$shared")" -eq $((4 * per_writer)) ] ||
    fail "the shared case has $(contacts_of "$shared") notes, expected $((4 * per_writer))"
  for w in 1 2 3 4; do
    [ "$(contacts_of "${own[w - 1]}")" -eq "$per_writer" ] ||
      fail "case $w has $(contacts_of "${own[w - 1]}") notes, expected $per_writer"
  done
  run check
  expect_rc 0
  echo "  $((8 * per_writer)) writes raced by 4 processes, $(cat reads1 reads2 | wc -l) reads alongside, $((SECONDS - started)) s" >&2
}

test_a_thousand_writing_commands_killed_at_random_leave_each_change_whole_or_absent() {
  new_repo || return
  export CASECTL_LOCK_TIMEOUT=30 CASECTL_TODAY=2026-02-01
  intake "Kill Client" --program housing --worker alice --phone 555-0100 || return
  local target=$id
  local -a cmd
  local i pid status killed=0 finished=0 batch=0 started=$SECONDS
  for i in $(seq 1 "$rounds"); do
    case $((i % 8)) in
      0) cmd=(log "$target" -m "note $i" --type phone --minutes 5) ;;
      1) cmd=(assess "$target" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1
              --score q6=1 --score q7=1 --score q8=1 --score q9=1) ;;   # a safety flag with it
      2) cmd=(close "$target" --reason moved) ;;
      3) cmd=(reopen "$target") ;;
      4) cmd=(transfer "$target" --to "$( ((i % 16 == 4)) && echo bob || echo alice)") ;;
      5) batch=$((batch + 1))
         printf 'name,program,worker,tags\nBatch%s One,housing,alice,batch\nBatch%s Two,housing,bob,batch\nBatch%s Three,aging,alice,batch\n' \
           "$batch" "$batch" "$batch" >rows.csv
         cmd=(import rows.csv) ;;
      6) cmd=(plan add "$target" "goal $i") ;;
      7) cmd=(set "$target" "phone=555-$i") ;;
    esac
    "$CASECTL" -q "${cmd[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$(printf '%02d' $((RANDOM % 25)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    if [ "$status" -eq 137 ]; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
    run check
    [ "$rc" -eq 0 ] || { fail "check failed after kill $i (${cmd[0]})"; return; }
    run list status:all tag:batch --format json
    [ $(($(jq length <<<"$out") % 3)) -eq 0 ] || { fail "an import was half applied after kill $i: $(jq length <<<"$out") cases"; return; }
  done
  run set "$target" phone=555-0000   # the next writer undoes what a killed one left
  expect_rc 0
  run check
  expect_rc 0
  [ -z "$(find . -name '*.tmp-*' -o -name '*.old-*' -o -name '.casectl.journal')" ] ||
    fail "a killed writer's files were left behind: $(find . -name '*.tmp-*' -o -name '*.old-*' | head -3)"
  echo "  $rounds writing commands: $killed killed by SIGKILL, $finished finished first; $((SECONDS - started)) s" >&2
}

# A note staged by a writer killed before it was linked into place is no journaled change (one file needs no
# journal): the next change to the same case removes it, whatever file of the case that change writes.
test_a_killed_writers_staged_note_goes_with_the_next_change_to_its_case() {
  new_repo || return
  export CASECTL_TODAY=2026-02-01
  intake "Left Over" --program housing --worker alice -q || return
  run log "$id" -m "first" --type phone --minutes 5
  expect_rc 0
  local staged="cases/$id/contacts/.2026-02-01-zzzz.yaml.tmp-t2hqfdcu"
  cp "cases/$id/contacts/"*.yaml "$staged"
  run set "$id" phone=555-0199
  expect_rc 0
  [ ! -e "$staged" ] || fail "the staged note of a killed writer is still there after the next change to its case"
}
