#!/usr/bin/env python3
"""Time a command like hyperfine does, and take its peak memory as /usr/bin/time -f %M does.

    bench/measure.py [--runs 5] [--warmup 1] [--prepare 'SHELL CMD'] [--ok 0,1] -- COMMAND ARG...

Runs COMMAND (no shell; stdout to /dev/null, stderr kept for errors) `warmup` times unmeasured, then `runs` times,
each run preceded by PREPARE (a shell command, not timed) when given. Wall time is measured around
posix_spawn..wait4 of the command itself. The warm-up runs go through `/usr/bin/time -f %M`, whose figure (peak
resident set size in KB) is the memory reported: taken in this process, wait4's ru_maxrss would include the
Python parent's own memory, which a spawned child inherits until it execs. Prints one line of JSON: median,
mean, min and max in seconds, max_rss_kb of the warm-up runs, and every time. With --slow-limit, a command
whose warm-up takes longer than that gets only --slow-runs timed runs (the whole benchmark would otherwise take
hours at full size); the number of runs is in the output. Exits 1, showing the command's
stderr, when a run exits with a status not in --ok.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TIME = "/usr/bin/time"  # GNU time


def run_once(path, argv, err_path):
    """One run: (seconds, exit status)."""
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    start = time.perf_counter()
    pid = os.posix_spawn(path, argv, os.environ, file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1, help="at least 1: the warm-up runs give the peak memory")
    ap.add_argument("--slow-limit", type=float, default=0,
                    help="when a warm-up run takes longer than this many seconds, do only --slow-runs runs")
    ap.add_argument("--slow-runs", type=int, default=2)
    ap.add_argument("--prepare", help="shell command run before every run (warm-ups included), not timed")
    ap.add_argument("--ok", default="0", help="exit statuses that count as success, comma-separated")
    ap.add_argument("--key", help="name of the measurement, added to the JSON")
    ap.add_argument("--out", help="append the JSON line to this file instead of printing it")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    argv = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not argv:
        ap.error("no command")
    path = shutil.which(argv[0])
    if path is None:
        sys.exit(f"measure.py: {argv[0]}: not found")
    ok = {int(s) for s in args.ok.split(",")}

    times, peak = [], 0
    with tempfile.NamedTemporaryFile(prefix="measure-", suffix=".err") as err, \
            tempfile.NamedTemporaryFile(prefix="measure-", suffix=".rss") as rss:
        runs, i = args.runs, 0
        while i < max(args.warmup, 1) + runs:
            if args.prepare:
                subprocess.run(args.prepare, shell=True, check=True)
            warmup = i < max(args.warmup, 1)
            if warmup:
                elapsed, status = run_once(TIME, [TIME, "-f", "%M", "-o", rss.name, path] + argv[1:], err.name)
            else:
                elapsed, status = run_once(path, argv, err.name)
            if status not in ok:
                with open(err.name, encoding="utf-8", errors="replace") as f:
                    sys.stderr.write(f.read()[-2000:])
                sys.exit(f"measure.py: {' '.join(argv)}: exit status {status}")
            if warmup:
                with open(rss.name, encoding="utf-8") as f:
                    peak = max(peak, int(f.read().split()[-1]))
                if args.slow_limit and elapsed > args.slow_limit:
                    runs = min(runs, args.slow_runs)
            else:
                times.append(elapsed)
            i += 1
    result = {"key": args.key} if args.key else {}
    result.update({"median": statistics.median(times), "mean": statistics.fmean(times), "min": min(times),
                   "max": max(times), "max_rss_kb": peak, "runs": len(times), "times": times})
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")
    else:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
