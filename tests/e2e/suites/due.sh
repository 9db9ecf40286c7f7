# The due engine (issue 4, brief §3 "What becomes due", §4): `casectl due` and what `report overdue` takes from it.
# Every test writes its own casectl.yaml (explicit rules), builds cases with the process commands, and asks with a
# fixed --today. For every kind of item: on time (not listed), due soon (listed, days_overdue negative), due on the
# boundary day (listed, days_overdue 0, not overdue) and overdue by one day (listed by `due` and `report overdue`).

T=2026-06-15  # "today" in every test

# --- helpers --------------------------------------------------------------------------------------------------

# d N: the date N days after $T (N may be negative).
d() { TZ=UTC date -d "$T $1 days" +%F; }

# agency: a fresh repository whose casectl.yaml holds the rules below, and CASECTL_TODAY=$T for the commands
# that write records (they refuse dates in the future).
#   defaults: review first 30d every 90d; assessment first 14d every 180d; contact every 30d; consent warn 30d
#   risk high (every program): review every 45d
#   program aging: review every 60d
agency() {
  new_repo || return 1
  cat >casectl.yaml <<'EOF'
schema: 1
agency: "Due Test Agency"
due_soon: 14d
workers:
  - id: alice
    name: "Alice Moreno"
  - id: bob
    name: "Bob Okafor"
  - id: carol
    name: "Carol Idle"
risk_levels: [low, medium, high]
closure_reasons: [goals-met, withdrew, other]
contact_types: [phone, visit, office, video, email, text, collateral, attempt]
rules:
  review:
    first: 30d
    every: 90d
    note: "Policy R: plan review every 90 days"
  assessment:
    first: 14d
    every: 180d
    note: "Policy A: reassess every 6 months"
  contact:
    every: 30d
    note: "Policy C: monthly contact"
  consent:
    warn: 30d
risk:
  high:
    review:
      every: 45d
      note: "Policy RH: high-risk cases reviewed every 45 days"
programs:
  - id: housing
    name: "Housing stability"
  - id: aging
    name: "Aging"
    rules:
      review:
        every: 60d
        note: "Policy AG: aging plans reviewed every 60 days"
EOF
  export CASECTL_TODAY=$T
  run check
  [ "$rc" -eq 0 ] || fail "the test's casectl.yaml does not pass check"
}

# base NAME [ARGS...]: opens a housing case of alice's on 2025-06-01 (long before $T); sets $id.
base() {
  local name=$1
  shift
  intake "$name" --program housing --worker alice --opened 2025-06-01 "$@"
}

# ok ARGS...: runs casectl and fails the test unless it succeeds (for the commands that build a case).
# expect_jq [jq options] FILTER: stdout, as JSON, satisfies FILTER (jq -e).

# item_count CASE KIND: how many items of KIND for CASE the last (JSON) output lists.
item_count() {
  printf '%s' "$out" | jq --arg c "$1" --arg k "$2" '[.[] | select(.case == $c and .kind == $k)] | length'
}

# expect_item CASE KIND DUE DAYS: the last JSON output lists exactly one item of KIND for CASE, due DUE, DAYS overdue.
expect_item() {
  printf '%s' "$out" | jq -e --arg c "$1" --arg k "$2" --arg due "$3" --argjson days "$4" \
    '[.[] | select(.case == $c and .kind == $k)] | length == 1 and .[0].due == $due and .[0].days_overdue == $days' \
    >/dev/null 2>&1 || fail "expected one $2 item of $1 due $3, $4 days overdue"
}

expect_no_item() { [ "$(item_count "$1" "$2")" == 0 ] || fail "$2 of $1 should not be listed"; }

# reason_of CASE KIND: the reason of that item in the last JSON output.
reason_of() { printf '%s' "$out" | jq -r --arg c "$1" --arg k "$2" 'first(.[] | select(.case == $c and .kind == $k)) | .reason'; }

expect_reason() {
  local reason
  reason=$(reason_of "$1" "$2")
  [[ "$reason" == *"$3"* ]] || fail "reason of $2 of $1 lacks '$3': $reason"
}

