# The case-management process (issue 3): assess, plan, log, refer/referral, review, consent, transfer,
# close/reopen, timeline. Each command through its success and error paths: stdout, stderr, exit code, and the
# files left behind (dated records are new files, never rewritten; nothing is written on error).

# --- helpers --------------------------------------------------------------------------------------------------

SSM_DOMAINS=(housing income employment food child-care children-education adult-education health-care-coverage
  life-skills family-social-relations mobility community-involvement parenting-skills legal mental-health
  substance-use safety)

# scores V1 V2 ...: sets SC to --score q1=V1 --score q2=V2 ...
scores() {
  SC=()
  local i=1 v
  for v in "$@"; do
    SC+=(--score "q$i=$v")
    i=$((i + 1))
  done
}

# phq_total T: sets SC to PHQ-9 answers adding up to T, with q9 left at 0 while T <= 24.
phq_total() {
  local left=$1 i v
  SC=()
  for i in 1 2 3 4 5 6 7 8 9; do
    if [ "$i" -eq 9 ] && [ "$1" -le 24 ]; then v=0; else v=$((left > 3 ? 3 : left)); fi
    left=$((left - v))
    SC+=(--score "q$i=$v")
  done
}

# gad_total T: sets SC to GAD-7 answers adding up to T.
gad_total() {
  local left=$1 i v
  SC=()
  for i in 1 2 3 4 5 6 7; do
    v=$((left > 3 ? 3 : left))
    left=$((left - v))
    SC+=(--score "q$i=$v")
  done
}

# ssm_scores LEVEL [DOMAIN=VALUE]...: sets SC to every SSM domain at LEVEL, except the ones given.
ssm_scores() {
  local level=$1 d o v
  shift
  SC=()
  for d in "${SSM_DOMAINS[@]}"; do
    v=$level
    for o in "$@"; do
      [ "${o%%=*}" == "$d" ] && v=${o#*=}
    done
    SC+=(--score "$d=$v")
  done
}

# record_id: the 4-character record ID casectl printed in "(xxxx)" on the first line of stdout (assess).
record_id() {
  local first=${out%%$'\n'*}
  if [[ "$first" =~ \(([a-z2-7]{4})\)$ ]]; then rid=${BASH_REMATCH[1]}; else rid=""; fail "no record ID in: $first"; fi
}

# expect_unchanged BEFORE: the repository is exactly as the snapshot BEFORE (nothing written).
expect_unchanged() { [ "$1" == "$(snapshot .)" ] || fail "files changed although the command failed"; }

# expect_grep PATTERN FILE: FILE has a line matching the extended regex PATTERN.
expect_grep() { grep -Eq -- "$1" "$2" 2>/dev/null || fail "$2 lacks /$1/"; }
expect_no_grep() { ! grep -Eq -- "$1" "$2" 2>/dev/null || fail "$2 should not have /$1/"; }

# count_files DIR: the number of regular files in DIR (0 when DIR is absent).
count_files() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }

# expect_jq FILTER: stdout, as JSON, satisfies the jq filter (jq -e).

# open_case: a fresh repository with one open housing case of alice's, opened on 2026-01-10; sets $id.
open_case() {
  new_repo || return 1
  intake "Maria Example" --dob 1980-04-02 --program housing --worker alice --risk medium --today 2026-01-10
}

# --- one case from intake to closure ---------------------------------------------------------------------------

