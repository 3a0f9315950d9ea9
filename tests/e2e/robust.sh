#!/usr/bin/env bash
# The daemon under things that go wrong: a bad edit reloaded, a good edit
# reloaded, the sound server dying mid-session, keys from a terminal, a second
# daemon on the same socket, and a bad config at start-up.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
WORK=$E2E_TMP/routine.yaml
cp "$E2E_ROOT/tests/routines/e2e-short.yaml" "$WORK"


pulse_start || e2e_finish

# --- under systemd (JOURNAL_STREAM set) lines carry journald priorities ---
printf 'audio:\n  volume: loud\n' >"$E2E_TMP/bad.yaml"
JOURNAL_STREAM=8:1234 "$BUILD/coachd" -c "$E2E_TMP/bad.yaml" -s "$SOCK" 2>"$E2E_TMP/journal.log"
if grep -q "^<3>$E2E_TMP/bad.yaml:2:11: error: " "$E2E_TMP/journal.log"; then
	pass journald-priorities
else
	fail journald-priorities "$(cat "$E2E_TMP/journal.log")"
fi

# --- a bad config at start-up: refuse to start, exit 78, say where ----------
printf 'audio:\n  volume: loud\n' >"$E2E_TMP/bad.yaml"
"$BUILD/coachd" -c "$E2E_TMP/bad.yaml" -s "$SOCK" 2>"$E2E_TMP/bad.log"
rc=$?
if [ "$rc" -eq 78 ] && grep -q "bad.yaml:2:11: error: invalid value 'loud' for 'volume'" "$E2E_TMP/bad.log" &&
   [ ! -e "$SOCK" ]; then
	pass bad-config-refused
else
	fail bad-config-refused "exit $rc: $(cat "$E2E_TMP/bad.log")"
fi

"$BUILD/coachd" -r "$WORK" -s "$SOCK" >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_status '^idle .*routine="End to end"' 20 && pass ready || { fail ready "${STATUS:-}"; cat "$LOG"; e2e_finish; }

# --- a second daemon on the same socket is refused, the first unharmed ----
"$BUILD/coachd" -r "$WORK" -s "$SOCK" 2>"$E2E_TMP/second.log"
rc=$?
status
if [ "$rc" -ne 0 ] && grep -q "another coachd is running" "$E2E_TMP/second.log" && [[ $STATUS == idle* ]]; then
	pass second-daemon-refused
else
	fail second-daemon-refused "exit $rc, $(cat "$E2E_TMP/second.log"), status '$STATUS'"
fi

# --- a bad edit, reloaded: the error is logged with its place; nothing lost -
sed -i 's/time: 6s/time: 6 seconds/' "$WORK"
kill -HUP "$COACHD"
if wait_for "grep -q 'routine.yaml:9:11: error: .*6 seconds' '$LOG'" 5; then
	pass reload-bad-logged
else
	fail reload-bad-logged "no located error in the log"