# expect_states KIND ONTIME SOON SOON_DAYS TODAY OVERDUE [DUE OPTIONS...]: the four cases are on time, due in
# SOON_DAYS days, due today and one day overdue for KIND; `due` lists the last three, `report overdue` the last.
expect_states() {
  local kind=$1 ontime=$2 soon=$3 soon_days=$4 today=$5 overdue=$6
  shift 6
  run due --today "$T" --format json "$@"
  expect_rc 0
  expect_no_item "$ontime" "$kind"
  expect_item "$soon" "$kind" "$(d "$soon_days")" "-$soon_days"
  expect_item "$today" "$kind" "$T" 0
  expect_item "$overdue" "$kind" "$(d -1)" 1
  run report overdue --today "$T" --format json
  expect_rc 0
  expect_no_item "$ontime" "$kind"
  expect_no_item "$soon" "$kind"
  expect_no_item "$today" "$kind"  # due today is not yet overdue
  expect_item "$overdue" "$kind" "$(d -1)" 1
}

# --- the JSON contract ----------------------------------------------------------------------------------------

test_json_items_have_the_contract_fields() {
  agency || return
  intake "Ann Field" --program aging --worker bob --risk low --opened "$(d -20)"
  run due --today "$T" --format json
  expect_rc 0
  expect_jq 'type == "array" and length > 0'
  # The brief's shape {case, kind, due, days_overdue, worker, program, reason}: every name present, with its type
  # (fields may be added, never renamed).
  expect_jq 'all(.[]; has("case") and has("kind") and has("due") and has("days_overdue") and has("worker")
                     and has("program") and has("reason"))'
  expect_jq 'all(.[]; (.case | type) == "string" and (.due | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
                     and (.days_overdue | type) == "number" and (.reason | type) == "string")'
  expect_jq 'all(.[]; .kind | IN("review", "assessment", "contact", "goal", "follow-up", "referral", "consent", "safety"))'
  # The first assessment: opened 20 days ago, due within 14d, so 6 days overdue.
  expect_jq --arg c "$id" --arg due "$(d -6)" \
    '[.[] | select(.kind == "assessment")][0] | .case == $c and .due == $due and .days_overdue == 6
       and .worker == "bob" and .program == "aging"'
  expect_reason "$id" assessment "14d"
  expect_reason "$id" assessment "$(d -20)"
  expect_reason "$id" assessment "Policy A"
  # csv and tsv carry the same field names.
  run due --today "$T" --format csv
  expect_rc 0
  [[ "${out%%$'\n'*}" == case,kind,due,days_overdue,worker,program,reason* ]] || fail "csv header: ${out%%$'\n'*}"
  run due --today "$T" --format tsv
  [[ "${out%%$'\n'*}" == $'case\tkind\tdue\tdays_overdue\tworker\tprogram\treason'* ]] || fail "tsv header"
  run due --today "$T" --format id
  expect_rc 0
  [ "$(printf '%s\n' "$out" | sort -u)" == "$id" ] || fail "--format id should print the case ID only"
}

# --- every kind, four states ----------------------------------------------------------------------------------

test_review_first_after_opening() {
  agency || return
  # first review 30d after opening: opened on due - 30.
  intake "Rf Ontime" --program housing --worker alice --opened "$(d -10)"; local a=$id
  intake "Rf Soon" --program housing --worker alice --opened "$(d -25)"; local b=$id
  intake "Rf Today" --program housing --worker alice --opened "$(d -30)"; local c=$id
  intake "Rf Over" --program housing --worker alice --opened "$(d -31)"; local e=$id
  expect_states review "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" review "first review 30d after opening on $(d -31)"
  expect_reason "$e" review "Policy R"
}

test_review_every_after_the_last_review() {
  agency || return
  base "Rv Ontime"; ok review "$id" --date "$(d -70)"; local a=$id
  base "Rv Soon"; ok review "$id" --date "$(d -85)"; local b=$id
  base "Rv Today"; ok review "$id" --date "$(d -90)"; local c=$id
  base "Rv Over"; ok review "$id" --date "$(d -200)"; ok review "$id" --date "$(d -91)"; local e=$id
  expect_states review "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" review "90d after the last review on $(d -91)"
  expect_reason "$e" review "Policy R"
}

