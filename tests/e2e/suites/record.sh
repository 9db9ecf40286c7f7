# Reading the record (issue 8, item 9): every note can be read whole (timeline --full, note, JSON, CSV), nothing
# is cut in the middle of a character, note IDs are shown and amended notes marked, the same day's events are in
# time order, and show gives the latest notes, the client's address, member ID, household and care team, the total
# and band of an instrument scored by domains, overdue goals and the date of each referral's status.
# Sourced by run.sh, which provides CASECTL, SOURCE_DIR, run, run_stdin, fail, expect_*, new_repo, intake.
# shellcheck shell=bash disable=SC2154

T=2026-06-15

expect_utf8() { printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || fail "stdout is not valid UTF-8"; }

# a_case: a fresh repository with one open housing case of alice's, opened on 2026-06-01; sets $id.
a_case() {
  new_repo || return 1
  export CASECTL_TODAY=$T CASECTL_WORKER=alice
  intake "Zoë Ñandú" --dob 1980-04-02 --program housing --worker alice --risk medium --opened 2026-06-01
}

# line_of PATTERN: the first line of stdout matching the extended regular expression PATTERN.
line_of() { printf '%s\n' "$out" | grep -E -m1 -- "$1"; }

# expect_order PATTERN...: each pattern matches a line of stdout, each below the one before.
expect_order() {
  local prev=0 n pattern
  for pattern in "$@"; do
    n=$(printf '%s\n' "$out" | grep -nE -- "$pattern" | head -1 | cut -d: -f1)
    if [ -z "$n" ]; then
      fail "no line matches /$pattern/"
    elif [ "$n" -le "$prev" ]; then
      fail "out of order at /$pattern/"
    else
      prev=$n
    fi
  done
}

# The 500-character note: multi-byte characters throughout (2, 3 and 4 bytes), several lines, an empty one.
long_note() {
  local line1="Home visit with Zoë: " line2="Second paragraph: " i
  for i in $(seq 40); do line1+="ñé日ü "; done
  for i in $(seq 50); do line2+="café "; done
  printf '%s\n%s\n\n%s' "${line1% }" "${line2% }" "Ends here — 終わり 🏠."
}

test_a_long_multibyte_note_is_read_whole_everywhere() {
  a_case || return
  local note chars
  note=$(long_note)
  chars=$(printf '%s' "$note" | LC_ALL=C.UTF-8 wc -m)
  [ "$chars" -ge 500 ] || fail "the test note has only $chars characters"
  run_stdin "$note" log "$id" --type visit --minutes 45 --at 2026-06-10T14:30
  expect_rc 0
  local n=$out
  # The stored note is the note (else nothing below proves anything).
  run note "$id" "$n" --format json
  expect_rc 0
  [ "$(jq -r .note <<<"$out")" == "$note" ] || fail "note --format json does not give the note as logged"

  # The text timeline shortens the first line, on a character boundary, and says so.
  run timeline "$id"
  expect_rc 0
  expect_utf8
  local row
  row=$(line_of "^2026-06-10 14:30 contact")
  [[ "$row" == *"visit (45 min): Home visit with Zoë: ñé日ü"*"..." ]] || fail "shortened row: $row"
  expect_not_in_out "Second paragraph"
  local desc=${row:38}
  [ "$(printf '%s' "$desc" | LC_ALL=C.UTF-8 wc -m)" -le 120 ] || fail "the shortened row is too long: $desc"

  # --full: the whole note, continuation lines indented under the description.
  run timeline "$id" --full
  expect_rc 0
  expect_utf8
  local indent expected
  indent=$(printf '%38s' '')
  expected="2026-06-10 14:30 contact         $n visit (45 min): $(sed -n 1p <<<"$note")
$indent$(sed -n 2p <<<"$note")

$indent$(sed -n 4p <<<"$note")"
  [[ "$out" == *"$expected"* ]] || fail "timeline --full does not hold the whole note, indented"

  # JSON: text and note whole.
  run timeline "$id" --format json
  expect_rc 0
  expect_jq --arg n "$n" --arg note "$note" \
    'any(.[]; .ref == $n and .note == $note and .text == "visit (45 min): " + $note and .time == "14:30")'
  expect_jq 'all(.[]; .text | endswith("...") | not)'

  # CSV (RFC 4180: the field quoted, its line breaks kept) and TSV (line breaks and tabs become spaces).
  run timeline "$id" --format csv
  expect_rc 0
  expect_utf8
  [[ "$out" == "date,time,kind,ref,text,note,amends,amended_by"$'\r\n'* ]] || fail "CSV header"
  expect_out ",\"visit (45 min): $note\",\"$note\",,"
  run timeline "$id" --format tsv
  expect_rc 0
  expect_out "$(printf '%s' "$note" | tr '\n' ' ')"

  # note: the header, then the note whole.
  run note "$id" "$n"
  expect_rc 0
  expect_utf8
  expect_out "Date:       2026-06-10 14:30"
  expect_out "Type:       visit"
  expect_out "Minutes:    45"
  expect_out "Worker:     alice"
  [[ "$out" == *$'\n\n'"$note" ]] || fail "note does not end with the whole note"
}