test_a_case_from_intake_to_closure() {
  umask 022
  new_repo || return
  export CASECTL_TODAY=2026-01-05
  intake "Maria Example" --dob 1980-04-02 --program housing --worker alice --risk medium
  local c=cases/$id

  export CASECTL_TODAY=2026-01-06
  run consent "$id" --to "Springfield Food Bank" --purpose "food referral" --expires 2027-01-06
  expect_rc 0

  export CASECTL_TODAY=2026-01-07
  ssm_scores 3 housing=1 income=2 child-care=na
  run assess "$id" -i ssm "${SC[@]}" -m "Intake assessment"
  expect_rc 0
  expect_out "first assessment with ssm"
  record_id
  local ssm1=$rid
  expect_file "$c/assessments/2026-01-07-ssm-$ssm1.yaml"

  export CASECTL_TODAY=2026-01-08
  run plan add "$id" "I want my own apartment" --domain housing --target 2026-06-01 --step "Apply for the voucher"
  expect_rc 0
  local g1=$out
  [[ "$g1" =~ ^g[a-z2-7]{4}$ ]] || fail "goal ID: $g1"
  run plan add "$id" "Find a job with daytime hours" --domain employment
  local g2=$out
  [[ "$g2" =~ ^g[a-z2-7]{4}$ ]] || fail "goal ID: $g2"

  export CASECTL_TODAY=2026-01-09
  run log "$id" -m "Phoned Maria about the voucher" --with client --minutes 20 --at 2026-01-09T10:30-05:00 \
    --follow-up 2026-01-16
  expect_rc 0
  local note=$out
  expect_file "$c/contacts/2026-01-09-$note.yaml"

  export CASECTL_TODAY=2026-01-12
  run refer "$id" --to "Springfield Food Bank" --service "food pantry" --follow-up 2026-01-19
  expect_rc 0
  local ref=$out
  expect_file "$c/referrals/2026-01-12-$ref.yaml"

  export CASECTL_TODAY=2026-01-14
  run referral "$id" "$ref" --status accepted -m "First pick-up on Friday"
  expect_rc 0

  export CASECTL_TODAY=2026-01-20
  phq_total 12
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  expect_out "total 12 — moderate"

  export CASECTL_TODAY=2026-02-03
  run review "$id" --outcome continue -m "On track; voucher approved"
  expect_rc 0
  local rev=$out
  expect_file "$c/reviews/2026-02-03-$rev.yaml"

  export CASECTL_TODAY=2026-02-10
  run transfer "$id" --to bob
  expect_rc 0

  export CASECTL_TODAY=2026-03-02
  run plan update "$id" "$g1" --status met --progress "Lease signed"
  expect_rc 0
  run plan update "$id" "$g2" --status dropped --progress "Maria chose to finish school first"
  expect_rc 0

  export CASECTL_TODAY=2026-03-05
  ssm_scores 4 housing=5 income=3 child-care=na
  run assess "$id" -i ssm "${SC[@]}"
  expect_rc 0
  expect_out "change since 2026-01-07"
  expect_out "(+4)"

  export CASECTL_TODAY=2026-03-10
  run close "$id" --reason goals-met -m "Moved into her own apartment"
  expect_rc 0
  expect_grep '^status: closed$' "$c/case.yaml"
  expect_grep '^closed: 2026-03-10$' "$c/case.yaml"
  expect_grep '^closure_reason: goals-met$' "$c/case.yaml"

  # timeline, text: every event, in date order
  run timeline "$id"
  expect_rc 0
  local prev=0 n pattern
  for pattern in '^2026-01-05 .*opened' '^2026-01-07 .*assessment.*ssm' '^2026-01-08 .*goal added: I want my own' \
    '^2026-01-09 10:30 .*contact.*Phoned Maria' '^2026-01-12 .*referred to Springfield Food Bank' \
    "^2026-01-14 .*referral $ref accepted" '^2026-01-20 .*phq9 total 12 \(moderate\)' \
    '^2026-02-03 .*review: continue' '^2026-02-10 .*transferred from alice to bob' "^2026-03-02 .*goal $g1 now met" \
    '^2026-03-05 .*assessment.*ssm' '^2026-03-10 .*closed: goals-met'; do
    n=$(printf '%s\n' "$out" | grep -nE -- "$pattern" | head -1 | cut -d: -f1)
    if [ -z "$n" ]; then
      fail "timeline lacks /$pattern/"
    elif [ "$n" -le "$prev" ]; then
      fail "timeline out of order at /$pattern/"
    else
      prev=$n
    fi
  done
  # timeline, JSON
  run timeline "$id" --format json
  expect_rc 0
  expect_jq 'type == "array" and length >= 12'
  expect_jq '[.[].date] == ([.[].date] | sort)'
  expect_jq 'any(.[]; .kind == "contact" and .ref == "'"$note"'" and .date == "2026-01-09" and .time == "10:30")'
  expect_jq 'any(.[]; .kind == "referral" and .ref == "'"$ref"'" and .date == "2026-01-12")'
  expect_jq 'any(.[]; .kind == "review" and .ref == "'"$rev"'" and .date == "2026-02-03")'
  expect_jq 'any(.[]; .kind == "assessment" and .ref == "'"$ssm1"'" and .date == "2026-01-07")'
  expect_jq 'any(.[]; .kind == "case" and .date == "2026-03-10" and (.text | startswith("closed")))'

  # show --format json: the contract fields
  run show "$id" --format json
  expect_rc 0
  expect_jq --arg id "$id" '.id == $id and .status == "closed" and .program == "housing" and .worker == "bob"'
  expect_jq '.client.name == "Maria Example" and .client.dob == "1980-04-02"'
  expect_jq --arg g1 "$g1" '(.plan | length) == 2 and .plan[0].id == $g1 and .plan[0].status == "met" and .plan[1].status == "dropped"'
  expect_jq '(.consents | length) == 1 and .consents[0].party == "Springfield Food Bank" and .consents[0].expires == "2027-01-06"'

  # privacy and integrity of everything written
  local f bad=""
  while IFS= read -r f; do
    [ "$(stat -c %a "$f")" == "600" ] || bad="$bad $f"
  done < <(find cases -type f)
  [ -z "$bad" ] || fail "files not mode 600:$bad"
  bad=""
  while IFS= read -r f; do
    [ "$(stat -c %a "$f")" == "700" ] || bad="$bad $f"
  done < <(find cases -type d)
  [ -z "$bad" ] || fail "directories not mode 700:$bad"
  [ -z "$(find . -name '*.tmp-*')" ] || fail "temporary files left behind"
  [ "$(count_files "$c/contacts")" -eq 1 ] || fail "expected 1 contact note"
  [ "$(count_files "$c/assessments")" -eq 3 ] || fail "expected 3 assessments"
  [ "$(count_files "$c/referrals")" -eq 2 ] || fail "expected a referral and its update"
  [ "$(count_files "$c/reviews")" -eq 1 ] || fail "expected 1 review"
  run check
  expect_rc 0
}

# --- assess ---------------------------------------------------------------------------------------------------

test_assess_phq9_total_and_band_at_each_boundary() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  local pair total band
  for pair in "4:minimal" "5:mild" "9:mild" "10:moderate" "14:moderate" "15:moderately severe" "19:moderately severe" \
    "20:severe" "27:severe"; do
    total=${pair%%:*} band=${pair#*:}
    phq_total "$total"
    run assess "$id" -i phq9 "${SC[@]}"
    expect_rc 0
    expect_out "total $total — $band"
    record_id
    local f=cases/$id/assessments/2026-02-01-phq9-$rid.yaml
    expect_file "$f"
    expect_grep "^total: $total\$" "$f"
    expect_grep "^band: $band\$" "$f"
    expect_grep '^kind: assessment$' "$f"
    expect_grep '^instrument: phq9$' "$f"
  done
  # only the total of 27 answers item 9
  expect_grep 'flag: "safety: thoughts of self-harm"' "cases/$id/case.yaml"
}

