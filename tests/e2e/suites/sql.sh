# casectl-sql(7): the SQLite and PostgreSQL exports and casectl sql, checked with the real engines — the sqlite3
# shell and a throwaway PostgreSQL cluster — against casectl's own reports.

SQL_TODAY=2026-12-31

# generated_agency DIR [NAME]: a repository of 300 cases from the benchmark's generator, as of $SQL_TODAY.
generated_agency() {
  python3 "$SOURCE_DIR/bench/generate.py" --casectl "$CASECTL" --cases 300 --closed-share 0.5 --seed 7 \
    --today "$SQL_TODAY" "$1" >/dev/null 2>&1 || { fail "the generator failed"; return 1; }
  [ -z "${2:-}" ] || sed -i "s/^agency: .*/agency: \"$2\"/" "$1/casectl.yaml"
}

# in_period COLUMN MODE: the year 2026 for a day column, identified (ISO days) or de-identified (years).
in_period() {
  if [ "$2" = deidentified ]; then echo "$1_year = 2026"; else echo "$1 BETWEEN '2026-01-01' AND '2026-12-31'"; fi
}

# The agreement queries, in SQL both engines run. Each prints one line of figures, apart by commas.
contacts_sql() {
  echo "SELECT count(*) FILTER (WHERE kind = 'client'),
           coalesce(sum(minutes) FILTER (WHERE kind = 'client'), 0),
           count(*) FILTER (WHERE kind = 'collateral'),
           coalesce(sum(minutes) FILTER (WHERE kind = 'collateral'), 0),
           count(*) FILTER (WHERE kind = 'attempt'), count(*) FILTER (WHERE kind = 'addendum'),
           count(DISTINCT case_id) FILTER (WHERE kind = 'client')
        FROM contacts WHERE agency = '$2' AND $(in_period date "$1")"
}
caseload_sql() {
  echo "SELECT count(*) FILTER (WHERE event = 'opened'), count(*) FILTER (WHERE event = 'reopened'),
           count(*) FILTER (WHERE event = 'closed'),
           (SELECT count(*) FROM cases WHERE agency = '$2' AND status = 'open')
        FROM history WHERE agency = '$2' AND $(in_period date "$1")"
}
# PHQ-9 totals, first against latest of each client with two or more in the period (lower is better; 5 points).
outcomes_sql() {
  echo "WITH a AS (
          SELECT case_id, total,
                 row_number() OVER (PARTITION BY case_id ORDER BY seq) AS first_n,
                 row_number() OVER (PARTITION BY case_id ORDER BY seq DESC) AS last_n,
                 count(*) OVER (PARTITION BY case_id) AS n
          FROM assessments
          WHERE agency = '$2' AND instrument = 'phq9' AND total IS NOT NULL AND $(in_period date "$1"))
        SELECT count(*), sum(f.total), sum(l.total),
               count(*) FILTER (WHERE l.total - f.total <= -5), count(*) FILTER (WHERE abs(l.total - f.total) < 5),
               count(*) FILTER (WHERE l.total - f.total >= 5)
        FROM a f JOIN a l ON f.case_id = l.case_id WHERE f.first_n = 1 AND l.last_n = 1 AND f.n >= 2"
}

# report_figures REPO: the same figures from casectl's reports, one line per query.
report_figures() {
  local r=(-C "$1" --today "$SQL_TODAY")
  "$CASECTL" "${r[@]}" report contacts --from 2026-01-01 --to 2026-12-31 --format json |
    jq -r '.[-1] | [.contacts, .contact_minutes, .collateral, .collateral_minutes, .attempts, .addenda, .clients] | join(",")'
  "$CASECTL" "${r[@]}" report caseload --from 2026-01-01 --to 2026-12-31 --format json |
    jq -r '.[-1] | [.intakes, .reopenings, .closures, .open_at_end] | join(",")'
  "$CASECTL" "${r[@]}" report outcomes -i phq9 --from 2026-01-01 --to 2026-12-31 --format json |
    jq -r '.[] | select(.domain == "total") |
           [.clients, (.mean_first * .clients | round), (.mean_latest * .clients | round), .improved, .unchanged, .worse]
           | join(",")'
}

