#!/usr/bin/env bash
# Outputs named the ALSA way (issue 18): an ALSA PCM string with arguments,
# which PortAudio does not list and coachd opens by its name (a user's PCM
# of ALSA's pulse plugin, given the null sink as its argument), to the
# private PulseAudio null sink; `coachd --list-devices`; and the listing in
# the log when nothing matches; and a device that does not take the
# config's rate (ALSA's a52 plugin, which takes only the rate it is given:
# the one constrained device ALSA can make without a card).  Cards
# (plughw:CARD=X, auto) and constrained type hw devices are tested in the
# system test's VM, on snd-aloop (tests/system/guest/run, devices).
set -u
. "$(dirname "$0")/lib.sh"

ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml
SOCK=$E2E_TMP/coach.sock
REC=$E2E_TMP/devices.wav

pulse_start || e2e_finish
# A user's own PCM, described for ALSA's hints as users' are.
cat >>"$HOME/.asoundrc" <<'ASOUNDRC'
pcm.coachtest {
	@args [ SINK ]
	@args.SINK { type string default "" }
	type pulse
	device $SINK
	hint { show on description "coach test output" }
}
pcm.only44100 { type a52 rate 44100 channels 2 slavepcm "pulse" }
ASOUNDRC
conf() { # conf FILE DEVICE
	sed -e "s|^  device: default.*|  device: \"$2\"|" "$E2E_ROOT/config/coach.yaml" >"$1"
}
DEV="coachtest:SINK=$PULSE_SINK"
conf "$E2E_TMP/plug.yaml" "$DEV"
conf "$E2E_TMP/none.yaml" "NoSuchCard"
conf "$E2E_TMP/only44100.yaml" "only44100"

# --- --list-devices ------------------------------------------------------------
"$BUILD/coachd" --list-devices -c "$E2E_TMP/plug.yaml" >"$E2E_TMP/list.txt" 2>"$E2E_TMP/list.err"
rc=$?
sed 's/^/  | /' "$E2E_TMP/list.txt"
if [ "$rc" -eq 0 ] && grep -q '^  auto  *' "$E2E_TMP/list.txt" &&
   grep -q '^  coachtest  *coach test output$' "$E2E_TMP/list.txt" &&
   grep -qx "The config's device '$DEV' is $DEV: the ALSA device $DEV." \
	"$E2E_TMP/list.txt"; then
	pass list-devices
else
	fail list-devices "rc $rc; $(head -c 300 "$E2E_TMP/list.err")"
fi

# --- nothing matches: the log lists what there is -------------------------------
"$BUILD/coachd" -c "$E2E_TMP/none.yaml" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/none.log" 2>&1 &
NONE=$!
at_exit "kill $NONE 2>/dev/null"
if wait_status '^idle .*audio=lost' 20 &&
   grep -q "no output device matches 'NoSuchCard'" "$E2E_TMP/none.log" &&
   grep -q '  auto  ' "$E2E_TMP/none.log" && grep -q '  coachtest  *coach test output' "$E2E_TMP/none.log"; then
	pass no-match-lists-outputs
else
	fail no-match-lists-outputs "${STATUS:-no status}: $(tail -n 5 "$E2E_TMP/none.log")"
fi
kill "$NONE"; wait "$NONE" 2>/dev/null

# --- a session through an ALSA PCM named in the config ---------------------------
record_start "$REC" || e2e_finish
"$BUILD/coachd" -c "$E2E_TMP/plug.yaml" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/plug.log" 2>&1 &
PLUG=$!
at_exit "kill $PLUG 2>/dev/null; wait $PLUG 2>/dev/null"
if wait_status '^idle .*routine="End to end".* audio=ok' 20; then
	ctl play >/dev/null
	wait_status '^running step=1/3 .* phase=hold ' 15 || fail plug-hold "${STATUS:-no status}"
	sleep 1
	ctl stop >/dev/null
	wait_status '^idle ' 5
	sleep 1
fi
record_stop
starts=$(tool_wav onsets "$REC" "$E2E_ROOT/sounds/start.wav" 0.97)
echo "start tones through $DEV: $(echo $starts)"
if grep -q "audio: device '$DEV' is $DEV: the ALSA device $DEV" "$E2E_TMP/plug.log" &&
   grep -q "audio: $DEV, 48000 Hz" "$E2E_TMP/plug.log" && [ "$(grep -c . <<<"$starts")" -eq 1 ]; then
	pass plays-on-alsa-pcm-by-name
else
	fail plays-on-alsa-pcm-by-name "$(grep audio: "$E2E_TMP/plug.log" | head -n 5)"
fi
kill "$PLUG"; wait "$PLUG" 2>/dev/null

# --- a device that does not take the config's rate (48000) ------------------------
# Found when coachd looks for the device at start-up: said once, the routine
# prepared again at 44100 Hz, and the session plays at that rate.  (What it
# plays is AC3 to the null sink: the tones' times are checked in the VM.)
"$BUILD/coachd" -c "$E2E_TMP/only44100.yaml" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/rate.log" 2>&1 &
RATE=$!
at_exit "kill $RATE 2>/dev/null; wait $RATE 2>/dev/null"
wait_for "grep -q 'playing at 44100 Hz' '$E2E_TMP/rate.log'" 20
# The routine at the new rate is installed (its second "routine" line).
wait_for "[ \$(grep -c '^coachd: info: routine \"End to end\"' '$E2E_TMP/rate.log') -ge 2 ]" 30
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold .*audio=ok' 20
ctl stop >/dev/null
sed -n 's/^coachd: [a-z]*: audio: //p' "$E2E_TMP/rate.log" | head -n 4
if [ "$(grep -c "does not play 48000 Hz; playing at 44100 Hz" "$E2E_TMP/rate.log")" -eq 1 ] &&
   grep -q "audio: only44100, 44100 Hz" "$E2E_TMP/rate.log" && [[ ${STATUS:-} == running* ]]; then
	pass plays-at-the-rate-the-device-takes
else
	fail plays-at-the-rate-the-device-takes "${STATUS:-no status}: $(grep audio: "$E2E_TMP/rate.log" | head -n 4)"
fi
kill "$RATE"; wait "$RATE" 2>/dev/null

e2e_finish