test_assess_phq9_item9_raises_an_urgent_safety_flag_whatever_the_total() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  phq_total 20  # severe, but item 9 answered 0
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  expect_no_grep 'safety' "cases/$id/case.yaml"
  expect_not_in_out "safety"

  export CASECTL_TODAY=2026-02-02
  scores 0 0 0 0 0 0 0 0 1
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  expect_out "total 1 — minimal"
  expect_out "! safety: thoughts of self-harm (URGENT)"
  record_id
  expect_grep '^  - "safety: thoughts of self-harm"$' "cases/$id/assessments/2026-02-02-phq9-$rid.yaml"
  local face=cases/$id/case.yaml
  expect_grep '^    flag: "safety: thoughts of self-harm"$' "$face"
  expect_grep '^  - id: "?[a-z2-7]{4}"?$' "$face"
  expect_grep '^    since: 2026-02-02$' "$face"
  expect_grep '^    urgent: true$' "$face"
  expect_grep '^    event: safety-flag$' "$face"
  run show "$id"
  expect_rc 0
  expect_out "safety: thoughts of self-harm"
  expect_out "URGENT"
  run show "$id" --format json
  expect_jq 'any(.flags[]; .flag == "safety: thoughts of self-harm" and .urgent == true)'

  # a second positive answer does not duplicate the flag
  export CASECTL_TODAY=2026-02-03
  scores 0 0 0 0 0 0 0 0 3
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  [ "$(grep -c 'flag: "safety' "$face")" -eq 1 ] || fail "the safety flag is duplicated"
}

test_assess_gad7_bands() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  local pair total band
  for pair in "0:minimal" "4:minimal" "5:mild" "9:mild" "10:moderate" "14:moderate" "15:severe" "21:severe"; do
    total=${pair%%:*} band=${pair#*:}
    gad_total "$total"
    run assess "$id" -i gad7 "${SC[@]}"
    expect_rc 0
    expect_out "total $total — $band"
    record_id
    expect_grep "^band: $band\$" "cases/$id/assessments/2026-02-01-gad7-$rid.yaml"
  done
  expect_no_grep 'flags:' "cases/$id/case.yaml"
}

test_assess_ssm_not_applicable_only_where_allowed() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  ssm_scores 3 housing=2 child-care=na
  run assess "$id" -i ssm "${SC[@]}"
  expect_rc 0
  record_id
  local f=cases/$id/assessments/2026-02-01-ssm-$rid.yaml
  expect_file "$f"
  expect_grep '^  housing: 2$' "$f"
  expect_grep '^  child-care: na$' "$f"
  expect_no_grep '^band:' "$f"

  local before
  before=$(snapshot .)
  ssm_scores 3 housing=na
  run assess "$id" -i ssm "${SC[@]}"
  expect_rc 65
  expect_err "housing"
  expect_no_out
  expect_unchanged "$before"
  ssm_scores 3 housing=6
  run assess "$id" -i ssm "${SC[@]}"
  expect_rc 65
  expect_unchanged "$before"
}

test_assess_errors_write_nothing() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  local before
  before=$(snapshot .)

  scores 0 0 0 0 0 0 0 0 0
  run assess "$id" -i nosuch "${SC[@]}"
  expect_rc 66
  expect_err "nosuch"
  expect_no_out
  expect_unchanged "$before"

  run assess "$id" -i phq9 "${SC[@]}" --score q10=1
  expect_rc 65
  expect_err "q10"
  expect_unchanged "$before"

  local bad
  for bad in 4 -1 x 1.5 ""; do
    scores 0 0 0 0 0 0 0 0 "$bad"
    run assess "$id" -i phq9 "${SC[@]}"
    expect_rc 65
    expect_err "q9"
    expect_unchanged "$before"
  done

  scores 1 1 1
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 64
  expect_err "missing"
  expect_unchanged "$before"

  scores 0 0 0 0 0 0 0 0 0
  run assess "$id" -i phq9 "${SC[@]}" --date 2026-02-02
  expect_rc 65
  expect_err "future"
  expect_unchanged "$before"

  run assess "$id" -i phq9 "${SC[@]}" --date 2026-02-30
  expect_rc 64
  expect_unchanged "$before"

  run assess c-zzzzzzzz -i phq9 "${SC[@]}"
  expect_rc 66
  expect_unchanged "$before"
}

test_assess_reads_answers_piped_on_stdin() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run_stdin $'1\n2\n3\n0\n1\n2\n3\n0\n0\n' assess "$id" -i phq9
  expect_rc 0
  expect_out "total 12 — moderate"
  record_id
  local f=cases/$id/assessments/2026-02-01-phq9-$rid.yaml
  expect_grep '^  q2: 2$' "$f"
  expect_grep '^  q7: 3$' "$f"
  expect_grep '^total: 12$' "$f"

  local before
  before=$(snapshot .)
  run_stdin $'1\n2\n3\n' assess "$id" -i phq9
  expect_rc 64
  expect_unchanged "$before"
  run_stdin $'1\n2\n3\n0\n0\n0\n0\n0\n7\n' assess "$id" -i phq9
  expect_rc 65
  expect_unchanged "$before"
}

test_assess_prints_the_change_since_the_previous_assessment() {
  open_case || return
  export CASECTL_TODAY=2026-01-20
  scores 2 2 1 1 1 1 1 1 0
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  expect_out "total 10 — moderate"
  expect_out "first assessment with phq9"
  # another instrument does not count as the previous one
  gad_total 8
  run assess "$id" -i gad7 "${SC[@]}"
  expect_out "first assessment with gad7"

  export CASECTL_TODAY=2026-02-20
  scores 1 1 1 1 1 0 0 0 0
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 0
  expect_out "total 5 — mild"
  expect_out "change since 2026-01-20"
  [[ "$out" =~ total\ +10\ →\ 5\ +\(-5\) ]] || fail "no total change 10 → 5 (-5)"
  [[ "$out" =~ q1\ +2\ →\ 1\ +\(-1\) ]] || fail "no item change q1 2 → 1 (-1)"
  expect_not_in_out "first assessment"
}