test_assessment_first_within_days_of_intake() {
  agency || return
  # first assessment within 14d of intake: opened on due - 14. A case opened today is due in 14 days, which is
  # inside due_soon (14d); "on time" is therefore checked with --within 10d, which the three others fall inside.
  intake "Af Ontime" --program housing --worker alice --opened "$T"; local a=$id
  intake "Af Soon" --program housing --worker alice --opened "$(d -9)"; local b=$id
  intake "Af Today" --program housing --worker alice --opened "$(d -14)"; local c=$id
  intake "Af Over" --program housing --worker alice --opened "$(d -15)"; local e=$id
  expect_states assessment "$a" "$b" 5 "$c" "$e" --within 10d
  run due --today "$T" --format json
  expect_item "$a" assessment "$(d 14)" -14  # the last day of the default window
  expect_reason "$e" assessment "first assessment within 14d of intake on $(d -15)"
}

test_assessment_every_after_the_last_one() {
  agency || return
  base "Ae Ontime"; ok assess "$id" -i gad7 --score q1=0 --score q2=0 --score q3=0 --score q4=0 --score q5=0 \
    --score q6=0 --score q7=0 --date "$(d -160)"; local a=$id
  base "Ae Soon"; ok assess "$id" -i gad7 --score q1=0 --score q2=0 --score q3=0 --score q4=0 --score q5=0 \
    --score q6=0 --score q7=0 --date "$(d -175)"; local b=$id
  base "Ae Today"; ok assess "$id" -i gad7 --score q1=0 --score q2=0 --score q3=0 --score q4=0 --score q5=0 \
    --score q6=0 --score q7=0 --date "$(d -180)"; local c=$id
  base "Ae Over"; ok assess "$id" -i gad7 --score q1=0 --score q2=0 --score q3=0 --score q4=0 --score q5=0 \
    --score q6=0 --score q7=0 --date "$(d -181)"; local e=$id
  expect_states assessment "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" assessment "180d after the last assessment on $(d -181)"
}

test_contact_every_30_days() {
  agency || return
  base "Ct Ontime"; ok log "$id" -m "call" --at "$(d -10)T10:00"; local a=$id
  base "Ct Soon"; ok log "$id" -m "call" --at "$(d -25)T10:00"; local b=$id
  base "Ct Today"; ok log "$id" -m "call" --at "$(d -30)T10:00"; local c=$id
  base "Ct Over"; ok log "$id" -m "call" --at "$(d -31)T10:00"; local e=$id
  expect_states contact "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" contact "30d"
  expect_reason "$e" contact "last contact on $(d -31)"
  expect_reason "$e" contact "Policy C"
}

test_goal_active_past_its_target() {
  agency || return
  base "Gl Ontime"; ok plan add "$id" "Find a flat" --target "$(d 20)"; local a=$id
  base "Gl Soon"; ok plan add "$id" "Find a flat" --target "$(d 5)"; local b=$id
  base "Gl Today"; ok plan add "$id" "Find a flat" --target "$T"; local c=$id
  base "Gl Over"; ok plan add "$id" "Find a flat" --target "$(d -1)"; local e=$id goal=$out
  expect_states goal "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" goal "$goal"
  expect_reason "$e" goal "$(d -1)"
  # A goal that is met is no longer due.
  ok plan update "$e" "$goal" --status met --progress "Moved in."
  run due --today "$T" --format json
  expect_no_item "$e" goal
}

test_follow_up_set_on_a_contact() {
  agency || return
  base "Fu Ontime"; ok log "$id" -m "call" --at "$(d -3)T10:00" --follow-up "$(d 20)"; local a=$id
  base "Fu Soon"; ok log "$id" -m "call" --at "$(d -3)T10:00" --follow-up "$(d 5)"; local b=$id
  base "Fu Today"; ok log "$id" -m "call" --at "$(d -3)T10:00" --follow-up "$T"; local c=$id
  base "Fu Over"; ok log "$id" -m "call" --at "$(d -3)T10:00" --follow-up "$(d -1)"; local e=$id
  local note=$out
  expect_states follow-up "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" follow-up "$note"
  expect_reason "$e" follow-up "$(d -3)"
}

# refer_with_follow_up CASE FOLLOW_UP: a referral to the food bank (with a current consent), made 10 days ago.
refer_with_follow_up() {
  ok consent "$1" --to "Food Bank" --purpose "food parcels" --signed 2025-06-01
  ok refer "$1" --to "Food Bank" --service pantry --date "$(d -10)" --follow-up "$2"
  ref=$out
}

