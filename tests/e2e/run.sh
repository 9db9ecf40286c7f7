#!/usr/bin/env bash
# End-to-end test runner: runs one suite (tests/e2e/suites/NAME.sh) against the real binary.
# Usage: run.sh CASECTL_BINARY SUITE_FILE
# Each suite defines functions named test_*; each runs in a fresh temporary directory with a fixed,
# minimal environment. Helpers below check exit codes, output and the files left behind.
set -u

CASECTL=$(realpath "$1")
SUITE=$(realpath "$2")
SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
export CASECTL SOURCE_DIR

failures=0
passes=0
current=""
out=""  # stdout of the last run
err=""  # stderr of the last run
rc=0    # exit code of the last run

fail() {
  echo "FAIL: $current: $*" >&2
  echo "  --- stdout ---" >&2; printf '%s\n' "$out" | head -20 >&2
  echo "  --- stderr ---" >&2; printf '%s\n' "$err" | head -20 >&2
  failures=$((failures + 1))
  test_failed=1
}

# run ARGS...: runs casectl, capturing stdout, stderr and the exit code.
run() {
  local o e
  o=$(mktemp) e=$(mktemp)
  "$CASECTL" "$@" >"$o" 2>"$e" </dev/null
  rc=$?
  out=$(cat "$o") err=$(cat "$e")
  rm -f "$o" "$e"
}

# run_stdin TEXT ARGS...: like run, with TEXT on standard input.
run_stdin() {
  local text=$1 o e
  shift
  o=$(mktemp) e=$(mktemp)
  printf '%s' "$text" | "$CASECTL" "$@" >"$o" 2>"$e"
  rc=$?
  out=$(cat "$o") err=$(cat "$e")
  rm -f "$o" "$e"
}

# sanitized: whether $CASECTL was built with the sanitizers (CASECTL_SANITIZE), under which every command runs
# several times slower.
sanitized() { grep -q __asan_init "$CASECTL"; }

expect_rc() { [ "$rc" -eq "$1" ] || fail "exit code $rc, expected $1"; }
expect_out() { [[ "$out" == *"$1"* ]] || fail "stdout lacks: $1"; }
expect_out_is() { [ "$out" == "$1" ] || fail "stdout is not exactly: $1"; }
expect_no_out() { [ -z "$out" ] || fail "stdout should be empty"; }
expect_err() { [[ "$err" == *"$1"* ]] || fail "stderr lacks: $1"; }
expect_err_re() { [[ "$err" =~ $1 ]] || fail "stderr does not match: $1"; }
expect_not_in_err() { [[ "$err" != *"$1"* ]] || fail "stderr contains: $1"; }
expect_not_in_out() { [[ "$out" != *"$1"* ]] || fail "stdout contains: $1"; }
# ok ARGS...: a setup step: runs casectl and fails the test unless it succeeds.
ok() {
  run "$@"
  [ "$rc" -eq 0 ] || fail "setup command failed: casectl $*"
}
# expect_jq [JQ-OPTIONS] FILTER: the last stdout is JSON and FILTER holds for it.
expect_jq() { printf '%s' "$out" | jq -e "$@" >/dev/null 2>&1 || fail "JSON does not satisfy: ${*: -1}"; }
expect_file() { [ -f "$1" ] || fail "missing file: $1"; }
expect_no_file() { [ ! -e "$1" ] || fail "file should not exist: $1"; }
expect_same() { cmp -s "$1" "$2" || fail "files differ: $1 $2"; }
expect_mode() {
  local mode
  mode=$(stat -c %a "$1")
  [ "$mode" == "$2" ] || fail "mode of $1 is $mode, expected $2"
}
# snapshot DIR: a fingerprint of every file under DIR (names, modes and contents), to prove nothing changed; not of
# .git, nor of the index in .cache, which any reading command may bring up to date (once the files it summarises
# are 2 s old, so that a slower build, under the sanitizers, does so where a fast one does not).
snapshot() {
  (cd "$1" && find . \( -path ./.git -o -path ./.cache \) -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
    find . \( -path ./.git -o -path ./.cache \) -prune -o -print | sort) 2>/dev/null
}

