#!/usr/bin/env python3
"""Generate a reference case repository in casectl's own format, deterministically.

    bench/generate.py --cases N --closed-share F --seed S --today YYYY-MM-DD [--copies K] OUT_DIR

The repository is created with `casectl init OUT_DIR --agency Bench --no-git -q`; its casectl.yaml is then
replaced by a fixed configuration (4 programs, 8 workers, the simple rules of issue 10) and the case folders are
written directly, byte for byte as casectl writes them (see man 5 casectl-files and examples/agency).

Beside OUT_DIR the generator writes OUT_DIR.meta/, which the benchmark reads:
    open-cases.txt   the IDs of the open cases, one a line (the stat floor's input)
    targets.txt      "key value" lines: an open case, a name part that finds only that case, a worker
    params.txt       the parameters and the number of files written

--copies K appends K-1 extra copies of the closed history: the same closed cases again, record for record, under
fresh case IDs and fresh unique client names. Running the generator again on a repository it made, with the same
parameters and a larger K, appends only the missing copies (run.sh uses this on a hard-linked copy).

Only the Python standard library is used. Everything random comes from random.Random seeded with strings built
from --seed, so the same arguments give the same bytes.
"""

import argparse
import datetime
import os
import random
import re
import subprocess
import sys

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648, lower case: case and record IDs

# The fixed agency: programs, workers and the simple rules of issue 10 (no window rules, no overrides).
PROGRAMS = [
    ("housing", "Housing stability"),
    ("aging", "Aging and geriatric care"),
    ("mental-health", "Community mental health"),
    ("employment", "Employment and income"),
]
WORKERS = [
    ("alice", "Alice Moreno"), ("bob", "Bob Okafor"), ("carmen", "Carmen Lindqvist"), ("dev", "Dev Raman"),
    ("emeka", "Emeka Adeyemi"), ("fatima", "Fatima Haddad"), ("george", "George Whitfield"), ("hana", "Hana Sato"),
]
RISKS = ["low", "medium", "high"]
CLOSURE_REASONS = ["goals-met", "withdrew", "lost-contact", "moved", "transferred", "deceased", "ineligible",
                   "other"]
CONTACT_TYPES = ["phone", "visit", "office", "video", "email", "text", "collateral", "attempt"]

# The rules the due dates follow, in days (casectl.yaml below says the same).
REVIEW_FIRST, REVIEW_EVERY = 30, 90
ASSESS_FIRST, ASSESS_EVERY = 30, 180
CONTACT_EVERY = 30
REFERRAL_FOLLOW_UP = 14

CONFIG = """\
# casectl.yaml of the benchmark's reference repository (written by bench/generate.py).
schema: 1
agency: "Bench"
due_soon: 14d
workers:
{workers}risk_levels: [low, medium, high]
closure_reasons: [goals-met, withdrew, lost-contact, moved, transferred, deceased, ineligible, other]
contact_types: [phone, visit, office, video, email, text, collateral, attempt]
rules:
  review:
    first: 30d
    every: 90d
    note: "Bench: first review within 30 days, then every 90 days"
  assessment:
    first: 30d
    every: 180d
    note: "Bench: assessed within 30 days of intake, then every 180 days"
  contact:
    every: 30d
    note: "Bench: a contact with the client at least every 30 days"
  referral:
    follow_up: 14d
    note: "Bench: every referral followed up within 14 days"
  consent:
    term: never
programs:
{programs}"""

# Instruments per program: what a worker of that program records at intake and at each reassessment.
PROGRAM_INSTRUMENTS = {
    "housing": ["ssm"],
    "aging": ["phq9"],
    "mental-health": ["phq9", "gad7"],
    "employment": ["ssm"],
}

GIVEN = """Aaliyah Abdul Ada Adrian Aisha Alan Alejandro Amara Amir Ana Andre Angela Anil Anna Arjun Ava Beatriz
Ben Bianca Boris Brenda Camila Carlos Carmen Celia Chen Chidi Chloe Cyrus Dalia Daniel Darius Dawit Delia Diego
Dmitri Elena Elif Elijah Emil Emma Esther Ewa Farah Felix Fiona Gabriel Grace Hamid Hannah Hugo Ibrahim Ines Irene
Isaac Ivan Jamal James Jana Javier Jin Joao Jorge Jose Joy Julia Kai Karim Kasia Keisha Kenji Kofi Laila Lars
Leila Leo Lina Liam Lucia Luis Maya Mehmet Mei Mia Miguel Mina Mohamed Nadia Naomi Nia Nikolai Noah Noor Olga
Omar Oscar Pablo Priya Rafael Rania Ravi Rosa Ruth Samir Sara Sofia Stefan Tariq Tomas Uma Vera Victor Wei Yara
Yusuf Zainab Zara Zoe""".split()

