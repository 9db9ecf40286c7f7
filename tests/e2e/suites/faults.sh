# Every writing command is all-or-nothing under injected faults.
#
# For each writing command, the command is first run once without a fault under strace, in a copy of a prepared
# repository (the template), to count the calls it makes of each syscall of rename, link, write, fsync, mkdir,
# openat and unlink (each with its variants: renameat2, linkat, pwrite64, fdatasync, mkdirat, unlinkat, rmdir, …)
# and to keep the repository it leaves (the reference). Then, for N = 1 … count, in a fresh copy of the template,
# the command runs again with the N-th call of that one syscall failing with ENOSPC (also with EIO, EDQUOT and
# EROFS for the first and the last call, and every call but writes and fsyncs with EACCES for log, close and set),
# and:
#   1. the repository is exactly as before (the template), or wholly as after (the reference, record and case
#      IDs aside, and the command's own predicate: one new record, the flag raised, …); anything else is a
#      half-state and fails, with the paths that differ;
#   2. `casectl check` exits 0 afterwards (warnings allowed);
#   3. when it is as before, the exit status is 73 (77 for EACCES); a failed read (openat without O_CREAT,
#      O_WRONLY or O_RDWR) may give any sysexits status 64-78; never 0, never a crash or a hang; when it is as
#      after, the exit status is 0 (a failing exit must mean that nothing was written, or a retry duplicates the
#      record), unless the failed call was a write of the command's own output to stdout or stderr;
#   4. a failing command names no client on stderr;
#   5. run again without a fault, the command succeeds and leaves its effect exactly once.
# The shared libraries' openat calls (the dynamic loader's) are not failed: the program has not started yet.
# Only the calls of casectl's main thread are counted and failed (strace counts per thread); for edit, the editor
# it runs is not traced at all. The commands run with --no-cache: the index's own calls depend on the clock (a file's
# stamp is kept once it is 2 s old), so they would differ between the counting run and a faulted run on a loaded
# machine; an index that cannot be written is tested in index.sh. Needs strace(1). FX_MAX_REPORTS (default 15) caps the failures shown per test.

# --- helpers --------------------------------------------------------------------------------------------------

# A sanitizer build (CASECTL_SANITIZE) is not faulted: the sanitizers' runtime makes calls of its own (writes to a
# pipe to probe memory, at startup) that the faults would hit, and it cannot run under ptrace anyway. Every other
# suite runs under the sanitizers.

FX_CLIENT="Maria Zelenko"
FX_NEW_CLIENT="Jonas Brightwater"
FX_IMPORTED=("Anneke Ilvesmaa" "Bo Quarrington" "Ciaran Oyelaran")
# The client names (and family names) that must never appear on stderr.
FX_PRIVATE=("$FX_CLIENT" Zelenko "$FX_NEW_CLIENT" Brightwater "${FX_IMPORTED[@]}" Ilvesmaa Quarrington Oyelaran)

# The faults: each group is a syscall of the brief with the variants a C library or a rewrite may use instead.
FX_GROUPS=(rename link write fsync mkdir openat unlink)
declare -A FX_SYSCALLS=(
  [rename]="rename renameat renameat2"
  [link]="link linkat"
  [write]="write pwrite64 writev pwritev pwritev2"
  [fsync]="fsync fdatasync syncfs"
  [mkdir]="mkdir mkdirat"
  [openat]="openat open creat openat2"
  [unlink]="unlink unlinkat rmdir"
)

FX_MAX_REPORTS=${FX_MAX_REPORTS:-15}  # failures reported in full per test; the rest are counted

# fx_fail MESSAGE: fail, with the stderr of the faulted run as context; after FX_MAX_REPORTS, only counts.
fx_fail() {
  fx_failures=$((fx_failures + 1))
  if [ "$fx_failures" -le "$FX_MAX_REPORTS" ]; then
    out="" err=$fx_err  # stderr of the run the message is about
    fail "$*"
  else
    test_failed=1
  fi
}

# fx_base: a template repository in $T/tpl with one open housing case of alice's ($FX_CLIENT, opened
# 2026-01-10, phone 555-0100); sets id, T, and today to 2026-02-01.
fx_base() {
  command -v strace >/dev/null || { fail "strace is not installed"; return 1; }
  if sanitized; then
    echo "  $current: skipped: a sanitizer build is not faulted (see the top of faults.sh)" >&2
    return 1
  fi
  T=$PWD
  fx_failures=0 fx_err=""
  mkdir -m 700 "$T/rt"
  export XDG_RUNTIME_DIR=$T/rt TMPDIR=$T/rt
  "$CASECTL" init "$T/tpl" --agency "Test Agency" --no-git >/dev/null 2>&1 || { fail "init failed"; return 1; }
  export CASECTL_TODAY=2026-01-10
  fx_prep intake "$FX_CLIENT" --dob 1980-04-02 --program housing --worker alice --risk medium --phone 555-0100 ||
    return 1
  id=$pout
  export CASECTL_TODAY=2026-02-01
  FX_NOFOLLOW=0  # 1: the command runs a child (the editor) that must not be traced
}

