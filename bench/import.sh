#!/usr/bin/env bash
# The import benchmark (issue 11, item 10): a dry run and a real import of generated spreadsheets, at two sizes, in
# two shapes, into an empty repository; prints seconds, peak MB, us per row, the larger size's cost per row over the
# smaller's (1.0: linear), and a real import's time over the import floor's (import_floor.cpp). See bench/README.md.
#
#   bench/import.sh [--rows N] [--casectl PATH]
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
rows=100000
casectl_src=$root/build/casectl
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --casectl) casectl_src=$2; shift 2 ;;
    *) sed -n '6p' "$0" | sed 's/^# //' >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$casectl_src" "$work/casectl"

# generate SHAPE N: "names" draws first and two last names from 50 each (many alike, as in a real agency);
# "numbered" is "Client 000001"..., every name within 2 edits of hundreds of others (the hostile case).
generate() {
  python3 - "$1" "$2" <<'EOF'
import random, sys
shape, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
first = ("maria jose ana juan luis carmen rosa pedro elena jorge laura david sofia miguel lucia carlos marta pablo "
         "irene diego sara javier paula alberto nuria ivan andrea raul clara omar fatima amina yusuf li wei chen "
         "mohammed aisha james mary john patricia robert jennifer michael linda william elizabeth").split()
last = ("garcia rodriguez martinez lopez gonzalez perez sanchez ramirez torres flores rivera gomez diaz cruz morales "
        "reyes gutierrez ortiz chavez ramos smith johnson williams brown jones miller davis wilson anderson taylor "
        "thomas moore jackson martin lee thompson white harris clark lewis robinson walker young allen king wright "
        "scott nguyen kim patel").split()
print("name,dob,program,worker,phone")
for i in range(n):
    if shape == "numbered":
        name = f"Client {i:06d}"
    else:
        name = f"{random.choice(first).title()} {random.choice(last).title()}-{random.choice(last).title()}"
    print(f"{name},{random.randint(1940, 2010)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d},"
          f"housing,alice,555-{random.randint(0, 9999999):07d}")
EOF
}

# empty_repository: a new empty repository at $work/repo. The earlier ones are kept until the end: ext4 without a
# journal scans past inodes freed in the last 60 to 300 s when it makes a file, so deleting 200,000 files between
# runs would slow the next one down (by 2.5 times, measured) for reasons of its own.
repositories=0
empty_repository() {
  repositories=$((repositories + 1))
  [ -e "$work/repo" ] && mv "$work/repo" "$work/old-$repositories"
  mkdir -p "$work/repo/cases"
  cp -r "$root/examples/agency/casectl.yaml" "$root/examples/agency/instruments" "$work/repo/"
}

# measure LABEL ARGS...: runs casectl ARGS in the repository; prints "seconds peak_kb".
measure() {
  (cd "$work/repo" && /usr/bin/time -f '%e %M' -o "$work/time" "$work/casectl" "$@" >/dev/null 2>"$work/err") ||
    { cat "$work/err" >&2; exit 1; }
  cat "$work/time"
}

# floor N: the import floor (import_floor.cpp: only the system calls that making N cases visible needs) in an
# empty repository; prints "seconds peak_kb".
floor() {
  empty_repository
  /usr/bin/time -f '%e %M' -o "$work/time" "$work/import_floor" "$work/repo" "$1" >/dev/null
  cat "$work/time"
}

g++ -O2 -std=c++17 -o "$work/import_floor" "$bench/import_floor.cpp"
small=$((rows / 10))
declare -A floor_seconds
printf '%-9s %-8s %8s %9s %9s %9s %13s %8s\n' shape command rows seconds "peak MB" "us/row" "per-row ratio" "x floor"
for n in "$small" "$rows"; do
  read -r seconds kb < <(floor "$n")
  floor_seconds[$n]=$seconds
  printf '%-9s %-8s %8d %9.2f %9d %9s %13s %8s\n' - floor "$n" "$seconds" $((kb / 1024)) \
    "$(python3 -c "print(f'{$seconds * 1e6 / $n:.1f}')")" "" 1.00
done
for shape in names numbered; do
  for n in "$small" "$rows"; do
    generate "$shape" "$n" >"$work/$shape-$n.csv"
  done
  for command in dry-run import; do
    small_per_row=""
    for n in "$small" "$rows"; do
      empty_repository
      args=(import "$work/$shape-$n.csv")
      [ "$command" = dry-run ] && args=(import --dry-run "$work/$shape-$n.csv")
      read -r seconds kb < <(measure "${args[@]}")
      per_row=$(python3 -c "print(f'{$seconds * 1e6 / $n:.1f}')")
      ratio=""
      if [ -n "$small_per_row" ]; then
        ratio=$(python3 -c "print(f'{$per_row / $small_per_row:.2f}')")
      fi
      small_per_row=$per_row
      times_floor=""
      [ "$command" = import ] && times_floor=$(python3 -c "print(f'{$seconds / ${floor_seconds[$n]}:.2f}')")
      printf '%-9s %-8s %8d %9.2f %9d %9s %13s %8s\n' "$shape" "$command" "$n" "$seconds" $((kb / 1024)) "$per_row" \
        "$ratio" "$times_floor"
    done
  done
done