SURNAMES = """Abbott Acosta Adeyemi Agarwal Alvarez Andersen Baker Banda Barros Bauer Becker Bell Bianchi Brooks
Campbell Castillo Chavez Chen Cohen Costa Cruz Das Diaz Dubois Edwards Evans Fischer Flores Garcia Gomez Gonzalez
Gupta Hansen Harris Hernandez Hoang Hughes Ibrahim Ito Jackson Jensen Johnson Kaur Khan Kim Kowalski Kumar Larsen
Lee Lopez Martin Mendoza Meyer Mohammed Moreno Murphy Nguyen Novak Okafor Olsen Ortiz Park Patel Perez Petrov
Ramirez Reyes Rivera Rossi Russo Sanchez Santos Schmidt Silva Singh Smith Sousa Suzuki Tanaka Taylor Torres Tran
Vargas Walker Wang Weber Williams Wilson Wright Yilmaz Young Zhang""".split()

# Syllables for invented surnames, so that names stay unique at any size.
SYLLABLES = """ba be bi bo da de di do fa fe ga go ha he ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe
ra re ri ro sa se si so ta te ti to va ve vi za zo""".split()
SURNAME_ENDINGS = ["", "n", "r", "s", "k", "l", "nd", "rt", "ski", "son", "ez", "ov", "ani", "ler"]

STREETS = ["Elm St", "Oak Ave", "Maple Rd", "Cedar Ln", "Pine St", "Main St", "River Rd", "Hill St", "Lake Ave",
           "Park Blvd"]
LANGUAGES = ["English", "Spanish", "Arabic", "Vietnamese", "Somali", "Polish", "Mandarin", "Haitian Creole"]
PROVIDERS = [
    ("Springfield Housing Authority", "housing voucher"), ("Legal Aid Springfield", "eviction defence"),
    ("Springfield Food Bank", "food pantry"), ("Springfield Clinic", "primary care"),
    ("Riverside Counselling", "outpatient therapy"), ("Workforce Centre", "job search support"),
    ("Meals on Wheels", "home-delivered meals"), ("County Benefits Office", "SNAP application"),
    ("Adult Education Centre", "GED classes"), ("Transit Access Program", "reduced-fare bus pass"),
]
REFERRERS = ["Springfield Shelter", "Springfield Clinic", "County Hospital", "Self", "Family member",
             "School counsellor", "Police outreach", "211 helpline"]
TAGS = ["veteran", "rental-assistance", "interpreter", "senior", "youth", "disability", "dv-survivor"]
RELATIONS = ["son", "daughter", "partner", "mother", "father", "grandchild", "sibling"]
GOALS = [
    ("housing", "I want my own apartment", ["Apply for the housing voucher", "Visit three apartments"]),
    ("income", "I want to pay my bills on time", ["Apply for benefits", "Make a monthly budget"]),
    ("employment", "Find a job with daytime hours", ["Register with the job centre", "Update my CV"]),
    ("mental-health", "I want to feel like myself again", ["See the counsellor every week"]),
    ("health-care-coverage", "Get health insurance for me and my kids", ["Apply for Medicaid"]),
    ("mobility", "Get a bus pass so I can get to work", ["Ask about the reduced fare"]),
    ("food", "Have enough food at the end of the month", ["Sign up for the food pantry"]),
    ("family-social-relations", "See my grandchildren more often", ["Call my daughter on Sundays"]),
]