# sql_figures RUNNER MODE AGENCY: the figures from SQL, RUNNER being a function that answers one query in CSV.
sql_figures() {
  "$1" "$(contacts_sql "$2" "$3")"
  "$1" "$(caseload_sql "$2" "$3")"
  "$1" "$(outcomes_sql "$2" "$3")"
}

agency_of() { sed -n 's/^agency: "\(.*\)"$/\1/p' "$1/casectl.yaml"; }

# check_agreement REPO: the SQLite export (through the sqlite3 shell) and casectl sql give the reports' figures.
check_agreement() {
  local repo=$1 agency expected
  agency=$(agency_of "$repo")
  expected=$(report_figures "$repo")
  [ "$(wc -l <<<"$expected")" -eq 3 ] || { fail "the reports gave: $expected"; return; }
  run -C "$repo" --today "$SQL_TODAY" export --format sqlite -o "$PWD/export.db"
  expect_rc 0
  sqlite_answer() { sqlite3 -csv -bail export.db "$1"; }
  casectl_answer() { "$CASECTL" -C "$repo" --today "$SQL_TODAY" sql --format csv "$1" | tail -n +2 | tr -d '\r'; }
  local from_sqlite from_casectl
  from_sqlite=$(sql_figures sqlite_answer identified "$agency")
  from_casectl=$(sql_figures casectl_answer identified "$agency")
  [ "$from_sqlite" = "$expected" ] || fail "the SQLite export gives $(tr '\n' ' ' <<<"$from_sqlite"), the reports $(tr '\n' ' ' <<<"$expected")"
  [ "$from_casectl" = "$expected" ] || fail "casectl sql gives $(tr '\n' ' ' <<<"$from_casectl"), the reports $(tr '\n' ' ' <<<"$expected")"
  [ "$(sqlite3 export.db 'PRAGMA integrity_check')" = ok ] || fail "PRAGMA integrity_check fails"
  [ -z "$(sqlite3 export.db 'PRAGMA foreign_key_check')" ] || fail "PRAGMA foreign_key_check finds rows"
  rm -f export.db
}

test_the_example_agency_in_sql_agrees_with_the_reports() {
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  check_agreement example
}

test_a_generated_agency_in_sql_agrees_with_the_reports() {
  generated_agency generated || return
  check_agreement generated
}

test_the_deidentified_sqlite_export_holds_no_name_and_passes_sqlite_checks() {
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  run -C example export --format sqlite --deidentify -o "$PWD/d.db"
  expect_rc 0
  expect_mode d.db 600
  [ "$(sqlite3 d.db 'PRAGMA integrity_check')" = ok ] || fail "PRAGMA integrity_check fails"
  [ -z "$(sqlite3 d.db 'PRAGMA foreign_key_check')" ] || fail "PRAGMA foreign_key_check finds rows"
  [ -z "$(sqlite3 d.db "SELECT name FROM sqlite_schema WHERE name = 'clients'")" ] || fail "a clients table"
  [ -z "$(sqlite3 d.db "SELECT 1 FROM pragma_table_info('cases') WHERE name = 'opened'")" ] || fail "a full date"
  [ "$(sqlite3 d.db "SELECT count(*) FROM cases WHERE case_id LIKE 'c-%'")" = 0 ] || fail "a case ID"
  local name
  while IFS= read -r name; do
    ! grep -aqF "$name" d.db || fail "a client's name is in the de-identified database"
  done < <("$CASECTL" -C example list status:all --format json | jq -r '.[].name')
  run -C example export --format json --deidentify
  [ "$(jq length <<<"$out")" = "$(sqlite3 d.db 'SELECT count(*) FROM cases')" ] || fail "not every case"
  [ "$(jq -r '[.[].pseudonym] | sort | join(",")' <<<"$out")" = \
    "$(sqlite3 d.db 'SELECT group_concat(case_id) FROM (SELECT case_id FROM cases ORDER BY case_id)')" ] ||
    fail "the pseudonyms differ from the de-identified JSON's"
}