test_text_output_never_cuts_a_character_in_two() {
  a_case || return
  local note="" i
  # A one-byte character first, so that a cut at a fixed byte count falls inside a two-byte one.
  note="x"
  for i in $(seq 100); do note+="é"; done
  ok log "$id" -m "$note" --at 2026-06-10T09:00
  run timeline "$id"
  expect_rc 0
  expect_utf8
  expect_out "phone: xééé"
  expect_out "é..."
  run show "$id"
  expect_rc 0
  expect_utf8
  expect_out "é..."
}

test_note_finds_a_note_by_id_or_unique_prefix() {
  a_case || return
  ok log "$id" -m "First call." --with "Landlord" --at 2026-06-10T10:00 --follow-up 2026-06-20
  local n=$out
  run note "$id" "$n"
  expect_rc 0
  expect_out "Note:       $n  $id"
  expect_out "With:       Landlord"
  expect_out "Follow-up:  2026-06-20"
  expect_out "First call."
  run note "$id" "${n:0:3}"
  expect_rc 0
  expect_out "First call."
  # A second note whose ID shares the first three characters: the prefix is ambiguous, the full ID is not.
  local other f
  other=${n:0:3}$([ "${n:3:1}" == "z" ] && echo a || echo z)
  f=$(ls "cases/$id/contacts/"*"-$n.yaml")
  sed -e "s/^id: $n\$/id: \"$other\"/" -e 's/First call\./Second call./' "$f" \
    >"cases/$id/contacts/2026-06-10-$other.yaml"
  chmod 600 "cases/$id/contacts/2026-06-10-$other.yaml"
  run note "$id" "${n:0:3}"
  expect_rc 64
  expect_err "matches 2 contact notes"
  run note "$id" "$other"
  expect_rc 0
  expect_out "Second call."
  run note "$id" "$n"
  expect_rc 0
  expect_out "First call."
  run note "$id" 9999
  expect_rc 66
  expect_err "has no contact note '9999'"
  run note "$id" ""
  expect_rc 64
  run note c-zzzzzzzz "$n"
  expect_rc 66
}

