#!/usr/bin/env python3
"""The overdue report a capable user would write instead of casectl: Python and PyYAML's C loader.

    bench/baseline_overdue.py REPO --today YYYY-MM-DD            one line "CASE KIND" per overdue item
    bench/baseline_overdue.py REPO --today YYYY-MM-DD --due      also what falls due within due_soon
    bench/baseline_overdue.py REPO --today YYYY-MM-DD --list     the open cases, "CASE NAME" (face sheets only)

It reads every face sheet, and every record of every open case, with yaml.load(f, Loader=yaml.CSafeLoader), and
applies the agency's default rules from casectl.yaml per episode (counting again from a reopening):

    review      first review `first` after the episode started, then `every` after the latest review
    assessment  first assessment within `first` of the start, then `every` after the latest one (any instrument)
    contact     a contact with the client (not an attempt, collateral contact or addendum) at least `every`
    referral    a referral with no answer (or only no-response) by its follow-up date (or date + follow_up)

and, because casectl's report has them too, goals still active at their target date and contact follow-ups that
no later contact with the client answered. Consent expiries and safety flags are not modelled (the benchmark's
repository has neither), nor are per-program or per-risk rule overrides (its casectl.yaml has none). Anything
dated after --today is left out, as casectl does.
"""

import argparse
import calendar
import datetime
import os
import sys

import yaml

RECORD_FOLDERS = ("contacts", "assessments", "reviews", "referrals")
CLOSES_LOOP = ("accepted", "declined", "completed")


def load(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


def day(text):
    return datetime.date.fromisoformat(text)


def after(interval, start):
    """start + an interval written 30d, 6w, 3m or 1y (months clamp to the end of a shorter month)."""
    count, unit = int(interval[:-1]), interval[-1]
    if unit == "d":
        return start + datetime.timedelta(days=count)
    if unit == "w":
        return start + datetime.timedelta(weeks=count)
    months = count * (12 if unit == "y" else 1)
    y, m = divmod(start.month - 1 + months, 12)
    y += start.year
    return datetime.date(y, m + 1, min(start.day, calendar.monthrange(y, m + 1)[1]))


def status_as_of(face, today):
    """Open or closed on `today`, and the day the current episode started (the latest opening or reopening)."""
    is_open, start = True, day(face["opened"])
    for event in face.get("history") or []:
        when = day(event["date"])
        if when > today:
            continue
        if event["event"] == "closed":
            is_open = False
        elif event["event"] == "reopened":
            is_open, start = True, max(start, when)
    return is_open, start


def load_records(folder, today):
    """Every record of one case dated up to `today`, sorted into the four kinds."""
    contacts, assessments, reviews, referrals, updates = [], [], [], [], []
    for sub in RECORD_FOLDERS:
        path = os.path.join(folder, sub)
        try:
            names = sorted(os.listdir(path))
        except FileNotFoundError:
            continue
        for name in names:
            if not name.endswith(".yaml") or name.startswith("."):
                continue
            r = load(os.path.join(path, name))
            kind = r["kind"]
            if kind == "contact":
                at = r["at"]
                if day(at[:10]) <= today:
                    contacts.append((day(at[:10]), at[11:16], r))
            elif day(r["date"]) > today:
                continue
            elif kind == "assessment":
                assessments.append(day(r["date"]))
            elif kind == "review":
                reviews.append(day(r["date"]))
            elif kind == "referral":
                referrals.append(r)
            elif kind == "referral-update":
                updates.append(r)
    contacts.sort(key=lambda c: (c[0], c[1]))
    updates.sort(key=lambda u: (u["date"], u.get("sequence", 0)))
    return contacts, assessments, reviews, referrals, updates


def counts_as_contact(contact):
    return contact.get("type", "phone") not in ("attempt", "collateral", "addendum") and "amends" not in contact


def due_items(folder, face, rules, today):
    """(kind, due date) of everything due for one open case: the rules above, for the current episode."""
    _, start = status_as_of(face, today)
    contacts, assessments, reviews, referrals, updates = load_records(folder, today)
    items = []

    review = rules.get("review", {})
    if face.get("review_on"):
        items.append(("review", day(face["review_on"])))
    else:
        episode_reviews = [d for d in reviews if d >= start]
        if episode_reviews and "every" in review:
            items.append(("review", after(review["every"], max(episode_reviews))))
        elif not episode_reviews and (review.get("first") or review.get("every")):
            items.append(("review", after(review.get("first") or review["every"], start)))

    assessment = rules.get("assessment", {})
    episode_assessments = [d for d in assessments if d >= start]
    if not episode_assessments and "first" in assessment:
        items.append(("assessment", after(assessment["first"], start)))
    if episode_assessments and "every" in assessment:
        items.append(("assessment", after(assessment["every"], max(episode_assessments))))

    counting = [c for c in contacts if c[0] >= start and counts_as_contact(c[2])]
    last = counting[-1] if counting else None
    if "every" in rules.get("contact", {}):
        items.append(("contact", after(rules["contact"]["every"], last[0] if last else start)))

    for c in contacts:  # a follow-up is answered by a later contact with the client
        if c[0] >= start and "follow_up" in c[2] and not (last and (last[0], last[1]) > (c[0], c[1])):
            items.append(("follow-up", day(c[2]["follow_up"])))

    plan_path = os.path.join(folder, "plan.yaml")
    if os.path.exists(plan_path):
        for goal in load(plan_path).get("goals") or []:
            if goal.get("status", "active") == "active" and goal.get("target"):
                items.append(("goal", day(goal["target"])))

    for referral in referrals:
        status, follow_up = "sent", referral.get("follow_up")
        for u in updates:
            if u["referral"] == referral["id"]:
                status = u["status"]
                follow_up = u.get("follow_up", follow_up)
        if status in CLOSES_LOOP:
            continue
        if follow_up:
            items.append(("referral", day(follow_up)))
        elif "follow_up" in rules.get("referral", {}):
            items.append(("referral", after(rules["referral"]["follow_up"], day(referral["date"]))))
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--today", required=True)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--due", action="store_true", help="overdue and due soon (casectl due)")
    mode.add_argument("--list", action="store_true", help="the open cases (casectl list)")
    args = ap.parse_args()
    today = day(args.today)
    config = load(os.path.join(args.repo, "casectl.yaml"))
    rules = config.get("rules") or {}
    horizon = after(config.get("due_soon", "0d"), today) if args.due else today - datetime.timedelta(days=1)

    cases = os.path.join(args.repo, "cases")
    out = []
    for case_id in sorted(os.listdir(cases)):
        if case_id.startswith("."):
            continue
        folder = os.path.join(cases, case_id)
        face = load(os.path.join(folder, "case.yaml"))
        if not status_as_of(face, today)[0]:
            continue
        if args.list:
            out.append(f"{case_id} {face['client']['name']}\n")
            continue
        for kind, due in due_items(folder, face, rules, today):
            if due <= horizon:
                out.append(f"{case_id} {kind}\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
