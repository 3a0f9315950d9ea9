#!/usr/bin/env bash
# valgrind memcheck over a full offline render and a short live session
# (play, pause, resume, next, stop, reload, SIGTERM through the real PortAudio
# path): no invalid access, no use of uninitialized memory in our code, and no
# definite or indirect leak.  Audio libraries' own reports are suppressed in
# tests/valgrind.supp, each with its reason.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
SUPP=$E2E_ROOT/tests/valgrind.supp
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --suppressions="$SUPP" --num-callers=30)

if ! command -v valgrind >/dev/null; then
	fail valgrind-present "valgrind is not installed (make deps installs it)"
	e2e_finish
fi

# A full render of the default routine at the default rate.
"${VG[@]}" "$BUILD/coachd" --render "$E2E_TMP/full.wav" >"$E2E_TMP/render.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then pass render-memcheck; else fail render-memcheck "exit $rc"; cat "$E2E_TMP/render.log"; fi

pulse_start || e2e_finish
"${VG[@]}" "$BUILD/coachd" -r "$E2E_ROOT/tests/routines/e2e-short.yaml" -s "$SOCK" >"$E2E_TMP/live.log" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
# Everything runs some 20 to 50 times slower under valgrind: generous waits.
if wait_status '^idle .*routine="End to end"' 90; then pass live-ready; else fail live-ready "${STATUS:-}"; fi
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 60
sleep 1
ctl pause >/dev/null
wait_status '^paused ' 20
sleep 1
ctl resume >/dev/null
wait_status '^running ' 20
ctl next >/dev/null
wait_status '^running step=2/3 ' 30
ctl reload >/dev/null
sleep 2
ctl stop >/dev/null
wait_status '^idle ' 30 && pass live-controls || fail live-controls "${STATUS:-}"
kill -TERM "$COACHD"
wait "$COACHD"
rc=$?
if [ "$rc" -eq 0 ]; then pass live-memcheck; else fail live-memcheck "exit $rc"; fi
[ "$rc" -eq 0 ] || grep -v '^coachd: ' "$E2E_TMP/live.log" | head -80
e2e_finish
