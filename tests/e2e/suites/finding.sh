# Finding the right client (issue 8, item 6): case references by ID and by name, names compared whatever their
# case, accents, punctuation and word order, references with nothing to compare refused, duplicate warnings at
# intake and import, and `list` sorted by the folded name.

# --- helpers --------------------------------------------------------------------------------------------------

# repo: a repository (the working directory) in which cases are opened on 2026-01-10 by alice.
repo() {
  export CASECTL_TODAY=2026-01-10 CASECTL_WORKER=alice
  new_repo
}

# client NAME ARGS...: opens a case in the housing program and sets $id.
client() {
  local name=$1
  shift
  intake "$name" --program housing --worker alice "$@"
}

# rename_case OLD NEW: gives a case the ID NEW (IDs are random; a test needs to choose them).
rename_case() {
  mv "cases/$1" "cases/$2"
  sed -i "s/^id: $1$/id: \"$2\"/" "cases/$2/case.yaml"
}

# finds REFERENCE ID: `show REFERENCE` opens the case ID.
finds() {
  crun show "$1" --format json
  [ "$rc" -eq 0 ] || { fail "show '$1' gave exit code $rc, expected the case $2"; return; }
  [ "$(printf '%s' "$out" | jq -r .id)" == "$2" ] || fail "show '$1' opened $(printf '%s' "$out" | jq -r .id), not $2"
}

# ambiguous REFERENCE ID...: `show REFERENCE` is refused with 64 and lists exactly the IDs given.
ambiguous() {
  local reference=$1 listed expected
  shift
  crun show "$reference"
  expect_rc 64
  expect_err "cases match"
  listed=$(printf '%s\n' "$err" | grep -oE 'c-[a-z2-7]{8}' | sort | tr '\n' ' ')
  expected=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  [ "$listed" == "$expected" ] || fail "show '$reference' lists [$listed], expected [$expected]"
}

# no_duplicate_warning: the last command warned of no duplicate.
no_duplicate_warning() { expect_not_in_err "possible duplicate"; }

# --- an ID prefix that is also the start of a name -------------------------------------------------------------

test_a_prefix_matching_one_case_by_id_and_another_by_name_is_ambiguous() {
  repo || return
  client "Jules Juarez" || return
  rename_case "$id" c-bbbb2222
  client "Ann Other" || return
  rename_case "$id" c-juaa2345
  ambiguous ju c-bbbb2222 c-juaa2345
  ambiguous jua c-bbbb2222 c-juaa2345
  # piped standard error names cases by ID only
  expect_not_in_err "Jules"
  expect_not_in_err "Ann Other"
  # and nothing is written for an ambiguous reference
  local before
  before=$(snapshot .)
  crun log ju --type phone -m "Called about the voucher."
  expect_rc 64
  [ "$before" == "$(snapshot .)" ] || fail "a note was written for an ambiguous reference"
}

test_a_prefix_matching_by_id_only_or_by_name_only_is_unambiguous() {
  repo || return
  client "Jules Juarez" || return
  local jules=c-bbbb2222
  rename_case "$id" $jules
  client "Ann Other" || return
  local ann=c-juaa2345
  rename_case "$id" $ann
  finds juaa $ann       # no name has a word that begins with "juaa"
  finds juar $jules     # no ID begins with "juar"
  finds jules $jules
  finds bbbb $jules     # by ID; no name matches
}

test_a_whole_id_or_a_prefix_with_its_c_is_an_id_only() {
  repo || return
  client "Jules Juarez" || return
  local jules=c-bbbb2222
  rename_case "$id" $jules
  client "Ann Other" || return
  local ann=c-juaa2345
  rename_case "$id" $ann
  finds c-ju $ann
  finds c-juaa2345 $ann
  finds juaa2345 $ann
  # "c-" makes it an ID: no name is looked at
  crun show c-jul
  expect_rc 66
}