# Sentences a case note is made of; a note is 3 to 6 of them (a few hundred bytes).
NOTE_SENTENCES = """Talked through the housing voucher application and the documents still missing.
Client reports sleeping better since the last visit and is keeping the appointment calendar.
Reviewed the monthly budget together; rent is paid, the electricity bill is two weeks late.
Landlord agreed to wait for the first payment until the voucher is approved.
Client asked for help with the benefits renewal form; we filled in the first two pages together.
Discussed the job fair on Thursday and practised answers to common interview questions.
Mood lower this week; client says the anniversary of a loss is coming up. Safety plan reviewed, no concerns.
Daughter was present and helped explain the medication schedule.
Client missed the clinic appointment because the bus was late; rescheduled for next week.
Dropped off the food pantry schedule and the application for reduced-fare transit.
Client completed the GED practice test and passed two of the four sections.
Reminded client of the court date and confirmed that legal aid will attend.
Home is clean and safe; the heating works again after the repair.
Client wants to focus on getting a steady job before looking at a bigger apartment.
Called the benefits office together; the case worker there will mail the decision letter.
Client is worried about the rent increase announced for next month.
Went over the goals of the plan; client feels the first goal is nearly met.
Client brought the pay stubs we asked for; copies made for the file.
Agreed to meet at the library next time, which is closer to the client's work.
Client has started the counselling sessions and says they help.""".splitlines()

REVIEW_NOTES = ["Good progress on the plan.", "Plan revised: new goal added for income.",
                "Steady; continue current services.", "Some setbacks this quarter; more frequent contact agreed.",
                "Housing stable; employment goal still open."]
ASSESSMENT_NOTES = ["Completed in the office.", "Completed by phone.", "Client asked to repeat item 3.", ""]
CLOSING_NOTES = ["Goals met; knows how to reach us.", "Client moved out of the county.",
                 "Three attempts, no answer; letter sent.", "Client withdrew from services.",
                 "Transferred to a partner agency closer to home."]


# ---------------------------------------------------------------------------------------------------------------
# YAML in casectl's canonical style: block style, 2-space indent, strings double-quoted, text as a literal block.

def q(s):
    """A double-quoted YAML string (the generator's text never holds quotes, backslashes or controls)."""
    return '"' + s + '"'


def text_block(key, text, indent=""):
    """A multi-line text as casectl writes it: a literal block `|` with the text's lines indented by 2."""
    lines = [f"{indent}{key}: |\n"]
    for line in text.rstrip("\n").split("\n"):
        lines.append(f"{indent}  {line}\n")
    return "".join(lines)


def iso(day):
    return day.isoformat()


# ---------------------------------------------------------------------------------------------------------------
# Instruments: read from the files `casectl init` wrote, so that assessments match them exactly.

def read_instrument(path):
    """The version, item IDs (with allow_na), and bands of one instrument file as casectl writes it."""
    version, items, bands, scale = None, [], [], []
    section = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith(" "):
                section = line.split(":")[0]
                m = re.match(r'version: "(.*)"', line)
                if m:
                    version = m.group(1)
                continue
            if section == "items":
                m = re.match(r'  - id: "(.*)"', line)
                if m:
                    items.append([m.group(1), False])
                elif line.strip() == "allow_na: true":
                    items[-1][1] = True
            elif section == "bands":
                m = re.match(r"  - min: (\d+)", line)
                if m:
                    bands.append([int(m.group(1)), None])
                m = re.match(r'    label: "(.*)"', line)
                if m:
                    bands[-1][1] = m.group(1)
            elif section == "scale":
                m = re.match(r"  - value: (\d+)", line)
                if m:
                    scale.append(int(m.group(1)))
    return {"version": version, "items": items, "bands": bands, "scale": scale}


# ---------------------------------------------------------------------------------------------------------------
# Identities: case IDs and client names, unique across the whole repository (every copy).

def fold_words(name):
    """The words casectl matches a name part against: lower case, apostrophes dropped, split at the rest."""
    return re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))


def name_matches(query_words, name):
    """casectl's rule: every word of the query starts some word of the name."""
    words = fold_words(name)
    return all(any(w.startswith(p) for w in words) for p in query_words)


class Identities:
    """Draws case IDs and client names; never the same twice, and never a name the target's name part finds."""

    def __init__(self):
        self.ids = set()
        self.names = set()
        self.target_words = None  # the name part `show NAME-PART` uses; no other client may match it

    def draw(self, rng):
        while True:
            case_id = "c-" + "".join(rng.choice(BASE32) for _ in range(8))
            if case_id not in self.ids:
                break
        while True:
            given = rng.choice(GIVEN)
            if rng.random() < 0.3:
                surname = rng.choice(SURNAMES)
            else:
                surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))
                surname = (surname + rng.choice(SURNAME_ENDINGS)).capitalize()
            if rng.random() < 0.15:
                surname += "-" + rng.choice(SURNAMES)
            name = f"{given} {surname}"
            key = " ".join(fold_words(name))
            if key in self.names:
                continue
            if self.target_words and name_matches(self.target_words, name):
                continue
            break
        self.ids.add(case_id)
        self.names.add(key)
        return case_id, name


