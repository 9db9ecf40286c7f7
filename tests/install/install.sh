#!/usr/bin/env bash
# The install: `cmake --install` into a temporary prefix, then checks that what it put there works (the binary,
# the man pages, the completions for bash, zsh and fish, the example agency) and that nothing casectl writes for
# itself beside the case files (the index, the lock, a journal or key) was installed with the examples.
# Usage: install.sh BUILD_DIR SOURCE_DIR   (CMAKE in the environment names cmake; ctest runs it as `install`)
set -euo pipefail

build=$(realpath "$1")
source_dir=$(realpath "$2")
cmake=${CMAKE:-cmake}
staging=$(mktemp -d)
# The examples are made read-only below: give the write permission back, or rm cannot empty their folders.
trap 'chmod -R u+w "$staging" || true; rm -rf "$staging"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

"$cmake" --install "$build" --prefix "$staging" >/dev/null

casectl=$staging/bin/casectl
docdir=$staging/share/doc/casectl
examples=$docdir/examples

# The binary, and the version that project() gives.
version=$(sed -n 's/^project(casectl VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
[ -n "$version" ] || fail "no version in the project() of $source_dir/CMakeLists.txt"
[ -x "$casectl" ] || fail "no executable bin/casectl"
got=$("$casectl" --version) || fail "casectl --version exited $?"
[ "$got" = "casectl $version" ] || fail "casectl --version says '$got', not 'casectl $version'"

# The documentation and the examples, every file of them, and nothing private.
[ -f "$docdir/README.md" ] || fail "no share/doc/casectl/README.md"
[ -x "$examples/make-example-agency.sh" ] || fail "no executable share/doc/casectl/examples/make-example-agency.sh"
private=(-x .cache -x '.casectl*' -x '.*.tmp-*' -x '.*.old-*')
for dir in agency cron; do
  diff -r "${private[@]}" "$source_dir/examples/$dir" "$examples/$dir" >&2 ||
    fail "share/doc/casectl/examples/$dir differs from examples/$dir"
done
found=$(find "$staging" \( -name .cache -o -name '.casectl*' -o -name '.*.tmp-*' -o -name '.*.old-*' \) -print)
[ -z "$found" ] || fail "installed what casectl writes for itself: $found"
unreadable=$(find "$staging" -mindepth 1 ! -perm -o=r -print)
[ -z "$unreadable" ] || fail "installed what other users cannot read: $unreadable"

# The example agency lists its cases where it was installed: read-only, as under /usr/share/doc, and by a user
# other than root when this runs as root (root could write an index there anyway).
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chmod go+rx "$staging"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups test -r "$examples/agency/casectl.yaml" 2>/dev/null; then
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  else
    echo "install: cannot run as nobody (no setpriv, or $staging is out of its reach); listing as root" >&2
  fi
fi
chmod -R a-w "$examples"
if listing=$("${as_user[@]}" "$casectl" -C "$examples/agency" list status:all); then
  cases=0
  for dir in "$examples"/agency/cases/c-*/; do
    id=$(basename "$dir")
    cases=$((cases + 1))
    grep -q -- "$id" <<<"$listing" || fail "casectl list status:all on the installed example agency lacks $id"
  done
  [ "$cases" -gt 0 ] || fail "the installed example agency has no cases"
else
  fail "casectl -C share/doc/casectl/examples/agency list status:all exited $?"
fi

# Every man page of man/, in the folder of its section; each formats and lints clean.
pages=0
for source in "$source_dir"/man/*.[1-9]; do
  name=$(basename "$source")
  [ -f "$staging/share/man/man${name##*.}/$name" ] || fail "$name is not installed in share/man/man${name##*.}"
done
for page in "$staging"/share/man/man[1-9]/*; do
  pages=$((pages + 1))
  name=$(basename "$page")
  if command -v man >/dev/null 2>&1; then
    if ! report=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null) || [ -n "$report" ]; then
      fail "man -l $name: $report"
    fi
  fi
  # mandoc exits 2 or more on a warning or worse; a stale mandoc.db on the host is no concern of the page.
  status=0
  report=$(mandoc -Tlint -Wwarning "$page" 2>&1) || status=$?
  report=$(grep -E ': (WARNING|ERROR|UNSUPP|BADARG|SYSERR):' <<<"$report" || true)
  if [ "$status" -ne 0 ] || [ -n "$report" ]; then
    fail "mandoc -Tlint -Wwarning $name (exit $status): $report"
  fi
done
[ "$pages" -ge 2 ] || fail "only $pages man pages installed"
command -v man >/dev/null 2>&1 || echo "install: man is not installed; skipping man -l on the man pages" >&2

# The completions: bash sources its own and registers it; zsh's and fish's start as those shells expect.
bash_completion=$staging/share/bash-completion/completions/casectl
zsh_completion=$staging/share/zsh/site-functions/_casectl
fish_completion=$staging/share/fish/vendor_completions.d/casectl.fish
registered=$(bash --norc --noprofile -c 'source "$1" && complete -p casectl' bash "$bash_completion") ||
  fail "bash cannot source the installed $bash_completion"
[ "$registered" = "complete -F _casectl casectl" ] || fail "complete -p casectl says '$registered'"
# zsh and fish are needed here (.ci/install-deps installs them): a missing one fails, never skips.
if [ -f "$zsh_completion" ]; then
  [ "$(head -n 1 "$zsh_completion")" = "#compdef casectl" ] || fail "_casectl does not begin with #compdef casectl"
  zsh -n "$zsh_completion" || fail "zsh -n _casectl (is zsh installed?)"
else
  fail "no $zsh_completion"
fi
if [ -f "$fish_completion" ]; then
  grep -q '^complete -c casectl ' "$fish_completion" || fail "casectl.fish has no 'complete -c casectl'"
  fish --no-execute "$fish_completion" || fail "fish --no-execute casectl.fish (is fish installed?)"
else
  fail "no $fish_completion"
fi
# The installed scripts ask the installed casectl (on PATH) for their candidates: the options of a nested command.
offered=$(cd / && PATH="$staging/bin:$PATH" bash --norc --noprofile -c '
  source "$1"
  COMP_LINE="casectl report overdue --" COMP_POINT=25 COMP_WORDS=(casectl report overdue --) COMP_CWORD=3
  _casectl && printf "%s\n" "${COMPREPLY[@]}"' bash "$bash_completion") || true
grep -qx -- --exit-code <<<"$offered" || fail "bash: 'casectl report overdue --' does not offer --exit-code: $offered"
offered=$(cd / && PATH="$staging/bin:$PATH" fish --no-config -c 'source $argv[1]; complete -C "casectl report overdue --"' \
  "$fish_completion") || true
grep -q -- '^--exit-code' <<<"$offered" || fail "fish: 'casectl report overdue --' does not offer --exit-code: $offered"

if [ "$failures" -gt 0 ]; then
  echo "install: $failures failed" >&2
  exit 1
fi
echo "install: all passed"