test_an_ambiguous_name_lists_every_candidate() {
  repo || return
  client "José García-Núñez" || return
  local jose=$id
  client "Jose Smith" || return
  local smith=$id
  client "Maria Lopez" || return
  ambiguous jose "$jose" "$smith"
  ambiguous JOSE "$jose" "$smith"
  finds "jose garcia" "$jose"
  finds "smith j" "$smith"
}

# --- names compared whatever their case, accents, punctuation and word order ------------------------------------

test_names_match_whatever_case_accents_punctuation_and_order() {
  repo || return
  client "José García-Núñez" || return
  local jose=$id
  client "Maria Lopez" || return
  local ref
  for ref in jose garcia "Garcia, Jose" "JOSÉ garcía-núñez" nunez "NÚÑEZ" "núñez josé" "garcia nunez" gar \
    "García-Núñez, José" "j. garcia" "  jose   garcia  "; do
    finds "$ref" "$jose"
  done
}

test_names_match_on_full_unicode() {
  repo || return
  client "Søren Łukasz Straße" || return
  local soren=$id
  client "Ёлкина Ольга" || return
  local olga=$id
  client "Ὀδυσσεύς Παπαδόπουλος" || return
  local odysseus=$id
  client "Siobhán O’Neil" || return
  local siobhan=$id
  client "Nguyễn Thị Hương" || return
  local huong=$id
  finds "soren lukasz" "$soren"
  finds strasse "$soren"
  finds "ЕЛКИНА" "$olga"
  finds "ольга елкина" "$olga"
  finds "οδυσσευς" "$odysseus"
  finds "ΠΑΠΑΔΟΠΟΥΛΟΣ" "$odysseus"
  finds "o'neil" "$siobhan"
  finds oneil "$siobhan"
  finds siobhan "$siobhan"
  finds "nguyen huong" "$huong"
  finds "ＮＧＵＹＥＮ" "$huong"   # full-width letters
}

test_each_word_of_a_reference_must_begin_a_word_of_the_name() {
  repo || return
  client "José García-Núñez" || return
  crun show arcia      # inside a word, not at its start
  expect_rc 66
  crun show "jose lopez"
  expect_rc 66
  expect_err "no case matches"
}

test_a_reference_with_no_letter_or_digit_is_refused() {
  repo || return
  client "José García-Núñez" || return
  local ref before
  before=$(snapshot .)
  for ref in . , --- " - " "'" "…" "·" "--,--"; do
    crun show "$ref"
    [ "$rc" -eq 64 ] || fail "show '$ref' gave exit code $rc, expected 64"
    [ -z "$out" ] || fail "show '$ref' printed a case"
    [[ "$ref" == -* ]] || expect_err "letter or a digit"  # CLI11 reads a leading "--" itself
    crun log "$ref" --type phone -m "Called."
    [ "$rc" -eq 64 ] || fail "log '$ref' gave exit code $rc, expected 64"
  done
  crun show "   "
  expect_rc 64
  [ "$before" == "$(snapshot .)" ] || fail "something was written"
}

test_a_prefix_of_a_case_that_cannot_be_read_still_names_it() {
  repo || return
  client "Jules Juarez" || return
  rename_case "$id" c-juaa2345
  client "Ann Other" || return
  printf 'schema: 1\nid: [\n' >cases/c-juaa2345/case.yaml
  # the broken case is found by its ID, and its problem is reported (not "no such case")
  crun show juaa
  expect_rc 65
  expect_err "cases/c-juaa2345/case.yaml"
  crun show ann
  expect_rc 0
}

# --- duplicate warnings ---------------------------------------------------------------------------------------

test_intake_warns_of_the_same_name_in_another_order_and_without_accents() {
  repo || return
  client "José García" --dob 1980-04-02 || return
  local existing=$id name
  for name in "Jose Garcia" "Garcia, Jose" "GARCÍA JOSÉ"; do
    crun intake "$name" --program housing --dob 1980-04-02
    expect_rc 0
    expect_err "possible duplicate of $existing: same name and date of birth"
    expect_not_in_err "Garc"
    expect_not_in_err "Jos"
    [[ "$out" =~ ^c-[a-z2-7]{8}$ ]] || fail "intake should print the new ID alone"
  done
}