test_assess_safety_flag_is_not_lost_when_the_face_sheet_cannot_be_rewritten() {
  # case.yaml carries a comment, so casectl refuses to rewrite it (exit 65, "nothing written"); an assessment that
  # must raise the safety flag must then not be recorded without it.
  open_case || return
  export CASECTL_TODAY=2026-02-01
  echo "# a note typed by hand" >>"cases/$id/case.yaml"
  local before
  before=$(snapshot .)
  scores 0 0 0 0 0 0 0 0 2
  run assess "$id" -i phq9 "${SC[@]}"
  if [ "$rc" -eq 0 ]; then
    expect_grep 'flag: "safety: thoughts of self-harm"' "cases/$id/case.yaml"
  else
    expect_rc 65
    expect_unchanged "$before"
  fi
}

# --- plan -----------------------------------------------------------------------------------------------------

test_plan_add_show_and_update() {
  open_case || return
  export CASECTL_TODAY=2026-01-12
  run plan add "$id" "I want my own apartment" --domain housing --target 2026-06-01 --step "Apply for the voucher" \
    --step "Visit three apartments" --responsible "client and alice"
  expect_rc 0
  local g1=$out
  [[ "$g1" =~ ^g[a-z2-7]{4}$ ]] || fail "goal ID: $g1"
  run plan add "$id" "Find a job"
  expect_rc 0
  local g2=$out
  [[ "$g2" =~ ^g[a-z2-7]{4}$ ]] || fail "goal ID: $g2"
  local p=cases/$id/plan.yaml
  expect_mode "$p" 600
  expect_grep "^  - id: $g1\$" "$p"
  expect_grep '^    goal: I want my own apartment$' "$p"
  expect_grep '^    domain: housing$' "$p"
  expect_grep '^    status: active$' "$p"
  expect_grep '^    created: 2026-01-12$' "$p"
  expect_grep '^    target: 2026-06-01$' "$p"
  expect_grep '^      - Visit three apartments$' "$p"
  expect_grep "^  - id: $g2\$" "$p"

  run plan "$id"
  expect_rc 0
  expect_out "$g1"
  expect_out "I want my own apartment"
  expect_out "2026-06-01"
  expect_out "$g2"
  expect_out "Find a job"
  run plan "$id" --format json
  expect_rc 0
  expect_jq '.goals | length == 2'
  expect_jq --arg g1 "$g1" '.goals[0].id == $g1 and .goals[0].target == "2026-06-01" and .goals[0].status == "active"'
  expect_jq '.goals[0].steps == ["Apply for the voucher", "Visit three apartments"]'

  export CASECTL_TODAY=2026-02-01
  run plan update "$id" "$g1" --status met --progress "Lease signed"
  expect_rc 0
  expect_grep '^    status: met$' "$p"
  expect_grep '^      - date: 2026-02-01$' "$p"
  expect_grep '^        note: Lease signed$' "$p"
  expect_grep '^        status: met$' "$p"
  run plan update "$id" "$g2" --progress "Registered at the job centre"
  expect_rc 0
  expect_grep 'note: Registered at the job centre' "$p"
  run plan update "$id" "$g2" --target 2026-09-30
  expect_rc 0
  expect_grep '^    target: 2026-09-30$' "$p"
  run plan "$id" --format json
  expect_jq '.goals[0].status == "met" and .goals[1].status == "active" and .goals[1].target == "2026-09-30"'
  expect_jq '.goals[0].progress[0].note == "Lease signed"'
}

test_plan_errors_write_nothing() {
  open_case || return
  export CASECTL_TODAY=2026-01-12
  run plan add "$id" "Find a job"
  local g1=$out
  local before
  before=$(snapshot .)
  run plan update "$id" g9 --status met
  expect_rc 66
  expect_err "g9"
  expect_unchanged "$before"
  run plan update "$id" "$g1" --status finished
  expect_rc 64
  expect_unchanged "$before"
  run plan update "$id" "$g1"
  expect_rc 64
  expect_err "nothing to update"
  expect_unchanged "$before"
  run plan update "$id" "$g1" --target 2026-02-30
  expect_rc 64
  expect_unchanged "$before"
  run plan add "$id" ""
  expect_rc 64
  expect_unchanged "$before"
  run plan c-zzzzzzzz
  expect_rc 66
}

# --- log ------------------------------------------------------------------------------------------------------

test_log_with_a_message() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run log "$id" -m "Spoke with Maria about the voucher" --type visit --with client --with landlord --minutes 45 \
    --at 2026-01-15T10:30-05:00 --follow-up 2026-01-22
  expect_rc 0
  [[ "$out" =~ ^[a-z2-7]{4}$ ]] || fail "stdout is not a note ID: $out"
  local f=cases/$id/contacts/2026-01-15-$out.yaml
  expect_file "$f"
  expect_mode "$f" 600
  expect_grep '^kind: contact$' "$f"
  expect_grep "^id: $out\$" "$f"
  expect_grep "^case: $id\$" "$f"
  expect_grep '^at: 2026-01-15T10:30-05:00$' "$f"
  expect_grep '^type: visit$' "$f"
  expect_grep '^  - landlord$' "$f"
  expect_grep '^minutes: 45$' "$f"
  expect_grep '^worker: alice$' "$f"
  expect_grep '^follow_up: 2026-01-22$' "$f"
  expect_grep 'Spoke with Maria about the voucher' "$f"
}

test_log_reads_the_note_piped_on_stdin() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run_stdin $'Home visit.\nThe flat is cold; the landlord will fix the heating.\n' log "$id" --type visit --at 14:05
  expect_rc 0
  local f=cases/$id/contacts/2026-01-15-$out.yaml
  expect_file "$f"
  expect_grep '^note: \|' "$f"
  expect_grep '^  Home visit\.$' "$f"
  expect_grep '^  The flat is cold; the landlord will fix the heating\.$' "$f"
  expect_grep '^at: 2026-01-15T14:05\+00:00$' "$f"
}

