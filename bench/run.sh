#!/usr/bin/env bash
# casectl's performance benchmark (issue 10): generate a reference repository, check that casectl and the Python
# baseline agree, time every command and print one table judging the targets. See bench/README.md.
#
#   bench/run.sh [--cases N] [--closed-share F] [--runs R] [--keep DIR] [--seed S] [--today D]
#                [--casectl PATH] [--slow-limit SECONDS]
#
# The self-test: bench/run.sh --cases 400 --closed-share 0.9 --runs 3 (under 2 minutes).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cases=20000
closed_share=0.9
runs=5
keep=""
seed=1
today=2026-12-01
casectl_src=$root/build/casectl
slow_limit=20   # a command whose warm-up run takes longer gets 2 timed runs, not --runs (see README)
python=${PYTHON:-python3}

usage() { sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case $1 in
    --cases) cases=$2; shift 2 ;;
    --closed-share) closed_share=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --today) today=$2; shift 2 ;;
    --casectl) casectl_src=$2; shift 2 ;;
    --slow-limit) slow_limit=$2; shift 2 ;;
    *) usage ;;
  esac
done

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/casectl-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
repo=$work/repo
one=$work/one
x2=$work/repo-x2
x4=$work/repo-x4
results=$work/results.jsonl
: >"$results"
started=$SECONDS

say() { printf '%s\n' "$*" >&2; }

# The binary is rebuilt under us: time a copy of it. The stat floor is built here, with no project library.
cp "$casectl_src" "$work/casectl"
casectl=$work/casectl
g++ -O2 -std=c++17 -o "$work/stat_floor" "$bench/stat_floor.cpp"

# measure KEY [measure.py options] -- COMMAND...: time COMMAND, append the result to results.jsonl.
measure() {
  local key=$1
  shift
  say "  $key"
  "$python" "$bench/measure.py" --key "$key" --out "$results" --runs "$runs" --warmup 1 \
    --slow-limit "$slow_limit" "$@"
}

# cl REPO ARGS...: casectl on REPO as of the benchmark's day.
cl() { local r=$1; shift; "$casectl" -C "$r" --today "$today" "$@"; }

# generate DIR COPIES: the reference repository (appending closed copies when DIR already holds fewer).
generate() {
  "$python" "$bench/generate.py" --cases "$cases" --closed-share "$closed_share" --seed "$seed" \
    --today "$today" --copies "$2" --casectl "$casectl" "$1"
}

# agree DIR: stop unless casectl and the baseline find the same (case, kind) pairs overdue, and due, and the
# same open cases.
agree() {
  local dir=$1 what mode
  for what in overdue due list; do
    mode=()
    [[ $what != overdue ]] && mode=("--$what")
    case $what in
      overdue) cl "$dir" report overdue --format json ;;
      due) cl "$dir" due --format json ;;
      list) cl "$dir" list --format json ;;
    esac | "$python" -c '
import json, sys
for item in json.loads(sys.stdin.read() or "[]"):
    print(item["id"] if sys.argv[1] == "list" else item["case"] + " " + item["kind"])
' "$what" | sort -u >"$work/casectl-$what.txt"
    "$python" "$bench/baseline_overdue.py" "$dir" --today "$today" "${mode[@]}" \
      | cut -d' ' -f"$([[ $what == list ]] && echo 1 || echo 1,2)" | sort -u >"$work/baseline-$what.txt"
    if ! cmp -s "$work/casectl-$what.txt" "$work/baseline-$what.txt"; then
      say "run.sh: casectl and the baseline disagree on '$what' in $dir:"
      diff "$work/casectl-$what.txt" "$work/baseline-$what.txt" | head -20 >&2
      exit 1
    fi
    say "  $what: casectl and the baseline agree ($(wc -l <"$work/casectl-$what.txt") lines)"
  done
}

# The cache or index casectl may keep: deleted before every "cold" run.
cold="rm -rf $(printf '%q' "$repo")/.cache"

# ---- the reference repository -----------------------------------------------------------------------------
say "run.sh: generating $cases cases in $repo"
t0=$SECONDS
if [[ ! -e $repo ]]; then
  generate "$repo" 1
fi
gen_time=$((SECONDS - t0))
open_cases=$repo.meta/open-cases.txt
target=$(awk '$1 == "case" { print $2 }' "$repo.meta/targets.txt")
name=$(awk '$1 == "name" { $1 = ""; print substr($0, 2) }' "$repo.meta/targets.txt")
worker=$(awk '$1 == "worker" { print $2 }' "$repo.meta/targets.txt")
files=$(awk '$1 == "files" { print $2 }' "$repo.meta/params.txt")
if ((cases <= 5000)); then
  say "run.sh: casectl check on the generated repository"
  cl "$repo" check >&2
fi
say "run.sh: comparing casectl with the baseline"
agree "$repo"