# fx_prep ARGS...: runs casectl on the template; a failure fails the test. Sets pout to its stdout.
fx_prep() {
  pout=$("$CASECTL" -C "$T/tpl" "$@" 2>"$T/prep.err" </dev/null) || {
    err=$(cat "$T/prep.err") out=$pout
    fail "preparing the template: casectl $* failed"
    return 1
  }
}

# fx_dump DIR [ID...]: every entry under DIR (type, mode, target of a link) and every file's
# content, without .casectl.lock, .git, the index (.cache) and a transaction's temporaries (.NAME.tmp-TX, .NAME.old-TX: invisible to
# every reader, reported by check as warnings, removed by the next write in their folder). Each ID given is replaced by @1, @2, … in the paths and the contents,
# and the files are sorted after that, so that two runs that differ only in their random IDs give the same dump.
fx_dump() {
  local dir=$1 expr="" n=0 i
  shift
  for i in "$@"; do
    n=$((n + 1))
    expr+="s/\\b$i\\b/@$n/g;"
  done
  # A record ID that could be read as a number (3452, 2e45) is written quoted: compare it as its placeholder (and so
  # files by their contents, below, not by their sizes).
  expr+='s/"\(@[0-9]\+\)"/\1/g;'
  # A flag's random ID lives inside case.yaml, not in a file name: compare it as a placeholder.
  # (quoted only when it could be read as a number, such as 2e45)
  expr+='s/\x02  - id: "\?[a-z2-7]\{4\}"\?\x02/\x02  - id: @flag\x02/g;s/^  - id: "\?[a-z2-7]\{4\}"\?$/  - id: @flag/;'
  # Likewise a new goal's random ID, and the moment a referral's answer was recorded (the clock's minute).
  expr+='s/\x02  - id: g[a-z2-7]\{4\}\x02/\x02  - id: @goal\x02/g;s/\x02recorded: "\?[^"\x02]*"\?\x02/\x02recorded: @time\x02/g;'
  (
    cd "$dir" || exit 1
    find . \( -path ./.git -o -path ./.casectl.lock -o -path ./.cache -o -name ".*.tmp-*" -o -name ".*.old-*" \) -prune -o ! -path . \
      \( -type l -printf '%p %y %m ->%l\n' -o -printf '%p %y %m\n' \) |
      sed -e "$expr" | LC_ALL=C sort
    echo "----"
    find . \( -path ./.git -o -path ./.casectl.lock -o -path ./.cache -o -name ".*.tmp-*" -o -name ".*.old-*" \) -prune -o -type f -readable -print0 |
      xargs -0 -r awk 'FNR == 1 { if (NR > 1) printf "\n"; printf "%s\002", FILENAME } { printf "%s\002", $0 }
                       END { if (NR > 0) printf "\n" }' |
      sed -e "$expr" | LC_ALL=C sort
  )
}

# fx_paths DIR: the paths under DIR, one a line (without .casectl.lock and .git).
fx_paths() {
  (cd "$1" && find . \( -path ./.git -o -path ./.casectl.lock -o -path ./.cache -o -name ".*.tmp-*" -o -name ".*.old-*" \) -prune -o ! -path . -print | LC_ALL=C sort)
}

# fx_new_ids DIR: the random IDs of what the command created in DIR (relative to the template): new case
# folders, sorted by their client's name, then new dated records (the 4 characters before .yaml).
fx_new_ids() {
  local p name
  while read -r p; do
    if [[ "$p" =~ ^\./cases/(c-[a-z2-7]{8})$ ]]; then
      name=$(sed -n -e 's/^  name: "\(.*\)"$/\1/p' -e t -e 's/^  name: \(.*\)$/\1/p' "$1/$p/case.yaml" 2>/dev/null | head -1)
      printf '0 %s\t%s\n' "$name" "${BASH_REMATCH[1]}"
    elif [[ "$p" =~ -([a-z2-7]{4})\.yaml$ ]] && [[ "$p" != */.* ]]; then
      printf '1 %s\t%s\n' "$p" "${BASH_REMATCH[1]}"
    fi
  done < <(LC_ALL=C comm -13 "$T/tpl.paths" <(fx_paths "$1")) | LC_ALL=C sort | cut -f2
}

