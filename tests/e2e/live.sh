#!/usr/bin/env bash
# A live session through the real path: coachd -> PortAudio -> ALSA -> a private
# PulseAudio null sink, recorded from its monitor.  Drives the daemon with
# coachctl (play, pause ~2 s, resume, next, stop) and checks the recording and
# the status replies: the hold keeps its remaining time across the pause, the
# pause is a silent gap, the skipped step's hold never sounds.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
REC=$E2E_TMP/live.wav
ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml


pulse_start || e2e_finish
record_start "$REC" || e2e_finish

"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" -v >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"

if wait_status '^idle .*routine="End to end"' 20; then
	pass daemon-ready
else
	fail daemon-ready "no idle status with the routine: ${STATUS:-no reply}"
	cat "$LOG"
	e2e_finish
fi

ctl play >/dev/null
# Step 1's hold (6 s) has begun: pause a second and a half into it.
if wait_status '^running step=1/3 .* phase=hold ' 10; then
	pass started-hold
else
	fail started-hold "$STATUS"
fi
sleep 1.5
pause_ms=$(now_ms)
ctl pause >/dev/null
sleep 0.3
status; before=$(field remaining); state1=${STATUS%% *}
sleep 2
status; after=$(field remaining); state2=${STATUS%% *}
resume_ms=$(now_ms)
ctl resume >/dev/null
if [ "$state1" = paused ] && [ "$state2" = paused ] && [ "$before" = "$after" ] &&
   awk -v r="$before" 'BEGIN { exit !(r > 3.5 && r < 5.0) }'; then
	pass pause-keeps-remaining
else
	fail pause-keeps-remaining "states $state1/$state2, remaining $before then $after"
fi

# Step 2: skip it while it is being announced, before its hold.
if wait_status '^running step=2/3 .* phase=announce ' 15; then
	ctl next >/dev/null
	pass reached-step-2
else
	fail reached-step-2 "$STATUS"
fi
if wait_status '^running step=3/3 ' 5; then pass next-skips; else fail next-skips "$STATUS"; fi

# Step 3's hold, then stop in the middle of it.  Right after "next" the
# status already names the hold while "Next: Three." is said; wait until the
# hold's own time runs.
wait_status '^running step=3/3 .* remaining=(1|2)\.[0-9] ' 15
ctl stop >/dev/null
if wait_status '^idle ' 5; then pass stopped; else fail stopped "$STATUS"; fi
sleep 1.5   # let "Stopped." play out before the recording ends
record_stop
[ -n "${COACH_KEEP_RECORDING:-}" ] && cp "$REC" "$COACH_KEEP_RECORDING"

# The recording: start tones of steps 1 and 3 only; step 1's end tone.
starts=$(tool_wav onsets "$REC" "$E2E_ROOT/sounds/start.wav" 0.97)
ends=$(tool_wav onsets "$REC" "$E2E_ROOT/sounds/end.wav" 0.97)
echo "start tones: $(echo $starts | tr '\n' ' ')"
echo "end tones: $(echo $ends | tr '\n' ' ')"
n_starts=$(grep -c . <<<"$starts")
if [ "$n_starts" -eq 2 ]; then
	pass skipped-step-absent
else
	fail skipped-step-absent "$n_starts start tones, expected 2 (steps 1 and 3)"
fi
s1=$(awk 'NR == 1 { print $1 }' <<<"$starts")
e1=$(awk 'NR == 1 { print $1 }' <<<"$ends")
paused_s=$(awk -v a="$pause_ms" -v b="$resume_ms" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
# The hold sounds for its 6 s plus the pause plus "Resuming." (under 1.5 s
# with its gap); the control's own timing adds at most a callback's latency.
held=$(awk -v s="$s1" -v e="$e1" -v p="$paused_s" 'BEGIN { printf "%.3f", e - s - p }')
echo "step 1: start $s1 s, end $e1 s, paused $paused_s s, held $held s"
if awk -v h="$held" 'BEGIN { exit !(h > 6.2 && h < 7.6) }'; then
	pass hold-time-kept
else
	fail hold-time-kept "start to end minus the pause is $held s (expected 6 s + the resume cue)"
fi
# The pause is a silence of about two seconds less the "Paused." cue.  The
# hold has other quiet stretches (before the pause, after "Resuming."), so
# the one taken is the closest to the pause less the cue.
gap=$(tool_wav gaps "$REC" 900 | awk -v s="$s1" -v e="$e1" -v p="$paused_s" '
	$1 > s && $1 < e { d = $2 - (p - 0.6); if (d < 0) d = -d; if (g == "" || d < best) { best = d; g = $2 } }
	END { if (g != "") print g }')
if [ -n "$gap" ] && awk -v g="$gap" -v p="$paused_s" 'BEGIN { exit !(g > p - 1.0 && g < p + 0.2) }'; then
	pass pause-is-silent
else
	fail pause-is-silent "silent gap in the hold: '${gap:-none}' s for a ${paused_s} s pause"
fi

# SIGTERM: exit 0 and the socket removed.
kill -TERM "$COACHD"
wait "$COACHD"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -e "$SOCK" ]; then
	pass sigterm-clean-exit
else
	fail sigterm-clean-exit "exit $rc, socket $( [ -e "$SOCK" ] && echo left || echo removed)"
fi
grep -q 'audio: .*Hz.*latency' "$LOG" && pass logs-device || fail logs-device "no device line in the log"
echo "--- coachd log"; cat "$LOG"
e2e_finish