test_a_referral_answer_keeps_the_moment_it_was_recorded_but_not_when_deidentified() {
  new_repo || return
  export CASECTL_WORKER=alice
  intake "Ada Lovelace" --program housing --worker alice -q || return
  ok refer "$id" --to "Food Bank" --without-consent "verbal consent on the phone"
  local ref
  ref=$(ls "cases/$id/referrals")
  ref=${ref%.yaml}
  ref=${ref##*-}
  ok referral "$id" "$ref" --status accepted -m "Intake booked."
  run sql "SELECT recorded FROM referral_updates" --format json
  expect_rc 0
  grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}\+00:00$' <<<"$(jq -r '.[0].recorded' <<<"$out")" ||
    fail "recorded is not a UTC moment: $out"
  run export --format sqlite --deidentify -o "$PWD/d.db"
  expect_rc 0
  [ -z "$(sqlite3 d.db "SELECT 1 FROM pragma_table_info('referral_updates') WHERE name = 'recorded'")" ] ||
    fail "the moment is in a de-identified export"
}

test_sql_refuses_what_is_not_one_reading_statement() {
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  local before
  before=$(snapshot example)
  run -C example sql "SELEC count(*) FROM cases"
  expect_rc 64
  expect_err 'near "SELEC": syntax error'
  local statement
  for statement in "DELETE FROM cases" "UPDATE cases SET worker = 'x'" "DROP TABLE cases" \
    "CREATE TABLE t (x)" "ATTACH DATABASE '$PWD/x.db' AS x" "PRAGMA writable_schema = ON" \
    "SELECT 1; DELETE FROM cases" "BEGIN" "INSERT INTO cases (agency, case_id) VALUES ('a', 'b')"; do
    run -C example sql "$statement"
    [ "$rc" -eq 64 ] || fail "not refused with 64 ($rc): $statement"
  done
  expect_no_file x.db
  run -C example sql ""
  expect_rc 64
  [ "$before" = "$(snapshot example)" ] || fail "the repository changed"
  run_stdin "SELECT count(*) AS n FROM cases" -C example sql --format json -
  expect_rc 0
  expect_jq '.[0].n == 6'
}

test_an_export_over_an_existing_file_needs_force_and_a_failed_one_leaves_nothing() {
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  echo "keep me" >taken.db
  run -C example export --format sqlite -o "$PWD/taken.db"
  expect_rc 64
  expect_err "exists; --force replaces it"
  [ "$(cat taken.db)" = "keep me" ] || fail "the existing file changed"
  run -C example export --format sqlite -o "$PWD/taken.db" --force
  expect_rc 0
  [ "$(sqlite3 taken.db 'SELECT count(*) FROM cases')" = 6 ] || fail "not replaced by the export"
  run -C example export --format sqlite
  expect_rc 64
  expect_err "-o FILE"
  run -C example export --format postgres -o "$PWD/x.sql"
  expect_rc 64
  run -C example export --format sqlite -o "$PWD/missing/x.db"
  expect_rc 73
  expect_no_file missing
  # A full disk part-way (the file system limits the file's size): nothing at the name, no temporary file.
  generated_agency big || return
  (ulimit -f 64; "$CASECTL" -C big export --format sqlite -o "$PWD/full.db" >/dev/null 2>err.txt); rc=$?
  [ "$rc" -eq 73 ] || fail "exit $rc for an export larger than the file size limit, expected 73"
  grep -q "full.db: not written" err.txt || fail "no message: $(cat err.txt)"
  expect_no_file full.db
  [ -z "$(find . -maxdepth 1 -name '.full.db.*')" ] || fail "a temporary file was left: $(find . -maxdepth 1 -name '.full.db.*')"
}