test_log_takes_the_note_from_the_editor() {
  command -v script >/dev/null || { echo "skipped: no script(1) for a terminal" >&2; return; }
  open_case || return
  export CASECTL_TODAY=2026-01-15
  local here=$HOME  # outside the repository (the working directory), so that snapshots see only casectl's files
  mkdir -m 700 "$here/runtime"
  export XDG_RUNTIME_DIR=$here/runtime
  cat >"$here/editor.sh" <<EOF
#!/bin/sh
stat -c %a "\$(dirname "\$1")" >"$here/editor-dir-mode"
printf 'Note written in the editor.\n' >"\$1"
EOF
  cat >"$here/empty-editor.sh" <<'EOF'
#!/bin/sh
: >"$1"
EOF
  chmod +x "$here/editor.sh" "$here/empty-editor.sh"
  # stdin must be a terminal for casectl to open the editor
  EDITOR="$here/editor.sh" script -qec "\"$CASECTL\" log $id --at 09:15 >\"$here/o\" 2>\"$here/e\"; echo \$? >\"$here/rc\"" \
    /dev/null >/dev/null 2>&1 </dev/null
  out=$(cat "$here/o" 2>/dev/null) err=$(cat "$here/e" 2>/dev/null) rc=$(cat "$here/rc" 2>/dev/null || echo 99)
  expect_rc 0
  local f=cases/$id/contacts/2026-01-15-$out.yaml
  expect_file "$f"
  expect_grep '^  Note written in the editor\.$' "$f"
  expect_no_grep '^  #' "$f"
  [ "$(cat "$here/editor-dir-mode" 2>/dev/null)" == "700" ] || fail "the editor's copy is not in a private directory"
  [ -z "$(ls -A "$here/runtime")" ] || fail "the editor's temporary copy was left behind"

  # an empty note aborts, nothing written
  local before
  before=$(snapshot .)
  EDITOR="$here/empty-editor.sh" script -qec "\"$CASECTL\" log $id >\"$here/o\" 2>\"$here/e\"; echo \$? >\"$here/rc\"" \
    /dev/null >/dev/null 2>&1 </dev/null
  out=$(cat "$here/o" 2>/dev/null) err=$(cat "$here/e" 2>/dev/null) rc=$(cat "$here/rc" 2>/dev/null || echo 99)
  expect_rc 64
  expect_err "empty"
  expect_no_out
  expect_unchanged "$before"
  [ -z "$(ls -A "$here/runtime")" ] || fail "the editor's temporary copy was left behind"
}

test_log_an_empty_note_aborts() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  local before
  before=$(snapshot .)
  run log "$id" -m ""
  expect_rc 64
  expect_err "empty"
  expect_unchanged "$before"
  run_stdin "" log "$id"
  expect_rc 64
  expect_unchanged "$before"
  run_stdin $'  \n\n  \n' log "$id"
  expect_rc 64
  expect_unchanged "$before"
  expect_no_file "cases/$id/contacts"
}

test_log_an_attempted_contact() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run log "$id" -m "No answer; no voicemail" --type attempt
  expect_rc 0
  local f=cases/$id/contacts/2026-01-15-$out.yaml
  expect_grep '^type: attempt$' "$f"
  run timeline "$id"
  expect_out "attempted contact"
}

test_log_errors_write_nothing() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  local before
  before=$(snapshot .)
  run log "$id" -m x --type fax
  expect_rc 65
  expect_err "fax"
  expect_unchanged "$before"
  run log "$id" -m x --at 2026-01-16T10:00+00:00
  expect_rc 65
  expect_err "future"
  expect_unchanged "$before"
  run log "$id" -m x --at 2026-01-16
  expect_rc 65
  expect_unchanged "$before"
  run log "$id" -m x --at 2026-01-14T10:00-05:00 --follow-up 2026-01-13
  expect_rc 65
  expect_err "follow-up"
  expect_unchanged "$before"
  run log "$id" -m x --at 25:00
  expect_rc 64
  expect_unchanged "$before"
  run log "$id" -m x --minutes -5
  expect_rc 64
  expect_unchanged "$before"
  run log "$id" -m x --amends zzzz
  expect_rc 66
  expect_unchanged "$before"
  run log c-zzzzzzzz -m x
  expect_rc 66
  expect_unchanged "$before"
}

test_log_refuses_a_contact_later_today_than_now() {
  # "today" is the real date here so that the clock of the day is the real one: a contact an hour from now is in
  # the future (the check must not compare dates only).
  [ "$(date +%H)" -lt 23 ] || { echo "skipped: too close to midnight" >&2; return; }
  open_case || return
  export CASECTL_TODAY
  CASECTL_TODAY=$(date +%F)
  local later
  later=$(date -d '+1 hour' +%H:%M)
  local before
  before=$(snapshot .)
  run log "$id" -m "not yet happened" --at "$later"
  expect_rc 65
  expect_err "future"
  expect_unchanged "$before"
  before=$(snapshot .)
  run log "$id" -m "not yet happened" --at "$(date -d '+1 hour' +%Y-%m-%dT%H:%M)+00:00"
  expect_rc 65
  expect_unchanged "$before"
}

test_log_at_minutes_and_time_forms() {
  open_case || return
  export CASECTL_TODAY=2026-01-15 TZ=America/New_York
  run log "$id" -m "short call" --at 09:15 --minutes 5
  expect_rc 0
  local f=cases/$id/contacts/2026-01-15-$out.yaml
  expect_grep '^at: 2026-01-15T09:15-05:00$' "$f"
  expect_grep '^minutes: 5$' "$f"
  run log "$id" -m "call from Berlin" --at 2026-01-14T18:00+01:00
  expect_rc 0
  expect_grep '^at: 2026-01-14T18:00\+01:00$' "cases/$id/contacts/2026-01-14-$out.yaml"
}