# ---------------------------------------------------------------------------------------------------------------
# One case: its content (dates and records) from the content random source, its identity passed in.

class Writer:
    """Writes the files of a case folder with casectl's modes (folders 0700, files 0600) and counts them."""

    def __init__(self):
        self.files = 0

    def write(self, path, text):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, text.encode("utf-8"))
        os.close(fd)
        self.files += 1


def record_ids(rng):
    """A source of record IDs, unique within one case."""
    used = set()

    def new():
        while True:
            rid = "".join(rng.choice(BASE32) for _ in range(4))
            if rid not in used:
                used.add(rid)
                return rid
    return new


def spread(rng, start, end, n):
    """n sorted days between start and end (inclusive), roughly evenly spread with some jitter."""
    span = (end - start).days
    if span <= 0 or n <= 0:
        return [start] * max(n, 0)
    return sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(n))


def note_text(rng):
    return "\n".join(rng.sample(NOTE_SENTENCES, rng.randint(3, 6))) + "\n"


def sum_scores(rng, instrument, item_ids, scale):
    """Answers for a sum-scored instrument; item 9 of the PHQ-9 stays 0 (no safety flag is generated)."""
    scores = []
    for item in item_ids:
        value = rng.choice(scale[:3])
        if instrument == "phq9" and item == "q9":
            value = 0
        scores.append((item, value))
    return scores


class CasePlan:
    """The shape of one case, drawn from the content random source: who, when, and what is overdue today.

    Models an episode from its start (intake or reopening) to today (open cases) or to its closing day. For an
    open case, `overdue` names the rules the case is behind on today (a share of open cases is behind on one or
    two of contact, review, assessment and referral); every other rule is kept, so the overdue report is known.
    """

    def __init__(self, rng, today, is_open, overdue_share):
        self.program = rng.choice(PROGRAMS)[0]
        self.worker = rng.choice(WORKERS)[0]
        self.risk = rng.choices(RISKS, weights=(5, 4, 1))[0]
        self.is_open = is_open
        self.overdue = set()
        if is_open:
            self.end = today
            self.start = today - datetime.timedelta(days=rng.randint(40, 700))
            if rng.random() < overdue_share:
                kinds = ["contact", "review", "assessment", "referral"]
                self.overdue = set(rng.choices(kinds, weights=(4, 3, 2, 2), k=rng.choice((1, 1, 2))))
        else:
            self.end = today - datetime.timedelta(days=rng.randint(1, 5 * 365))
            self.start = self.end - datetime.timedelta(days=rng.randint(60, 420))
        # About one case in ten was closed once before this episode and reopened.
        self.earlier = None
        if rng.random() < 0.1:
            closed = self.start - datetime.timedelta(days=rng.randint(30, 400))
            self.earlier = (closed - datetime.timedelta(days=rng.randint(60, 300)), closed)


