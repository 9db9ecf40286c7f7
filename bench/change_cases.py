#!/usr/bin/env python3
"""Change N open cases of a generated repository, as a day's work by the caseworkers would.

    bench/change_cases.py REPO --count 50 --today YYYY-MM-DD

Adds one contact note, dated --today, to each of N open cases (taken from REPO.meta/open-cases.txt, which
bench/generate.py wrote), in the format casectl writes. Each call picks a different set of cases and fresh record
IDs (a counter in REPO.meta/change-round advances), so a benchmark can call it before every run and always time
the first command after a change. Written directly, like git pull would bring them in, not through casectl.
"""

import argparse
import os
import random

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--today", required=True)
    ap.add_argument("--worker", default="alice")
    args = ap.parse_args()
    repo = os.path.abspath(args.repo)
    meta = repo + ".meta"
    os.umask(0o077)

    counter = os.path.join(meta, "change-round")
    try:
        with open(counter, encoding="utf-8") as f:
            round_no = int(f.read()) + 1
    except FileNotFoundError:
        round_no = 1
    with open(counter, "w", encoding="utf-8") as f:
        f.write(f"{round_no}\n")

    with open(os.path.join(meta, "open-cases.txt"), encoding="utf-8") as f:
        open_cases = f.read().split()
    rng = random.Random(f"change/{round_no}")
    for case_id in rng.sample(open_cases, min(args.count, len(open_cases))):
        folder = os.path.join(repo, "cases", case_id, "contacts")
        taken = {name[11:15] for name in os.listdir(folder)}
        while True:
            rid = "".join(rng.choice(BASE32) for _ in range(4))
            if rid not in taken:
                break
        text = (f'schema: 1\nkind: "contact"\nid: "{rid}"\ncase: "{case_id}"\n'
                f'at: "{args.today}T{8 + round_no % 10:02d}:{round_no % 60:02d}+00:00"\ntype: "phone"\n'
                f'minutes: 15\nworker: "{args.worker}"\nnote: |\n'
                "  Checked in by phone; no change in the plan. Client will call if anything comes up.\n")
        fd = os.open(os.path.join(folder, f"{args.today}-{rid}.yaml"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, text.encode("utf-8"))
        os.close(fd)


if __name__ == "__main__":
    main()
