#!/usr/bin/env bash
# A session under load: stress-ng keeps both cores busy and writes to disk
# while coachd plays the short routine into the PulseAudio null sink.  From
# the recording: every tone where the plan puts it relative to the first
# (within 3 ms), no silence the offline render of the same routine does not
# have (an underrun puts one in the middle of a word), and no device taken
# for lost.  Every glitch heard is counted (xruns) in status and history.
#
# Here, in make test, and not only in the system test's VM: what is tested
# is coachd's own path (its audio thread's priority, its buffer, its stall
# detection) on a machine as busy as a Pi running apt, and that path is the
# same through the pulse plugin as through a card; the VM's software
# emulation is too slow to tell coachd's lateness from the emulator's.
set -u
. "$(dirname "$0")/lib.sh"

ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml
SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
REC=$E2E_TMP/load.wav
RENDER=$E2E_TMP/render.wav

if ! command -v stress-ng >/dev/null; then
	fail stress-ng-present "stress-ng is not installed (make deps installs it)"
	e2e_finish
fi
pulse_start || e2e_finish
# The sound server stands in for a sound card, whose clock no load delays:
# its threads get real-time priority, as PulseAudio's own get through rtkit
# on a desktop (the test's server is started without).  What is left to the
# load is coachd's side: its audio threads and its buffer.
if ! chrt -a -f -p 20 "$(pulse_pid)" >/dev/null 2>&1; then
	fail pulse-realtime "cannot give the test's PulseAudio real-time priority (chrt: root or RLIMIT_RTPRIO)"
	e2e_finish
fi

# The plan's tones ("SECONDS TYPE"; --plan prints truncated milliseconds)
# and the recording's, as the bench finds them.
# A fresh state folder (lib.sh's HOME): the session is a first one, which
# says each step's explanation; --first plans and renders the same.
plan_tones "$ROUTINE" >"$E2E_TMP/plan-tones.txt"
"$BUILD/coachd" -r "$ROUTINE" --first --render "$RENDER" >/dev/null 2>&1 ||
	{ fail render "coachd --render failed"; e2e_finish; }

# Digital silence of 8 ms or more, relative to the first tone: "START LENGTH".
silences() {  # silences WAV FIRST_TONE_S
	tool_wav gaps "$1" 8 -90 | awk -v f="$2" '{ printf "%.4f %.4f\n", $1 - f, $2 }'
}

# COACH_LOAD_LATENCY=MS: another device buffer than the shipped config's
# (to compare buffer strategies by hand).
CONFIG=$E2E_ROOT/config/coach.yaml
if [ -n "${COACH_LOAD_LATENCY:-}" ]; then
	sed "s/^  latency: .*/  latency: ${COACH_LOAD_LATENCY}ms/" "$CONFIG" >"$E2E_TMP/coach.yaml"
	CONFIG=$E2E_TMP/coach.yaml
fi
"$BUILD/coachd" -c "$CONFIG" -r "$ROUTINE" -s "$SOCK" >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_status '^idle .*routine="End to end"' 30 || { fail ready "${STATUS:-}"; cat "$LOG"; e2e_finish; }
record_start "$REC" || e2e_finish

# Both cores busy, and disk writes, for longer than the session (33 s).
stress-ng --cpu 2 --hdd 1 --hdd-bytes 16M --temp-path "$E2E_TMP" --timeout 60s --quiet \
	>"$E2E_TMP/stress.log" 2>&1 &
STRESS=$!
at_exit "kill $STRESS 2>/dev/null; wait $STRESS 2>/dev/null"
sleep 2
load=$(cut -d' ' -f1 /proc/loadavg)
ctl play >/dev/null
if wait_status '^finished ' 60; then pass session-finished; else fail session-finished "${STATUS:-}"; fi
xruns=$(field xruns)
sleep 1.5
record_stop
kill "$STRESS" 2>/dev/null
wait "$STRESS" 2>/dev/null
echo "load average at the start: $load; coachd's glitches (xruns): ${xruns:-?}"

found_tones "$REC" >"$E2E_TMP/rec-tones.txt"
found_tones "$RENDER" >"$E2E_TMP/render-tones.txt"
read -r n_found n_plan worst < <(pair_tones "$E2E_TMP/plan-tones.txt" "$E2E_TMP/rec-tones.txt")
echo "tones: $n_found of $n_plan where the plan has them; the worst $worst ms off (relative to the first)"
# --plan truncates to the ms: 1 ms of that, 2 of play.
if [ "$n_found" -eq "$n_plan" ] && [ "$(wc -l <"$E2E_TMP/rec-tones.txt")" -eq "$n_plan" ] &&
   awk -v w="$worst" 'BEGIN { exit !(w <= 3) }'; then
	pass load-tones-on-time