test_note_ids_are_shown_and_amended_notes_marked() {
  a_case || return
  ok log "$id" -m "The call lasted 20 minutes." --minutes 20 --at 2026-06-10T10:00
  local a=$out
  run timeline "$id"
  expect_rc 0
  # The ref column of the timeline is what --amends takes.
  local shown
  shown=$(line_of '^2026-06-10 10:00 contact' | awk '{print $4}')
  [ "$shown" == "$a" ] || fail "timeline shows '$shown' as the note's ID, expected $a"
  run log "$id" -m "Correction: 30 minutes." --amends "$shown" --at 2026-06-11T09:00
  expect_rc 0
  local b=$out
  run timeline "$id"
  expect_rc 0
  expect_out "(amended by $b)"
  line_of "^2026-06-10 10:00 contact +$a phone \(20 min\) \(amended by $b\): The call lasted" >/dev/null ||
    fail "the amended note is not marked on its own line"
  line_of "^2026-06-11 09:00 addendum +$b addendum to note $a: Correction" >/dev/null || fail "the addendum's line"
  run timeline "$id" --format json
  expect_rc 0
  expect_jq --arg a "$a" --arg b "$b" 'any(.[]; .ref == $a and .amended_by == [$b] and .amends == null)'
  expect_jq --arg a "$a" --arg b "$b" 'any(.[]; .ref == $b and .amends == $a and .amended_by == [])'
  run note "$id" "$a"
  expect_rc 0
  expect_out "Amended by: $b (2026-06-11 09:00)"
  run note "$id" "$b"
  expect_rc 0
  expect_out "Type:       addendum"
  expect_out "Amends:     $a (2026-06-10 10:00 phone)"
  run note "$id" "$a" --format json
  expect_jq --arg b "$b" '.amended_by == [$b] and .minutes == 20 and .type == "phone"'
}