test_referral_unanswered_by_its_follow_up() {
  agency || return
  base "Rf Ontime"; refer_with_follow_up "$id" "$(d 20)"; local a=$id
  base "Rf Soon"; refer_with_follow_up "$id" "$(d 5)"; local b=$id
  base "Rf Today"; refer_with_follow_up "$id" "$T"; local c=$id
  base "Rf Over"; refer_with_follow_up "$id" "$(d -1)"; local e=$id
  expect_states referral "$a" "$b" 5 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" referral "$ref"
  expect_reason "$e" referral "$(d -10)"
}

test_consent_expiring_within_the_warning_window() {
  agency || return
  # warn 30d: a consent expiring in 40 days is on time; in 20 days it is listed (inside the warning window even
  # though it is outside due_soon 14d); on its expiry day it is due; the day after, overdue.
  base "Cs Ontime"; ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d 40)"; local a=$id
  base "Cs Soon"; ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d 20)"; local b=$id
  base "Cs Today"; ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$T"; local c=$id
  base "Cs Over"; ok --today "$(d -2)" consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d -1)"; local e=$id
  expect_states consent "$a" "$b" 20 "$c" "$e"
  run due --today "$T" --format json
  expect_reason "$e" consent "$(d -1)"
  # The window ends on its first day: 31 days ahead is not yet listed, 30 days ahead is.
  base "Cs Edge"; ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d 30)"
  run due --today "$(d -1)" --format json
  expect_no_item "$id" consent
  run due --today "$T" --format json
  expect_item "$id" consent "$(d 30)" -30
}

# --- what does not count, what answers an item ---------------------------------------------------------------

test_attempts_do_not_count_as_contacts() {
  agency || return
  base "Att Only"
  ok log "$id" -m "call" --at "$(d -31)T10:00"
  ok log "$id" -m "no answer" --type attempt --at "$(d -2)T10:00"
  ok log "$id" -m "no answer again" --type attempt --at "$(d -1)T10:00"
  run due --today "$T" --format json
  expect_item "$id" contact "$(d -1)" 1
  expect_reason "$id" contact "last contact on $(d -31)"
  # A case with attempts only counts from its opening day.
  intake "Never Reached" --program housing --worker alice --opened "$(d -40)"
  ok log "$id" -m "no answer" --type attempt --at "$(d -1)T09:00"
  run due --today "$T" --format json
  expect_item "$id" contact "$(d -10)" 10
  expect_reason "$id" contact "$(d -40)"
}

test_an_answered_referral_is_no_longer_due() {
  agency || return
  base "Ref Answered"
  refer_with_follow_up "$id" "$(d -1)"
  run due --today "$T" --format json
  expect_item "$id" referral "$(d -1)" 1
  ok referral "$id" "$ref" --status accepted -m "Intake booked."
  run due --today "$T" --format json
  expect_no_item "$id" referral
  run report overdue --today "$T" --format json
  expect_no_item "$id" referral
}

test_the_latest_referral_answer_wins_on_the_same_day() {
  agency || return
  # Marked "sent" then "accepted" the same day: the referral is answered. Six referrals, so that an order taken
  # from the random record IDs instead of the order of recording shows (all six right by luck: 1 in 64).
  base "Ref Same Day"
  ok consent "$id" --to "Food Bank" --purpose "food parcels" --signed 2025-06-01
  local i
  for i in 1 2 3 4 5 6; do
    ok refer "$id" --to "Food Bank" --date "$(d -10)" --follow-up "$(d -1)"
    ref=$out
    ok referral "$id" "$ref" --status sent
    ok referral "$id" "$ref" --status accepted
  done
  run due --today "$T" --format json
  expect_rc 0
  [ "$(item_count "$id" referral)" == 0 ] ||
    fail "$(item_count "$id" referral) of 6 referrals accepted after 'sent' on the same day are still due"
}