else
	fail load-tones-on-time "$n_found/$n_plan tones in order, worst $worst ms"
	paste "$E2E_TMP/plan-tones.txt" "$E2E_TMP/rec-tones.txt"
fi

# Silences: the recording's, within the session, against the render's.
rec_first=$(awk 'NR == 1 { print $1 }' "$E2E_TMP/rec-tones.txt")
ren_first=$(awk 'NR == 1 { print $1 }' "$E2E_TMP/render-tones.txt")
last=$(awk 'END { print $1 + 1 }' "$E2E_TMP/plan-tones.txt")
first=$(awk 'NR == 1 { print -$1 }' "$E2E_TMP/plan-tones.txt")
silences "$REC" "${rec_first:-0}" | awk -v a="$first" -v b="$last" '$1 > a && $1 + $2 < b' \
	>"$E2E_TMP/rec-gaps.txt"
silences "$RENDER" "${ren_first:-0}" | awk -v a="$first" -v b="$last" '$1 > a && $1 + $2 < b' \
	>"$E2E_TMP/render-gaps.txt"
# Paired in order: an underrun in a word adds a silence, one in a pause
# lengthens it (by more than the 5 ms allowed for where a fade crosses -90).
extra=$(paste -d' ' "$E2E_TMP/render-gaps.txt" "$E2E_TMP/rec-gaps.txt" | awk '
	function abs(x) { return x < 0 ? -x : x }
	NF != 4 || abs($2 - $4) > 0.005 { printf "%s+%ss ", $3 != "" ? $3 : "?", $4 != "" ? $4 : "?"; if (++n == 5) exit }')
echo "silences in the session: $(grep -c . "$E2E_TMP/rec-gaps.txt") recorded, $(grep -c . "$E2E_TMP/render-gaps.txt") in the render; not in the render: ${extra:-none}"
[ -z "$extra" ] && pass load-no-dropouts || fail load-no-dropouts "silences the render does not have (s from the first tone): $extra"

# A glitch heard is a glitch counted.
if [ -z "$extra" ] || [ "${xruns:-0}" -gt 0 ]; then
	pass load-glitches-counted
else
	fail load-glitches-counted "dropouts in the recording, xruns=${xruns:-?}"
fi
if grep -q 'stopped playing\|did not start\|device is back' "$LOG"; then
	fail load-no-false-loss "$(grep 'stopped playing\|did not start\|device is back' "$LOG")"
else
	pass load-no-false-loss
fi

# --- a stall is counted: coachd stopped 300 ms mid-hold ----------------------
# Longer than its buffer (40 ms), shorter than a lost device.  The status
# and the session's history line say so.
STATE=$E2E_TMP/state
kill "$COACHD"; wait "$COACHD" 2>/dev/null
mkdir -p "$STATE"
STATE_DIRECTORY=$STATE "$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/stall.log" 2>&1 &
COACHD=$!
at_exit "kill -CONT $COACHD 2>/dev/null; kill $COACHD 2>/dev/null"
wait_status '^idle .*routine="End to end"' 30
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 10
kill -STOP "$COACHD"; sleep 0.3; kill -CONT "$COACHD"
sleep 0.5
status
stalled=$(field xruns)
ctl stop >/dev/null
wait_status '^idle ' 5
wait_for "[ -s '$STATE/history.tsv' ]" 5
line=$(tail -n 1 "$STATE/history.tsv" 2>/dev/null)
echo "after a 300 ms stop: xruns=$stalled; history: $line"
if [ "${stalled:-0}" -ge 1 ] && [ "$(awk -F'\t' '{ print NF }' <<<"$line")" -eq 8 ] &&
   [ "$(awk -F'\t' '{ print $6 }' <<<"$line")" -ge 1 ] &&
   grep -q 'audio: [1-9][0-9]* glitch.* in the session' "$E2E_TMP/stall.log"; then
	pass stall-counted
else
	fail stall-counted "xruns=${stalled:-?}, history '$line'"
	grep 'audio:' "$E2E_TMP/stall.log"
fi
grep -q 'stopped playing' "$E2E_TMP/stall.log" && fail stall-not-lost "$(grep 'stopped playing' "$E2E_TMP/stall.log")" ||
	pass stall-not-lost

echo "--- coachd log"; cat "$LOG"
e2e_finish