test_log_an_addendum_leaves_the_earlier_note_untouched() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run log "$id" -m "The call lasted 20 minutes" --minutes 20 --at 2026-01-15T10:00+00:00
  local first=$out
  local f1=cases/$id/contacts/2026-01-15-$first.yaml
  cp "$f1" "$HOME/first.copy"
  export CASECTL_TODAY=2026-01-16
  run log "$id" -m "Correction: the call lasted 30 minutes, not 20." --amends "$first"
  expect_rc 0
  local f2=cases/$id/contacts/2026-01-16-$out.yaml
  expect_file "$f2"
  expect_grep "^amends: $first\$" "$f2"
  expect_same "$f1" "$HOME/first.copy"
  [ "$(count_files "cases/$id/contacts")" -eq 2 ] || fail "expected two notes"
  run timeline "$id"
  expect_out "addendum to note $first"
  expect_grep "^type: addendum\$" "$f2"
}

# --- refer / referral -----------------------------------------------------------------------------------------

test_refer_needs_a_current_consent() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  local before
  before=$(snapshot .)
  run refer "$id" --to "Springfield Food Bank" --service "food pantry"
  expect_rc 77
  expect_err "consent"
  expect_no_out
  expect_unchanged "$before"
  expect_no_file "cases/$id/referrals"

  run consent "$id" --to "Springfield Food Bank" --purpose "food referral" --expires 2026-03-01
  expect_rc 0
  run refer "$id" --to "Springfield Food Bank" --service "food pantry" --reason "Rent arrears" --follow-up 2026-01-22
  expect_rc 0
  [[ "$out" =~ ^[a-z2-7]{4}$ ]] || fail "stdout is not a referral ID: $out"
  local f=cases/$id/referrals/2026-01-15-$out.yaml
  expect_file "$f"
  expect_mode "$f" 600
  expect_grep '^kind: referral$' "$f"
  expect_grep '^to: Springfield Food Bank$' "$f"
  expect_grep '^service: food pantry$' "$f"
  expect_grep '^follow_up: 2026-01-22$' "$f"
  expect_no_grep 'without_consent' "$f"

  # expired: valid on its last day, refused after it
  run refer "$id" --to "Springfield Food Bank" --today 2026-03-01
  expect_rc 0
  before=$(snapshot .)
  run refer "$id" --to "Springfield Food Bank" --today 2026-03-02
  expect_rc 77
  expect_unchanged "$before"

  # revoked
  run consent "$id" --revoke "Springfield Food Bank"
  expect_rc 0
  before=$(snapshot .)
  run refer "$id" --to "Springfield Food Bank"
  expect_rc 77
  expect_err "consent"
  expect_unchanged "$before"

  # refused, unless a reason is given: it is recorded
  run refer "$id" --to "Springfield Food Bank" --without-consent "Verbal consent by phone; written form to follow"
  expect_rc 0
  f=cases/$id/referrals/2026-01-15-$out.yaml
  expect_grep '^without_consent: Verbal consent by phone; written form to follow$' "$f"
}

test_refer_errors_write_nothing() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run consent "$id" --to "Clinic" --purpose "care"
  local before
  before=$(snapshot .)
  run refer "$id" --to Clinic --follow-up 2026-01-10
  expect_rc 65
  expect_unchanged "$before"
  run refer "$id" --to Clinic --date 2026-01-16
  expect_rc 65
  expect_unchanged "$before"
  run refer "$id"
  expect_rc 64
  expect_unchanged "$before"
}

test_referral_status_is_a_new_file() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run refer "$id" --to "Springfield Food Bank" --without-consent "verbal consent"
  local ref=$out
  local rf=cases/$id/referrals/2026-01-15-$ref.yaml
  cp "$rf" "$HOME/referral.copy"

  export CASECTL_TODAY=2026-01-20
  run referral "$id" "$ref" --status accepted -m "First pick-up on Friday"
  expect_rc 0
  expect_no_out
  expect_same "$rf" "$HOME/referral.copy"
  local updates
  updates=$(ls "cases/$id/referrals" | grep -E "^2026-01-20-$ref-[a-z2-7]{4}\.yaml\$")
  [ "$(printf '%s\n' "$updates" | grep -c .)" -eq 1 ] || fail "expected one update file, got: $updates"
  local uf=cases/$id/referrals/$updates
  expect_mode "$uf" 600
  expect_grep '^kind: referral-update$' "$uf"
  expect_grep "^referral: $ref\$" "$uf"
  expect_grep '^status: accepted$' "$uf"
  expect_grep '^date: 2026-01-20$' "$uf"
  expect_grep 'First pick-up on Friday' "$uf"
  run show "$id" --format json
  expect_jq '.referrals[0].status == "accepted"'

  export CASECTL_TODAY=2026-02-01
  run referral "$id" "${ref:0:2}" --status completed
  expect_rc 0
  expect_same "$rf" "$HOME/referral.copy"
  [ "$(count_files "cases/$id/referrals")" -eq 3 ] || fail "expected the referral and two updates"
  run show "$id" --format json
  expect_jq '.referrals[0].status == "completed"'

  local before
  before=$(snapshot .)
  run referral "$id" zzzz --status accepted
  expect_rc 66
  expect_unchanged "$before"
  run referral "$id" "$ref" --status maybe
  expect_rc 64
  expect_unchanged "$before"
  run referral "$id" "$ref"
  expect_rc 64
  expect_unchanged "$before"
}

# --- review ---------------------------------------------------------------------------------------------------