test_the_same_days_events_are_in_time_order() {
  a_case || return
  # Recorded out of order: the afternoon first.
  ok log "$id" -m "Afternoon visit" --type visit --at 2026-06-10T15:00
  ok log "$id" -m "Morning call" --at 2026-06-10T09:05
  ok log "$id" -m "Noon email" --type email --at 2026-06-10T12:00
  ok --today 2026-06-10 review "$id" --outcome continue -m "Same-day review"
  ok --today 2026-06-10 refer "$id" --to "Food Bank" --without-consent "client asked on the phone"
  # The opening day: the opening comes before a note of that day.
  ok log "$id" -m "Intake call" --at 2026-06-01T08:00
  run timeline "$id"
  expect_rc 0
  expect_order '^2026-06-01 +case .*opened' '^2026-06-01 08:00 contact .*Intake call' \
    '^2026-06-10 09:05 contact .*Morning call' '^2026-06-10 12:00 contact .*Noon email' \
    '^2026-06-10 15:00 contact .*Afternoon visit' '^2026-06-10 +referral .*Food Bank' \
    '^2026-06-10 +review .*Same-day review'
  run timeline "$id" --format json
  expect_rc 0
  expect_jq '[.[] | select(.date == "2026-06-10") | .kind] == ["contact","contact","contact","referral","review"]'
  expect_jq '[.[] | select(.date == "2026-06-10" and .time != null) | .time] == ["09:05","12:00","15:00"]'
  # The closing comes after the notes of its day.
  ok log "$id" -m "Goodbye call" --at "${T}T09:00"
  ok close "$id" --reason goals-met -m "Housed."
  run timeline "$id"
  expect_rc 0
  expect_order "^$T 09:00 contact .*Goodbye call" "^$T +case .*closed: goals-met"
  # The order does not depend on the format.
  run timeline "$id" --format csv
  expect_rc 0
  local csv_order
  csv_order=$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1-3 | tr -d '\r')
  run timeline "$id" --format json
  [ "$csv_order" == "$(jq -r '.[] | "\(.date),\(.time // ""),\(.kind)"' <<<"$out")" ] ||
    fail "CSV and JSON order differ"
}

test_timeline_csv_and_tsv_have_the_json_fields() {
  a_case || return
  ok log "$id" -m 'He said "fine", then left' --at 2026-06-10T10:00
  local n=$out
  run timeline "$id" --format csv
  expect_rc 0
  expect_out "2026-06-10,10:00,contact,$n,\"phone: He said \"\"fine\"\", then left\",\"He said \"\"fine\"\", then left\",,"
  [ "$(printf '%s' "$out" | grep -c $'\r$')" -eq 3 ] || fail "CSV lines do not end in CRLF"
  run timeline "$id" --format tsv
  expect_rc 0
  [[ "$out" == "date"$'\t'"time"$'\t'"kind"$'\t'"ref"$'\t'"text"$'\t'"note"$'\t'"amends"$'\t'"amended_by"* ]] ||
    fail "TSV header"
  expect_out "2026-06-10"$'\t'"10:00"$'\t'"contact"$'\t'"$n"$'\t'"phone: He said \"fine\", then left"
  run timeline "$id" --format xml
  expect_rc 64
}

test_show_lists_the_latest_notes() {
  a_case || return
  ok log "$id" -m "Oldest note" --at 2026-06-02T10:00
  ok log "$id" -m "Second note" --type visit --at 2026-06-05T10:00
  ok log "$id" -m "Third note"$'\n'"with a second line" --type office --at 2026-06-08T10:00
  local third=$out
  ok log "$id" -m "Newest note" --type attempt --at 2026-06-12T10:00
  local newest=$out
  run show "$id"
  expect_rc 0
  expect_out "Latest notes"
  expect_order "2026-06-12 attempt +$newest +Newest note" "2026-06-08 office +$third +Third note" \
    "2026-06-05 visit .*Second note"
  expect_not_in_out "Oldest note"
  expect_not_in_out "with a second line"
  run show "$id" --format json
  expect_rc 0
  expect_jq --arg n "$newest" '(.latest_notes | length) == 3 and .latest_notes[0].id == $n
    and .latest_notes[0].type == "attempt" and .latest_notes[0].date == "2026-06-12"'
  expect_jq '.latest_notes[1].note == "Third note\nwith a second line"'
  # As the day stood: a later note is not among the latest.
  run --today 2026-06-09 show "$id" --format json
  expect_jq --arg n "$third" '.latest_notes[0].id == $n'
}

test_show_gives_address_member_id_household_and_care_team() {
  a_case || return
  run show "$id"
  expect_not_in_out "Address"
  expect_not_in_out "Household"
  expect_not_in_out "Care team"
  ok set "$id" "address=12 Rue de l'Église, Springfield" member_id=MA-12345
  cat >>"cases/$id/case.yaml" <<'EOF2'
household:
  - name: "Ana Ñandú"
    relation: "daughter"
    dob: "2012-03-04"
care_team:
  - name: "Dr. Lee"
    role: "primary care"
    organization: "Riverside Clinic"
    phone: "555-0100"
EOF2
  run check
  expect_rc 0
  run show "$id"
  expect_rc 0
  expect_out "Member ID MA-12345"
  expect_out "Address 12 Rue de l'Église, Springfield"
  expect_out "Household: Ana Ñandú (daughter, born 2012-03-04)"
  expect_out "Care team: Dr. Lee (primary care, Riverside Clinic, 555-0100)"
  run show "$id" --format json
  expect_rc 0
  expect_jq '.client.address == "12 Rue de l'"'"'Église, Springfield" and .client.member_id == "MA-12345"'
  expect_jq '.household == [{"name": "Ana Ñandú", "relation": "daughter", "role": null, "organization": null,
    "phone": null, "dob": "2012-03-04"}]'
  expect_jq '.care_team[0].name == "Dr. Lee" and .care_team[0].organization == "Riverside Clinic"'
}