# new_repo: an initialised repository in ./repo, the working directory for the test.
new_repo() {
  "$CASECTL" init repo --agency "Test Agency" --no-git >/dev/null 2>&1 || { fail "init failed"; return 1; }
  cd repo || return 1
}

# intake NAME ARGS...: opens a case and sets $id.
intake() {
  run intake "$@"
  [ "$rc" -eq 0 ] || { fail "intake failed"; return 1; }
  id=$out
}

# on_a_terminal ARGS...: casectl's stdout on a pseudo-terminal of COLUMNS columns (script(1) from util-linux).
on_a_terminal() {
  out=$(script -qec "$(printf '%q ' "$CASECTL" "$@")" /dev/null | tr -d '\r')
}

# crun ARGS...: like run, but a hang (killed after 10 s) or a crash (abort, segfault, ...) fails the test.
crun() {
  local o e
  o=$(mktemp) e=$(mktemp)
  timeout -k 2 10 "$CASECTL" "$@" >"$o" 2>"$e" </dev/null
  rc=$?
  out=$(tr -d '\0' <"$o") err=$(tr -d '\0' <"$e")
  rm -f "$o" "$e"
  case $rc in
    124 | 137) fail "hung (killed after 10 s): casectl $*" ;;
    132 | 134 | 135 | 136 | 139) fail "crashed with status $rc: casectl $*" ;;
  esac
}

# The binary nobody (uid 65534) runs: $CASECTL, or when nobody cannot reach it (a clone under /root or in a
# mktemp -d folder, both mode 0700) a copy in a folder of mode 755, made once and removed at the end.
NOBODY_CASECTL=$CASECTL
nobody_bin=""
if [ "$(id -u)" -eq 0 ] &&
  ! setpriv --reuid=65534 --regid=65534 --clear-groups env "$CASECTL" --version >/dev/null 2>&1; then
  nobody_bin=$(mktemp -d /tmp/casectl-bin.XXXXXX) && chmod 755 "$nobody_bin" &&
    cp "$CASECTL" "$nobody_bin/casectl" && chmod 755 "$nobody_bin/casectl" && NOBODY_CASECTL=$nobody_bin/casectl
fi
export NOBODY_CASECTL

# as_unprivileged ARGS...: runs casectl as nobody when we are root (root ignores file permissions).
as_unprivileged() {
  if [ "$(id -u)" -eq 0 ]; then
    local o e
    o=$(mktemp) e=$(mktemp)
    chmod 666 "$o" "$e"
    setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent "$NOBODY_CASECTL" "$@" >"$o" 2>"$e" </dev/null
    rc=$?
    out=$(cat "$o") err=$(cat "$e")
    rm -f "$o" "$e"
  else
    run "$@"
  fi
}

# shellcheck source=/dev/null
source "$SUITE"

base=$(mktemp -d)
chmod 755 "$base"
# TESTS=PATTERN runs only the tests whose names match it (grep -E).
for t in $(declare -F | awk '{print $3}' | grep '^test_' | grep -E "${TESTS:-.}"); do
  current=$t
  test_failed=0
  started=$SECONDS
  dir="$base/$t"
  mkdir -p "$dir"
  chmod 777 "$dir"
  (
    cd "$dir" || exit 1
    unset CASECTL_REPO CASECTL_TODAY VISUAL EDITOR NO_COLOR CASECTL_PAGER LESS
    # Every record names who wrote it: alice, of the template's workers, unless a test says otherwise.
    # On a pseudo-terminal (on_a_terminal) long output would go to less, which waits for a key: no pager, unless a
    # test names one.
    export HOME="$dir" LANG=C LC_ALL=C TZ=UTC CASECTL_LOCK_TIMEOUT=1 CASECTL_WORKER=alice PAGER=cat
    "$t"
    exit "$test_failed"
  )
  if [ $? -eq 0 ]; then
    passes=$((passes + 1))
  else
    failures=$((failures + 1))
  fi
  # E2E_TIMES=1 says how long each test took, to find what makes a suite slow.
  [ -z "${E2E_TIMES:-}" ] || echo "$((SECONDS - started)) s $t" >&2
done
chmod -R u+rwX "$base" 2>/dev/null
rm -rf "$base" ${nobody_bin:+"$nobody_bin"}
echo "$(basename "$SUITE" .sh): $passes passed, $failures failed"
[ "$failures" -eq 0 ]