# fx_entries DIR: one line per entry under DIR: its path, then its type and mode and, for a file, a hash.
fx_entries() {
  (
    cd "$1" || exit 1
    find . \( -path ./.git -o -path ./.casectl.lock -o -path ./.cache -o -name ".*.tmp-*" -o -name ".*.old-*" \) -prune -o ! -path . -printf '%p %y%m\n'
    find . \( -path ./.git -o -path ./.casectl.lock -o -path ./.cache -o -name ".*.tmp-*" -o -name ".*.old-*" \) -prune -o -type f -print0 | xargs -0 -r sha256sum 2>/dev/null |
      awk '{ print $2, "#" substr($1, 1, 16) }'
  ) | awk '{ a[$1] = a[$1] $2 } END { for (p in a) print p, a[p] }' | LC_ALL=C sort
}

# fx_delta DIR: what differs in DIR from the template, one "new|gone|changed TYPE PATH" a line, for messages.
fx_delta() {
  LC_ALL=C join -a1 -a2 -e '?' -o 0,1.2,2.2 <(fx_entries "$T/tpl") <(fx_entries "$1") |
    awk '$2 == "?" { print "new " substr($3, 1, 1) " " $1; next }
         $3 == "?" { print "gone " substr($2, 1, 1) " " $1; next }
         $2 != $3 { print "changed " substr($3, 1, 1) " " $1 }' |
    while read -r what type path; do
      case $what$type in
        newd) [ -n "$(ls -A "$1/$path" 2>/dev/null)" ] || path+=" (an empty folder)" ;;
        newf) [[ "$path" != */.*.tmp-* ]] || path+=" (a temporary file)" ;;
      esac
      echo "$what $type $path"
    done
}

# fx_names_in TEXT: the first client name found in TEXT, if any.
fx_names_in() {
  local n
  for n in "${FX_PRIVATE[@]}"; do
    if [[ "$1" == *"$n"* ]]; then
      echo "$n"
      return
    fi
  done
}

# fx_state DIR: sets state to before, after or half, and delta to what differs from the template; FX_COLLISION
# to 1 when it is half but a new random ID is also a word of the files (the comparison could not tell).
fx_state() {
  local ids
  delta=""
  if [ "$(fx_dump "$1")" == "$FX_TPL_DUMP" ]; then
    state=before
    return
  fi
  mapfile -t ids < <(fx_new_ids "$1")
  if [ "$(fx_dump "$1" "${ids[@]}")" == "$FX_REF_DUMP" ]; then
    state=after
    local why
    why=$(cd "$1" && fx_effect)
    [ -z "$why" ] && return
    delta="same files as the reference run, yet: $why"
  fi
  state=half
  delta="${delta:+$delta; }$(fx_delta "$1" | head -12 | paste -sd';' | sed 's/;/; /g')"
  local i
  for i in "${ids[@]}"; do
    if grep -qw -- "$i" <<<"$FX_TPL_DUMP$FX_REF_DUMP${FX_CMD[*]}"; then FX_COLLISION=1; fi
  done
}

# fx_count_files DIR: regular files in DIR (hidden ones too, but not a transaction's temporaries).
fx_count_files() { find "$1" -maxdepth 1 -type f ! -name '.*.tmp-*' ! -name '.*.old-*' 2>/dev/null | wc -l; }

# fx_grep_count PATTERN FILE...: the number of lines matching the extended regex PATTERN.
fx_grep_count() { cat "${@:2}" 2>/dev/null | grep -cE -- "$1"; }

# fx_expect_count WHAT N ACTUAL: prints a reason when ACTUAL is not N (used by the fx_effect predicates).
fx_expect_count() { [ "$3" -eq "$2" ] || echo "$1: $3, expected $2"; }

# fx_run_cmd SYSCALL N ERRNO: runs FX_CMD in the current directory, the N-th SYSCALL failing with ERRNO (no
# fault when SYSCALL is empty). Sets rc and fx_err (stdout is not looked at).
fx_run_cmd() {
  local -a tracer=()
  if [ -n "$1" ]; then
    tracer=(strace -qq -o /dev/null -e "trace=$1" -e "inject=$1:error=$3:when=$2")
    [ "$FX_NOFOLLOW" -eq 1 ] || tracer+=(-f)
  fi
  timeout -k 2 20 "${tracer[@]}" "$CASECTL" --no-cache "${FX_CMD[@]}" >"$T/o" 2>"$T/e" </dev/null
  rc=$?
  fx_err=$(tr -d '\0' <"$T/e")
}

