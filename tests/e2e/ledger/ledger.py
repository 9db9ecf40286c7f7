#!/usr/bin/env python3
"""The ledger test: an independent end-to-end check of casectl's period reports.

Usage: python3 ledger.py PATH/TO/casectl [--seed N] [--keep DIR] [--verbose]

It simulates a small agency from December 2025 to June 2026 by calling only the casectl binary, keeps its own
ledger of everything it asked casectl to record, computes every period report as casectl(1) defines it
(issue 9) from that ledger alone, and compares it with casectl's `--format json` output, for Q1 and Q2 2026:

  * "on the day": each quarter's reports are run with --today <last day of the quarter> as soon as the
    simulation has finished that day, before anything later is recorded;
  * "replayed": after the whole simulation, both quarters' reports are run again with the same --today.

Both must equal the ledger. It also checks each report's default --by, `report outcomes --threshold`,
`report compliance` month by month, and `list --today D` (the cases open on D, with the worker, program and
risk they had that day) on a few days, on the day and replayed. Exit status 0 when every check holds, 1 with a list of mismatches otherwise
(or when the simulation itself could not run). Python standard library only.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


def iso(d):
    return d.isoformat()


def parse_date(s):
    return datetime.date.fromisoformat(s)     # used by tools that read ledger.json back


# ----------------------------------------------------------------------------------------------------------------
# The agency

WORKERS = {"alice": "Alice Moreno", "bob": "Bob Okafor", "carol": "Carol Lindqvist", "dan": "Dan Whitfield"}
PROGRAMS = {"housing": "Housing Stability", "mental-health": "Community Mental Health",
            "aging": "Aging and Independence"}
RISKS = ["low", "medium", "high"]
REASONS = ["goals-met", "withdrew", "lost-contact", "moved", "other"]
CLIENT_TYPES = ["phone", "visit", "office", "video", "email", "text"]   # contact types that reach the client
PROVIDERS = ["Eastside Food Bank", "County Behavioral Health", "Springfield Housing Authority",
             "Meals on Wheels"]

# The rules of casectl.yaml below, as the compliance ledger uses them.
REVIEW_FIRST, REVIEW_EVERY = 30, 90
CONTACT_EVERY = 30
ASSESS_FIRST, ASSESS_EVERY = 14, 180
REFERRAL_FOLLOW_UP = 14

CONFIG = """\
schema: 1
agency: "Ledger Agency"
due_soon: 14d
workers:
%(workers)s
risk_levels: [low, medium, high]
closure_reasons: [goals-met, withdrew, lost-contact, moved, other]
contact_types: [phone, visit, office, video, email, text, collateral, attempt]
rules:
  review:
    first: 30d
    every: 90d
    note: "Ledger policy: first review at 30 days, then every 90 days"
  contact:
    every: 30d
    note: "Ledger policy: a contact with the client at least every 30 days"
  assessment:
    first: 14d
    every: 180d
    note: "Ledger policy: assessed within 14 days, then every 180 days"
  referral:
    follow_up: 14d
    note: "Ledger policy: referrals answered within 14 days"
  consent:
    term: never