# odd_agency: a repository whose agency and client names hold quotes, a backslash, a tab and non-ASCII. (No value
# the tables hold can have a newline — free text is left out; the unit tests escape one.)
ODD_AGENCY=$'St. Mary\'s "Shelter" \\ Ünïcödé\tTab'
ODD_NAME="Zoë O'Brien-Łukasz \"Bo\" \\ Nguyễn"
odd_agency() {
  new_repo || return
  local quoted
  quoted=$(jq -Rs . <<<"$ODD_AGENCY" | sed 's/\\n"$/"/')
  sed -i "s/^agency: .*/agency: $(sed 's/[\/&]/\\&/g' <<<"$quoted")/" casectl.yaml
  intake "$ODD_NAME" --program housing --worker alice -q || return
  run log "$id" -m "x" --type phone --minutes 5
}

test_names_with_quotes_tabs_newlines_and_non_ascii_round_trip_through_sqlite() {
  odd_agency || return
  [ "$(sed -n 's/^agency: //p' casectl.yaml | head -1)" != "" ] || fail "the agency was not set"
  run export --format sqlite -o "$PWD/odd.db"
  expect_rc 0
  [ "$(sqlite3 odd.db 'SELECT agency FROM agencies')" = "$ODD_AGENCY" ] || fail "the agency's name changed: $(sqlite3 odd.db 'SELECT agency FROM agencies')"
  [ "$(sqlite3 odd.db 'SELECT name FROM clients')" = "$ODD_NAME" ] || fail "the client's name changed"
  run sql --format json "SELECT agency, name FROM clients"
  expect_rc 0
  [ "$(jq -r '.[0].name' <<<"$out")" = "$ODD_NAME" ] || fail "casectl sql changed the name"
  [ "$(jq -r '.[0].agency' <<<"$out")" = "$ODD_AGENCY" ] || fail "casectl sql changed the agency"
}

