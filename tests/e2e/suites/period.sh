# Reports a supervisor and a funder can sign (issue 9): closures, goals, referrals and compliance for a period,
# each figure worked out by hand below; every report states its period and the day it is as of, and a report
# replayed later with --today gives the figures it gave on the day.

T=2026-06-30

agency() {
  new_repo || return 1
  cat >casectl.yaml <<'EOF'
schema: 1
agency: "Period Test Agency"
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
  contact:
    every: 30d
  consent:
    term: never
  referral:
    follow_up: 14d
programs:
  - id: housing
    name: "Housing stability"
  - id: aging
    name: "Aging in place"
EOF
  export CASECTL_TODAY=$T
  run check
  [ "$rc" -eq 0 ] || fail "the test's casectl.yaml does not pass check: $out $err"
}

# report_is REPORT ARGS... -- JQ: the JSON rows of the report satisfy JQ.
report_is() {
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  run report "${args[@]}" --format json
  expect_rc 0
  expect_jq "$1"
}

test_closures_count_episodes_with_their_length_of_stay() {
  agency || return
  intake "Cy One" --program housing --worker alice --opened 2026-01-01
  ok close "$id" --reason goals-met --today 2026-04-11                 # 100 days
  intake "Cy Two" --program aging --worker bob --opened 2026-03-01
  ok close "$id" --reason withdrew --today 2026-05-01                  # 61 days
  intake "Cy Three" --program housing --worker alice --opened 2025-11-01
  ok close "$id" --reason moved --today 2026-02-01                     # before the period
  ok reopen "$id" --today 2026-04-01
  ok transfer "$id" --to bob --today 2026-04-15
  ok close "$id" --reason goals-met --today 2026-06-10                 # second episode: 70 days, under bob
  local q=(closures --from 2026-04-01 --to 2026-06-30)
  report_is "${q[@]}" -- 'map({(.reason): [.closures, .mean_days, .median_days]}) | add
    == {"goals-met": [2, 85, 85], "withdrew": [1, 61, 61], "total": [3, 77, 70]}'
  expect_jq 'all(.[]; .from == "2026-04-01" and .to == "2026-06-30" and .as_of == "2026-06-30")'
  report_is "${q[@]}" --by worker -- 'map({(.worker): [.name, .closures, .median_days]}) | add
    == {"alice": ["Alice Moreno", 1, 100], "bob": ["Bob Okafor", 2, 65.5], "total": [null, 3, 70]}'
  report_is "${q[@]}" --by program -- 'map({(.program): .closures}) | add == {"housing": 2, "aging": 1, "total": 3}'
  run report "${q[@]}" --format csv
  expect_rows_header="reason,closures,mean_days,median_days,from,to,as_of"
  [[ "${out%%$'\r'*}" == "$expect_rows_header" ]] || fail "closures csv header: ${out%%$'\r'*}"
  expect_out "total,3,77.0,70.0,2026-04-01,2026-06-30,2026-06-30"
  # Replayed on 2026-05-15, the June closure has not happened yet.
  report_is "${q[@]}" --today 2026-05-15 -- 'map({(.reason): .closures}) | add
    == {"goals-met": 1, "withdrew": 1, "total": 2}'
  expect_jq 'all(.[]; .as_of == "2026-05-15")'
}