test_review_is_recorded_with_its_outcome() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run review "$id" --outcome revise -m "Plan revised: housing first"
  expect_rc 0
  [[ "$out" =~ ^[a-z2-7]{4}$ ]] || fail "stdout is not a review ID: $out"
  local f=cases/$id/reviews/2026-02-01-$out.yaml
  expect_file "$f"
  expect_mode "$f" 600
  expect_grep '^kind: review$' "$f"
  expect_grep '^date: 2026-02-01$' "$f"
  expect_grep '^outcome: revise$' "$f"
  expect_grep '^worker: alice$' "$f"
  expect_grep 'Plan revised: housing first' "$f"
  run review "$id" --date 2026-01-25
  expect_rc 0
  expect_grep '^outcome: continue$' "cases/$id/reviews/2026-01-25-$out.yaml"

  local before
  before=$(snapshot .)
  run review "$id" --outcome maybe
  expect_rc 64
  expect_unchanged "$before"
  run review "$id" --date 2026-02-02
  expect_rc 65
  expect_unchanged "$before"
  run review "$id" --date 2026-01-01
  expect_rc 65
  expect_unchanged "$before"
}

test_review_every_and_on_change_the_schedule() {
  open_case || return
  export CASECTL_TODAY=2026-01-20
  run review "$id"
  expect_rc 0
  run list --format json
  expect_jq '.[0].next_review == "2026-04-20"'  # housing: 90d after the last review
  run review "$id" --every 30d
  expect_rc 0
  expect_no_out
  local face=cases/$id/case.yaml
  expect_grep '^rules:$' "$face"
  expect_grep '^    every: 30d$' "$face"
  expect_grep 'event: review-scheduled' "$face"
  [ "$(count_files "cases/$id/reviews")" -eq 1 ] || fail "--every recorded a review"
  run list --format json
  expect_jq '.[0].next_review == "2026-02-19"'

  run review "$id" --on 2026-02-05
  expect_rc 0
  expect_grep '^review_on: 2026-02-05$' "$face"
  run list --format json
  expect_jq '.[0].next_review == "2026-02-05"'

  # the review on that day meets the one-off date; the interval of the case applies again
  export CASECTL_TODAY=2026-02-05
  run review "$id"
  expect_rc 0
  expect_no_grep '^review_on:' "$face"
  run list --format json
  expect_jq '.[0].next_review == "2026-03-07"'

  local before
  before=$(snapshot .)
  run review "$id" --every 30x
  expect_rc 64
  expect_err "interval"
  expect_unchanged "$before"
  run review "$id" --every soon
  expect_rc 64
  expect_unchanged "$before"
  run review "$id" --on 2026-02-30
  expect_rc 64
  expect_unchanged "$before"
  run review "$id" --every 30d --on 2026-03-01
  expect_rc 64
  expect_unchanged "$before"
}

test_review_every_with_a_note_does_not_drop_the_note() {
  # `review --every 30d -m NOTE --outcome revise` must either record the review too, or refuse (64) and write
  # nothing; silently discarding the caseworker's note is data loss.
  open_case || return
  export CASECTL_TODAY=2026-02-01
  local before
  before=$(snapshot .)
  run review "$id" --every 30d --outcome revise -m "Monthly reviews from now on"
  if [ "$rc" -eq 0 ]; then
    grep -rq "Monthly reviews from now on" "cases/$id" || fail "the review's note was silently dropped"
  else
    expect_rc 64
    expect_unchanged "$before"
  fi
}

test_review_with_a_one_off_date_writes_nothing_when_the_face_sheet_cannot_be_rewritten() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run review "$id" --on 2026-02-10
  expect_rc 0
  echo "# a note typed by hand" >>"cases/$id/case.yaml"
  local before
  before=$(snapshot .)
  run review "$id" -m "Reviewed"
  if [ "$rc" -eq 0 ]; then
    [ "$(count_files "cases/$id/reviews")" -eq 1 ] || fail "no review recorded"
    expect_no_grep '^review_on:' "cases/$id/case.yaml"
  else
    expect_rc 65
    expect_unchanged "$before"
  fi
}

# --- consent --------------------------------------------------------------------------------------------------

test_consent_add_and_revoke() {
  open_case || return
  export CASECTL_TODAY=2026-01-12
  run consent "$id" --to "Springfield Clinic" --purpose "coordinate care" --signed 2026-01-11 --expires 2027-01-11
  expect_rc 0
  expect_no_out
  local face=cases/$id/case.yaml
  expect_grep '^  - party: Springfield Clinic$' "$face"
  expect_grep '^    purpose: coordinate care$' "$face"
  expect_grep '^    signed: 2026-01-11$' "$face"
  expect_grep '^    expires: 2027-01-11$' "$face"
  expect_no_grep 'revoked' "$face"
  run consent "$id" --to "Housing Authority" --purpose "voucher"
  expect_rc 0
  expect_grep '^    signed: 2026-01-12$' "$face"
  run show "$id" --format json
  expect_jq '(.consents | length) == 2 and .consents[0].party == "Springfield Clinic"'

  export CASECTL_TODAY=2026-03-01
  run consent "$id" --revoke "Springfield Clinic"
  expect_rc 0
  expect_grep '^    revoked: 2026-03-01$' "$face"
  [ "$(grep -c 'revoked:' "$face")" -eq 1 ] || fail "revoked more than the one party"
  run show "$id"
  expect_out "revoked 2026-03-01"

  local before
  before=$(snapshot .)
  run consent "$id" --revoke "Nobody Known"
  expect_rc 66
  expect_unchanged "$before"
  run consent "$id" --revoke "Springfield Clinic"  # already revoked
  expect_rc 66
  expect_unchanged "$before"
  run consent "$id" --to X --purpose Y --signed 2026-02-10 --expires 2026-02-01
  expect_rc 65
  expect_err "expire"
  expect_unchanged "$before"
  run consent "$id" --to X --purpose Y --signed 2026-03-02
  expect_rc 65
  expect_unchanged "$before"
  run consent "$id" --to X
  expect_rc 64
  expect_unchanged "$before"
  run consent "$id" --to X --purpose Y --expires 2026-02-30
  expect_rc 64
  expect_unchanged "$before"
}

# --- transfer -------------------------------------------------------------------------------------------------