test_a_follow_up_is_answered_by_a_later_contact_not_an_attempt() {
  agency || return
  base "Fu Answered"
  ok log "$id" -m "call" --at "$(d -10)T10:00" --follow-up "$(d -2)"
  ok log "$id" -m "no answer" --type attempt --at "$(d -5)T10:00"
  run due --today "$T" --format json
  expect_item "$id" follow-up "$(d -2)" 2  # an attempt does not answer a follow-up
  ok log "$id" -m "reached her" --at "$(d -1)T10:00"
  run due --today "$T" --format json
  expect_no_item "$id" follow-up
}

test_a_revoked_consent_is_not_due() {
  agency || return
  base "Cs Revoked"
  ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d 5)"
  run due --today "$T" --format json
  expect_item "$id" consent "$(d 5)" -5
  ok consent "$id" --revoke "Clinic"
  run due --today "$T" --format json
  expect_no_item "$id" consent
}

test_a_renewed_consent_is_not_due() {
  agency || return
  # The reason says "renew it or record that it ended": once renewed (a new consent to the same party and
  # purpose, valid for another year), the old one must leave the agenda — and must not turn overdue later.
  base "Cs Renewed"
  ok consent "$id" --to "Clinic" --purpose care --signed 2025-06-01 --expires "$(d 5)"
  ok consent "$id" --to "Clinic" --purpose care --expires "$(d 365)"
  run due --today "$T" --format json
  expect_no_item "$id" consent
  run report overdue --today "$(d 10)" --format json
  expect_no_item "$id" consent
}

# --- which rule applies ---------------------------------------------------------------------------------------

test_precedence_case_beats_program_beats_risk_beats_defaults() {
  agency || return
  local r
  r=$(d -100)  # every case had its last review then
  base "Pr Default" --risk low; ok review "$id" --date "$r"; local def=$id
  base "Pr Risk" --risk high; ok review "$id" --date "$r"; local risk=$id
  intake "Pr Program" --program aging --worker alice --risk low --opened 2025-06-01
  ok review "$id" --date "$r"; local prog=$id
  intake "Pr Program Risk" --program aging --worker alice --risk high --opened 2025-06-01
  ok review "$id" --date "$r"; local both=$id
  intake "Pr Case" --program aging --worker alice --risk high --opened 2025-06-01
  ok review "$id" --date "$r"; ok review "$id" --every 20d; local own=$id
  run due --today "$T" --format json
  expect_item "$def" review "$(d -10)" 10    # defaults: 90d
  expect_reason "$def" review "Policy R"
  expect_item "$risk" review "$(d -55)" 55   # risk high: 45d
  expect_reason "$risk" review "45d"
  expect_reason "$risk" review "Policy RH"
  expect_item "$prog" review "$(d -40)" 40   # program aging: 60d
  expect_reason "$prog" review "Policy AG"
  expect_item "$both" review "$(d -40)" 40   # the program's rule beats the risk level's
  expect_item "$own" review "$(d -80)" 80    # the case's own 20d beats them all
  expect_reason "$own" review "20d"
  # review --on sets a one-off date, met by the next review.
  ok review "$def" --on "$(d 3)"
  run due --today "$T" --format json
  expect_item "$def" review "$(d 3)" -3
  expect_reason "$def" review "$(d 3)"
}

# --- what is not listed, in which order, filters and exit code --------------------------------------------------

test_closed_cases_have_nothing_due() {
  agency || return
  base "Closing Case"
  ok plan add "$id" "Find a flat" --target "$(d -3)"
  ok log "$id" -m "call" --at "$(d -40)T10:00" --follow-up "$(d -20)"
  run due --today "$T" --format json
  [ "$(printf '%s' "$out" | jq --arg c "$id" '[.[] | select(.case == $c)] | length')" -gt 0 ] || fail "nothing due before closing"
  ok close "$id" --reason goals-met -m "Done." --force
  run due --today "$T" --format json
  expect_rc 0
  expect_jq --arg c "$id" '[.[] | select(.case == $c)] | length == 0'
  run report overdue --today "$T" --exit-code
  expect_rc 0
  expect_no_out
}