# fx_kind TRACE_LINE: w (a write-side call), r (a read: openat without O_WRONLY, O_RDWR or O_CREAT), out (a
# write to stdout or stderr), lib (the loader opening a shared library: not failed).
fx_kind() {
  case $1 in
    *' open('* | *' openat('* | *' openat2('* | *' creat('*)
      if [[ "$1" == *'ld.so.cache"'* || "$1" == *'.so"'* || "$1" =~ \.so\.[0-9.]*\" ]]; then
        echo lib
      elif [[ "$1" == *' creat('* || "$1" =~ O_WRONLY|O_RDWR|O_CREAT ]]; then
        echo w
      else
        echo r
      fi ;;
    *)
      if [[ "$1" =~ \ (write|writev|pwrite64|pwritev|pwritev2)\((1|2)[\<,] ]]; then echo out; else echo w; fi ;;
  esac
}

# fx_target TRACE_LINE: what the call is on, for messages: the first path of the call (a descriptor's path, as
# strace -y shows it, or a string argument), relative to the repository; stdout or stderr.
fx_target() {
  local t="" fd_call='(write|writev|pwrite64|pwritev|pwritev2|fsync|fdatasync)\(([0-9]+)<([^>]*)>'
  local at_dir='\([0-9]+<([^>]*)>, "([^"]*)"' quoted='"([^"]*)"'
  if [[ "$1" =~ $fd_call ]]; then
    case ${BASH_REMATCH[2]} in
      1) t=stdout ;;
      2) t=stderr ;;
      *) t=${BASH_REMATCH[3]} ;;
    esac
  elif [[ "$1" =~ $at_dir ]]; then
    t=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}
  elif [[ "$1" =~ $quoted ]]; then
    t=${BASH_REMATCH[1]}
  fi
  t=${t#"$T/ref/"}
  echo "${t#"$T/"}"
}

# fx_attempt SYSCALL N ERRNO KIND TARGET: one faulted run in a fresh copy of the template, and every assertion
# on it; the failures go to FX_MSGS.
fx_attempt() {
  local sc=$1 n=$2 errno=$3 kind=$4
  # kind: w, r or out (see fx_kind), with +private when the call is on the editor's private copy
  local where="$FX_LABEL: $sc call #$n (on $5) failing with $errno"
  rm -rf "$T/w"
  cp -a "$T/tpl" "$T/w"
  cd "$T/w" || return
  fx_run_cmd "$sc" "$n" "$errno"
  local frc=$rc ferr=$fx_err
  case $frc in
    124 | 137) fx_note "$where: hung (killed after 20 s)" ;;
    132 | 133 | 134 | 135 | 136 | 138 | 139) fx_note "$where: crashed with status $frc" ;;
  esac
  # (a fault in the removal of the editor's private copy itself may leave it: only the repository is at stake)
  if [ -n "$(ls -A "$T/rt")" ] && [[ "$kind" != *+private ]]; then
    fx_note "$where: the editor's private copy was left behind: $(ls -A "$T/rt")"
  fi
  rm -rf "${T:?}/rt/"* 2>/dev/null

  # 1. before or after, nothing in between
  fx_state "$T/w"
  if [ "$state" == half ]; then
    fx_note "$where: exit $frc, and the repository is neither as before nor as after: $delta"
  fi

  # 2. check passes
  local chk
  chk=$("$CASECTL" check 2>&1 </dev/null)
  local crc=$?
  if [ "$crc" -ne 0 ]; then
    fx_note "$where: exit $frc, then check exits $crc: $(grep -m3 ': error:' <<<"$chk" | paste -sd'|')"
  fi

  # 3. the exit status
  if [ "$state" == before ]; then
    if [ "$frc" -eq 0 ]; then
      fx_note "$where: exit 0, but nothing was written"
    elif [ "$errno" == EACCES ] && [ "$frc" -ne 77 ]; then
      fx_note "$where: nothing written, but exit $frc, expected 77 (permission denied)"
    elif [ "$errno" != EACCES ] && [ "${kind%+private}" == w ] && [ "$frc" -ne 73 ]; then
      fx_note "$where: nothing written, but exit $frc, expected 73 (cannot write)"
    elif [ "$frc" -lt 64 ] || [ "$frc" -gt 78 ]; then
      fx_note "$where: nothing written, but exit $frc, expected a sysexits status (64-78)"
    fi
  elif [ "$state" == after ] && [ "$frc" -ne 0 ] && [ "${kind%+private}" != out ]; then
    fx_note "$where: exit $frc, yet the command's effect was written (a non-zero exit must mean that nothing" \
      "was written: run again, the command would duplicate its effect or fail)"
  fi

  # 4. no client named
  if [ "$frc" -ne 0 ]; then
    local name
    name=$(fx_names_in "$ferr")
    [ -z "$name" ] || fx_note "$where: exit $frc, and stderr names a client ($name)"
  fi

  # 5. run again without a fault: the effect, exactly once
  if [ "$frc" -ne 0 ] && [ "$state" != after ]; then
    fx_run_cmd "" "" ""
    if [ "$rc" -ne 0 ]; then
      fx_note "$where; run again without a fault: exit $rc, expected 0"
    else
      fx_state "$T/w"
      if [ "$state" != after ]; then
        local why
        why=$(cd "$T/w" && fx_effect | paste -sd';' | sed 's/;/; /g')
        fx_note "$where; run again without a fault: not the command's effect exactly once:" \
          "${why:+$why; }differs from the template: $delta"
      fi
    fi
  fi
  cd "$T" || return
}

