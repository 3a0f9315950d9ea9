#!/usr/bin/env bash
# Terminal mode on a real terminal (a pty from script(1)): keys act without
# Enter, the progress line is drawn, and the terminal's settings are restored
# on every way out (q, SIGTERM).
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml

pulse_start || e2e_finish

# Inside the pty: record the settings, run coachd, record them again.
inner() {
	cat >"$E2E_TMP/inner.sh" <<INNER
stty -g >"$E2E_TMP/before.\$1"
"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" --keyboard
echo "exit \$?" >"$E2E_TMP/rc.\$1"
stty -g >"$E2E_TMP/after.\$1"
INNER
}
inner

# 1. Keys, then q.
mkfifo "$E2E_TMP/in"
script -qfec "sh $E2E_TMP/inner.sh q" /dev/null <"$E2E_TMP/in" >"$E2E_TMP/screen.q" 2>&1 &
SCRIPT=$!
exec 8>"$E2E_TMP/in"
at_exit "exec 8>&-; kill $SCRIPT 2>/dev/null"
wait_status '^idle ' 20 || fail started "${STATUS:-}"
printf ' ' >&8
wait_status '^running ' 5 && pass key-without-enter || fail key-without-enter "$STATUS"
sleep 1
printf 's' >&8
wait_status '^idle ' 5
printf 'q' >&8
wait_for "[ -s '$E2E_TMP/rc.q' ]" 10
grep -q 'exit 0' "$E2E_TMP/rc.q" && pass q-exits-0 || fail q-exits-0 "$(cat "$E2E_TMP/rc.q" 2>/dev/null)"
cmp -s "$E2E_TMP/before.q" "$E2E_TMP/after.q" && pass q-restores-terminal ||
	fail q-restores-terminal "$(cat "$E2E_TMP/before.q") -> $(cat "$E2E_TMP/after.q")"
grep -q 'Step 1/3: One' "$E2E_TMP/screen.q" && pass progress-line ||
	fail progress-line "no progress line on the terminal"
exec 8>&-
wait "$SCRIPT" 2>/dev/null

# 2. SIGTERM while running.
mkfifo "$E2E_TMP/in2"
script -qfec "sh $E2E_TMP/inner.sh term" /dev/null <"$E2E_TMP/in2" >/dev/null 2>&1 &
SCRIPT=$!
exec 8>"$E2E_TMP/in2"
wait_status '^idle ' 20
printf ' ' >&8
wait_status '^running ' 5
pkill -TERM -f "coachd -r $ROUTINE -s $SOCK --keyboard"
wait_for "[ -s '$E2E_TMP/rc.term' ]" 10
grep -q 'exit 0' "$E2E_TMP/rc.term" && pass sigterm-exits-0 || fail sigterm-exits-0 "$(cat "$E2E_TMP/rc.term" 2>/dev/null)"
cmp -s "$E2E_TMP/before.term" "$E2E_TMP/after.term" && pass sigterm-restores-terminal ||
	fail sigterm-restores-terminal "$(cat "$E2E_TMP/before.term") -> $(cat "$E2E_TMP/after.term")"
exec 8>&-
e2e_finish
