#!/bin/sh
# Rebuilds examples/agency, the example agency repository, with invented clients at several stages of a case's
# life. Every name, date and note here is made up. Usage: examples/make-example-agency.sh path/to/casectl
set -eu
casectl=$(realpath "$1")
cd "$(dirname "$0")"
rm -rf agency
"$casectl" init agency --agency "Riverside Community Services (example)" --no-git -q
cd agency
# c DAY COMMAND...: runs casectl on DAY, written by the worker in $who.
c() { day=$1; shift; CASECTL_WORKER=$who "$casectl" -q --today "$day" "$@"; }

who=alice
# An active housing case: assessed, planned, contacts, a referral that closed the loop, a review.
maria=$(c 2026-06-01 intake "Maria Example" --dob 1980-04-02 --program housing --worker alice --risk medium --phone 555-0100 --referred-by "Springfield Shelter")
c 2026-06-03 assess "$maria" -i ssm --score housing=1 --score income=2 --score employment=2 --score food=2 \
  --score child-care=3 --score children-education=4 --score adult-education=3 --score health-care-coverage=3 \
  --score life-skills=4 --score family-social-relations=3 --score mobility=2 --score community-involvement=2 \
  --score parenting-skills=4 --score legal=5 --score mental-health=3 --score substance-use=5 --score safety=4
c 2026-06-04 plan add "$maria" "I want my own apartment before school starts" --domain housing --target 2026-08-15 \
  --step "Apply for the housing voucher" --step "Visit three apartments" --responsible "Maria and Alice" >/dev/null
c 2026-06-04 plan add "$maria" "Get a bus pass so I can get to work" --domain mobility --target 2026-07-01 >/dev/null
c 2026-06-04 consent "$maria" --to "Springfield Housing Authority" --purpose "housing voucher application" --expires 2027-06-04
c 2026-06-05 log "$maria" --at 2026-06-05T10:30 --type phone --minutes 20 -m "Talked through the voucher application; Maria will gather pay stubs." --follow-up 2026-06-12 >/dev/null
ref=$(c 2026-06-05 refer "$maria" --to "Springfield Housing Authority" --service "housing voucher" --reason "Rent is over half of income" --follow-up 2026-06-19)
c 2026-06-15 log "$maria" --at 2026-06-15T14:00 --type visit --with client --minutes 45 -m "Home visit. Application submitted together." >/dev/null
c 2026-06-20 referral "$maria" "$ref" --status accepted -m "Voucher application accepted for review"
c 2026-07-01 plan update "$maria" g2 --status met --progress "Bus pass bought with the first pay cheque"
c 2026-08-20 plan update "$maria" g1 --progress "Voucher granted; viewing apartments" --target 2026-10-01
c 2026-09-01 review "$maria" --outcome continue -m "Good progress. Housing goal extended to October." >/dev/null
c 2026-10-28 log "$maria" --at 2026-10-28T09:15 --type phone --minutes 15 -m "Lease signed. Move-in on 1 November." >/dev/null
c 2026-11-05 plan update "$maria" g1 --status met --progress "Moved in on 1 November"
c 2026-11-20 log "$maria" --at 2026-11-20T11:00 --type attempt -m "No answer; left a message." >/dev/null

# An aging case, high risk: a PHQ-9 with item 9 raised an urgent safety flag; the review is overdue.
who=bob
james=$(c 2026-03-12 intake "James Sample" --dob 1948-11-15 --program aging --worker bob --risk high --phone 555-0123)
c 2026-03-20 assess "$james" -i phq9 --score q1=2 --score q2=2 --score q3=1 --score q4=2 --score q5=1 --score q6=1 \
  --score q7=1 --score q8=0 --score q9=1 -m "Safety plan made the same day; daughter informed with consent." >/dev/null
c 2026-03-20 consent "$james" --to "Dr. Ana Ruiz, Springfield Clinic" --purpose "coordinate care" --expires 2026-12-01
c 2026-03-21 log "$james" --at 2026-03-21T16:00 --type collateral --with "Dr. Ana Ruiz" --minutes 10 -m "Shared the PHQ-9 result with the primary care doctor." >/dev/null
c 2026-04-01 plan add "$james" "I want to feel like myself again" --domain mental-health --target 2026-09-30 >/dev/null
c 2026-09-02 log "$james" --at 2026-09-02T10:00 --type visit --minutes 60 -m "Home visit; mood better, still isolated." >/dev/null
c 2026-09-03 assess "$james" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=0 --score q6=1 \
  --score q7=0 --score q8=0 --score q9=0 >/dev/null

# A new mental-health case: first assessment and review coming due.
who=alice
c 2026-11-10 intake "Lena Placeholder" --dob 1995-07-30 --program mental-health --worker alice --risk high >/dev/null

# A case that was transferred, with a referral made without consent (the reason is recorded) and no answer yet.
ada=$(c 2026-08-01 intake "Ada Invented" --dob 1988-02-14 --program housing --worker alice --risk medium)
c 2026-08-15 transfer "$ada" --to bob
who=bob
c 2026-10-01 log "$ada" --at 2026-10-01T13:00 --type office --minutes 30 -m "Office visit about the eviction notice." --follow-up 2026-10-08 >/dev/null
c 2026-10-01 refer "$ada" --to "Legal Aid Springfield" --service "eviction defence" --follow-up 2026-10-15 \
  --without-consent "Court date in 3 days; client agreed verbally, form to follow" >/dev/null

# A closed case: goals met, closing summary.
tomas=$(c 2026-01-05 intake "Tomas Fictional" --dob 1972-01-05 --program housing --worker bob --risk low)
c 2026-01-10 plan add "$tomas" "Keep my apartment" --domain housing --target 2026-06-30 >/dev/null
c 2026-04-06 review "$tomas" --outcome continue >/dev/null
c 2026-07-01 plan update "$tomas" g1 --status met --progress "Rent paid up six months running"
c 2026-07-02 review "$tomas" --outcome close -m "Stable housing for six months." >/dev/null
c 2026-07-02 close "$tomas" --reason goals-met -m "Housing stable; knows how to reach us."

# A case closed and reopened: the history keeps both.
who=alice
omar=$(c 2026-02-01 intake "Omar Madeup" --dob 1990-09-09 --program housing --worker alice --risk low)
c 2026-04-01 close "$omar" --reason lost-contact -m "Three attempts, no answer."
c 2026-10-15 reopen "$omar"
c 2026-10-16 log "$omar" --at 2026-10-16T10:00 --type phone --minutes 10 -m "Omar called back; he had moved." >/dev/null

"$casectl" check -q