# fx_note MESSAGE: a failure of the current attempt, with the stderr it is about (reported by fx_one).
fx_note() {
  FX_MSGS+=("$*")
  FX_ERRS+=("$fx_err")
}

# fx_one SYSCALL N ERRNO KIND TARGET: one faulted run in a fresh copy of the template, and every assertion on
# it. When a random ID of the run happens to be a word of the files (say a record ID "open"), the comparison
# with the reference cannot tell, and the run is made once more.
fx_one() {
  local i
  for _ in 1 2; do
    FX_MSGS=() FX_ERRS=() FX_COLLISION=0
    fx_attempt "$@"
    [ "$FX_COLLISION" -eq 1 ] || break
  done
  for i in "${!FX_MSGS[@]}"; do
    fx_err=${FX_ERRS[i]}
    fx_fail "${FX_MSGS[i]}"
  done
}

# fx_matrix LABEL [EACCES]: the reference run, then every fault of every syscall FX_CMD makes; with EACCES,
# every call of openat, mkdir, rename, link and unlink also fails with EACCES.
fx_matrix() {
  FX_LABEL=$1
  local with_eacces=${2:-}
  local started=$SECONDS
  [ "$test_failed" -eq 0 ] || return
  FX_TPL_DUMP=$(fx_dump "$T/tpl")
  fx_paths "$T/tpl" >"$T/tpl.paths"

  # the reference: the command without a fault, traced to count its calls (made again, rarely, when one of its
  # random IDs is a word of the template, which the comparisons could not tell from the ID)
  local all="" g i collision errno
  for g in "${FX_GROUPS[@]}"; do all+="${all:+,}${FX_SYSCALLS[$g]// /,}"; done
  local -a ref_ids
  for _ in 1 2 3; do
    rm -rf "$T/ref"
    cp -a "$T/tpl" "$T/ref"
    cd "$T/ref" || return
    local -a tracer=(strace -f -y -qq -o "$T/trace" -e "trace=$all")  # -y: the path of each descriptor
    timeout -k 2 20 "${tracer[@]}" "$CASECTL" --no-cache "${FX_CMD[@]}" >"$T/o" 2>"$T/e" </dev/null
    rc=$?
    cd "$T" || return
    fx_err=$(cat "$T/e")
    if [ "$rc" -ne 0 ]; then
      fx_fail "$FX_LABEL: the command fails without any fault (exit $rc): casectl ${FX_CMD[*]}"
      return
    fi
    [ -z "$(ls -A "$T/rt")" ] || fx_fail "$FX_LABEL: the editor's private copy was left behind: $(ls -A "$T/rt")"
    rm -rf "${T:?}/rt/"* 2>/dev/null
    mapfile -t ref_ids < <(fx_new_ids "$T/ref")
    collision=0
    for i in "${ref_ids[@]}"; do
      if grep -qw -- "$i" <<<"$FX_TPL_DUMP${FX_CMD[*]}"; then collision=1; fi
    done
    [ "$collision" -eq 1 ] || break
  done
  FX_REF_DUMP=$(fx_dump "$T/ref" "${ref_ids[@]}")
  [ "$FX_REF_DUMP" != "$FX_TPL_DUMP" ] || { fx_fail "$FX_LABEL: the command changed nothing"; return; }
  local why
  why=$(cd "$T/ref" && fx_effect)
  [ -z "$why" ] || { fx_fail "$FX_LABEL: without a fault, the effect is not as expected: $why"; return; }

  local pid sc n total=0
  pid=$(awk 'NR == 1 { print $1 }' "$T/trace")
  for g in "${FX_GROUPS[@]}"; do
    for sc in ${FX_SYSCALLS[$g]}; do
      local -a kinds=()
      mapfile -t kinds < <(grep -E "^$pid +$sc\(" "$T/trace" | while IFS= read -r line; do
        if [[ "$line" == *"$T/rt/"* ]]; then echo "$(fx_kind "$line")+private"; else fx_kind "$line"; fi
      done)
      local -a targets=()
      mapfile -t targets < <(grep -E "^$pid +$sc\(" "$T/trace" | while IFS= read -r line; do fx_target "$line"; done)
      local count=${#kinds[@]}
      [ "$count" -gt 0 ] || continue
      for ((n = 1; n <= count; n++)); do
        [[ "${kinds[n - 1]}" != lib* ]] || continue
        fx_one "$sc" "$n" ENOSPC "${kinds[n - 1]}" "${targets[n - 1]}"
        total=$((total + 1))
        if [ "$n" -eq 1 ] || [ "$n" -eq "$count" ]; then
          for errno in EIO EDQUOT EROFS; do
            fx_one "$sc" "$n" "$errno" "${kinds[n - 1]}" "${targets[n - 1]}"
            total=$((total + 1))
          done
        fi
        if [ -n "$with_eacces" ] && [ "$g" != write ] && [ "$g" != fsync ]; then
          fx_one "$sc" "$n" EACCES "${kinds[n - 1]}" "${targets[n - 1]}"
          total=$((total + 1))
        fi
      done
    done
  done
  if [ "$fx_failures" -gt "$FX_MAX_REPORTS" ]; then
    echo "FAIL: $current: … and $((fx_failures - FX_MAX_REPORTS)) more failures like these" >&2
  fi
  [ "$total" -gt 0 ] || fail "$FX_LABEL: no syscall of ${FX_GROUPS[*]} was traced"
  echo "  $FX_LABEL: $total faulted runs, $fx_failures failures, $((SECONDS - started)) s" >&2
}

# --- the commands ---------------------------------------------------------------------------------------------

test_faults_intake() {
  fx_base || return
  FX_CMD=(intake "$FX_NEW_CLIENT" --dob 1975-05-05 --program housing --worker alice --risk low)
  fx_effect() {
    fx_expect_count "case folders" 2 "$(find cases -mindepth 1 -maxdepth 1 -type d | wc -l)"
    fx_expect_count "face sheets naming the new client" 1 \
      "$(grep -lx "  name: $FX_NEW_CLIENT" cases/*/case.yaml 2>/dev/null | wc -l)"
  }
  fx_matrix intake
}

test_faults_assess_phq9_raises_the_urgent_flag() {
  fx_base || return
  FX_CMD=(assess "$id" -i phq9 --score q1=1 --score q2=1 --score q3=1 --score q4=1 --score q5=1 --score q6=1
    --score q7=1 --score q8=1 --score q9=1)
  fx_effect() {
    fx_expect_count "files in assessments/" 1 "$(fx_count_files "cases/$id/assessments")"
    fx_expect_count "PHQ-9 assessment files" 1 "$(find "cases/$id/assessments" -name '2026-02-01-phq9-*.yaml' | wc -l)"
    fx_expect_count "urgent flags on case.yaml" 1 "$(fx_grep_count '^    urgent: true$' "cases/$id/case.yaml")"
    fx_expect_count "safety-flag events in the history" 1 \
      "$(fx_grep_count '^    event: safety-flag$' "cases/$id/case.yaml")"
  }
  fx_matrix assess
}

test_faults_plan_add() {
  fx_base || return
  fx_prep plan add "$id" "Find a job with daytime hours" --domain employment || return
  FX_CMD=(plan add "$id" "I want my own apartment" --domain housing --target 2026-08-15
    --step "Apply for the housing voucher")
  fx_effect() {
    local p=cases/$id/plan.yaml
    fx_expect_count "goals in plan.yaml" 2 "$(fx_grep_count '^  - id: g[a-z2-7]{4}$' "$p")"
    fx_expect_count "the new goal" 1 "$(fx_grep_count '^    goal: I want my own apartment$' "$p")"
    fx_expect_count "the earlier goal" 1 "$(fx_grep_count '^    goal: Find a job with daytime hours$' "$p")"
  }
  fx_matrix "plan add"
}

test_faults_plan_update() {
  fx_base || return
  fx_prep plan add "$id" "I want my own apartment" --domain housing || return
  FX_CMD=(plan update "$id" "$pout" --status met --progress "Moved in on 1 February")
  fx_effect() {
    local p=cases/$id/plan.yaml
    fx_expect_count "goals with status met" 1 "$(fx_grep_count '^    status: met$' "$p")"
    fx_expect_count "progress entries" 1 "$(fx_grep_count '^        note: Moved in on 1 February$' "$p")"
  }
  fx_matrix "plan update"
}

test_faults_log() {
  fx_base || return
  FX_CMD=(log "$id" --at 2026-02-01T10:00 --minutes 20 -m "Called about the voucher application")
  fx_effect() {
    fx_expect_count "files in contacts/" 1 "$(fx_count_files "cases/$id/contacts")"
    fx_expect_count "notes with the text" 1 \
      "$(grep -l 'Called about the voucher application' "cases/$id/contacts/"* 2>/dev/null | wc -l)"
  }
  fx_matrix log EACCES
}

test_faults_refer_after_a_consent() {
  fx_base || return
  fx_prep consent "$id" --to "Springfield Food Bank" --purpose "food referral" --expires 2027-01-31 || return
  FX_CMD=(refer "$id" --to "Springfield Food Bank" --service "food pantry" --follow-up 2026-02-15)
  fx_effect() {
    fx_expect_count "files in referrals/" 1 "$(fx_count_files "cases/$id/referrals")"
    fx_expect_count "referrals to the food bank" 1 \
      "$(fx_grep_count '^to: Springfield Food Bank$' "cases/$id/referrals/"*)"
  }
  fx_matrix refer
}

test_faults_referral_status() {
  fx_base || return
  fx_prep refer "$id" --to "Springfield Food Bank" --service "food pantry" --without-consent "verbal consent" ||
    return
  local ref=$pout
  FX_CMD=(referral "$id" "$ref" --status accepted -m "First pick-up on Friday")
  fx_effect() {
    fx_expect_count "files in referrals/" 2 "$(fx_count_files "cases/$id/referrals")"
    fx_expect_count "updates of the referral" 1 \
      "$(find "cases/$id/referrals" -name "2026-02-01-$ref-*.yaml" | wc -l)"
    fx_expect_count "accepted statuses" 1 "$(fx_grep_count '^status: accepted$' "cases/$id/referrals/"*)"
  }
  fx_matrix referral
}

test_faults_review_of_a_scheduled_review() {
  fx_base || return
  fx_prep review "$id" --on 2026-02-10 || return
  FX_CMD=(review "$id" --outcome continue -m "Reviewed the plan together")
  fx_effect() {
    fx_expect_count "files in reviews/" 1 "$(fx_count_files "cases/$id/reviews")"
    fx_expect_count "review_on lines in case.yaml" 0 "$(fx_grep_count '^review_on:' "cases/$id/case.yaml")"
  }
  fx_matrix review
}

test_faults_review_on() {
  fx_base || return
  FX_CMD=(review "$id" --on 2026-03-01)
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "review_on: 2026-03-01 lines" 1 "$(fx_grep_count '^review_on: 2026-03-01$' "$face")"
    fx_expect_count "review-scheduled events" 1 "$(fx_grep_count '^    event: review-scheduled$' "$face")"
    fx_expect_count "files in reviews/" 0 "$(fx_count_files "cases/$id/reviews")"
  }
  fx_matrix "review --on"
}