test_order_is_most_overdue_first_then_due_soonest() {
  agency || return
  base "Ord A"; ok plan add "$id" "Goal" --target "$(d -3)"; ok plan add "$id" "Goal two" --target "$(d 9)"
  base "Ord B"; ok plan add "$id" "Goal" --target "$(d -30)"; ok plan add "$id" "Goal two" --target "$(d 2)"
  base "Ord C"; ok plan add "$id" "Goal" --target "$T"
  run due --today "$T" --format json
  expect_rc 0
  # Across every kind and case: days_overdue never increases down the list.
  expect_jq '[.[].days_overdue] as $d | $d == ($d | sort | reverse)'
  local goals
  goals=$(printf '%s' "$out" | jq -c '[.[] | select(.kind == "goal") | .days_overdue]')
  [ "$goals" == "[30,3,0,-2,-9]" ] || fail "goals in the wrong order: $goals"
}

test_within_widens_and_narrows_the_window() {
  agency || return
  base "Win"
  ok plan add "$id" "Near" --target "$(d 10)"
  ok plan add "$id" "Far" --target "$(d 25)"
  run due --today "$T" --format json
  expect_jq '[.[] | select(.kind == "goal")] | length == 1'
  run due --today "$T" --within 30d --format json
  expect_jq '[.[] | select(.kind == "goal")] | length == 2'
  run due --today "$T" --within 5d --format json
  expect_jq '[.[] | select(.kind == "goal")] | length == 0'
  run due --today "$T" --within 4w --format json
  expect_jq '[.[] | select(.kind == "goal")] | length == 2'
  run due --today "$T" --within soon
  expect_rc 64
}

test_worker_and_program_filters() {
  agency || return
  intake "Al Housing" --program housing --worker alice --opened "$(d -40)"; local a=$id
  intake "Bo Aging" --program aging --worker bob --opened "$(d -40)"; local b=$id
  intake "Bo Housing" --program housing --worker bob --opened "$(d -40)"; local c=$id
  run due --today "$T" --worker bob --format json
  expect_rc 0
  expect_jq 'length > 0 and all(.[]; .worker == "bob")'
  expect_jq --arg b "$b" --arg c "$c" '[.[].case] | unique == ([$b, $c] | sort)'
  run due --today "$T" --program aging --format json
  expect_jq --arg b "$b" 'length > 0 and all(.[]; .case == $b and .program == "aging")'
  run due --today "$T" --worker bob --program housing --format json
  expect_jq --arg c "$c" 'length > 0 and all(.[]; .case == $c)'
  run report overdue --today "$T" --worker alice --format json
  expect_jq --arg a "$a" 'length > 0 and all(.[]; .case == $a)'
}

test_an_unknown_worker_or_program_is_an_error_not_nothing_due() {
  agency || return
  intake "Al Housing" --program housing --worker alice --opened "$(d -40)"
  # A mistyped --worker in a crontab must not read as "nothing overdue" (brief §4: a broken set-up never looks
  # like nothing due).
  run report overdue --today "$T" --worker alcie --exit-code
  [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] || fail "an unknown worker gave exit $rc (nothing to tell it from 'nothing due')"
  expect_err "alcie"
  run due --today "$T" --program hosuing
  [ "$rc" -ne 0 ] || fail "an unknown program gave exit 0"
  expect_err "hosuing"
}

test_exit_code_says_whether_anything_is_listed() {
  agency || return
  intake "Al Soon" --program housing --worker alice --opened "$(d -20)"
  ok assess "$id" -i gad7 --score q1=0 --score q2=0 --score q3=0 --score q4=0 --score q5=0 --score q6=0 \
    --score q7=0 --date "$(d -1)"
  ok review "$id" --date "$(d -1)"
  ok log "$id" -m "call" --at "$(d -1)T10:00"
  run due --today "$T" --worker alice --format json
  expect_jq 'length == 0'
  run due --today "$T" --worker alice --exit-code
  expect_rc 0
  run due --today "$T" --worker alice --within 90d --exit-code  # the contact, due in 29 days
  expect_rc 1
  expect_out "contact"
  run due --today "$T" --worker carol --exit-code  # a worker with no cases
  expect_rc 0
  run report overdue --today "$T" --exit-code
  expect_rc 0
  expect_no_out
  run report overdue --today "$(d 40)" --exit-code
  expect_rc 1
  expect_out "$id"
  run report overdue --today "$(d 40)"
  expect_rc 0
  expect_out "$id"
}

