# The record tells the truth (issue 8): what counts as contact, reopening, referrals that close their loop,
# consents, replaying a past day, and a review that happens wholly or not at all. Each test writes its own
# casectl.yaml and asks with a fixed --today.

T=2026-06-15

d() { TZ=UTC date -d "$T $1 days" +%F; }

# agency [EXTRA_RULES]: a repository with explicit rules (contact every 30d, review first 30d every 90d, assessment
# first 14d every 180d, consent term 1y warn 30d, referral follow-up 14d); EXTRA_RULES replaces the contact rule.
agency() {
  new_repo || return 1
  local contact=${1:-"  contact:
    every: 30d
    note: \"Policy C: monthly contact\""}
  cat >casectl.yaml <<EOF
schema: 1
agency: "Truth Test Agency"
due_soon: 14d
workers:
  - id: alice
    name: "Alice Moreno"
  - id: bob
    name: "Bob Okafor"
risk_levels: [low, medium, high]
closure_reasons: [goals-met, withdrew, moved, other]
contact_types: [phone, visit, office, video, email, text, collateral, attempt]
rules:
  review:
    first: 30d
    every: 90d
  assessment:
    first: 14d
    every: 180d
$contact
  consent:
    term: 1y
    warn: 30d
    note: "Policy K: consents last a year"
  referral:
    follow_up: 14d
    note: "Policy F: referrals followed up in 14 days"
programs:
  - id: housing
    name: "Housing stability"
EOF
  export CASECTL_TODAY=$T
  run check
  [ "$rc" -eq 0 ] || fail "the test's casectl.yaml does not pass check: $out $err"
}

# base NAME [ARGS...]: a housing case of alice's opened long before $T; sets $id.
base() {
  local name=$1
  shift
  intake "$name" --program housing --worker alice --opened 2025-06-01 "$@"
}

# item CASE KIND: "DUE DAYS" of the one item of KIND for CASE in the last JSON output ("" when none).
item() {
  printf '%s' "$out" | jq -r --arg c "$1" --arg k "$2" '[.[] | select(.case == $c and .kind == $k)] |
    if length == 0 then "" elif length == 1 then "\(.[0].due) \(.[0].days_overdue)" else "several" end'
}
expect_item() { [ "$(item "$1" "$2")" == "$3 $4" ] || fail "$2 of $1: '$(item "$1" "$2")', expected '$3 $4'"; }
expect_no_item() { [ -z "$(item "$1" "$2")" ] || fail "$2 of $1 should not be listed: $(item "$1" "$2")"; }
reason() { printf '%s' "$out" | jq -r --arg c "$1" --arg k "$2" 'first(.[] | select(.case == $c and .kind == $k)) | .reason'; }

# --- 1. contacts that count -------------------------------------------------------------------------------------

test_an_addendum_is_not_a_contact() {
  agency || return
  base "Ada Addendum"
  ok log "$id" -m "home visit" --type visit --at "$(d -40)T10:00"
  local note=$out
  ok log "$id" -m "correction: it was a video call" --amends "$note" --at "$(d -2)T10:00"
  run due --format json
  expect_item "$id" contact "$(d -10)" 10
  run timeline "$id" --format json
  expect_jq '[.[] | select(.kind == "addendum")] | length == 1'
  expect_jq '[.[] | select(.kind == "contact")] | length == 1'
  run log "$id" -m "x" --amends "$note" --type phone
  expect_rc 64
}

test_collateral_contacts_and_attempts_do_not_reset_the_clock() {
  agency || return
  base "Cole Lateral"
  ok log "$id" -m "call" --type phone --at "$(d -35)T10:00"
  ok log "$id" -m "landlord about the lease" --type collateral --at "$(d -3)T10:00"
  ok log "$id" -m "no answer" --type attempt --at "$(d -1)T10:00"
  run due --format json
  expect_item "$id" contact "$(d -5)" 5
  [[ "$(reason "$id" contact)" == *"last contact on $(d -35)"* ]] || fail "reason: $(reason "$id" contact)"
  run report overdue --format json
  expect_item "$id" contact "$(d -5)" 5
}

test_a_contact_rule_names_the_types_that_count() {
  agency "  contact:
    every: 30d
    types: [visit, office]
    note: \"Policy V: a face-to-face contact every month\"" || return
  base "Vic Visit"
  ok log "$id" -m "office" --type office --at "$(d -31)T10:00"
  ok log "$id" -m "call" --type phone --at "$(d -2)T10:00"
  run due --format json
  expect_item "$id" contact "$(d -1)" 1
  [[ "$(reason "$id" contact)" == *"counting visit, office"* ]] || fail "reason: $(reason "$id" contact)"
  # A type the agency does not have is a configuration error, not a rule that silently never counts.
  sed -i 's/types: \[visit, office\]/types: [visit, ofice]/' casectl.yaml
  run due
  expect_rc 78
  expect_err "ofice"
}