def make_case(rng, case_id, name, today, is_open, overdue_share, instruments, out_dir, writer):
    """Writes one case folder: face sheet, plan, contacts, assessments, reviews, referrals and their updates."""
    p = CasePlan(rng, today, is_open, overdue_share)
    new_id = record_ids(rng)
    folder = os.path.join(out_dir, "cases", case_id)
    os.mkdir(folder, 0o700)
    start, end = p.start, p.end
    day = datetime.timedelta(days=1)
    opened = p.earlier[0] if p.earlier else start

    # Contacts: ~24 over the episode (a few in the earlier one); the last one that counts sets the contact clock.
    n_contacts = rng.randint(18, 30)
    if is_open and "contact" in p.overdue:
        last_counting = end - datetime.timedelta(days=rng.randint(CONTACT_EVERY + 1, CONTACT_EVERY + 60))
    elif is_open:
        last_counting = end - datetime.timedelta(days=rng.randint(0, CONTACT_EVERY - 2))
    else:
        last_counting = end - datetime.timedelta(days=rng.randint(0, 20))
    last_counting = max(last_counting, start)
    days = spread(rng, start, last_counting - day, n_contacts - 1)
    if p.earlier:
        days[:3] = spread(rng, p.earlier[0], p.earlier[1], 3)
        days.sort()
    contacts = [(d, rng.choices(CONTACT_TYPES, weights=(30, 20, 15, 5, 5, 5, 10, 10))[0]) for d in days]
    contacts.append((last_counting, rng.choice(["phone", "visit", "office"])))
    # After the last contact that counts: only attempts (an overdue case is often one that cannot be reached).
    if "contact" in p.overdue:
        for d in spread(rng, last_counting + day, end - day, rng.randint(0, 3)):
            contacts.append((d, "attempt"))
    files = {}  # folder -> list of (file name, text)
    for i, (d, kind) in enumerate(contacts):
        rid = new_id()
        hour = 9 + (i * 7) % 8
        lines = ["schema: 1\n", 'kind: "contact"\n', f'id: "{rid}"\n', f'case: "{case_id}"\n',
                 f'at: "{iso(d)}T{hour:02d}:{(i * 13) % 60:02d}+00:00"\n', f'type: "{kind}"\n']
        if kind in ("visit", "office", "video") and rng.random() < 0.5:
            lines.append('with:\n  - "client"\n')
            if rng.random() < 0.3:
                lines.append('  - "' + rng.choice(RELATIONS) + '"\n')
        if kind != "attempt":
            lines.append(f"minutes: {rng.choice((10, 15, 20, 30, 45, 60, 90))}\n")
        lines.append(f'worker: "{p.worker}"\n')
        # A follow-up only on a note that a later contact with the client answers (so none is overdue).
        if kind not in ("attempt", "collateral") and d < last_counting - 7 * day and rng.random() < 0.1:
            lines.append(f'follow_up: "{iso(d + 7 * day)}"\n')
        if kind == "attempt":
            lines.append(text_block("note", "No answer; left a message.\n"))
        else:
            lines.append(text_block("note", note_text(rng)))
        files.setdefault("contacts", []).append((f"{iso(d)}-{rid}.yaml", "".join(lines)))

    # Assessments: at intake, then about every 170 days; an overdue case stopped reassessing long ago.
    names = PROGRAM_INSTRUMENTS[p.program]
    last_allowed = end
    if is_open and "assessment" in p.overdue:
        last_allowed = end - datetime.timedelta(days=rng.randint(ASSESS_EVERY + 1, ASSESS_EVERY + 120))
    assess_days = []
    d = start + datetime.timedelta(days=rng.randint(0, ASSESS_FIRST - 5))
    while d <= last_allowed:
        assess_days.append(d)
        d += datetime.timedelta(days=rng.randint(140, ASSESS_EVERY - 5))
    if p.earlier:
        assess_days.insert(0, p.earlier[0] + datetime.timedelta(days=3))
    if is_open and "assessment" not in p.overdue and not [x for x in assess_days if x >= start]:
        assess_days.append(end - datetime.timedelta(days=rng.randint(0, 20)))
    for n, d in enumerate(assess_days):
        # At intake every instrument of the program; later the first one, and the others half the time.
        used = names if n == 0 or rng.random() < 0.5 else names[:1]
        for instrument in used:
            rid = new_id()
            spec = instruments[instrument]
            lines = ["schema: 1\n", 'kind: "assessment"\n', f'id: "{rid}"\n', f'case: "{case_id}"\n',
                     f'date: "{iso(d)}"\n', f'instrument: "{instrument}"\n',
                     f'instrument_version: "{spec["version"]}"\n', f'worker: "{p.worker}"\n', "scores:\n"]
            if spec["bands"]:
                scores = sum_scores(rng, instrument, [i for i, _ in spec["items"]], spec["scale"])
                total = sum(v for _, v in scores)
                band = [label for low, label in spec["bands"] if total >= low][-1]
                lines += [f"  {item}: {v}\n" for item, v in scores]
                lines += [f"total: {total}\n", f'band: "{band}"\n']
            else:
                for item, allow_na in spec["items"]:
                    if allow_na and rng.random() < 0.3:
                        lines.append(f'  {item}: "na"\n')
                    else:
                        lines.append(f"  {item}: {rng.choice(spec['scale'])}\n")
            note = rng.choice(ASSESSMENT_NOTES)
            if note:
                lines.append(f"note: {q(note)}\n")
            files.setdefault("assessments", []).append((f"{iso(d)}-{instrument}-{rid}.yaml", "".join(lines)))

    # Reviews: the first about 30 days in, then about every 85 days; an overdue case missed the last one.
    last_allowed = end
    if is_open and "review" in p.overdue:
        last_allowed = end - datetime.timedelta(days=rng.randint(REVIEW_EVERY + 1, REVIEW_EVERY + 120))
    d = start + datetime.timedelta(days=rng.randint(20, REVIEW_FIRST))
    review_days = []
    while d <= last_allowed:
        review_days.append(d)
        d += datetime.timedelta(days=rng.randint(70, REVIEW_EVERY - 3))
    if is_open and "review" not in p.overdue and (end - start).days > REVIEW_FIRST and not review_days:
        review_days.append(end - datetime.timedelta(days=rng.randint(0, 10)))
    for n, d in enumerate(review_days):
        rid = new_id()
        outcome = "close" if (not is_open and n == len(review_days) - 1) else rng.choice(("continue", "revise"))
        lines = ["schema: 1\n", 'kind: "review"\n', f'id: "{rid}"\n', f'case: "{case_id}"\n',
                 f'date: "{iso(d)}"\n', f'outcome: "{outcome}"\n', f'worker: "{p.worker}"\n',
                 f"note: {q(rng.choice(REVIEW_NOTES))}\n"]
        files.setdefault("reviews", []).append((f"{iso(d)}-{rid}.yaml", "".join(lines)))

    # Referrals: 0-2, most answered; an overdue case has one with no answer past its follow-up date.
    consents = []
    n_ref = rng.choice((0, 1, 1, 2))
    if is_open and "referral" in p.overdue:
        n_ref = max(n_ref, 1)
    for n in range(n_ref):
        last = n == n_ref - 1
        if is_open and last and "referral" in p.overdue:
            d = end - datetime.timedelta(days=rng.randint(REFERRAL_FOLLOW_UP + 1, REFERRAL_FOLLOW_UP + 60))
            answer = None if rng.random() < 0.7 else "no-response"
        elif is_open and last and rng.random() < 0.2:
            d = end - datetime.timedelta(days=rng.randint(0, REFERRAL_FOLLOW_UP - 1))  # still waiting, not due
            answer = None
        else:
            d = start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days - 20)))
            answer = rng.choices(("accepted", "completed", "declined"), weights=(6, 3, 1))[0]
        d = max(d, start)
        to, service = rng.choice(PROVIDERS)
        rid = new_id()
        consents.append((to, service, d))
        lines = ["schema: 1\n", 'kind: "referral"\n', f'id: "{rid}"\n', f'case: "{case_id}"\n',
                 f'date: "{iso(d)}"\n', f"to: {q(to)}\n", f"service: {q(service)}\n",
                 f"reason: {q('Client asked for help with ' + service)}\n",
                 f'follow_up: "{iso(d + REFERRAL_FOLLOW_UP * day)}"\n', f'worker: "{p.worker}"\n']
        files.setdefault("referrals", []).append((f"{iso(d)}-{rid}.yaml", "".join(lines)))
        if answer:
            ud = min(d + datetime.timedelta(days=rng.randint(2, 12)), end)
            uid = new_id()
            lines = ["schema: 1\n", 'kind: "referral-update"\n', f'id: "{uid}"\n', f'referral: "{rid}"\n',
                     f'case: "{case_id}"\n', f'date: "{iso(ud)}"\n', f'status: "{answer}"\n', "sequence: 1\n",
                     f'worker: "{p.worker}"\n', f"note: {q('Provider answered: ' + answer)}\n"]
            files["referrals"].append((f"{iso(ud)}-{rid}-{uid}.yaml", "".join(lines)))

    # The plan: 1-3 goals; an open case's active goals are not yet at their target date.
    goal_lines = ["schema: 1\n", f'case: "{case_id}"\n', "goals:\n"]
    for g, (domain, goal, steps) in enumerate(rng.sample(GOALS, rng.randint(1, 3)), start=1):
        created = min(start + datetime.timedelta(days=rng.randint(0, 30)), end)
        if is_open:
            status = rng.choice(("active", "active", "met"))
            target = end + datetime.timedelta(days=rng.randint(10, 200)) if status == "active" else \
                created + datetime.timedelta(days=rng.randint(60, 200))
        else:
            status = rng.choice(("met", "partly-met", "not-met", "dropped"))
            target = created + datetime.timedelta(days=rng.randint(60, 200))
        goal_lines += [f'  - id: "g{g}"\n', f"    goal: {q(goal)}\n", f"    domain: {q(domain)}\n",
                       f"    status: {q(status)}\n", f'    created: "{iso(created)}"\n',
                       f'    target: "{iso(target)}"\n', "    steps:\n"]
        goal_lines += [f"      - {q(s)}\n" for s in steps]
        if status != "active":
            pd = min(created + datetime.timedelta(days=rng.randint(30, 120)), end)
            goal_lines += ["    progress:\n", f'      - date: "{iso(pd)}"\n',
                           f"        note: {q('Progress recorded at review')}\n", f"        status: {q(status)}\n",
                           f'        worker: "{p.worker}"\n']
    writer.write(os.path.join(folder, "plan.yaml"), "".join(goal_lines))

    # The face sheet.
    dob = start - datetime.timedelta(days=rng.randint(18 * 365, 85 * 365))
    lines = ["schema: 1\n", f'id: "{case_id}"\n', f'status: "{"open" if is_open else "closed"}"\n', "client:\n",
             f"  name: {q(name)}\n", f'  dob: "{iso(dob)}"\n', f'  phone: "555-{rng.randint(0, 9999):04d}"\n']
    if rng.random() < 0.5:
        lines.append(f'  address: "{rng.randint(1, 999)} {rng.choice(STREETS)}, Springfield"\n')
    if rng.random() < 0.3:
        lines.append(f"  language: {q(rng.choice(LANGUAGES))}\n")
    lines += [f'program: "{p.program}"\n', f'worker: "{p.worker}"\n', f'risk: "{p.risk}"\n',
              f'opened: "{iso(opened)}"\n']
    reason = rng.choice(CLOSURE_REASONS)
    if not is_open:
        lines += [f'closed: "{iso(end)}"\n', f'closure_reason: "{reason}"\n']
    if rng.random() < 0.6:
        lines.append(f"referred_by: {q(rng.choice(REFERRERS))}\n")
    if rng.random() < 0.3:
        lines += ["household:\n", f'  - name: "{rng.choice(GIVEN)} {name.split()[-1]}"\n',
                  f"    relation: {q(rng.choice(RELATIONS))}\n"]
    if consents:
        lines.append("consents:\n")
        for party, service, d in consents:
            lines += [f"  - party: {q(party)}\n", f"    purpose: {q(service)}\n", f'    signed: "{iso(d)}"\n']
    if rng.random() < 0.3:
        lines += ["tags:\n", f"  - {q(rng.choice(TAGS))}\n"]
    lines += ["history:\n", f'  - date: "{iso(opened)}"\n', '    event: "opened"\n']
    if p.earlier:
        lines += [f'  - date: "{iso(p.earlier[1])}"\n', '    event: "closed"\n', '    reason: "lost-contact"\n',
                  f"    note: {q('Lost contact; letter sent.')}\n",
                  f'  - date: "{iso(start)}"\n', '    event: "reopened"\n']
    if rng.random() < 0.1:
        other = rng.choice([w for w, _ in WORKERS if w != p.worker])
        td = start + datetime.timedelta(days=(end - start).days // 2)
        lines += [f'  - date: "{iso(td)}"\n', '    event: "transferred"\n', f'    from: "{other}"\n',
                  f'    to: "{p.worker}"\n']
    if not is_open:
        lines += [f'  - date: "{iso(end)}"\n', '    event: "closed"\n', f'    reason: "{reason}"\n',
                  f"    note: {q(rng.choice(CLOSING_NOTES))}\n"]
    writer.write(os.path.join(folder, "case.yaml"), "".join(lines))

    for sub in ("contacts", "assessments", "reviews", "referrals"):
        if sub in files:
            path = os.path.join(folder, sub)
            os.mkdir(path, 0o700)
            for fname, text in files[sub]:
                writer.write(os.path.join(path, fname), text)
    return bool(p.overdue)


# ---------------------------------------------------------------------------------------------------------------

def write_config(out_dir):
    workers = "".join(f'  - id: {w}\n    name: "{n}"\n    email: "{w}@bench.invalid"\n' for w, n in WORKERS)
    programs = "".join(f'  - id: {p}\n    name: "{n}"\n' for p, n in PROGRAMS)
    with open(os.path.join(out_dir, "casectl.yaml"), "w", encoding="utf-8") as f:
        f.write(CONFIG.format(workers=workers, programs=programs))


def read_params(meta):
    params = {}
    try:
        with open(os.path.join(meta, "params.txt"), encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition(" ")
                params[key] = value
    except FileNotFoundError:
        pass
    return params


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, required=True, help="number of cases (open and closed)")
    ap.add_argument("--closed-share", type=float, default=0.9, help="share of the cases that are closed")
    ap.add_argument("--seed", default="1", help="seed of every random choice")
    ap.add_argument("--today", required=True, help="the day the repository is as of, YYYY-MM-DD")
    ap.add_argument("--copies", type=int, default=1, help="K: write the closed history K times")
    ap.add_argument("--overdue-share", type=float, default=0.3, help="share of open cases behind on something")
    ap.add_argument("--casectl", default=os.environ.get("CASECTL", "casectl"), help="the casectl binary")
    ap.add_argument("out_dir")
    args = ap.parse_args()
    today = datetime.date.fromisoformat(args.today)
    out_dir = os.path.abspath(args.out_dir)
    meta = out_dir + ".meta"
    os.umask(0o077)

    wanted = {"seed": args.seed, "cases": str(args.cases), "closed_share": str(args.closed_share),
              "today": args.today, "overdue_share": str(args.overdue_share)}
    done = read_params(meta)
    have = int(done.get("copies", "0"))
    if os.path.exists(out_dir):
        if not have or any(done.get(k) != v for k, v in wanted.items()):
            sys.exit(f"generate.py: {out_dir} exists and was not made by this generator with these parameters")
        if have >= args.copies:
            print(f"generate.py: {out_dir} already holds {have} copies", file=sys.stderr)
            return
    else:
        subprocess.run([args.casectl, "init", out_dir, "--agency", "Bench", "--no-git", "-q"], check=True)
        write_config(out_dir)
        os.makedirs(meta, exist_ok=True)
    instruments = {name: read_instrument(os.path.join(out_dir, "instruments", name + ".yaml"))
                   for name in ("phq9", "gad7", "ssm")}

    n_closed = round(args.cases * args.closed_share)
    n_open = args.cases - n_closed
    # Case i is open when i < n_open. Its content comes from the random source "SEED/case/i", the same in every
    # copy; its ID and name from "SEED/identity/COPY/i", drawn in a fixed order so they are unique everywhere.
    identities = Identities()
    writer = Writer()
    overdue_cases = 0
    open_ids = []
    target = None
    for copy in range(1, args.copies + 1):
        for i in range(args.cases):
            is_open = i < n_open
            if copy > 1 and is_open:
                continue  # copies repeat the closed history only
            case_id, name = identities.draw(random.Random(f"{args.seed}/identity/{copy}/{i}"))
            if target is None:
                target = (case_id, name)
                identities.target_words = fold_words(name)
            if copy <= have:
                if is_open:
                    open_ids.append(case_id)
                continue  # written by an earlier run
            rng = random.Random(f"{args.seed}/case/{i}")
            overdue_cases += make_case(rng, case_id, name, today, is_open, args.overdue_share, instruments,
                                       out_dir, writer)
            if is_open:
                open_ids.append(case_id)
        if copy > have:
            print(f"generate.py: copy {copy} written ({writer.files} files so far)", file=sys.stderr)

    with open(os.path.join(meta, "open-cases.txt"), "w", encoding="utf-8") as f:
        f.write("".join(i + "\n" for i in open_ids))
    with open(os.path.join(meta, "targets.txt"), "w", encoding="utf-8") as f:
        f.write(f"case {target[0]}\nname {target[1]}\nworker {WORKERS[0][0]}\n")
    files = int(done.get("files", "0")) + writer.files
    with open(os.path.join(meta, "params.txt"), "w", encoding="utf-8") as f:
        for key, value in wanted.items():
            f.write(f"{key} {value}\n")
        f.write(f"copies {args.copies}\nfiles {files}\n")
    if have == 0:
        print(f"generate.py: {args.cases} cases ({n_open} open, {overdue_cases} of them behind), {files} files",
              file=sys.stderr)


if __name__ == "__main__":
    main()