# A throwaway PostgreSQL cluster in a temporary folder, on a Unix socket, as an unprivileged user; it fails the
# test loudly when the server cannot start.
PG_DIR=""
pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { fail "PostgreSQL is not installed (Debian's postgresql package: .ci/install-deps)"; return 1; }
  PG_DIR=$(mktemp -d /tmp/casectl-pg.XXXXXX) && chmod 755 "$PG_DIR"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$PG_DIR"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$PG_DIR")
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U casectl --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { fail "initdb failed: $(tail -3 "$PG_DIR/initdb.log")"; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses= -k $PG_DIR" start >/dev/null 2>&1 ||
    { fail "the PostgreSQL server did not start: $(tail -5 "$PG_DIR/server.log")"; return 1; }
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
}
pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_STOP[@]}" >/dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=""
}
psql_run() { psql -h "$PG_DIR" -U casectl -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
postgres_answer() { psql_run -At -F, -c "$1"; }

test_two_agencies_deidentified_load_side_by_side_into_postgresql_and_agree_with_the_reports() {
  pg_start || { pg_stop; return; }
  generated_agency north "North Agency" || { pg_stop; return; }
  # South differs from north: another size, another seed.
  python3 "$SOURCE_DIR/bench/generate.py" --casectl "$CASECTL" --cases 200 --closed-share 0.3 --seed 11 \
    --today "$SQL_TODAY" south >/dev/null 2>&1 && sed -i 's/^agency: .*/agency: "South Agency"/' south/casectl.yaml
  local repo
  for repo in north south; do
    run -C "$repo" --today "$SQL_TODAY" export --format postgres --deidentify
    expect_rc 0
    printf '%s' "$out" >"$repo.sql"
    psql_run -f "$repo.sql" >/dev/null 2>psql.err || fail "psql could not load $repo: $(head -3 psql.err)"
  done
  for repo in north south; do
    local expected from_postgres
    expected=$(report_figures "$repo")
    from_postgres=$(sql_figures postgres_answer deidentified "$(agency_of "$repo")")
    [ "$from_postgres" = "$expected" ] ||
      fail "$repo in PostgreSQL gives $(tr '\n' ' ' <<<"$from_postgres"), the reports $(tr '\n' ' ' <<<"$expected")"
  done
  [ "$(postgres_answer 'SELECT count(DISTINCT agency) FROM cases')" = 2 ] || fail "not two agencies side by side"
  # Loading north again collides with its own rows: refused whole, nothing added.
  local before
  before=$(postgres_answer 'SELECT count(*) FROM contacts')
  ! psql_run -f north.sql >/dev/null 2>&1 || fail "loading an agency twice succeeded"
  [ "$(postgres_answer 'SELECT count(*) FROM contacts')" = "$before" ] || fail "a failed load left rows"
  pg_stop
}

test_names_with_quotes_tabs_newlines_and_non_ascii_round_trip_through_postgresql() {
  pg_start || { pg_stop; return; }
  odd_agency || { pg_stop; return; }
  run export --format postgres
  expect_rc 0
  printf '%s' "$out" >odd.sql
  psql_run -f odd.sql >/dev/null 2>psql.err || fail "psql could not load: $(head -3 psql.err)"
  [ "$(psql_run -At -c 'SELECT agency FROM agencies')" = "$ODD_AGENCY" ] || fail "the agency's name changed in PostgreSQL"
  [ "$(psql_run -At -c 'SELECT name FROM clients')" = "$ODD_NAME" ] || fail "the client's name changed in PostgreSQL"
  [ "$(psql_run -At -c 'SELECT count(*) FROM contacts')" = 1 ] || fail "the contact did not load"
  pg_stop
}

# A face sheet edited by hand may say anything where casectl writes a word of its own: de-identified, only
# casectl's words (and casectl.yaml's lists) go out.
test_a_hand_written_history_event_or_instrument_version_stays_out_of_a_deidentified_export() {
  new_repo || return
  export CASECTL_TODAY=2026-03-01
  intake "Hand Edited" --program housing --worker alice -q || return
  sed -i 's/event: opened/event: "moved in with Jane Invented"/' "cases/$id/case.yaml"
  grep -q "Jane Invented" "cases/$id/case.yaml" || { fail "the face sheet was not edited"; return; }
  run assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=0 --score q4=0 --score q5=0 --score q6=0 \
    --score q7=0 --score q8=0 --score q9=0
  expect_rc 0
  sed -i 's/^instrument_version: .*/instrument_version: "for Jane Invented"/' cases/"$id"/assessments/*.yaml
  grep -q "for Jane Invented" cases/"$id"/assessments/*.yaml || { fail "the assessment was not edited"; return; }
  run export --format postgres --deidentify
  expect_rc 0
  expect_not_in_out "Jane Invented"
  run export --format sqlite --deidentify -o "$PWD/d.db"
  expect_rc 0
  [ "$(sqlite3 d.db "SELECT event FROM history")" = other ] || fail "the event is not 'other'"
  ! grep -aq "Jane Invented" d.db || fail "the hand-written words are in the database"
  [ -z "$(sqlite3 d.db "SELECT 1 FROM pragma_table_info('due') WHERE name = 'days_overdue'")" ] ||
    fail "days overdue would date the case"
}

# The queries the README and casectl-sql(7) show run on the example agency, each with an answer.
test_the_example_queries_of_the_readme_and_the_page_run() {
  cp -r "$SOURCE_DIR/examples/agency" example && rm -rf example/.cache
  mkdir readme page
  awk '/^```sql$/ { q = ""; on = 1; next } /^```$/ && on { n++; printf "%s", q > ("readme/" n ".sql"); on = 0; next }
       on { q = q $0 "\n" }' "$SOURCE_DIR/README.md"
  awk '/^\.Sh EXAMPLES/ { ex = 1; next } /^\.Sh / { ex = 0 }
       ex && /^\.Bd -literal/ { q = ""; on = 1; next }
       on && /^\.Ed/ { if (q ~ /^(SELECT|WITH)/) { n++; printf "%s", q > ("page/" n ".sql") } on = 0; next }
       on { gsub(/\\\(aq/, "'\''"); gsub(/\\&/, ""); gsub(/\\e/, "\\"); q = q $0 "\n" }' \
    "$SOURCE_DIR/man/casectl-sql.7"
  local folder file count
  for folder in readme page; do
    count=0
    for file in "$folder"/*.sql; do
      [ -e "$file" ] || continue
      count=$((count + 1))
      run -C example --today 2026-12-01 sql --format csv "$(cat "$file")"
      [ "$rc" -eq 0 ] || fail "$file fails: $err"
      [ "$(wc -l <<<"$out")" -ge 2 ] || fail "$file has no answer"
    done
    [ "$count" -ge 5 ] || fail "the $folder shows $count queries, expected five or more"
  done
}

# casectl sql fills only the tables a statement reads, and in them only the columns it reads (the keys always):
# whatever the shape of the statement, its answer is the one the whole export gives.
test_casectl_sql_answers_as_the_whole_export_whatever_columns_a_statement_reads() {
  generated_agency generated || return
  run -C generated --today "$SQL_TODAY" export --format sqlite -o "$PWD/whole.db"
  expect_rc 0
  local queries=(
    "SELECT * FROM cases ORDER BY case_id"
    "SELECT program, count(*) FROM cases GROUP BY program ORDER BY 1"
    "SELECT count(*) FROM cases WHERE risk = 'high' AND closed IS NULL"
    "SELECT case_id FROM cases ORDER BY opened DESC, case_id LIMIT 20"
    "SELECT c.worker, count(*), sum(k.minutes) FROM contacts k JOIN cases c USING (agency, case_id) GROUP BY 1 ORDER BY 1"
    "SELECT * FROM contacts NATURAL JOIN cases ORDER BY contact_id LIMIT 40"
    "SELECT contact_id FROM contacts natural join cases ORDER BY 1"
    "SELECT k.contact_id FROM contacts k JOIN cases c USING (agency, case_id, worker) ORDER BY 1"
    "SELECT count(*) FROM contacts JOIN cases USING (agency, case_id)"
    "SELECT count(*) FROM goals WHERE EXISTS (SELECT 1 FROM reviews)"
    "SELECT k.contact_id FROM contacts k JOIN cases c ON c.case_id = k.case_id AND c.worker = k.worker ORDER BY 1"
    "SELECT case_id FROM cases c WHERE (SELECT max(date) FROM contacts k WHERE k.case_id = c.case_id) < '2026-06-01' ORDER BY 1"
    "WITH x AS (SELECT * FROM assessments) SELECT instrument, count(*), sum(total) FROM x GROUP BY 1 ORDER BY 1"
    "SELECT a.case_id, s.item, s.score FROM assessment_scores s JOIN assessments a USING (agency, case_id, assessment_id) WHERE a.instrument = 'phq9' ORDER BY 1, 2, 3 LIMIT 60"
    "SELECT count(*) FROM goals WHERE (agency, case_id) IN (SELECT agency, case_id FROM cases WHERE status = 'open')"
    "SELECT kind, count(*), sum(overdue) FROM due GROUP BY kind ORDER BY kind"
    "SELECT json_group_array(name) FROM (SELECT name FROM clients ORDER BY name)"
    "SELECT count(*) FROM history h, flags f WHERE h.case_id = f.case_id AND h.event = 'opened'"
    "SELECT r.status, count(*) FROM referrals r LEFT JOIN referral_updates u USING (agency, case_id, referral_id) GROUP BY 1 ORDER BY 1"
  )
  local q whole answer
  for q in "${queries[@]}"; do
    whole=$(sqlite3 -json -bail whole.db "$q" | jq -S -c .)
    answer=$("$CASECTL" -C generated --today "$SQL_TODAY" sql --format json "$q" | jq -S -c .)
    [ -n "$whole" ] || { fail "the whole export gives nothing for: $q"; continue; }
    [ "$answer" = "$whole" ] || fail "casectl sql and the whole export differ for: $q"
  done
}
