#!/usr/bin/env python3
"""Print the benchmark's one table from the measurements run.sh collected, judging each target of issue 10.

    bench/table.py RESULTS.jsonl

RESULTS.jsonl holds one line of bench/measure.py output per measurement, each with its "key". Rows whose
measurement is missing (a run that has not got there yet) are left out, so the table of an unfinished run can be
printed too. The targets, and what each row is compared with, are in ROWS below.
"""

import json
import sys

MEMORY_LIMIT_MB = 64
ONE_CASE_LIMIT_S = 0.020

# Groups of rows: (heading, [(key, label, casectl?, target)]). A target is (kind, reference, limit):
#   faster     the reference (a key, or a constant in seconds) divided by this median is at least `limit`;
#   faster+floor  the same, and at most `limit2` times the stat floor of the group;
#   times      this median divided by the reference's is at most `limit`;
#   times+abs  the same, and the median is under ONE_CASE_LIMIT_S;
#   adds       this median over the reference's, minus 1, is under `limit`;
#   under      this median is under `limit` seconds (the reference is None);
#   times+under  this median divided by the reference's is at most `limit`, and under `limit2` seconds.
ROWS = [
    ("reference repository", [
        ("overdue.cold", "report overdue, cold (no index)", True, ("faster", "baseline.overdue", 2)),
        ("overdue.warm", "report overdue, warm", True, ("faster+floor", "baseline.overdue", 20, 1.5)),
        ("due.warm", "due, warm", True, ("faster+floor", "baseline.due", 20, 1.5)),
        ("list.warm", "list, warm", True, ("faster+floor", "baseline.list", 20, 1.5)),
        ("baseline.overdue", "Python baseline: overdue", False, None),
        ("baseline.due", "Python baseline: due (--due)", False, None),
        ("baseline.list", "Python baseline: list (--list)", False, None),
        ("floor", "stat floor", False, None),
        ("show.id", "show ID", True, ("times+abs", "one.show.id", 1.5)),
        ("show.name", "show NAME-PART", True, ("times+abs", "one.show.name", 1.5)),
        ("log", "log ID -m x --worker W", True, ("times+abs", "one.log", 1.5)),
        ("assess", "assess ID -i phq9 --score ...", True, ("times+abs", "one.assess", 1.5)),
        ("check", "check, warm", True, ("faster", 102.0, 20)),
        ("contacts", "report contacts, one year, warm", True, ("faster", 56.0, 20)),
        ("outcomes", "report outcomes -i phq9, warm", True, ("faster", 56.0, 20)),
        ("export", "export --deidentify --format csv, warm", True, ("faster", 55.0, 20)),
        ("export.json", "export --format json (reads every file)", True, None),
        ("export.sqlite", "export --format sqlite, warm", True, ("times+under", "export.json", 2, 10.0)),
        ("sql.aggregate", "sql: one-table aggregate, warm", True, ("under", None, 0.200)),
    ]),
    ("one-case repository (only the case the one-case commands use)", [
        ("one.show.id", "show ID", True, ("mem",)),
        ("one.show.name", "show NAME-PART", True, ("mem",)),
        ("one.log", "log ID -m x --worker W", True, ("mem",)),
        ("one.assess", "assess ID -i phq9 --score ...", True, ("mem",)),
    ]),
    ("after 50 open cases changed (a new contact note in each, before every run)", [
        ("changed.overdue", "report overdue", True, ("times", "overdue.warm", 2)),
        ("changed.due", "due", True, ("times", "due.warm", 2)),
        ("changed.list", "list", True, ("times", "list.warm", 2)),
    ]),
    ("closed history doubled (--copies 2)", [
        ("x2.overdue", "report overdue, warm", True, ("adds", "overdue.warm", 0.10)),
        ("x2.floor", "stat floor", False, None),
    ]),
    ("closed history four times (--copies 4)", [
        ("x4.overdue", "report overdue, warm", True, ("adds", "overdue.warm", 0.25)),
        ("x4.floor", "stat floor", False, None),
    ]),
]