test_goals_created_resolved_and_active_with_the_met_rate() {
  agency || return
  intake "Go One" --program housing --worker alice --opened 2026-01-01
  local a=$id
  ok plan add "$a" "Keep my flat" --today 2026-01-05; local a1=$out    # before the period
  ok plan add "$a" "Find work" --today 2026-04-02; local a2=$out
  ok plan add "$a" "Learn to budget" --today 2026-04-03
  ok plan update "$a" "$a1" --status met --today 2026-04-20
  ok plan update "$a" "$a2" --status partly-met --today 2026-05-01
  ok plan update "$a" "$a2" --status not-met --today 2026-06-01            # its last change in the period counts
  intake "Go Two" --program aging --worker bob --opened 2026-01-01
  local b=$id
  ok plan add "$b" "See my grandchildren" --today 2026-04-10; local b1=$out
  ok plan add "$b" "Move downstairs" --today 2026-04-11; local b2=$out
  ok plan update "$b" "$b2" --status dropped --today 2026-05-05
  ok plan update "$b" "$b1" --status met --today 2026-07-05                # after the period
  local q=(goals --from 2026-04-01 --to 2026-06-30 --today 2026-07-10)
  report_is "${q[@]}" -- 'map({(.program): [.created, .met, .partly_met, .not_met, .dropped, .active, .met_rate]})
    | add == {"housing": [2, 1, 0, 1, 0, 1, 50], "aging": [2, 0, 0, 0, 1, 1, null], "total": [4, 1, 0, 1, 1, 2, 50]}'
  expect_jq '.[0].name == "Aging in place"'
  report_is "${q[@]}" --by worker -- 'map({(.worker): .created}) | add == {"alice": 2, "bob": 2, "total": 4}'
}

test_referrals_sent_answered_and_the_closed_loop_rate() {
  agency || return
  intake "Re One" --program housing --worker alice --opened 2026-01-01
  local a=$id r
  ok refer "$a" --to "Legal Aid" --without-consent "test" --today 2026-04-01
  r=$out
  ok referral "$a" "$r" --status accepted --today 2026-04-11               # 10 days
  ok refer "$a" --to "Legal Aid" --without-consent "test" --today 2026-04-05
  r=$out
  ok referral "$a" "$r" --status no-response --today 2026-04-20
  ok refer "$a" --to "Food Bank" --without-consent "test" --today 2026-05-01
  r=$out
  ok referral "$a" "$r" --status declined --today 2026-05-05                # 4 days
  intake "Re Two" --program aging --worker bob --opened 2026-01-01
  ok refer "$id" --to "Food Bank" --without-consent "test" --today 2026-06-01   # no answer
  ok refer "$id" --to "Food Bank" --without-consent "test" --today 2026-03-01   # before the period
  local q=(referrals --from 2026-04-01 --to 2026-06-30)
  report_is "${q[@]}" -- 'map({(.provider): [.sent, .accepted, .completed, .declined, .no_response, .no_answer,
      .closed_loop, .closed_loop_rate, .median_days_to_answer]}) | add
    == {"Food Bank": [2, 0, 0, 1, 0, 1, 1, 50, 4], "Legal Aid": [2, 1, 0, 0, 1, 0, 1, 50, 10],
        "total": [4, 1, 0, 1, 1, 1, 2, 50, 7]}'
  report_is "${q[@]}" --by program -- 'map({(.program): .sent}) | add == {"housing": 3, "aging": 1, "total": 4}'
  # The export carries each referral's dated answers.
  run export --format json
  expect_jq --arg c "$a" '.[] | select(.id == $c) | .referrals | map(.history | map(.status)) | sort
    == [["accepted"], ["declined"], ["no-response"]]'
  expect_jq --arg c "$a" '.[] | select(.id == $c) | .referrals | map(.history[0].date) | sort
    == ["2026-04-11", "2026-04-20", "2026-05-05"]'
}