programs:
%(programs)s
""" % {
    "workers": "\n".join('  - id: %s\n    name: "%s"\n    email: "%s@ledger.example"' % (w, n, w)
                         for w, n in WORKERS.items()),
    "programs": "\n".join('  - id: %s\n    name: "%s"' % (p, n) for p, n in PROGRAMS.items()),
}

FIRST_NAMES = ["Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines", "Jonas",
               "Kalani", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Soren", "Tamsin",
               "Umar", "Vera", "Wendell", "Ximena", "Yusuf", "Zofia", "Anselm", "Beatriz", "Cyrus", "Delphine"]
LAST_NAMES = ["Abernathy", "Bjornsson", "Castellanos", "Dufresne", "Eberhardt", "Fontaine", "Gallagher",
              "Halvorsen", "Iwasaki", "Jablonski", "Kowalczyk", "Lindqvist", "Marchetti", "Nakamura",
              "Oyelaran", "Pemberton", "Quintero", "Rasmussen", "Szabo", "Thorvaldsen", "Underhill",
              "Vasquez", "Wojcik", "Yamamoto", "Zielinski"]

SIM_START, SIM_END = D(2025, 12, 1), D(2026, 6, 30)
QUARTERS = [("Q1", D(2026, 1, 1), D(2026, 3, 31)), ("Q2", D(2026, 4, 1), D(2026, 6, 30))]
LIST_DAYS = [D(2025, 12, 31), D(2026, 1, 15), D(2026, 2, 28), D(2026, 4, 30), D(2026, 6, 15)]


# ----------------------------------------------------------------------------------------------------------------
# Running casectl

class CasectlError(Exception):
    pass


class Casectl:
    def __init__(self, binary, repo):
        self.binary = binary
        self.repo = repo
        self.calls = 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CASECTL_")}
        self.env.update({"TZ": "UTC", "LANG": "C", "LC_ALL": "C", "NO_COLOR": "1"})

    def run(self, today, worker, *args):
        """Run casectl -C repo --today TODAY ARGS as WORKER; return (exit status, stdout, stderr)."""
        env = dict(self.env)
        env["CASECTL_WORKER"] = worker
        cmd = [self.binary, "-C", self.repo, "--today", iso(today)] + list(args)
        self.calls += 1
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def must(self, today, worker, *args):
        rc, out, err = self.run(today, worker, *args)
        if rc != 0:
            raise CasectlError("%s (as %s, --today %s) exited %d: %s" % (
                " ".join(args), worker, iso(today), rc, err.strip().splitlines()[-1:] or ""))
        return out.strip()


# ----------------------------------------------------------------------------------------------------------------
# The ledger: what the simulation asked casectl to record, and nothing casectl said.

class Case:
    def __init__(self, cid, name, opened, worker, program, risk):
        self.id = cid
        self.name = name
        self.opened = opened
        # Dated assignments, in the order they were made: (date, field, value); value None = no value.
        self.assign = [(opened, "worker", worker), (opened, "program", program), (opened, "risk", risk)]
        self.status_events = []     # (date, "closed"|"reopened", reason)
        self.contacts = []          # dict(date, type, minutes, id, amends)
        self.assessments = []       # dict(date, instrument, scores)
        self.reviews = []           # dates
        self.goals = {}             # gid -> dict(created, target, changes=[(date, status)])
        self.referrals = {}         # rid -> dict(date, provider, answers=[(date, status)])

    # "On day X" means at the end of day X (after that day's changes).
    def value_on(self, field, day):
        value = None
        for d, f, v in self.assign:
            if f == field and d <= day:
                value = v
        return value

    def is_open_at_end_of(self, day):
        if self.opened > day:
            return False
        state = True
        for d, ev, _ in self.status_events:
            if d <= day:
                state = (ev == "reopened")
        return state

    def episodes(self, as_of):
        """The episodes known on as_of: (start, closure date or None). Reopening starts a new episode."""
        out, start = [], self.opened
        if self.opened > as_of:
            return out
        for d, ev, _ in self.status_events:
            if d > as_of:
                break
            if ev == "closed":
                out.append((start, d))
                start = None
            else:
                start = d
        if start is not None:
            out.append((start, None))
        return out

    def goal_status_on(self, gid, day):
        status = "active"
        for d, s in self.goals[gid]["changes"]:
            if d <= day:
                status = s
        return status

    def to_json(self):
        return {"id": self.id, "name": self.name, "opened": iso(self.opened),
                "assign": [(iso(d), f, v) for d, f, v in self.assign],
                "status_events": [(iso(d), e, r) for d, e, r in self.status_events],
                "contacts": [dict(c, date=iso(c["date"])) for c in self.contacts],
                "assessments": [dict(a, date=iso(a["date"])) for a in self.assessments],
                "reviews": [iso(r) for r in self.reviews],
                "goals": {g: {"created": iso(v["created"]), "target": iso(v["target"]),
                              "changes": [(iso(d), s) for d, s in v["changes"]]} for g, v in self.goals.items()},
                "referrals": {r: {"date": iso(v["date"]), "provider": v["provider"],
                                  "answers": [(iso(d), s) for d, s in v["answers"]]}
                              for r, v in self.referrals.items()}}


class Ledger:
    def __init__(self):
        self.cases = {}

    def all(self, as_of):
        """Cases that exist on as_of (a case opened later does not exist yet)."""
        return [c for c in self.cases.values() if c.opened <= as_of]


# ----------------------------------------------------------------------------------------------------------------
# The simulation

class SimCase:
    """What the simulator plans for a case (not part of the ledger)."""
    def __init__(self, diligence, phq_tracking, trend):
        self.diligence = diligence
        self.phq_tracking = phq_tracking
        self.trend = trend            # PHQ-9 total change per 30 days
        self.phq_total = None
        self.episode = 0
        self.forced = False           # closed with --force while goals were active: never reopened


class Simulation:
    def __init__(self, casectl, seed, checker):
        self.cl = casectl
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.sim = {}
        self.agenda = defaultdict(list)   # date -> [(case id, episode, action, args)]
        self.checker = checker
        self.today = None
        self.failures = []

    # -- helpers ---------------------------------------------------------------------------------------------
    def plan(self, day, cid, action, *args):
        if day <= SIM_END:
            self.agenda[day].append((cid, self.sim[cid].episode, action, args))

    def offset(self, diligence):
        """How a deadline is met: on time, late, or very late (often missing in the quarter's report)."""
        r = self.rng.random()
        if r < diligence:
            return -self.rng.randint(0, 8)
        if r < diligence + (1 - diligence) * 0.6:
            return self.rng.randint(1, 20)
        return self.rng.randint(21, 70)

    def author(self, c):
        """Usually the case's worker writes; sometimes a colleague covers."""
        w = c.value_on("worker", self.today)
        if self.rng.random() < 0.15:
            w = self.rng.choice([x for x in WORKERS if x != w])
        return w

    def act(self, who, *args):
        """Run one writing command; a failure is a mismatch and the ledger does not record it."""
        rc, out, err = self.cl.run(self.today, who, *args)
        if rc != 0:
            self.failures.append("action failed on %s: casectl %s -> exit %d: %s" % (
                iso(self.today), " ".join(args), rc, " ".join(err.strip().splitlines()[-1:])))
            return None
        return out.strip()

    # -- intake and episodes ----------------------------------------------------------------------------------
    def intake(self, name, program, worker, risk):
        args = ["-q", "intake", name, "--program", program, "--worker", worker]
        if risk:
            args += ["--risk", risk]
        if self.today < D(2026, 1, 1):
            args += ["--opened", iso(self.today)]
        cid = self.cl.must(self.today, worker, *args)
        self.ledger.cases[cid] = Case(cid, name, self.today, worker, program, risk)
        self.sim[cid] = SimCase(diligence=self.rng.uniform(0.45, 0.95),
                                phq_tracking=(program == "mental-health" or self.rng.random() < 0.4),
                                trend=self.rng.uniform(-5.0, 3.0))
        if risk is None:
            self.plan(self.today + days(self.rng.randint(5, 40)), cid, "set-risk")
        self.start_episode(cid, first=True)

    def start_episode(self, cid, first):
        s, c, start = self.sim[cid], self.ledger.cases[cid], self.today
        s.episode += 1
        self.plan(start + days(REVIEW_FIRST + self.offset(s.diligence)), cid, "review")
        # the first assessment: sometimes on the first day itself (then its deadline is never listed)
        first_assessment = 0 if self.rng.random() < 0.15 else max(1, ASSESS_FIRST + self.offset(s.diligence))
        self.plan(start + days(first_assessment), cid, "assess")
        self.plan(start + days(self.rng.randint(0, 10)), cid, "contact")
        for _ in range(self.rng.choice([1, 1, 2, 3]) if first else self.rng.choice([0, 1])):
            self.plan(start + days(self.rng.randint(2, 20)), cid, "goal")
        for _ in range(self.rng.choice([0, 0, 1, 1, 1, 2, 2])):
            self.plan(start + days(self.rng.randint(3, 110)), cid, "refer")
        if self.rng.random() < (0.45 if first else 0.3):
            self.plan(start + days(self.rng.randint(25, 150)), cid, "close")

    # -- the actions --------------------------------------------------------------------------------------------
    def do_contact(self, cid, kind=None, planned=True):
        c, s = self.ledger.cases[cid], self.sim[cid]
        ctype = kind or self.rng.choice(CLIENT_TYPES + ["phone", "visit", "office"])
        minutes = None
        ranges = {"phone": (5, 30), "visit": (30, 90), "office": (20, 60), "video": (15, 45), "collateral": (5, 30)}
        if ctype in ranges and self.rng.random() < 0.9:
            minutes = self.rng.randint(*ranges[ctype])
        at = "%sT%02d:%02d" % (iso(self.today), self.rng.randint(8, 17), self.rng.randint(0, 59))
        args = ["log", cid, "--type", ctype, "--at", at, "-m", "%s with or about the client" % ctype]
        if minutes is not None:
            args += ["--minutes", str(minutes)]
        note = self.act(self.author(c), *args)
        if note is None:
            return
        c.contacts.append({"date": self.today, "type": ctype, "minutes": minutes, "id": note, "amends": None})
        if self.rng.random() < 0.08:
            self.plan(self.today + days(self.rng.randint(0, 3)), cid, "addendum", note)
        if planned:
            # the next contact with the client: mostly within the 30 days, sometimes not
            gap = self.rng.randint(4, 30) if self.rng.random() < s.diligence else self.rng.randint(31, 55)
            nxt = self.today + days(gap)
            self.plan(nxt, cid, "contact")
            if self.rng.random() < 0.3:
                self.plan(nxt - days(self.rng.randint(1, 3)), cid, "attempt")

    def do_addendum(self, cid, note):
        c = self.ledger.cases[cid]
        at = "%sT%02d:%02d" % (iso(self.today), self.rng.randint(8, 17), self.rng.randint(0, 59))
        new = self.act(self.author(c), "log", cid, "--amends", note, "--at", at, "-m", "Correction of the note")
        if new is not None:
            c.contacts.append({"date": self.today, "type": "addendum", "minutes": None, "id": new, "amends": note})

    def phq9_scores(self, s):
        if s.phq_total is None:
            s.phq_total = self.rng.randint(6, 22)
        else:
            s.phq_total = min(24, max(0, round(s.phq_total + s.trend + self.rng.uniform(-3, 3))))
        items = [0] * 8
        for _ in range(s.phq_total):
            free = [i for i in range(8) if items[i] < 3]
            items[self.rng.choice(free)] += 1
        scores = {"q%d" % (i + 1): v for i, v in enumerate(items)}
        scores["q9"] = 0          # never a safety flag
        return scores

    def do_assess(self, cid, planned=True):
        c, s = self.ledger.cases[cid], self.sim[cid]
        program = c.value_on("program", self.today)
        if s.phq_tracking or program == "aging" and self.rng.random() < 0.5:
            instruments = ["phq9"] + (["gad7"] if self.rng.random() < 0.3 else [])
        else:
            instruments = ["ssm"]
        for instrument in instruments:
            if any(a["date"] == self.today and a["instrument"] == instrument for a in c.assessments):
                continue
            if instrument == "phq9":
                scores = self.phq9_scores(s)
            elif instrument == "gad7":
                scores = {"q%d" % i: self.rng.randint(0, 3) for i in range(1, 8)}
            else:
                scores = {d: self.rng.randint(1, 5) for d in SSM_DOMAINS}
            args = ["assess", cid, "-i", instrument]
            for k, v in scores.items():
                args += ["--score", "%s=%d" % (k, v)]
            if self.act(self.author(c), *args) is not None:
                total = sum(scores.values()) if instrument != "ssm" else None
                c.assessments.append({"date": self.today, "instrument": instrument, "scores": scores,
                                      "total": total})
        if planned:
            self.plan(self.today + days(ASSESS_EVERY + self.offset(s.diligence)), cid, "assess")
        if s.phq_tracking:
            self.plan(self.today + days(self.rng.randint(18, 45)), cid, "phq9")

    def do_phq9(self, cid):
        c, s = self.ledger.cases[cid], self.sim[cid]
        if any(a["date"] == self.today and a["instrument"] == "phq9" for a in c.assessments):
            return
        scores = self.phq9_scores(s)
        args = ["assess", cid, "-i", "phq9"]
        for k, v in scores.items():
            args += ["--score", "%s=%d" % (k, v)]
        if self.act(self.author(c), *args) is not None:
            c.assessments.append({"date": self.today, "instrument": "phq9", "scores": scores,
                                  "total": sum(scores.values())})
        self.plan(self.today + days(self.rng.randint(18, 45)), cid, "phq9")

    def do_review(self, cid):
        c, s = self.ledger.cases[cid], self.sim[cid]
        if self.today in c.reviews:
            return
        if self.act(self.author(c), "review", cid, "-m", "Periodic review") is not None:
            c.reviews.append(self.today)
        self.plan(self.today + days(REVIEW_EVERY + self.offset(s.diligence)), cid, "review")

    def do_goal(self, cid):
        c = self.ledger.cases[cid]
        target = self.today + days(self.rng.randint(20, 110))
        gid = self.act(self.author(c), "plan", "add", cid, "A goal in the client's words", "--target", iso(target))
        if gid is None:
            return
        c.goals[gid] = {"created": self.today, "target": target, "changes": []}
        r = self.rng.random()
        if r < 0.55:
            when = self.today + days(self.rng.randint(3, max(3, (target - self.today).days)))
        elif r < 0.8:
            when = target + days(self.rng.randint(1, 30))
        else:
            return
        self.plan(when, cid, "goal-status", gid, None)

    def goal_update(self, cid, gid, status, backdate_ok=True):
        """plan update CASE GOAL --status S [--date D]; a backdated entry stays within the quarter (so the
        on-the-day reports, run at the end of the quarter, already saw everything dated in it)."""
        c = self.ledger.cases[cid]
        g = c.goals[gid]
        date = self.today
        if backdate_ok and self.rng.random() < 0.25:
            earliest = max([g["created"], quarter_start(self.today), self.episode_start(c)] +
                           [d for d, _ in g["changes"]])
            date = max(earliest, self.today - days(self.rng.randint(1, 4)))
        args = ["plan", "update", cid, gid, "--status", status]
        if date != self.today:
            args += ["--date", iso(date)]
        if self.act(self.author(c), *args) is not None:
            g["changes"].append((date, status))
            return True
        return False

    def episode_start(self, c):
        return c.episodes(self.today)[-1][0]

    def do_goal_status(self, cid, gid, status):
        c = self.ledger.cases[cid]
        if c.goal_status_on(gid, self.today) != "active" and status is None:
            return
        if status is None:
            status = self.rng.choice(["met", "met", "met", "partly-met", "partly-met", "not-met", "dropped"])
        if self.goal_update(cid, gid, status) and status != "met" and self.rng.random() < 0.3:
            # the status changes again later (for example partly met, then met)
            self.plan(self.today + days(self.rng.randint(3, 30)), cid, "goal-status", gid, "met")

    def do_refer(self, cid):
        c = self.ledger.cases[cid]
        provider = self.rng.choice(PROVIDERS)
        rid = self.act(self.author(c), "refer", cid, "--to", provider, "--without-consent", "test")
        if rid is None:
            return
        c.referrals[rid] = {"date": self.today, "provider": provider, "answers": []}
        r = self.rng.random()
        if r < 0.45:
            self.plan(self.today + days(self.rng.randint(1, 14)), cid, "answer", rid, None)
        elif r < 0.7:
            self.plan(self.today + days(self.rng.randint(15, 40)), cid, "answer", rid, None)
        elif r < 0.85:
            self.plan(self.today + days(self.rng.randint(5, 14)), cid, "answer", rid, "no-response")
        # else: never answered

    def do_answer(self, cid, rid, status):
        c = self.ledger.cases[cid]
        ref = c.referrals[rid]
        if status is None:
            status = self.rng.choice(["accepted", "accepted", "accepted", "declined", "completed"])
        if self.act(self.author(c), "-q", "referral", cid, rid, "--status", status) is None:
            return
        ref["answers"].append((self.today, status))
        if status == "no-response" and self.rng.random() < 0.6:
            self.plan(self.today + days(self.rng.randint(5, 30)), cid, "answer", rid, None)
        elif status == "accepted" and self.rng.random() < 0.35:
            self.plan(self.today + days(self.rng.randint(10, 40)), cid, "answer", rid, "completed")

    def contact_before_change(self, cid):
        """Sometimes a contact is logged earlier on the day of a transfer or change: the reports count it in
        the group the case had at the end of that day."""
        if self.rng.random() < 0.5:
            self.do_contact(cid, planned=False)

    def do_transfer(self, cid):
        self.contact_before_change(cid)
        c = self.ledger.cases[cid]
        old = c.value_on("worker", self.today)
        new = self.rng.choice([w for w in WORKERS if w != old])
        if self.rng.random() < 0.7:
            ok = self.act(old, "-q", "transfer", cid, "--to", new)
        else:
            ok = self.act(old, "-q", "set", cid, "worker=" + new)
        if ok is not None:
            c.assign.append((self.today, "worker", new))

    def do_set(self, cid, field):
        self.contact_before_change(cid)
        c = self.ledger.cases[cid]
        old = c.value_on(field, self.today)
        choices = PROGRAMS if field == "program" else RISKS
        new = self.rng.choice([x for x in choices if x != old])
        if self.act(c.value_on("worker", self.today), "-q", "set", cid, "%s=%s" % (field, new)) is not None:
            c.assign.append((self.today, field, new))

    def do_close(self, cid):
        c, s = self.ledger.cases[cid], self.sim[cid]
        active = [g for g in c.goals if c.goal_status_on(g, self.today) == "active"]
        force = bool(active) and self.rng.random() < 0.25
        if not force:
            for gid in active:
                self.goal_update(cid, gid, self.rng.choice(["met", "partly-met", "not-met", "dropped"]),
                                 backdate_ok=False)
        reason = self.rng.choice(REASONS)
        args = ["-q", "close", cid, "--reason", reason, "-m", "Closing summary"] + (["--force"] if force else [])
        if self.act(c.value_on("worker", self.today), *args) is None:
            return
        c.status_events.append((self.today, "closed", reason))
        s.episode += 1           # whatever was planned for the episode is off
        s.forced = force
        open_referrals = any(not any(st in ("accepted", "declined", "completed") for _, st in r["answers"])
                             for r in c.referrals.values())
        # Reopen only cases with nothing left open from before (no active goal, no unanswered referral).
        if not force and not open_referrals and self.rng.random() < 0.45:
            self.plan(self.today + days(self.rng.randint(10, 40)), cid, "reopen")

    def do_reopen(self, cid):
        c = self.ledger.cases[cid]
        if self.act(c.value_on("worker", self.today), "-q", "reopen", cid) is None:
            return
        c.status_events.append((self.today, "reopened", None))
        self.start_episode(cid, first=False)

    # -- the calendar ---------------------------------------------------------------------------------------
    def run(self):
        rng = self.rng
        names = set()
        while len(names) < 40:
            names.add("%s %s" % (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
        names = sorted(names)
        rng.shuffle(names)
        intakes = defaultdict(list)
        december = sorted([D(2025, 12, 10)] + [D(2025, 12, rng.randint(1, 22)) for _ in range(7)])
        later = sorted(D(2026, 1, 1) + days(rng.randint(0, 170)) for _ in range(32))
        for i, day in enumerate(december + later):
            risk = None if i in (3, 17) else rng.choice(RISKS)
            intakes[day].append((names[i], rng.choice(list(PROGRAMS)), rng.choice(list(WORKERS)), risk))

        day = SIM_START
        while day <= SIM_END:
            self.today = day
            for name, program, worker, risk in intakes[day]:
                self.intake(name, program, worker, risk)
            # what is planned for today, and a little that happens unplanned
            todo = list(self.agenda.pop(day, []))
            for cid, c in self.ledger.cases.items():
                if not c.is_open_at_end_of(day - ONE_DAY) or c.opened == day:
                    continue
                ep = self.sim[cid].episode
                if rng.random() < 0.012:
                    todo.append((cid, ep, "collateral", ()))
                if rng.random() < 0.01:
                    todo.append((cid, ep, "attempt", ()))
                if rng.random() < 0.004:
                    todo.append((cid, ep, "transfer", ()))
                if rng.random() < 0.0015:
                    todo.append((cid, ep, "set-program", ()))
                if rng.random() < 0.003:
                    todo.append((cid, ep, "set-risk", ()))
            rng.shuffle(todo)
            todo.sort(key=lambda t: t[2] == "close")          # a closure is the day's last action on a case
            for cid, episode, action, args in todo:
                c, s = self.ledger.cases[cid], self.sim[cid]
                if action == "reopen":
                    if not c.is_open_at_end_of(day) and episode == s.episode:
                        self.do_reopen(cid)
                    continue
                if episode != s.episode or not c.is_open_at_end_of(day):
                    continue          # planned in an episode that has ended
                if action == "contact":
                    self.do_contact(cid)
                elif action == "attempt":
                    self.do_contact(cid, "attempt", planned=False)
                elif action == "collateral":
                    self.do_contact(cid, "collateral", planned=False)
                elif action == "addendum":
                    self.do_addendum(cid, *args)
                elif action == "assess":
                    self.do_assess(cid)
                elif action == "phq9":
                    self.do_phq9(cid)
                elif action == "review":
                    self.do_review(cid)
                elif action == "goal":
                    self.do_goal(cid)
                elif action == "goal-status":
                    self.do_goal_status(cid, *args)
                elif action == "refer":
                    self.do_refer(cid)
                elif action == "answer":
                    self.do_answer(cid, *args)
                elif action == "transfer":
                    self.do_transfer(cid)
                elif action == "set-program":
                    self.do_set(cid, "program")
                elif action == "set-risk":
                    self.do_set(cid, "risk")
                elif action == "close":
                    self.do_close(cid)
            if day in LIST_DAYS:
                self.checker.check_list(self.ledger, day, "on-the-day")
            for name, start, end in QUARTERS:
                if day == end:
                    self.checker.check_quarter(self.ledger, name, start, end, "on-the-day")
            day += ONE_DAY


SSM_DOMAINS = ["housing", "income", "employment", "food", "child-care", "children-education", "adult-education",
               "health-care-coverage", "life-skills", "family-social-relations", "mobility",
               "community-involvement", "parenting-skills", "legal", "mental-health", "substance-use", "safety"]


def quarter_start(day):
    return D(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# ----------------------------------------------------------------------------------------------------------------
# The reports, computed from the ledger alone. Each returns {group value: {column: value}} without the total row;
# the total row is computed by the caller (sums, or the report's own rule for distinct counts and rates).

NONE = "(none)"


def group_of(case, by, day):
    """Spec: a case's worker/program/risk on a day comes from its history; no value -> `(none)`."""
    v = case.value_on(by, day)
    return NONE if v is None else v


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def median(xs):
    # Spec: median of an even count = mean of the two middle values.
    return statistics.median(xs) if xs else None


def rate(num, den):
    return num * 100.0 / den if den else None


def report_caseload(ledger, F, T, by, as_of):
    cols = ["open_at_start", "intakes", "reopenings", "closures", "open_at_end", "served"]
    rows = defaultdict(lambda: dict.fromkeys(cols, 0))
    served = set()
    for c in ledger.all(as_of):
        # open_at_start: cases open at the end of day F-1, grouped by their assignment on F-1.
        if c.is_open_at_end_of(F - ONE_DAY):
            rows[group_of(c, by, F - ONE_DAY)]["open_at_start"] += 1
        # intakes: cases whose `opened` date is in the period, grouped by assignment on the opened day.
        if F <= c.opened <= T:
            rows[group_of(c, by, c.opened)]["intakes"] += 1
        # reopenings / closures: each history event in the period counts, grouped on that day.
        events_in = [(d, ev) for d, ev, _ in c.status_events if F <= d <= T and d <= as_of]
        for d, ev in events_in:
            rows[group_of(c, by, d)]["reopenings" if ev == "reopened" else "closures"] += 1
        # open_at_end: cases open at the end of day T, grouped on T.
        if c.is_open_at_end_of(T):
            rows[group_of(c, by, T)]["open_at_end"] += 1
        # served: open at start, or opened/reopened in the period; once, in the group of the last day of the
        # period it was open (T if still open, else the day it was last closed in the period).
        if c.is_open_at_end_of(F - ONE_DAY) or F <= c.opened <= T or any(ev == "reopened" for _, ev in events_in):
            if c.is_open_at_end_of(T):
                last = T
            else:
                last = max(d for d, ev in events_in if ev == "closed")
            rows[group_of(c, by, last)]["served"] += 1
            served.add(c.id)
    total = {k: sum(r[k] for r in rows.values()) for k in cols}
    total["served"] = len(served)
    return cols, dict(rows), total


def closure_episodes(c, F, T, as_of):
    """Spec: each `closed` event in the period is one closed episode; length of stay = closure date - the
    episode's start (the `opened` date, or the latest `reopened` event on or before the closure)."""
    out = []
    for d, ev, reason in c.status_events:
        if ev == "closed" and F <= d <= T and d <= as_of:
            start = max([c.opened] + [r for r, e, _ in c.status_events if e == "reopened" and r <= d])
            out.append((d, reason, (d - start).days))
    return out


def report_closures(ledger, F, T, by, as_of):
    cols = ["closures", "mean_days", "median_days"]
    stays = defaultdict(list)
    everyone = []
    for c in ledger.all(as_of):
        for d, reason, los in closure_episodes(c, F, T, as_of):
            # Grouped by the closure reason, or by the program/worker the case had on the closure day.
            g = reason if by == "reason" else group_of(c, by, d)
            stays[g].append(los)
            everyone.append(los)

    def row(xs):
        return {"closures": len(xs), "mean_days": mean(xs), "median_days": median(xs)}
    return cols, {g: row(xs) for g, xs in stays.items()}, row(everyone)


def is_client_contact(note):
    # Spec: client contacts are any type other than collateral and attempt, and not addenda.
    return note["type"] not in ("collateral", "attempt", "addendum")


def report_contacts(ledger, F, T, by, as_of):
    cols = ["contacts", "contact_minutes", "collateral", "collateral_minutes", "attempts", "addenda", "clients"]
    rows = defaultdict(lambda: dict.fromkeys(cols, 0))
    clients = defaultdict(set)
    all_clients = set()
    for c in ledger.all(as_of):
        for n in c.contacts:
            if not (F <= n["date"] <= T and n["date"] <= as_of):
                continue
            # Counted in the group of the worker/program the case had on the note's date (not the note's
            # author), or by its type (`addendum` for a correction).
            g = n["type"] if by == "type" else group_of(c, by, n["date"])
            r = rows[g]
            minutes = n["minutes"] or 0          # minutes missing count 0
            if n["type"] == "addendum":
                r["addenda"] += 1
            elif n["type"] == "collateral":
                r["collateral"] += 1
                r["collateral_minutes"] += minutes
            elif n["type"] == "attempt":
                r["attempts"] += 1
            else:
                r["contacts"] += 1
                r["contact_minutes"] += minutes
                clients[g].add(c.id)
                all_clients.add(c.id)
    for g, r in rows.items():
        r["clients"] = len(clients[g])
    total = {k: sum(r[k] for r in rows.values()) for k in cols}
    total["clients"] = len(all_clients)    # total row: distinct cases overall
    return cols, dict(rows), total


PHQ9_ITEMS = ["q%d" % i for i in range(1, 10)]


def report_outcomes(ledger, F, T, instrument, items, program, as_of, meaningful_change, threshold_option=None):
    """Rows keyed by domain (no total row; `total` is the summed instrument's total domain)."""
    cols = ["instrument", "program", "domain", "clients", "mean_first", "mean_latest", "mean_change", "improved",
            "unchanged", "worse", "improved_share", "unchanged_share", "worse_share", "threshold"]
    pairs = []
    for c in ledger.all(as_of):
        # Each case with two or more assessments with the instrument dated in the period (and on/before as of):
        # the first and the latest of them.
        xs = sorted((a for a in c.assessments
                     if a["instrument"] == instrument and F <= a["date"] <= T and a["date"] <= as_of),
                    key=lambda a: a["date"])
        if len(xs) < 2:
            continue
        # --program P: only cases whose program on the latest one's date is P.
        if program and c.value_on("program", xs[-1]["date"]) != program:
            continue
        pairs.append((xs[0], xs[-1]))
    rows = {}
    for domain in items + ["total"]:
        firsts, lasts = [], []
        for a, b in pairs:
            fa = a["total"] if domain == "total" else a["scores"].get(domain)
            fb = b["total"] if domain == "total" else b["scores"].get(domain)
            if isinstance(fa, int) and isinstance(fb, int):
                firsts.append(fa)
                lasts.append(fb)
        if not firsts:
            continue          # domains nobody has two scores for are left out
        # Threshold: `--threshold N` if given, else for the total row the instrument's meaningful_change,
        # else 1 (item rows always 1).
        threshold = meaningful_change if domain == "total" else 1
        if threshold_option is not None:
            threshold = threshold_option
        # better: lower -> an improvement is a drop of at least the threshold.
        improved = sum(1 for f, l in zip(firsts, lasts) if f - l >= threshold)
        worse = sum(1 for f, l in zip(firsts, lasts) if l - f >= threshold)
        n = len(firsts)
        rows[domain] = {"instrument": instrument, "program": program or "all", "domain": domain, "clients": n,
                        "mean_first": mean(firsts), "mean_latest": mean(lasts),
                        "mean_change": mean(lasts) - mean(firsts), "improved": improved,
                        "unchanged": n - improved - worse, "worse": worse,
                        "improved_share": rate(improved, n), "unchanged_share": rate(n - improved - worse, n),
                        "worse_share": rate(worse, n), "threshold": threshold}
    return cols, rows


def report_goals(ledger, F, T, by, as_of):
    cols = ["created", "met", "partly_met", "not_met", "dropped", "active", "met_rate"]
    rows = defaultdict(lambda: dict.fromkeys(cols, 0))
    for c in ledger.all(as_of):
        for gid, g in c.goals.items():
            # created: goals whose `created` date is in the period, grouped on that day.
            if F <= g["created"] <= T and g["created"] <= as_of:
                rows[group_of(c, by, g["created"])]["created"] += 1
            # met/partly_met/not_met/dropped: only the goal's last status change in the period counts,
            # grouped on that change's day.
            changes = [(d, s) for d, s in g["changes"] if F <= d <= T and d <= as_of]
            if changes:
                d, s = changes[-1]          # changes are recorded in date order
                if s != "active":
                    rows[group_of(c, by, d)][s.replace("-", "_")] += 1
            # active: created on or before T, active at the end of T, in cases open at the end of T; on T.
            if g["created"] <= T and c.goal_status_on(gid, T) == "active" and c.is_open_at_end_of(T):
                rows[group_of(c, by, T)]["active"] += 1
    total = {k: sum(r[k] for r in rows.values()) for k in cols}
    for r in list(rows.values()) + [total]:
        # met_rate = met / (met + partly_met + not_met) x 100 (dropped goals are not outcomes).
        r["met_rate"] = rate(r["met"], r["met"] + r["partly_met"] + r["not_met"])
    return cols, dict(rows), total


class Deadline:
    def __init__(self, kind, case, due, answered):
        self.kind, self.case, self.due, self.answered = kind, case, due, answered


def chain(kind, case, start, first_due, every, answers, end, as_of):
    """Deadlines of a rule that counts from the last answer: the first is due at first_due; each answer (a
    record on or before as_of, within the episode) answers the current deadline, and the next one is due
    `every` days after it. The last one is unanswered: missing when its due date has passed by as_of, or when
    the episode was closed after its due date; not counted when the closure came on or before its due date
    or it is not due yet.
    Spec: "A deadline is one due item (the items `casectl due` lists) with its due date", and a day is seen at
    its end: a deadline answered on the very day it arose (a review on the episode's first day, say) was never
    listed, so it is no deadline."""
    out, due, since = [], first_due, start
    for a in sorted(set(answers)):
        if a != since:
            out += answered(kind, case, due, a, end)
        due, since = a + days(every), a
    out.extend(unanswered(kind, case, due, end, as_of))
    return out


def answered(kind, case, due, answer, end):
    """Spec: a deadline counts only when the case was open at the end of its due date: one answered on time in an
    episode that closed on or before its due date never fell due (a late answer means it was open then)."""
    if answer <= due and end is not None and end <= due:
        return []
    return [Deadline(kind, case, due, answer)]


def unanswered(kind, case, due, end, as_of):
    if end is not None:
        return [Deadline(kind, case, due, None)] if due < end else []
    return [Deadline(kind, case, due, None)] if due <= as_of else []


def deadlines(case, as_of):
    """Every deadline of the case known on as_of, per the rules of this agency (casectl.yaml above)."""
    out = []
    for start, end in case.episodes(as_of):
        last = end or as_of

        def within(d):
            return start <= d <= last
        # review: first 30d after the episode start, then every 90d after the last review of the episode.
        out += chain("review", case, start, start + days(REVIEW_FIRST), REVIEW_EVERY,
                     [r for r in case.reviews if within(r)], end, as_of)
        # contact: 30d after the last client contact of the episode, else 30d after the episode start
        # (collateral, attempts and addenda do not count).
        out += chain("contact", case, start, start + days(CONTACT_EVERY), CONTACT_EVERY,
                     [n["date"] for n in case.contacts if is_client_contact(n) and within(n["date"])], end, as_of)
        # assessment: first within 14d of the episode start (any instrument), then every 180d after the latest.
        out += chain("assessment", case, start, start + days(ASSESS_FIRST), ASSESS_EVERY,
                     [a["date"] for a in case.assessments if within(a["date"])], end, as_of)
        # referral: due 14d after it was sent until answered accepted/declined/completed (a no-response
        # answer does not close it).
        for r in case.referrals.values():
            if not within(r["date"]):
                continue
            due = r["date"] + days(REFERRAL_FOLLOW_UP)
            answers = [d for d, s in r["answers"] if s in ("accepted", "declined", "completed") and d <= as_of]
            if answers and min(answers) == r["date"]:
                continue           # answered the day it was sent: never listed
            if answers:
                out += answered("referral", case, due, min(answers), end)
            else:
                out += unanswered("referral", case, due, end, as_of)
        # goal: the target date of each goal still active; a status change answers it.
        for g in case.goals.values():
            if not within(g["created"]):
                continue
            answers = [d for d, s in g["changes"] if s != "active" and d <= as_of]
            if answers and min(answers) == g["created"]:
                continue           # resolved the day it was added: never listed
            if answers:
                out += answered("goal", case, g["target"], min(answers), end)
            else:
                out += unanswered("goal", case, g["target"], end, as_of)
    return out


def report_compliance(ledger, F, T, by, kind, as_of):
    cols = ["due", "on_time", "late", "mean_days_late", "missing", "on_time_rate"]
    groups = defaultdict(list)
    everything = []
    for c in ledger.all(as_of):
        for dl in deadlines(c, as_of):
            # It counts when its due date lies in the period (and on/before as of).
            if not (F <= dl.due <= T and dl.due <= as_of):
                continue
            if kind and dl.kind != kind:
                continue
            # Grouped by kind, or by the worker the case had on the due date.
            g = dl.kind if by == "kind" else group_of(c, "worker", dl.due)
            groups[g].append(dl)
            everything.append(dl)

    def row(dls):
        on_time = [d for d in dls if d.answered is not None and d.answered <= d.due]
        late = [(d.answered - d.due).days for d in dls if d.answered is not None and d.answered > d.due]
        missing = [d for d in dls if d.answered is None]
        return {"due": len(dls), "on_time": len(on_time), "late": len(late), "mean_days_late": mean(late),
                "missing": len(missing), "on_time_rate": rate(len(on_time), len(dls))}
    return cols, {g: row(x) for g, x in groups.items()}, row(everything)


def referral_status(r, as_of):
    # Status = the latest answer recorded on or before as of; none -> no_answer.
    answers = [s for d, s in r["answers"] if d <= as_of]
    return answers[-1].replace("-", "_") if answers else "no_answer"


def report_referrals(ledger, F, T, by, as_of):
    cols = ["sent", "accepted", "completed", "declined", "no_response", "no_answer", "closed_loop",
            "closed_loop_rate", "median_days_to_answer"]
    groups = defaultdict(list)
    everything = []
    for c in ledger.all(as_of):
        for r in c.referrals.values():
            if F <= r["date"] <= T and r["date"] <= as_of:
                # grouped by the provider as written, or by the program the case had on the referral date
                g = r["provider"] if by == "provider" else group_of(c, "program", r["date"])
                groups[g].append(r)
                everything.append(r)

    def row(refs):
        out = dict.fromkeys(cols, 0)
        waits = []
        for r in refs:
            out["sent"] += 1
            st = referral_status(r, as_of)
            out[st] += 1
            if st in ("accepted", "completed", "declined"):
                # days from the referral to its first accepted/declined/completed answer
                first = min(d for d, s in r["answers"] if s in ("accepted", "declined", "completed"))
                waits.append((first - r["date"]).days)
        out["closed_loop"] = out["accepted"] + out["completed"] + out["declined"]
        out["closed_loop_rate"] = rate(out["closed_loop"], out["sent"])
        out["median_days_to_answer"] = median(waits)
        return out
    return cols, {g: row(x) for g, x in groups.items()}, row(everything)


# ----------------------------------------------------------------------------------------------------------------
# Comparing

NAMES = {"worker": WORKERS, "program": PROGRAMS}


def is_measure(column):
    """Means, medians, rates and shares are numbers (one decimal is enough); every other column is a count."""
    return column.startswith(("mean", "median")) or column.endswith(("rate", "share")) or column == "threshold"


def same_value(expected, got, column):
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    if not is_measure(column) and not isinstance(got, int):
        return False                               # spec: counts are integers
    if isinstance(expected, float) or isinstance(got, float):
        return abs(expected - got) <= 0.051       # one decimal is enough
    return expected == got


def fmt(v):
    if isinstance(v, float):
        return "%.2f" % v
    return json.dumps(v)


class Checker:
    def __init__(self, casectl, meaningful_change):
        self.cl = casectl
        self.meaningful_change = meaningful_change
        self.mismatches = []
        self.checks = 0

    def bad(self, report, period, mode, group, column, expected, got):
        self.mismatches.append((report, period, mode, group, column, expected, got))

    def run_report(self, period, mode, as_of, label, args):
        rc, out, err = self.cl.run(as_of, "alice", *args)
        if rc != 0:
            self.bad(label, period, mode, "-", "(exit status)", 0, "%d: %s" % (rc, " ".join(err.split())[:120]))
            return None
        try:
            rows = json.loads(out)
        except ValueError:
            self.bad(label, period, mode, "-", "(json)", "a JSON array", out[:80])
            return None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            self.bad(label, period, mode, "-", "(json)", "an array of objects", out[:80])
            return None
        return rows

    def compare_grouped(self, label, period, mode, by, F, T, as_of, computed, rows):
        """Rows of a grouped report: columns, order, the total row, every group and value."""
        cols, expected, total = computed
        header = [by] + (["name"] if by in NAMES else []) + cols + ["from", "to", "as_of"]
        self.checks += 1
        for r in rows[:1]:
            if list(r.keys()) != header:
                self.bad(label, period, mode, "-", "(columns)", ",".join(header), ",".join(r.keys()))
        groups = [r.get(by) for r in rows]
        if not groups or groups[-1] != "total":
            self.bad(label, period, mode, "-", "(total row last)", "total", groups[-1:] or "no rows")
        body = [g for g in groups if g != "total"]
        if body != sorted(body, key=lambda g: str(g).encode()) or len(set(body)) != len(body):
            self.bad(label, period, mode, "-", "(row order)", "sorted by byte order", ",".join(map(str, body)))
        got = {r.get(by): r for r in rows}
        absent = [k for k in cols + ["from", "to", "as_of"] + (["name"] if by in NAMES else [])
                  if rows and all(k not in r for r in rows)]
        for k in absent:
            self.bad(label, period, mode, "(all)", k, "a column", "absent")
        cols = [k for k in cols if k not in absent]
        zero = {k: (None if is_measure(k) else 0) for k in cols}
        for g in sorted(set(expected) | set(got) | {"total"}, key=lambda g: str(g).encode()):
            exp = total if g == "total" else expected.get(g, zero)
            r = got.get(g)
            if r is None:
                # A group with nothing in it may be left out.
                if exp != zero:
                    self.bad(label, period, mode, g, "(row)", "present", "missing")
                continue
            for k in cols:
                self.checks += 1
                if not same_value(exp[k], r.get(k), k):
                    self.bad(label, period, mode, g, k, fmt(exp[k]), fmt(r.get(k, "(absent)")))
            if by in NAMES and "name" not in absent:
                want = "" if g == "total" else NAMES[by].get(g, "")
                if (r.get("name") or "") != want:
                    self.bad(label, period, mode, g, "name", fmt(want), fmt(r.get("name")))
            for k, v in (("from", iso(F)), ("to", iso(T)), ("as_of", iso(as_of))):
                if k not in absent and r.get(k) != v:
                    self.bad(label, period, mode, g, k, v, fmt(r.get(k)))

    def grouped(self, ledger, period, mode, F, T, name, by, computed, extra=(), default=False):
        """One grouped report; with default=True it is run without --by, whose default `by` must be."""
        label = "%s %s%s" % (name, "(default --by %s)" % by if default else "--by " + by,
                              "".join(" " + e for e in extra))
        args = ["report", name] + ([] if default else ["--by", by])
        args += ["--from", iso(F), "--to", iso(T), "--format", "json"] + list(extra)
        rows = self.run_report(period, mode, T, label, args)
        if rows is not None:
            self.compare_grouped(label, period, mode, by, F, T, T, computed, rows)

    def outcomes(self, ledger, period, mode, F, T, program, threshold=None):
        label = "outcomes -i phq9" + (" --program " + program if program else "")
        args = ["report", "outcomes", "-i", "phq9", "--from", iso(F), "--to", iso(T), "--format", "json"]
        if program:
            args += ["--program", program]
        if threshold is not None:
            label += " --threshold %d" % threshold
            args += ["--threshold", str(threshold)]
        rows = self.run_report(period, mode, T, label, args)
        if rows is None:
            return
        cols, expected = report_outcomes(ledger, F, T, "phq9", PHQ9_ITEMS, program, T, self.meaningful_change,
                                         threshold)
        header = cols + ["from", "to", "as_of"]
        for r in rows[:1]:
            if list(r.keys()) != header:
                self.bad(label, period, mode, "-", "(columns)", ",".join(header), ",".join(r.keys()))
        got = {r.get("domain"): r for r in rows}
        absent = [k for k in header if rows and all(k not in r for r in rows)]
        for k in absent:
            self.bad(label, period, mode, "(all)", k, "a column", "absent")
        cols = [k for k in cols if k not in absent]
        if [r.get("domain") for r in rows] != [d for d in PHQ9_ITEMS + ["total"] if d in got]:
            self.bad(label, period, mode, "-", "(row order)", "q1..q9, total", ",".join(map(str, got)))
        for d in PHQ9_ITEMS + ["total"]:
            exp, r = expected.get(d), got.get(d)
            if exp is not None:
                exp = {k: v for k, v in exp.items() if k not in absent}
            if exp is None or r is None:
                if (exp is None) != (r is None):
                    self.bad(label, period, mode, d, "(row)", "present" if exp else "absent",
                             "present" if r else "absent")
                continue
            for k in cols:
                self.checks += 1
                e = exp[k]
                ok = (r.get(k) == e) if isinstance(e, str) else same_value(e, r.get(k), k)
                if not ok:
                    self.bad(label, period, mode, d, k, fmt(e), fmt(r.get(k, "(absent)")))
            for k, v in (("from", iso(F)), ("to", iso(T)), ("as_of", iso(T))):
                if k not in absent and r.get(k) != v:
                    self.bad(label, period, mode, d, k, v, fmt(r.get(k)))

    def check_quarter(self, ledger, period, F, T, mode):
        as_of = T
        for by in ("worker", "program", "risk"):
            self.grouped(ledger, period, mode, F, T, "caseload", by, report_caseload(ledger, F, T, by, as_of))
        for by in ("reason", "program", "worker"):
            self.grouped(ledger, period, mode, F, T, "closures", by, report_closures(ledger, F, T, by, as_of))
        for by in ("worker", "program", "type"):
            self.grouped(ledger, period, mode, F, T, "contacts", by, report_contacts(ledger, F, T, by, as_of))
        for program in [None] + list(PROGRAMS):
            self.outcomes(ledger, period, mode, F, T, program)
        self.outcomes(ledger, period, mode, F, T, None, threshold=3)
        for by in ("program", "worker"):
            self.grouped(ledger, period, mode, F, T, "goals", by, report_goals(ledger, F, T, by, as_of))
        for by in ("kind", "worker"):
            self.grouped(ledger, period, mode, F, T, "compliance", by,
                         report_compliance(ledger, F, T, by, None, as_of))
            for kind in ("review", "contact", "assessment", "referral"):
                self.grouped(ledger, period, mode, F, T, "compliance", by,
                             report_compliance(ledger, F, T, by, kind, as_of), ["--kind", kind])
        for by in ("provider", "program"):
            self.grouped(ledger, period, mode, F, T, "referrals", by, report_referrals(ledger, F, T, by, as_of))
        # Each report's default grouping.
        for name, by, compute in (("caseload", "worker", report_caseload), ("closures", "reason", report_closures),
                                  ("contacts", "worker", report_contacts), ("goals", "program", report_goals),
                                  ("referrals", "provider", report_referrals)):
            self.grouped(ledger, period, mode, F, T, name, by, compute(ledger, F, T, by, as_of), default=True)
        self.grouped(ledger, period, mode, F, T, "compliance", "kind",
                     report_compliance(ledger, F, T, "kind", None, as_of), default=True)

    def check_month(self, ledger, F, T):
        """Compliance of one month, as of its last day: a deadline counts in the period of its due date, so
        the months must agree with the ledger as the quarters do."""
        self.grouped(ledger, F.strftime("%Y-%m"), "replayed", F, T, "compliance", "kind",
                     report_compliance(ledger, F, T, "kind", None, T))

    def check_list(self, ledger, day, mode):
        """`list --today D`: the cases open that day, with the worker/program/risk they had then."""
        label = "list"
        rows = self.run_report(iso(day), mode, day, label, ["list", "--format", "json"])
        if rows is None:
            return
        got = {r.get("id"): r for r in rows}
        expected = {c.id: c for c in ledger.all(day) if c.is_open_at_end_of(day)}
        for cid in sorted(set(got) | set(expected)):
            if cid not in got or cid not in expected:
                self.bad("list", iso(day), mode, cid, "(case)", "open" if cid in expected else "absent",
                         "listed" if cid in got else "absent")
                continue
            for field in ("worker", "program", "risk"):
                self.checks += 1
                want = expected[cid].value_on(field, day)
                if got[cid].get(field) != want:
                    self.bad("list", iso(day), mode, cid, field, fmt(want), fmt(got[cid].get(field)))
            if got[cid].get("status") != "open":
                self.bad("list", iso(day), mode, cid, "status", '"open"', fmt(got[cid].get("status")))


# ----------------------------------------------------------------------------------------------------------------

def print_ledger_summary(ledger):
    """What the simulation recorded, and the deadlines of each quarter by kind (to see that the simulation
    exercises on-time, late and missing items)."""
    cs = list(ledger.cases.values())
    kinds = defaultdict(int)
    for c in cs:
        for n in c.contacts:
            kinds["contact:" + n["type"]] += 1
        for a in c.assessments:
            kinds["assessment:" + a["instrument"]] += 1
        kinds["review"] += len(c.reviews)
        kinds["goal"] += len(c.goals)
        kinds["goal-change"] += sum(len(g["changes"]) for g in c.goals.values())
        kinds["referral"] += len(c.referrals)
        kinds["referral-answer"] += sum(len(r["answers"]) for r in c.referrals.values())
        kinds["assignment-change"] += len(c.assign) - 3
        for _, ev, _ in c.status_events:
            kinds[ev] += 1
    print("ledger: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
    for period, F, T in QUARTERS:
        cols, rows, total = report_compliance(ledger, F, T, "kind", None, T)
        print("ledger: %s deadlines: " % period + "; ".join(
            "%s due %d on time %d late %d missing %d" % (k, r["due"], r["on_time"], r["late"], r["missing"])
            for k, r in sorted(rows.items())))


def summarize(problems, mismatches, limit=40, per_report=3, verbose=False):
    """At most `limit` lines: the problems, then the mismatches, a few per report. A mismatch seen the same
    way in both modes is printed once, with mode `both`."""
    modes = defaultdict(list)
    for report, period, mode, group, column, expected, got in mismatches:
        modes[(report, period, group, column, str(expected), str(got))].append(mode)
    rows = [(k[0], k[1], "both" if len(set(m)) > 1 else m[0]) + k[2:] for k, m in modes.items()]
    lines = list(problems if verbose else problems[:10])
    if len(problems) > 10 and not verbose:
        lines.append("... and %d more failed actions" % (len(problems) - 10))
    if rows:
        form = "%-34s %-6s %-10s %-14s %-20s %-14s %s"
        lines.append(form % ("report", "period", "mode", "group", "column", "expected", "got"))
        shown = defaultdict(int)
        hidden = defaultdict(int)
        for r in rows:
            if verbose or shown[r[0]] < per_report and len(lines) < limit - 2:
                shown[r[0]] += 1
                lines.append(form % tuple(str(x)[:60] for x in r))
            else:
                hidden[r[0]] += 1
        if hidden:
            lines.append("not shown: %d more in %d reports (--verbose shows all)" % (
                sum(hidden.values()), len(hidden)))
        lines.append("%d mismatches in all (%d distinct)" % (len(mismatches), len(rows)))
    return lines


def meaningful_change_of(repo, instrument):
    """Spec: the total row's threshold is the instrument file's `meaningful_change` (PHQ-9 ships with 5)."""
    with open(os.path.join(repo, "instruments", instrument + ".yaml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("meaningful_change:"):
                return int(line.split(":", 1)[1].strip().strip('"'))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("casectl")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", metavar="DIR", help="keep the repository and the ledger (ledger.json) in DIR")
    ap.add_argument("--verbose", action="store_true", help="print every mismatch, and what the ledger holds")
    opts = ap.parse_args()
    binary = os.path.abspath(opts.casectl)
    started = datetime.datetime.now()

    if opts.keep:
        work = os.path.abspath(opts.keep)
        if os.path.exists(os.path.join(work, "repo")):
            shutil.rmtree(os.path.join(work, "repo"))
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="casectl-ledger-")
    repo = os.path.join(work, "repo")
    try:
        cl = Casectl(binary, repo)
        p = subprocess.run([binary, "init", repo, "--agency", "Ledger Agency", "--no-git"], env=cl.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            print("ledger: casectl init failed (%d): %s" % (p.returncode, p.stderr.strip()))
            return 1
        with open(os.path.join(repo, "casectl.yaml"), "w", encoding="utf-8") as f:
            f.write(CONFIG)
        rc, out, err = cl.run(SIM_START, "alice", "check")
        if rc != 0:
            print("ledger: casectl check does not accept the test's casectl.yaml (exit %d):\n%s%s" % (rc, out, err))
            return 1

        notes = []
        meaningful = meaningful_change_of(repo, "phq9")
        if meaningful is None:
            notes.append("instruments/phq9.yaml has no meaningful_change; the spec says PHQ-9 ships with 5")
            meaningful = 5
        checker = Checker(cl, meaningful)
        sim = Simulation(cl, opts.seed, checker)
        try:
            sim.run()
        except CasectlError as e:
            print("ledger: the simulation could not go on: %s" % e)
            return 1
        for period, F, T in QUARTERS:
            checker.check_quarter(sim.ledger, period, F, T, "replayed")
        for day in LIST_DAYS:
            checker.check_list(sim.ledger, day, "replayed")
        for month in range(1, 7):
            F = D(2026, month, 1)
            checker.check_month(sim.ledger, F, (F + days(31)).replace(day=1) - ONE_DAY)

        if opts.keep:
            with open(os.path.join(work, "ledger.json"), "w", encoding="utf-8") as f:
                json.dump([c.to_json() for c in sim.ledger.cases.values()], f, indent=1)

        if opts.verbose:
            print_ledger_summary(sim.ledger)
        elapsed = (datetime.datetime.now() - started).total_seconds()
        stats = "%d cases, %d casectl runs, %d values compared, %.0f s" % (
            len(sim.ledger.cases), cl.calls, checker.checks, elapsed)
        problems = sim.failures + notes
        if not problems and not checker.mismatches:
            print("ledger: OK (seed %d; %s)" % (opts.seed, stats))
            return 0
        print("ledger: FAILED (seed %d; %s)" % (opts.seed, stats))
        for line in summarize(problems, checker.mismatches, verbose=opts.verbose):
            print(line)
        return 1
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