# The stat floor each row is set beside: that of the repository it ran on (none for the one-case repository).
FLOOR_OF = {"x2.overdue": "x2.floor", "x4.overdue": "x4.floor", "one.show.id": None, "one.show.name": None,
            "one.log": None, "one.assess": None}
CONSTANT_NAMES = {102.0: "main: 102 s", 56.0: "main: 56 s", 55.0: "main: 55 s"}


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def judge(key, target, r, results):
    """(reference text, ratio text, target text, PASS/FAIL/'') for one row."""
    med = r["median"]
    mem_ok = r["max_rss_kb"] / 1024 <= MEMORY_LIMIT_MB
    mem_note = "" if mem_ok else f" (memory over {MEMORY_LIMIT_MB} MB)"
    kind, ref = target[0], target[1] if len(target) > 1 else None
    if kind == "mem":
        return "", "", f"<= {MEMORY_LIMIT_MB} MB", ("PASS" if mem_ok else "FAIL") + mem_note
    if kind == "under":
        ok = med < target[2]
        goal = f"< {fmt_time(target[2])}, <= {MEMORY_LIMIT_MB} MB"
        return "", "", goal, ("PASS" if ok and mem_ok else "FAIL") + mem_note
    if isinstance(ref, float):
        ref_s, ref_text = ref, CONSTANT_NAMES[ref]
    elif ref in results:
        ref_s, ref_text = results[ref]["median"], f"{ref} {fmt_time(results[ref]['median'])}"
    else:
        return f"{ref} (not measured)", "", "", ""
    if kind in ("faster", "faster+floor"):
        ratio = ref_s / med
        ok = ratio >= target[2]
        text = f"{ratio:.1f}x faster"
        goal = f">= {target[2]}x faster"
        if kind == "faster+floor":
            floor = results.get(FLOOR_OF.get(key, "floor"))
            ok = ok and floor is not None and med / floor["median"] <= target[3]
            goal += f", <= {target[3]}x floor"
    elif kind in ("times", "times+abs", "times+under"):
        ratio = med / ref_s
        ok = ratio <= target[2]
        text = f"{ratio:.2f}x"
        goal = f"<= {target[2]}x"
        if kind == "times+abs":
            ok = ok and med < ONE_CASE_LIMIT_S
            goal += f", < {ONE_CASE_LIMIT_S * 1000:.0f} ms"
        if kind == "times+under":
            ok = ok and med < target[3]
            goal += f", < {fmt_time(target[3])}"
    else:  # adds
        ratio = med / ref_s - 1
        ok = ratio < target[2]
        text = f"{ratio * 100:+.0f}%"
        goal = f"< +{target[2] * 100:.0f}%"
    goal += f", <= {MEMORY_LIMIT_MB} MB"
    return ref_text, text, goal, ("PASS" if ok and mem_ok else "FAIL") + mem_note


def main():
    results = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                results[r["key"]] = r  # a later measurement of the same key replaces an earlier one
    header = ["COMMAND", "RUNS", "MEDIAN", "PEAK MB", "x FLOOR", "COMPARED WITH", "RATIO", "TARGET", "RESULT"]
    lines = []
    for heading, rows in ROWS:
        body = []
        for key, label, _, target in rows:
            r = results.get(key)
            if r is None:
                continue
            floor = results.get(FLOOR_OF.get(key, "floor") or "")
            x_floor = f"{r['median'] / floor['median']:.1f}" if floor and not key.endswith("floor") else ""
            ref, ratio, goal, verdict = judge(key, target, r, results) if target else ("", "", "", "")
            body.append([label, str(r["runs"]), fmt_time(r["median"]), f"{r['max_rss_kb'] / 1024:.1f}", x_floor,
                         ref, ratio, goal, verdict])
        if body:
            lines.append([f"== {heading}"])
            lines.extend(body)
    widths = [max(len(row[i]) for row in [header] + [l for l in lines if len(l) > 1]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for row in lines:
        if len(row) == 1:
            print(row[0])
        else:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