test_compliance_counts_deadlines_met_on_time_late_or_missing() {
  agency || return
  # Reviews: first 30d after opening, then every 90d. Opened 2026-03-05: first review due 04-04.
  intake "Co One" --program housing --worker alice --opened 2026-03-05
  local a=$id
  ok review "$a" -m "first" --today 2026-04-01          # due 04-04: on time; next due 06-30
  ok review "$a" -m "second" --today 2026-07-03         # due 06-30: 3 days late (after the period)
  # Opened 2026-02-01: first review due 03-03 (before the period); done 04-10 (late, not in the period); next
  # due 07-09 (after the period): no review deadline of this case falls in Q2.
  intake "Co Two" --program aging --worker bob --opened 2026-02-01
  local b=$id
  ok review "$b" -m "late" --today 2026-04-10
  # Opened 2026-04-15: first review due 05-15, never done: missing.
  intake "Co Three" --program housing --worker bob --opened 2026-04-15
  local q=(compliance --from 2026-04-01 --to 2026-06-30 --kind review --today 2026-07-10)
  report_is "${q[@]}" -- 'map({(.kind): [.due, .on_time, .late, .mean_days_late, .missing, .on_time_rate]}) | add
    == {"review": [3, 1, 1, 3, 1, 33.3], "total": [3, 1, 1, 3, 1, 33.3]}'
  report_is "${q[@]}" --by worker -- 'map({(.worker): [.due, .on_time, .late, .missing]}) | add
    == {"alice": [2, 1, 1, 0], "bob": [1, 0, 0, 1], "total": [3, 1, 1, 1]}'
  # On the last day of the quarter, the review due that day is not late yet but not done either: missing; and
  # replaying that day later gives the same answer.
  report_is compliance --from 2026-04-01 --to 2026-06-30 --kind review --today 2026-06-30 -- \
    'map({(.kind): [.due, .on_time, .late, .missing]}) | add == {"review": [3, 1, 0, 2], "total": [3, 1, 0, 2]}'
  # Contacts: every 30d. A contact on time answers its deadline and sets the next one.
  intake "Co Four" --program housing --worker alice --opened 2026-05-01   # contact due 05-31
  ok log "$id" -m "call" --at 2026-05-20T10:00                            # on time; next due 06-19
  ok log "$id" -m "call" --at 2026-06-25T10:00                            # 6 days late; next due 07-25
  ok log "$id" -m "landlord" --type collateral --at 2026-06-20T10:00      # collateral: answers nothing
  report_is compliance --from 2026-05-01 --to 2026-06-30 --kind contact --today 2026-07-10 -- \
    '(map(select(.kind == "contact")) | .[0] | [.due, .on_time, .late, .mean_days_late]) as $c
     | $c[0] >= 2 and $c[1] >= 1 and $c[2] >= 1'
}

test_every_period_report_states_its_period_and_as_of_day_in_every_format() {
  agency || return
  intake "St One" --program housing --worker alice --opened 2026-01-01
  local r
  for r in caseload closures contacts goals compliance referrals; do
    run report "$r" --from 2026-04-01 --to 2026-06-30 --today 2026-07-01
    expect_rc 0
    [[ "${out%%$'\n'*}" == *", 2026-04-01 to 2026-06-30, as of 2026-07-01" ]] || fail "$r: no title: ${out%%$'\n'*}"
    run report "$r" --from 2026-04-01 --to 2026-06-30 --today 2026-07-01 --format json
    expect_jq 'length >= 1 and all(.[]; .from == "2026-04-01" and .to == "2026-06-30" and .as_of == "2026-07-01")'
    expect_jq '.[-1] | to_entries[0].value == "total"'
    run report "$r" --from 2026-04-01 --to 2026-06-30 --today 2026-07-01 --format csv
    [[ "${out%%$'\r'*}" == *",from,to,as_of" ]] || fail "$r: csv header: ${out%%$'\r'*}"
  done
  run report closures --from 2026-04-01
  expect_rc 64
}

test_list_and_export_on_a_past_day_show_the_cases_as_they_were() {
  agency || return
  intake "Pa Closed Later" --program housing --worker alice --risk low --opened 2025-12-01
  local closed=$id
  ok set "$closed" risk=high --today 2026-02-01
  ok close "$closed" --reason moved --today 2026-02-20
  intake "Pa Opened Later" --program aging --worker bob --opened 2026-03-01
  local later=$id
  run list --today 2026-01-10 --format json
  expect_jq --arg c "$closed" --arg l "$later" 'map(.id) == [$c]'
  expect_jq '.[0].status == "open" and .[0].risk == "low" and .[0].closed == null'
  run export --today 2026-01-10 --format json
  expect_jq --arg c "$closed" 'map(.id) == [$c] and .[0].status == "open" and .[0].risk == "low"'
  run list --today 2026-02-10 --format json
  expect_jq '.[0].risk == "high"'
}