{
  echo "casectl benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
  echo "casectl: commit $(git -C "$root" rev-parse --short=12 HEAD)$(git -C "$root" diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null || echo ' (src/ had uncommitted changes)'), binary $casectl_src of $(date -u -r "$casectl_src" '+%Y-%m-%d %H:%M UTC')"
  echo "repository: $cases cases ($(wc -l <"$open_cases") open, closed share $closed_share), $files files, seed $seed, as of $today; generated in ${gen_time} s"
  echo "each row: median of the timed runs (RUNS) after 1 warm-up run; peak memory of the warm-up (/usr/bin/time %M)"
} >"$work/header.txt"

year_ago=$("$python" -c "import datetime, sys; print(datetime.date.fromisoformat(sys.argv[1]) - datetime.timedelta(days=364))" "$today")
scores=()
for i in 1 2 3 4 5 6 7 8 9; do scores+=(--score "q$i=$((i % 3 == 0 ? 1 : 0))"); done

say "run.sh: reference repository"
measure floor -- "$work/stat_floor" "$repo" "$open_cases"
measure overdue.cold --prepare "$cold" -- "$casectl" -C "$repo" --today "$today" report overdue
measure overdue.warm -- "$casectl" -C "$repo" --today "$today" report overdue
measure baseline.overdue -- "$python" "$bench/baseline_overdue.py" "$repo" --today "$today"
measure due.warm -- "$casectl" -C "$repo" --today "$today" due
measure baseline.due -- "$python" "$bench/baseline_overdue.py" "$repo" --today "$today" --due
measure list.warm -- "$casectl" -C "$repo" --today "$today" list
measure baseline.list -- "$python" "$bench/baseline_overdue.py" "$repo" --today "$today" --list

# One-case commands, on the reference repository and on a repository that holds only that case.
rm -rf "$one"
"$casectl" init "$one" --agency Bench --no-git -q
cp "$repo/casectl.yaml" "$one/casectl.yaml"
cp -a "$repo/cases/$target" "$one/cases/"
# log and assess write to the case (the scores raise a safety flag): it is put back afterwards, so that a kept
# repository still agrees with the baseline, which knows nothing of safety flags, the next time.
rm -rf "$work/target-before"
cp -a "$repo/cases/$target" "$work/target-before"
for r in one ref; do
  dir=$repo prefix=""
  [[ $r == one ]] && dir=$one prefix=one.
  measure "${prefix}show.id" -- "$casectl" -C "$dir" --today "$today" show "$target"
  measure "${prefix}show.name" -- "$casectl" -C "$dir" --today "$today" show "$name"
  measure "${prefix}log" -- "$casectl" -C "$dir" --today "$today" log "$target" -m x --worker "$worker"
  measure "${prefix}assess" -- "$casectl" -C "$dir" --today "$today" assess "$target" -i phq9 "${scores[@]}" \
    --worker "$worker"
done
rm -rf "${repo:?}/cases/$target"
mv "$work/target-before" "$repo/cases/$target"

# The closed history doubled and four times: hard-linked copies of the reference repository, closed copies
# appended (the lock file is not shared).
for k in 2 4; do
  dir=$x2 from=$repo
  [[ $k == 4 ]] && dir=$x4 from=$x2
  if [[ ! -e $dir ]]; then
    say "run.sh: closed history x$k in $dir"
    cp -al "$from" "$dir"
    rm -rf "$dir/.casectl.lock" "$dir/.cache"   # neither the lock nor the index is shared
    cp -r "$from.meta" "$dir.meta"
    generate "$dir" "$k"
  fi
  measure "x$k.floor" -- "$work/stat_floor" "$dir" "$dir.meta/open-cases.txt"
  measure "x$k.overdue" -- "$casectl" -C "$dir" --today "$today" report overdue
done

say "run.sh: 50 open cases changed before every run"
change="$(printf '%q ' "$python" "$bench/change_cases.py" "$repo" --count 50 --today "$today")"
measure changed.overdue --prepare "$change" -- "$casectl" -C "$repo" --today "$today" report overdue
measure changed.due --prepare "$change" -- "$casectl" -C "$repo" --today "$today" due
measure changed.list --prepare "$change" -- "$casectl" -C "$repo" --today "$today" list

say "run.sh: whole-repository commands"
measure check -- "$casectl" -C "$repo" --today "$today" check
measure contacts -- "$casectl" -C "$repo" --today "$today" report contacts --from "$year_ago" --to "$today"
measure outcomes -- "$casectl" -C "$repo" --today "$today" report outcomes -i phq9
measure export -- "$casectl" -C "$repo" --today "$today" export --deidentify --format csv
say "run.sh: SQL (casectl-sql(7))"
measure export.json -- "$casectl" -C "$repo" --today "$today" export --format json
measure export.sqlite -- "$casectl" -C "$repo" --today "$today" export --format sqlite --force -o "$work/export.db"
measure sql.aggregate -- "$casectl" -C "$repo" --today "$today" sql "SELECT program, count(*) FROM cases GROUP BY program"
rm -f "$work/export.db"

echo "total benchmark time: $((SECONDS - started)) s" >>"$work/header.txt"
cat "$work/header.txt"
echo
"$python" "$bench/table.py" "$results"