# --- 2. reopening restarts the clocks ---------------------------------------------------------------------------

test_reopening_restarts_every_clock() {
  agency || return
  base "Rhea Open"
  ok --today 2025-06-20 log "$id" -m "call" --at 2025-06-20T10:00
  ok --today 2025-06-25 review "$id" -m "first review"
  ok --today 2025-06-26 assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 \
    --score q6=1 --score q7=1 --score q8=1 --score q9=0
  ok --today 2025-07-01 close "$id" --reason moved --force
  ok --today "$(d -5)" reopen "$id"
  run due --format json --within 30d
  expect_rc 0
  expect_item "$id" contact "$(d 25)" -25
  expect_item "$id" review "$(d 25)" -25
  expect_item "$id" assessment "$(d 9)" -9
  [[ "$(reason "$id" review)" == *"reopening on $(d -5)"* ]] || fail "review reason: $(reason "$id" review)"
  run report overdue --format json
  expect_jq --arg c "$id" '[.[] | select(.case == $c)] | length == 0'
}

# --- 3. every referral closes its loop ----------------------------------------------------------------------------

test_a_referral_without_follow_up_gets_the_agency_default() {
  agency || return
  base "Ray Referral"
  ok --today "$(d -20)" refer "$id" --to "Food Bank" --without-consent "verbal consent on the phone"
  local ref=$out
  run due --format json
  expect_item "$id" referral "$(d -6)" 6
  grep -q "^follow_up: \"\?$(d -6)\"\?$" cases/"$id"/referrals/*-"$ref".yaml || fail "the default follow-up is not stored"
  # no-response does not close the loop; a new follow-up date moves it; accepted closes it.
  ok referral "$id" "$ref" --status no-response
  run due --format json
  expect_item "$id" referral "$(d -6)" 6
  [[ "$(reason "$id" referral)" == *"no response"* ]] || fail "reason: $(reason "$id" referral)"
  ok referral "$id" "$ref" --status no-response --follow-up "$(d 7)"
  run due --format json
  expect_item "$id" referral "$(d 7)" -7
  ok referral "$id" "$ref" --status accepted
  run due --format json
  expect_no_item "$id" referral
}

# --- 4. consents --------------------------------------------------------------------------------------------------

test_consent_terms_count_from_the_signing_date() {
  agency || return
  base "Cora Consent"
  ok consent "$id" --to "Clinic" --purpose care --signed 2025-07-10 --expires 1y
  grep -q 'expires: "\?2026-07-10"\?' cases/"$id"/case.yaml || fail "--expires 1y does not count from --signed"
  ok consent "$id" --to "Food Bank" --purpose referral --signed 2025-08-01
  grep -q 'expires: "\?2026-08-01"\?' cases/"$id"/case.yaml || fail "no default term from casectl.yaml"
  run due --format json --within 30d
  [[ "$(reason "$id" consent)" == *"Clinic"* ]] || fail "the consent's reason does not name the party: $(reason "$id" consent)"
  # A consent that has already expired is refused, not reported hundreds of days overdue.
  local before
  before=$(snapshot .)
  run consent "$id" --to "Shelter" --purpose housing --signed 2024-01-01 --expires 1y
  expect_rc 65
  expect_err "expired"
  [ "$(snapshot .)" == "$before" ] || fail "an expired consent was written"
  # `never` as the agency's term: no expiry.
  sed -i 's/    term: 1y/    term: never/' casectl.yaml
  ok consent "$id" --to "Pharmacy" --purpose medication
  python3 - "$id" <<'PY' || fail "a consent under 'term: never' got an expiry"
import sys, yaml
c = yaml.safe_load(open(f"cases/{sys.argv[1]}/case.yaml"))
sys.exit(0 if [x for x in c["consents"] if x["party"] == "Pharmacy" and "expires" not in x] else 1)
PY
}

# --- 5. --today replays that day ----------------------------------------------------------------------------------

test_a_replayed_day_ignores_what_was_recorded_later() {
  agency || return
  base "Paul Past"
  ok --today 2026-05-01 log "$id" -m "call" --at 2026-05-01T10:00
  ok --today 2026-06-10 log "$id" -m "visit" --type visit --at 2026-06-10T10:00
  # On 2026-06-05 the contact was 5 days overdue: the visit of 06-10 did not exist yet.
  run --today 2026-06-05 due --format json
  expect_item "$id" contact 2026-05-31 5
  run --today 2026-06-05 report overdue --format json
  expect_item "$id" contact 2026-05-31 5
  run --today 2026-06-05 show "$id" --format json
  [[ "$out" != *"2026-06-10"* ]] || fail "show on 2026-06-05 knows of a contact on 2026-06-10"
  run --today 2026-06-05 timeline "$id" --format json
  expect_jq '[.[] | select(.date > "2026-06-05")] | length == 0'
  # A case closed later was open that day; a case opened later did not exist yet.
  ok --today 2026-06-12 close "$id" --reason moved --force
  intake "Nina Later" --program housing --worker alice --opened 2026-06-14
  local later=$id
  run --today 2026-06-05 list --format json
  expect_jq --arg later "$later" '[.[] | select(.name == "Paul Past" and .status == "open")] | length == 1
                                  and ([.[] | select(.id == $later)] | length == 0)'
  run --today 2026-06-05 due --format json
  expect_jq '[.[] | select(.kind == "contact")] | length == 1'
}

test_a_transfer_later_does_not_move_an_earlier_day() {
  agency || return
  base "Tia Transfer"
  ok --today 2026-06-01 transfer "$id" --to bob
  run --today 2026-05-20 due --format json --worker alice
  expect_jq --arg c "$id" '[.[] | select(.case == $c)] | length > 0 and all(.worker == "alice")'
  run due --format json --worker alice
  expect_jq --arg c "$id" '[.[] | select(.case == $c)] | length == 0'
}

# --- 10. a review happens wholly or not at all ----------------------------------------------------------------------

test_a_review_with_a_bad_schedule_writes_nothing() {
  agency || return
  base "Rex Review"
  local before
  before=$(snapshot .)
  run review "$id" --date "$(d -1)" --on 2020-01-01
  expect_rc 65
  run review "$id" -m "fine" --every 0d
  expect_rc 65
  [ "$(snapshot .)" == "$before" ] || fail "a refused review wrote something"
  ok review "$id" -m "fine" --on "$(d 30)"
  [ "$(find cases/"$id"/reviews -name '*.yaml' | wc -l)" -eq 1 ] || fail "expected one review"
  grep -q "review_on" cases/"$id"/case.yaml || fail "the schedule was not set with the review"
}

# --- 7. safety ------------------------------------------------------------------------------------------------------

phq9() {
  local q9=$1
  shift
  ok "$@" assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 --score q6=1 \
    --score q7=1 --score q8=1 --score q9="$q9"
}

test_an_urgent_safety_answer_is_due_everywhere_until_followed_up_and_cleared_by_a_person() {
  agency || return
  base "Sam Safety"
  phq9 1 --today "$(d -2)"
  run due --format json
  expect_item "$id" safety "$(d -1)" 1
  run report overdue --format json
  expect_item "$id" safety "$(d -1)" 1
  run report overdue
  [[ "$out" == *safety* ]] || fail "the cron report does not show the safety item"
  run list --format json "flag:urgent"
  expect_jq --arg c "$id" 'length == 1 and .[0].id == $c and (.[0].flags | test("^!safety"))'
  run list --format csv
  [[ "$(head -1 <<<"$out")" == *flags* ]] || fail "list has no flags column"
  # A later PHQ-9 with item 9 = 0 does not clear it, and says so.
  phq9 0
  [[ "$err" == *"still open"* ]] || fail "a later PHQ-9 does not say the flag is still open: $err"
  run flag "$id" --format json
  expect_jq 'length == 1 and .[0].cleared == null'
  local flag
  flag=$(jq -r '.[0].id' <<<"$out")
  # A contact with the client on a later day answers the follow-up; the flag stays until cleared with a reason.
  ok log "$id" -m "safety plan reviewed with the client" --type visit
  run due --format json
  expect_no_item "$id" safety
  run list --format json "flag:urgent"
  expect_jq 'length == 1'
  run flag "$id" --clear "$flag"
  expect_rc 64
  ok flag "$id" --clear "$flag" -m "Safety plan in place; psychiatrist seen"
  run list --format json "flag:urgent"
  expect_jq 'length == 0'
  run timeline "$id"
  [[ "$out" == *"flag $flag cleared"* ]] || fail "the clearing is not in the history"
  grep -q "cleared_reason" cases/"$id"/case.yaml || fail "the reason is not kept"
}

test_a_flag_raised_by_hand() {
  agency || return
  base "Fay Flag"
  ok flag "$id" "no voicemail"
  ok flag "$id" "threatened eviction" --urgent -m "court date next week"
  run due --format json
  expect_item "$id" safety "$(d 1)" -1
  run list --format json "flag:no voicemail"
  expect_jq 'length == 1'
  run flag "$id" --clear zzzz -m "x"
  expect_rc 66
}

# --- 11. who wrote it ------------------------------------------------------------------------------------------

# bob_gets LINE: adds LINE (such as 'email: "bob@example.org"') to bob's entry in casectl.yaml.
bob_gets() { sed -i "s/^    name: \"Bob Okafor\"\$/    name: \"Bob Okafor\"\n    $1/" casectl.yaml; }
authors() { cat cases/"$1"/contacts/*.yaml | grep -h '^worker:' | sort | tr '\n' ' '; }

test_the_author_is_a_configured_worker_named_by_option_or_environment() {
  agency || return
  base "Ada Author"
  local before
  before=$(snapshot .)
  CASECTL_WORKER=zed run log "$id" -m "call"
  expect_rc 64
  expect_err "CASECTL_WORKER: unknown worker 'zed'"
  run log "$id" -m "call" --worker alicia
  expect_rc 64
  expect_err "--worker: unknown worker 'alicia'"
  expect_err "did you mean 'alice'"
  [ "$(snapshot .)" == "$before" ] || fail "a refused note wrote something"
  ok log "$id" -m "covering for alice" --worker bob
  ok log "$id" -m "call"
  [ "$(authors "$id")" == 'worker: alice worker: bob ' ] || fail "authors: $(authors "$id")"
  run note "$id" --format json
  expect_jq '[.[].worker] | sort == ["alice", "bob"]'
}

test_without_a_name_the_author_comes_from_git_or_the_login_and_otherwise_the_write_is_refused() {
  agency || return
  base "Ida Identity"
  unset CASECTL_WORKER
  local before
  before=$(snapshot .)
  run log "$id" -m "call"
  expect_rc 64
  expect_err "who is writing this?"
  run assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 --score q6=1 \
    --score q7=1 --score q8=1 --score q9=0
  expect_rc 64
  run review "$id" -m "review"
  expect_rc 64
  [ "$(snapshot .)" == "$before" ] || fail "a refused write wrote something"
  bob_gets 'email: "Bob@Example.org"'
  git config --global user.email "bob@example.org" || { fail "git config failed"; return; }
  ok log "$id" -m "as bob, by git's user.email"
  rm -f "$HOME/.gitconfig"
  sed -i "s/^    name: \"Alice Moreno\"\$/    name: \"Alice Moreno\"\n    login: \"$(id -un)\"/" casectl.yaml
  ok log "$id" -m "as alice, by login"
  CASECTL_WORKER=bob run log "$id" -m "named outright wins"
  expect_rc 0
  [ "$(authors "$id")" == 'worker: alice worker: bob worker: bob ' ] || fail "authors: $(authors "$id")"
}

test_a_worker_who_left_is_inactive_and_keeps_their_cases_readable() {
  agency || return
  base "Lea Leaving"
  ok transfer "$id" --to bob --today 2026-05-01
  CASECTL_WORKER=bob ok log "$id" -m "bob's visit" --type visit --at 2026-05-10T10:00
  bob_gets "active: false"
  run check
  expect_rc 0
  expect_out "assigned to worker 'bob', who is inactive"
  CASECTL_WORKER=bob run log "$id" -m "after leaving"
  expect_rc 64
  expect_err "inactive"
  local other=$id
  base "Ola Other"
  run transfer "$id" --to bob
  expect_rc 64
  expect_err "inactive"
  run set "$id" worker=bob
  expect_rc 64
  run intake "New Person" --worker bob
  expect_rc 64
  run report caseload --format json
  expect_rc 0
  expect_jq 'any(.[]; .worker == "bob")'
  # Removing bob altogether no longer makes his cases unreadable: check warns, reports still answer.
  python3 - <<'PY'
import re
text = open("casectl.yaml").read()
text = re.sub(r"  - id: bob\n(    .*\n)*", "", text)
open("casectl.yaml", "w").write(text)
PY
  grep -q "id: bob" casectl.yaml && { fail "bob still listed"; return; }
  for command in "due" "list" "report caseload" "report contacts --from 2026-05-01 --to 2026-05-31" "show $other"; do
    # shellcheck disable=SC2086
    run $command
    expect_rc 0
  done
  run report contacts --from 2026-05-01 --to 2026-05-31 --format json
  expect_jq 'any(.[]; .worker == "bob" and .contacts == 1)'
  run check
  expect_rc 0
  expect_out "whom casectl.yaml no longer lists"
}

test_set_worker_is_a_transfer_and_set_program_and_risk_leave_history() {
  agency || return
  cat >>casectl.yaml <<'YAML'
  - id: aging
    name: "Aging"
YAML
  base "Sol Setter" --risk low
  ok set "$id" worker=bob --today 2026-03-01
  ok set "$id" program=aging risk=high --today 2026-04-01
  run timeline "$id" --format json
  expect_jq '[.[] | select(.kind == "case") | .text] == ["opened", "transferred from alice to bob",
             "program from housing to aging", "risk from low to high"]'
  grep -q 'event: transferred' "cases/$id/case.yaml" || fail "no transfer in the history"
  grep -q 'event: program-changed' "cases/$id/case.yaml" || fail "no program change in the history"
  grep -q 'event: risk-changed' "cases/$id/case.yaml" || fail "no risk change in the history"
  run list --today 2026-02-15 --format json
  expect_jq --arg c "$id" '.[] | select(.id == $c) | .worker == "alice" and .program == "housing" and .risk == "low"'
  run list --today 2026-03-15 --format json
  expect_jq --arg c "$id" '.[] | select(.id == $c) | .worker == "bob" and .program == "housing" and .risk == "low"'
  run list --format json
  expect_jq --arg c "$id" '.[] | select(.id == $c) | .worker == "bob" and .program == "aging" and .risk == "high"'
}

# --- 12. lists mean what they say -------------------------------------------------------------------------------------

test_a_list_with_an_unknown_program_worker_or_risk_is_a_usage_error() {
  agency || return
  base "Lu List"
  local term
  for term in program:housign worker:alicia risk:extreme; do
    run list "$term"
    expect_rc 64
    expect_err "casectl.yaml knows"
  done
  run list program:housing
  expect_rc 0
  expect_out "Lu List"
}

test_an_intake_without_program_or_worker_warns_or_is_refused_when_the_agency_requires_them() {
  agency || return
  unset CASECTL_WORKER  # nobody says who is writing: an intake assigns no one
  run intake "Wanda Nowhere"
  expect_rc 0
  expect_err "no program given"
  expect_err "no worker given"
  sed -i 's/^due_soon: 14d$/due_soon: 14d\nrequired_at_intake: [program, worker]/' casectl.yaml
  local before
  before=$(snapshot .)
  run intake "Wendy Nowhere" --program housing
  expect_rc 64
  expect_err "no worker given"
  [ "$(snapshot .)" == "$before" ] || fail "a refused intake wrote something"
  run intake "Wendy Nowhere" --program housing --worker alice
  expect_rc 0
  expect_not_in_err "given"
}

# --- 8. rules say where each date comes from ----------------------------------------------------------------------

test_a_reason_quotes_the_note_of_the_rule_that_produced_its_date() {
  agency || return
  cat >>casectl.yaml <<'YAML'
  - id: aging
    name: "Aging"
    rules:
      review:
        every: 365d
        note: "Policy H: HCBS plan reviewed every 12 months"
      assessment:
        instruments:
          phq9:
            every: 90d
            note: "Policy P: PHQ-9 every 90 days"
          ssm:
            every: 1y
            window: 30d
            note: "Policy S: annual SSM within 30 days of the anniversary"
YAML
  run check
  expect_rc 0
  intake "Al Aging" --program aging --worker alice --opened "$(d -20)"
  run due --format json --within 30d
  # The first review comes from the agency-wide `first`; the aging note belongs to `every` only.
  local reason
  reason=$(reason "$id" review)
  [[ "$reason" == *"first review 30d"* && "$reason" != *"Policy H"* ]] || fail "review reason: $reason"
  phq9 0
  run due --format json --within 400d
  expect_jq --arg c "$id" '[.[] | select(.case == $c and .kind == "assessment" and (.reason | test("Policy P")))]
                            | length == 1 and .[0].due == "'"$(d 90)"'"'
  expect_jq --arg c "$id" '[.[] | select(.case == $c and .kind == "assessment" and (.reason | test("Policy S")))]
                            | length == 1 and .[0].due == "'"$(TZ=UTC date -d "$(d -20) +1 year +30 days" +%F)"'"'
}