test_intake_warns_of_a_longer_form_of_the_name_with_the_same_date_of_birth() {
  repo || return
  client "José García-Núñez" --dob 1980-04-02 || return
  local existing=$id
  crun intake "Jose Garcia" --program housing --dob 1980-04-02
  expect_rc 0
  expect_err "possible duplicate of $existing: same date of birth and part of the same name"
  crun intake "Jose Garcia" --program housing --dob 1990-01-01
  expect_rc 0
  expect_not_in_err "possible duplicate of $existing"
}

test_intake_warns_of_the_same_phone_number() {
  repo || return
  client "Maria Lopez" --phone "+1 (555) 123-4567" || return
  local existing=$id
  crun intake "Pat Kim" --program housing --phone "555.123.4567"
  expect_rc 0
  expect_err "possible duplicate of $existing: same phone number"
  expect_not_in_err "555"
  crun intake "Lee Chan" --program housing --phone "555-765-4321"
  expect_rc 0
  no_duplicate_warning
}

test_intake_does_not_warn_of_different_clients() {
  repo || return
  client "José García" --dob 1980-04-02 --phone 555-123-4567 || return
  crun intake "Maria Lopez" --program housing --dob 1980-04-02 --phone 555-000-1111
  expect_rc 0
  no_duplicate_warning
  crun intake "Jose Garcia" --program housing --dob 1981-04-02
  expect_rc 0
  expect_err "same name"
  expect_not_in_err "date of birth"
}

test_import_warns_with_the_same_rules() {
  repo || return
  client "José García" --dob 1980-04-02 || return
  local jose=$id
  client "Maria Lopez" --phone "+1 555 123 4567" || return
  local maria=$id
  printf '%s\n' 'name,dob,phone,program' '"Garcia, Jose",1980-04-02,,housing' 'Pat Kim,,(555) 123-4567,housing' \
    'Lee Chan,1975-06-01,,housing' '"CHAN, LEE",1975-06-01,,housing' >clients.csv
  crun import clients.csv --dry-run
  expect_rc 0
  expect_err "clients.csv:2:1: warning: possible duplicate of $jose: same name and date of birth"
  expect_err "clients.csv:3:1: warning: possible duplicate of $maria: same phone number"
  expect_err "clients.csv:5:1: warning: possible duplicate of line 4 of this file: same name and date of birth"
  expect_not_in_err "Garc"
  expect_not_in_err "Chan"
  [ "$(printf '%s\n' "$err" | grep -c 'possible duplicate')" -eq 3 ] || fail "expected exactly three warnings"
}

# --- list -----------------------------------------------------------------------------------------------------

test_list_sorts_by_the_folded_name() {
  repo || return
  local name
  for name in "Zed Young" "émile zola" "bob brown" "Ángel Ruiz" "Ana Álvarez" "Ólafur Arnalds" "ana aaron"; do
    client "$name" || return
  done
  crun list --format json
  expect_rc 0
  local names
  names=$(printf '%s' "$out" | jq -r '.[].name' | tr '\n' '|')
  [ "$names" == "ana aaron|Ana Álvarez|Ángel Ruiz|bob brown|émile zola|Ólafur Arnalds|Zed Young|" ] ||
    fail "list is not sorted by the folded name: $names"
}

test_list_sorts_the_same_name_by_id() {
  repo || return
  client "Ann Lee" || return
  rename_case "$id" c-zzzz2345
  client "ANN LEE" || return
  rename_case "$id" c-aaaa2345
  crun list --format id
  expect_rc 0
  expect_out_is "c-aaaa2345
c-zzzz2345"
}