test_faults_consent() {
  fx_base || return
  FX_CMD=(consent "$id" --to "Springfield Clinic" --purpose "coordinate care" --expires 2027-02-01)
  fx_effect() {
    fx_expect_count "consents to the clinic" 1 \
      "$(fx_grep_count '^  - party: Springfield Clinic$' "cases/$id/case.yaml")"
  }
  fx_matrix consent
}

test_faults_consent_revoke() {
  fx_base || return
  fx_prep consent "$id" --to "Springfield Food Bank" --purpose "food referral" --signed 2026-01-15 || return
  FX_CMD=(consent "$id" --revoke "Springfield Food Bank")
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "consents" 1 "$(fx_grep_count '^  - party: ' "$face")"
    fx_expect_count "revocations" 1 "$(fx_grep_count '^    revoked: 2026-02-01$' "$face")"
  }
  fx_matrix "consent --revoke"
}

test_faults_transfer() {
  fx_base || return
  FX_CMD=(transfer "$id" --to bob)
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "worker: bob lines" 1 "$(fx_grep_count '^worker: bob$' "$face")"
    fx_expect_count "transferred events" 1 "$(fx_grep_count '^    event: transferred$' "$face")"
  }
  fx_matrix transfer
}

test_faults_close() {
  fx_base || return
  FX_CMD=(close "$id" --reason moved -m "Moved out of the county")
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "status: closed lines" 1 "$(fx_grep_count '^status: closed$' "$face")"
    fx_expect_count "closed events" 1 "$(fx_grep_count '^    event: closed$' "$face")"
  }
  fx_matrix close EACCES
}