fi
status
[[ $STATUS =~ routine=\"End\ to\ end\" ]] && kill -0 "$COACHD" && pass reload-bad-keeps-old ||
	fail reload-bad-keeps-old "$STATUS"
grep -q "keeping the running config and routine" "$LOG" && pass reload-bad-says-kept ||
	fail reload-bad-says-kept "no notice in the log"
# No screen: the error is also said aloud, which starts the audio stream.
if grep -q 'saying when idle: "The routine file has an error on line 9."' "$LOG" &&
   wait_for "grep -q 'audio: default' '$LOG'" 5; then
	pass reload-bad-said-aloud
else
	fail reload-bad-said-aloud "not said"
fi

# --- a good edit, reloaded through coachctl: the new routine takes over ----
sed -i 's/time: 6 seconds/time: 4s/; s/^name: End to end/name: Edited/' "$WORK"
reply=$(ctl reload)
if [ "$reply" = "ok reloading" ] && wait_status '^idle .*routine="Edited"' 10; then
	pass reload-good
else
	fail reload-good "reply '$reply', status '$STATUS'"
fi

# --- the sound server dies mid-hold: pause, reconnect, resume at the frame -
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold remaining=[0-3]\.' 15
pulse_restart 3 &
RESTART=$!
# Within the stall limit (1.5 s) plus a tick, the session is paused by itself.
if wait_status '^paused .*audio=lost' 6; then
	lost_at=$(field remaining)
	pass loss-pauses
else
	fail loss-pauses "$STATUS"
	lost_at=
fi
wait "$RESTART"
# The server is back: within a retry (2 s) the session runs again from there.
if wait_status '^running .*audio=ok' 8; then
	pass loss-resumes
else
	fail loss-resumes "$STATUS"
fi
resumed_at=$(field remaining)
if [ -n "$lost_at" ] && awk -v a="$lost_at" -v b="$resumed_at" 'BEGIN { exit !(b <= a && a - b < 0.6) }'; then
	pass loss-same-frame
else
	fail loss-same-frame "remaining $lost_at when lost, $resumed_at after"
fi
kill -0 "$COACHD" && pass loss-daemon-alive || fail loss-daemon-alive "coachd exited"
# PortAudio prints each ALSA call that failed as the server went
# ("Expression '...' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line:
# N"): debug lines of coachd's log (-v), not lines of their own.
stray=$(grep -c "^Expression '" "$LOG")
[ "$stray" -eq 0 ] && pass portaudio-lines-kept-out ||
	fail portaudio-lines-kept-out "$stray lines: $(grep -m1 "^Expression '" "$LOG")"
ctl stop >/dev/null
wait_status '^idle ' 5

# --- a device that is not there: named, the others listed, retried calmly --
sed -e 's|^  device: default|  device: NoSuchCard|' "$E2E_ROOT/config/coach.yaml" >"$E2E_TMP/nodev.yaml"
NODEV_SOCK=$E2E_TMP/nodev.sock
"$BUILD/coachd" -c "$E2E_TMP/nodev.yaml" -r "$WORK" -s "$NODEV_SOCK" >"$E2E_TMP/nodev.log" 2>&1 &
NODEV=$!
at_exit "kill $NODEV 2>/dev/null"
SOCK=$NODEV_SOCK wait_status '^idle .*Edited' 20
SOCK=$NODEV_SOCK ctl play >/dev/null 2>&1
sleep 1
t0=$(awk '{ print $14 + $15 }' "/proc/$NODEV/stat")
sleep 5
t1=$(awk '{ print $14 + $15 }' "/proc/$NODEV/stat")
SOCK=$NODEV_SOCK status
nodev_status=$STATUS
if grep -q "no output device matches 'NoSuchCard'; these are available:" "$E2E_TMP/nodev.log" &&
   grep -q "^coachd: info:   [0-9]*: .*channels" "$E2E_TMP/nodev.log"; then
	pass missing-device-named-and-listed
else
	fail missing-device-named-and-listed "$(cat "$E2E_TMP/nodev.log")"
fi
[[ $nodev_status == *audio=lost* ]] && pass missing-device-status || fail missing-device-status "$nodev_status"
# Retrying every 2 s costs next to nothing: under 0.2 s of CPU in 5 s.
[ $((t1 - t0)) -lt 20 ] && pass missing-device-no-spin || fail missing-device-no-spin "$((t1 - t0)) ticks in 5 s"
# The device fixed in the config and reloaded: no restart, the session plays.
sed -i -e 's|^  device: NoSuchCard|  device: default|' -e 's|^  latency: .*|  latency: 200ms|' \
	"$E2E_TMP/nodev.yaml"
SOCK=$NODEV_SOCK ctl reload >/dev/null 2>&1
if SOCK=$NODEV_SOCK wait_status '^running .*audio=ok' 5 &&
   grep -q "audio: device is back" "$E2E_TMP/nodev.log" && kill -0 "$NODEV"; then
	pass missing-device-fixed-by-reload
else
	fail missing-device-fixed-by-reload "$STATUS"
	tail -n 5 "$E2E_TMP/nodev.log"
fi
# ... with the reloaded latency (100 ms before), as PortAudio reports it.
opened=$(grep "audio: .* Hz" "$E2E_TMP/nodev.log" | tail -n 1)
latency=$(sed -n 's/.*latency \([0-9]*\) ms$/\1/p' <<<"$opened")
[ "${latency:-0}" -ge 150 ] && pass missing-device-reload-latency ||
	fail missing-device-reload-latency "$opened"
kill "$NODEV"; wait "$NODEV" 2>/dev/null

# --- SIGINT: a clean exit like SIGTERM --------------------------------------
kill -INT "$COACHD"
wait "$COACHD"
rc=$?
[ "$rc" -eq 0 ] && [ ! -e "$SOCK" ] && pass sigint-clean-exit || fail sigint-clean-exit "exit $rc"

# --- terminal mode: keys from standard input ------------------------------
mkfifo "$E2E_TMP/keys"
"$BUILD/coachd" -r "$WORK" -s "$SOCK" --keyboard <"$E2E_TMP/keys" >"$E2E_TMP/kbd.log" 2>&1 &
KBD=$!
exec 7>"$E2E_TMP/keys"
at_exit "exec 7>&-; kill $KBD 2>/dev/null"
wait_status '^idle ' 20
printf ' ' >&7
wait_status '^running ' 5 && pass key-space-plays || fail key-space-plays "$STATUS"
printf ' ' >&7
wait_status '^paused ' 5 && pass key-space-pauses || fail key-space-pauses "$STATUS"
printf 'n' >&7
wait_status '^running step=2/3 ' 5 && pass key-n-next || fail key-n-next "$STATUS"
printf 's' >&7
wait_status '^idle ' 5 && pass key-s-stops || fail key-s-stops "$STATUS"
printf 'q' >&7
if wait_for "! kill -0 $KBD 2>/dev/null" 5; then
	wait "$KBD"
	rc=$?
	[ "$rc" -eq 0 ] && pass key-q-quits || fail key-q-quits "exit $rc"
else
	fail key-q-quits "still running"
fi

echo "--- coachd log"; cat "$LOG"
e2e_finish
