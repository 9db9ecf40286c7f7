#!/bin/bash
# The long fuzzing campaign: every libFuzzer harness for RUNS executions (1,000,000 unless told), each on a
# scratch copy of its seeds, with ASan, UBSan and leak detection. Prints one line of figures per harness; a
# crash, hang, leak or broken property leaves its input in OUT/<harness>/ and fails the campaign.
#
#   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCASECTL_FUZZ=ON && cmake --build build-fuzz -j2
#   tests/fuzz/campaign.sh [-b build-fuzz] [-r RUNS] [-j PARALLEL] [-o OUT] [HARNESS...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=build-fuzz runs=1000000 jobs=2 out=fuzz-campaign
while getopts b:r:j:o: opt; do
  case $opt in
    b) build=$OPTARG ;;
    r) runs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-b BUILD] [-r RUNS] [-j PARALLEL] [-o OUT] [HARNESS...]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- face_sheet plan contact assessment review referral referral_update instrument config \
  index csv_import date query
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The seed folder of each harness (the `corpus` column of tests/fuzz/loaders.cpp).
seeds_of() {
  case $1 in
    index) echo index ;; csv_import) echo csv ;; date) echo date ;; query) echo query ;; *) echo yaml ;;
  esac
}

run_one() {
  harness=$1
  binary=$build/tests/fuzz/casectl_fuzz_$harness
  [ -x "$binary" ] || { echo "$harness: no $binary (build the fuzz targets first)" >&2; return 1; }
  work=$out/$harness
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp "$here/corpus/$(seeds_of "$harness")"/* "$work/corpus/"
  start=$(date +%s)
  status=0
  "$binary" "$work/corpus" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$work/" >"$work/log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | cut -d' ' -f2)
  kept=$(find "$work/corpus" -type f | wc -l)
  result=ok
  if [ "$status" -ne 0 ] || ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
    result="FAILED (see $work/log)"
  fi
  printf '%-16s %10s execs %7s s %8s/s  cov %6s  corpus %5s  %s\n' "$harness" "${execs:-?}" "$seconds" \
    "${rate:-?}" "${cov:-?}" "$kept" "$result"
  [ "$result" = ok ]
}

failed=0
running=0
for harness in "$@"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_one "$harness" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit $failed