test_show_gives_the_total_and_band_of_an_instrument_scored_by_domains() {
  a_case || return
  # The self-sufficiency matrix: every domain at 3, housing at 5.
  local d sc=()
  for d in $(grep -E '^  - id: ' instruments/ssm.yaml | sed -E 's/.*"(.*)"/\1/'); do
    [ "$d" == housing ] && sc+=(--score "$d=5") || sc+=(--score "$d=3")
  done
  local n=$((${#sc[@]} / 2))
  ok assess "$id" -i ssm "${sc[@]}" --date 2026-06-05
  run show "$id"
  expect_rc 0
  expect_out "Score: ssm $((3 * n + 2)) (total of $n domains) on 2026-06-05"
  run show "$id" --format json
  expect_jq --argjson t $((3 * n + 2)) --argjson n "$n" \
    'any(.latest_scores[]; .instrument == "ssm" and .total == $t and .domains == $n and .band == null)'
  # A domain instrument that defines bands: the band of the total.
  cat >instruments/mini.yaml <<'EOF2'
schema: 1
id: "mini"
title: "Mini matrix"
version: "1"
scoring: "domains"
better: "higher"
scale:
  - value: 1
    label: "In crisis"
  - value: 2
    label: "Vulnerable"
  - value: 3
    label: "Safe"
  - value: 4
    label: "Building"
  - value: 5
    label: "Thriving"
items:
  - id: "housing"
    text: "Housing"
  - id: "income"
    text: "Income"
bands:
  - min: 0
    label: "in crisis"
  - min: 6
    label: "stable"
EOF2
  ok assess "$id" -i mini --score housing=4 --score income=3 --date 2026-06-06
  run show "$id"
  expect_rc 0
  expect_out "Score: mini 7 (total of 2 domains) (stable) on 2026-06-06"
  run show "$id" --format json
  expect_jq 'any(.latest_scores[]; .instrument == "mini" and .total == 7 and .band == "stable")'
  # A summed instrument is as it was.
  ok assess "$id" -i phq9 --score q1=2 --score q2=2 --score q3=2 --score q4=2 --score q5=2 --score q6=0 \
    --score q7=0 --score q8=0 --score q9=0 --date 2026-06-07
  run show "$id"
  expect_out "Score: phq9 10 (moderate) on 2026-06-07"
}

test_show_marks_a_goal_past_its_target() {
  a_case || return
  ok --today 2026-06-02 plan add "$id" "My own apartment" --domain housing --target 2026-06-10
  local g1=$out
  ok --today 2026-06-02 plan add "$id" "A steady job" --domain employment --target 2026-06-15
  local g2=$out
  ok --today 2026-06-02 plan add "$id" "Food stamps" --target 2026-06-05
  local g3=$out
  ok plan update "$id" "$g3" --status met --progress "Approved"
  run show "$id"
  expect_rc 0
  line_of "^  $g1 My own apartment .*target 2026-06-10 OVERDUE\$" >/dev/null || fail "g1 is not marked overdue"
  line_of "^  $g2 A steady job" | grep -q OVERDUE && fail "g2 is due today, not overdue"
  run show "$id" --format json
  expect_jq '[.plan[] | .overdue] == [true, false, false]'
  # As the day stood: g1 not yet overdue; g3, met later, overdue then.
  run --today 2026-06-09 show "$id"
  line_of "^  $g1 " | grep -q OVERDUE && fail "g1 was not overdue on 2026-06-09"
  line_of "^  $g3 Food stamps .*OVERDUE\$" >/dev/null || fail "g3 was overdue on 2026-06-09"
}

test_show_gives_the_date_of_each_referrals_status() {
  a_case || return
  ok --today 2026-06-03 refer "$id" --to "Food Bank" --without-consent "verbal consent on the phone"
  local food=$out
  ok --today 2026-06-04 refer "$id" --to "Legal Aid" --without-consent "verbal consent on the phone"
  local legal=$out
  ok --today 2026-06-08 referral "$id" "$food" --status accepted
  ok --today 2026-06-12 referral "$id" "$legal" --status no-response --follow-up 2026-06-30
  run show "$id"
  expect_rc 0
  expect_out "Referral $food: Food Bank — accepted since 2026-06-08"
  expect_out "Referral $legal: Legal Aid — no-response since 2026-06-12"
  run show "$id" --format json
  expect_jq --arg f "$food" 'any(.referrals[]; .id == $f and .status == "accepted" and .status_date == "2026-06-08")'
  run --today 2026-06-05 show "$id"
  expect_out "Referral $food: Food Bank — sent since 2026-06-03"
  expect_out "Referral $legal: Legal Aid — sent since 2026-06-04"
}