test_month_intervals_clamp_to_the_end_of_the_month() {
  agency || return
  # casectl-dates(7): adding months clamps to the end of a shorter month (31 January + 1m = 28 February).
  intake "Month End" --program housing --worker alice --opened 2026-01-05
  ok review "$id" --date 2026-01-31
  ok review "$id" --every 1m
  run due --today 2026-02-20 --format json
  expect_item "$id" review 2026-02-28 -8
  expect_reason "$id" review "1m"
  expect_reason "$id" review "2026-01-31"
}

test_due_on_a_terminal_shows_names_beside_ids_and_fits_the_width() {
  new_repo || return
  export CASECTL_TODAY=2026-03-01
  intake "Rosalind Featherstonehaugh-Montgomery" --program housing --worker alice --opened 2026-01-01 -q || return
  local case_id=$id
  local columns widest
  for columns in 80 100; do
    COLUMNS=$columns on_a_terminal due --color never
    expect_out "$case_id  Rosalind"
    expect_out "…"
    widest=$(wc -L <<<"$out")
    [ "$widest" -le "$columns" ] || fail "a row is $widest columns wide on a $columns-column terminal"
  done
  run due --format json
  expect_jq 'all(.[]; .worker == "alice" and .program == "housing")'  # every column stays in json
  # Not a terminal (cron mail, a file, a pipe): IDs only, every reason whole.
  run due
  expect_not_in_out "Rosalind"
  expect_not_in_out "…"
  run due --format json
  expect_jq 'all(.[]; (.reason | contains("…")) | not)'
  COLUMNS=400 on_a_terminal due --color never
  expect_not_in_out "…"
}

test_due_why_shows_each_reason_whole_wrapped_to_the_terminal() {
  new_repo || return
  export CASECTL_TODAY=2026-03-01
  intake "Rosalind Featherstonehaugh-Montgomery" --program housing --worker alice --opened 2026-01-01 -q || return
  local case_id=$id reason
  run due --format json
  reason=$(jq -r '.[] | select(.kind == "contact") | .reason' <<<"$out")
  COLUMNS=60 on_a_terminal due --why --color never
  expect_rc 0
  expect_out "$case_id  contact 2026-01-31, 29 days overdue"
  expect_out "    client   Rosalind Featherstonehaugh-Montgomery"
  expect_not_in_out "…"
  [ "$(wc -L <<<"$out")" -le 60 ] || fail "a line is $(wc -L <<<"$out") columns wide on a 60-column terminal"
  # The reason, its wrapped lines joined again, is the whole reason json gives.
  local joined
  joined=$(awk '/contact 2026/ {on = 1; next} on && /^    why/ {sub(/^    why +/, ""); text = $0; why = 1; next}
                why && /^             / {sub(/^ +/, ""); text = text " " $0; next} why {print text; exit}' <<<"$out")
  [ "$joined" = "$reason" ] || fail "the reason reads '$joined', not '$reason'"
  expect_out "    worker   alice"
  expect_out "    program  housing"
  run due --why   # not a terminal: IDs only, nothing wrapped
  expect_rc 0
  expect_not_in_out "    client "
  expect_out "    why      $reason"
  run report overdue --why
  expect_rc 0
  expect_out "    why      "
  run due --why --format json
  expect_rc 64
  expect_err "--why"
}

test_due_by_day_puts_the_overdue_first_then_each_day_under_its_name() {
  new_repo || return
  export CASECTL_TODAY=2026-03-01
  intake "Old One" --program housing --worker alice --opened 2026-01-01 -q || return
  local old=$id
  intake "New One" --program housing --worker alice --opened 2026-02-03 -q || return
  local new=$id
  run due --by day --within 7d
  expect_rc 0
  [ "$(grep -E '^[A-Z]' <<<"$out" | grep -v '^CASE' | tr '\n' '|')" = \
    "Overdue: 3 items|Thursday 2026-03-05: 3 items|" ] || fail "the headings are: $(grep -E '^[A-Z]' <<<"$out")"
  [ "$(grep -n "$old" <<<"$out" | head -1 | cut -d: -f1)" -lt "$(grep -n "$new" <<<"$out" | head -1 | cut -d: -f1)" ] ||
    fail "the overdue case is not first"
  run due --by day --within 7d --format json   # other formats: the same items, not grouped
  expect_jq 'length == 6'
}