test_transfer_changes_the_worker_and_records_it() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run transfer "$id" --to bob
  expect_rc 0
  expect_no_out
  expect_err "bob"
  local face=cases/$id/case.yaml
  expect_grep '^worker: bob$' "$face"
  expect_grep '^    event: transferred$' "$face"
  expect_grep '^    from: alice$' "$face"
  expect_grep '^    to: bob$' "$face"
  run list worker:bob --format id
  expect_out_is "$id"
  run timeline "$id"
  expect_out "transferred from alice to bob"

  local before
  before=$(snapshot .)
  run transfer "$id" --to carol
  expect_rc 65
  expect_err "carol"
  expect_unchanged "$before"
  run transfer "$id" --to bob
  expect_rc 64
  expect_err "already"
  expect_unchanged "$before"
  run transfer "$id"
  expect_rc 64
  expect_unchanged "$before"
}

# --- close / reopen -------------------------------------------------------------------------------------------

test_close_refuses_an_unknown_reason_and_active_goals() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run plan add "$id" "Find a job"
  local g1=$out
  local before
  before=$(snapshot .)
  run close "$id" --reason bored
  expect_rc 65
  expect_err "bored"
  expect_unchanged "$before"
  run close "$id" --reason goals-met -m "Done"
  expect_rc 64
  expect_err "$g1"
  expect_err "--force"
  expect_unchanged "$before"
  run close "$id"
  expect_rc 64
  expect_unchanged "$before"

  run close "$id" --reason withdrew --force -m $'Maria withdrew.\nDischarge plan: call if needed.'
  expect_rc 0
  expect_no_out
  local face=cases/$id/case.yaml
  expect_grep '^status: closed$' "$face"
  expect_grep '^closed: 2026-02-01$' "$face"
  expect_grep '^closure_reason: withdrew$' "$face"
  expect_grep '^    event: closed$' "$face"
  expect_grep '^    reason: withdrew$' "$face"
  expect_grep 'Discharge plan: call if needed\.' "$face"
  run list status:closed --format id
  expect_out_is "$id"
}

test_closed_case_refuses_every_write_and_can_be_reopened() {
  open_case || return
  export CASECTL_TODAY=2026-01-15
  run consent "$id" --to Clinic --purpose care
  run log "$id" -m "first call"
  local note=$out
  run refer "$id" --to Clinic
  local ref=$out
  run plan add "$id" "Find a job"
  local g1=$out
  export CASECTL_TODAY=2026-02-01
  run close "$id" --reason moved --force
  expect_rc 0

  local before
  before=$(snapshot .)
  local -a cmds=(
    "log $id -m x"
    "log $id -m x --amends $note"
    "plan add $id goal"
    "plan update $id $g1 --status met"
    "refer $id --to Clinic"
    "refer $id --to Other --without-consent reason"
    "referral $id $ref --status accepted"
    "review $id"
    "review $id --every 30d"
    "review $id --on 2026-03-01"
    "consent $id --to X --purpose Y"
    "consent $id --revoke Clinic"
    "transfer $id --to bob"
    "set $id phone=555-0100"
    "close $id --reason moved --force"
  )
  local c
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    run $c
    [ "$rc" -eq 65 ] || fail "'$c' on a closed case: exit code $rc, expected 65"
    expect_err "closed"
    expect_unchanged "$before"
  done
  scores 0 0 0 0 0 0 0 0 0
  run assess "$id" -i phq9 "${SC[@]}"
  expect_rc 65
  expect_err "closed"
  expect_unchanged "$before"
  run_stdin $'0\n0\n0\n0\n0\n0\n0\n0\n0\n' assess "$id" -i phq9
  expect_rc 65
  expect_unchanged "$before"

  run show "$id"
  expect_rc 0
  expect_out "Maria Example"
  run show "$id" --format json
  expect_rc 0
  expect_jq '.status == "closed" and .closure_reason == "moved"'
  run timeline "$id"
  expect_rc 0
  expect_out "closed: moved"
  run plan "$id"
  expect_rc 0
  expect_unchanged "$before"

  export CASECTL_TODAY=2026-02-10
  run reopen "$id"
  expect_rc 0
  expect_no_out
  local face=cases/$id/case.yaml
  expect_grep '^status: open$' "$face"
  expect_no_grep '^closed:' "$face"
  expect_no_grep '^closure_reason:' "$face"
  expect_grep '^    event: closed$' "$face"
  expect_grep '^    event: reopened$' "$face"
  expect_grep '^  - date: 2026-02-10$' "$face"
  run timeline "$id" --format json
  expect_jq 'any(.[]; .text | startswith("closed")) and any(.[]; .text == "reopened" and .date == "2026-02-10")'
  run log "$id" -m "back in touch"
  expect_rc 0

  before=$(snapshot .)
  run reopen "$id"
  expect_rc 64
  expect_err "open"
  expect_unchanged "$before"
  run reopen c-zzzzzzzz
  expect_rc 66
}

test_text_that_cannot_be_stored_is_refused() {
  open_case || return
  export CASECTL_TODAY=2026-02-01
  run plan add "$id" "Find a job"
  local g1=$out
  local before
  before=$(snapshot .)
  run log "$id" -m $'line one\rline two'
  expect_rc 65
  expect_err "carriage return"
  expect_unchanged "$before"
  run log "$id" -m $'bad \xff byte'
  expect_rc 65
  expect_err "UTF-8"
  expect_unchanged "$before"
  run plan add "$id" $'a\rb'
  expect_rc 65
  expect_unchanged "$before"
  run plan update "$id" "$g1" --progress $'a\x01b'
  expect_rc 65
  expect_unchanged "$before"
  run consent "$id" --to $'Clinic\x01' --purpose care
  expect_rc 65
  expect_unchanged "$before"
  run close "$id" --reason other --force -m $'x\ry'
  expect_rc 65
  expect_unchanged "$before"
}