test_faults_reopen() {
  fx_base || return
  fx_prep close "$id" --reason moved --today 2026-01-20 || return
  FX_CMD=(reopen "$id")
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "status: open lines" 1 "$(fx_grep_count '^status: open$' "$face")"
    fx_expect_count "closed events" 1 "$(fx_grep_count '^    event: closed$' "$face")"
    fx_expect_count "reopened events" 1 "$(fx_grep_count '^    event: reopened$' "$face")"
  }
  fx_matrix reopen
}

test_faults_set_phone() {
  fx_base || return
  FX_CMD=(set "$id" phone=555-0199)
  fx_effect() {
    local face=cases/$id/case.yaml
    fx_expect_count "phone lines" 1 "$(fx_grep_count '^  phone: ' "$face")"
    fx_expect_count "the new phone" 1 "$(fx_grep_count '^  phone: "555-0199"$' "$face")"
  }
  fx_matrix set EACCES
}

test_faults_edit() {
  fx_base || return
  printf '#!/bin/sh\nsed -i '\''s/^risk: medium$/risk: high/'\'' "$1"\n' >"$T/editor.sh"
  chmod 755 "$T/editor.sh"
  export EDITOR=$T/editor.sh
  FX_NOFOLLOW=1  # the editor (sh, sed) is not traced: only casectl's own calls fail
  FX_CMD=(edit "$id")
  fx_effect() {
    fx_expect_count "risk: high lines" 1 "$(fx_grep_count '^risk: high$' "cases/$id/case.yaml")"
    fx_expect_count "risk lines" 1 "$(fx_grep_count '^risk: ' "cases/$id/case.yaml")"
  }
  fx_matrix edit
}

test_faults_import_of_three_rows() {
  fx_base || return
  {
    echo "name,dob,program,worker,risk,phone"
    echo "${FX_IMPORTED[0]},1970-01-01,housing,alice,low,555-0101"
    echo "${FX_IMPORTED[1]},1971-02-02,aging,bob,medium,555-0102"
    echo "${FX_IMPORTED[2]},1972-03-03,housing,alice,high,555-0103"
  } >"$T/clients.csv"
  FX_CMD=(import "$T/clients.csv")
  fx_effect() {
    fx_expect_count "case folders" 4 "$(find cases -mindepth 1 -maxdepth 1 -type d | wc -l)"
    local n i=0
    for n in "${FX_IMPORTED[@]}"; do
      i=$((i + 1))
      fx_expect_count "face sheets naming imported client $i" 1 \
        "$(grep -lx "  name: $n" cases/*/case.yaml 2>/dev/null | wc -l)"
    done
  }
  fx_matrix import
}

# 70 rows: more files than a commit flushes one by one, so they are flushed with one syncfs before any is visible.
# The step that differs from the three-row import is the flushing: each flush fails in turn.
test_faults_import_of_seventy_rows_flushed_at_once() {
  fx_base || return
  local i
  {
    echo "name,program,worker"
    for i in $(seq 1 70); do echo "Imported Client$(printf '%03d' "$i"),housing,alice"; done
  } >"$T/clients.csv"
  FX_CMD=(import "$T/clients.csv")
  fx_effect() {
    fx_expect_count "case folders" 71 "$(find cases -mindepth 1 -maxdepth 1 -type d | wc -l)"
    fx_expect_count "imported face sheets" 70 "$(grep -l '^  name: Imported Client' cases/*/case.yaml | wc -l)"
  }
  local FX_GROUPS=(fsync)
  fx_matrix import-70
  grep -q 'syncfs(' "$T/trace" || fail "the 70-row import made no syncfs call"
}

# --- review: a date that makes no sense writes nothing ------------------------------------------------------------

test_review_on_a_date_before_the_case_opened_writes_nothing() {
  fx_base || return
  cp -a "$T/tpl" "$T/w" && cd "$T/w" || return
  local before
  before=$(fx_dump .)
  crun review "$id" --date 2026-02-01 --on 2020-01-01
  [ "$rc" -ne 0 ] || fail "review --on 2020-01-01 (before the case opened on 2026-01-10) exits 0"
  [ "$(fx_dump .)" == "$before" ] || fail "review --on 2020-01-01 wrote: $(fx_delta . | paste -sd';')"
}

test_review_every_0d_writes_nothing() {
  fx_base || return
  cp -a "$T/tpl" "$T/w" && cd "$T/w" || return
  local before
  before=$(fx_dump .)
  crun review "$id" --every 0d
  [ "$rc" -ne 0 ] || fail "review --every 0d exits 0"
  [ "$(fx_dump .)" == "$before" ] || fail "review --every 0d wrote: $(fx_delta . | paste -sd';')"
}
