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

# --- the rate changed by a reload, no restart ---------------------------------------
# The configured rate kept apart from the one that plays: a reload looks at
# the device again for the new rate, prepares the routine at the rate it
# plays and the next session plays at it.  On the null sink, which takes any
# rate: 48000 -> 44100 (a session recorded: the plan's tones at the plan's
# times at 44100) -> 48000; then on only44100: 44100 plays as configured,
# and a reload to 48000 falls back to 44100, said as at start-up.
RR=$E2E_TMP/rate-reload
RRLOG=$RR.log
REC=$RR.wav
cat >"$RR-routine.yaml" <<'ROUTINE'
name: Rate
safety: Go.
countdown: 0
prepare: 0s
rest: 1s
steps:
  - name: One
    time: 2s
  - name: Two
    time: 2s
ROUTINE
rr_conf() { # rr_conf DEVICE RATE: the config coachd reads, written whole
	conf "$RR.new" "$1" && sed -i "s/^  rate: .*/  rate: $2/" "$RR.new" && mv "$RR.new" "$RR.yaml"
}
# rr_reload DEVICE RATE N: the config changed and reloaded; the routine's
# Nth install at RATE follows.
rr_reload() {
	rr_conf "$1" "$2"
	ctl reload >/dev/null &&
		wait_for "[ \$(grep -c 'routine \"Rate\": .* at $2 Hz' '$RRLOG') -ge $3 ]" 30 &&
		wait_status '^idle ' 10
}
# rr_plays NAME DEVICE RATE N: reloaded with DEVICE and RATE (rr_reload), a
# session starts, its stream at DEVICE and RATE (said when either changes),
# and is stopped.
rr_plays() {
	local ok=
	if rr_reload "$2" "$3" "$4"; then
		ctl play >/dev/null
		wait_for "grep -q 'audio: $2, $3 Hz, ' '$RRLOG'" 15 &&
			wait_status '^running .*audio=ok' 10 && ok=1
		ctl stop >/dev/null
		wait_status '^idle ' 10
	fi
	[ -n "$ok" ] && pass "$1" ||
		fail "$1" "${STATUS:-no status}: $(grep -E 'audio:|routine' "$RRLOG" | tail -n 3)"
}
rr_conf default 48000
# A state folder of its own: the session is a first one, as plan_tones plans.
XDG_STATE_HOME=$RR-state "$BUILD/coachd" -v -c "$RR.yaml" -r "$RR-routine.yaml" -s "$SOCK" \
	>"$RRLOG" 2>&1 &
RRPID=$!
at_exit "kill $RRPID 2>/dev/null; wait $RRPID 2>/dev/null"
if ! wait_for "grep -q 'routine \"Rate\": .* at 48000 Hz' '$RRLOG'" 30 || ! wait_status '^idle ' 10; then
	fail rate-reload-starts "$(tail -n 3 "$RRLOG")"
	e2e_finish
fi
# A rate changed while a session plays waits for it: what is said meanwhile
# (where am I, a count) is prepared at the rate the stream plays, so nothing
# is prepared at 44100 until the session is over (then it is: the
# routine's first install at 44100, the second at 48000 again).
ctl play >/dev/null
if wait_status '^running ' 10; then
	rr_conf default 44100
	ctl reload >/dev/null
	sleep 1.5
	early=$(grep -c 'preparing .* at 44100 Hz' "$RRLOG")
	ctl stop >/dev/null
	wait_status '^idle ' 10
	wait_for "grep -q 'routine \"Rate\": .* at 44100 Hz' '$RRLOG'" 15 && [ "$early" -eq 0 ] &&
		pass rate-reload-waits-for-the-session ||
		fail rate-reload-waits-for-the-session "$early preparations at 44100 while the session played: $(grep -E 'preparing|audio:' "$RRLOG" | tail -n 4)"
	rr_conf default 48000
	ctl reload >/dev/null
	wait_for "[ \$(grep -c 'routine \"Rate\": .* at 48000 Hz' '$RRLOG') -ge 2 ]" 30 && wait_status '^idle ' 10
else
	fail rate-reload-waits-for-the-session "no session: ${STATUS:-no status}"
fi
# 48000 -> 44100: said, prepared at 44100; the session recorded until after
# the last hold's end tone (10.8 s), then stopped.
plan_tones "$RR-routine.yaml" 44100 | awk '$1 < 11' >"$RR-plan.txt"
if rr_reload default 44100 2 &&
   grep -q 'audio: rate 44100 Hz (was 48000 Hz)' "$RRLOG"; then
	pass rate-reload-prepares-44100
else
	fail rate-reload-prepares-44100 "$(grep -E 'audio:|routine|reload' "$RRLOG" | tail -n 4)"
fi
record_start "$REC" || e2e_finish
ctl play >/dev/null
wait_status '^running ' 10
sleep 11.5
ctl stop >/dev/null
wait_status '^idle ' 10
sleep 0.5
record_stop
found_tones "$REC" >"$RR-rec.txt"
read -r n_found n_plan worst < <(pair_tones "$RR-plan.txt" "$RR-rec.txt")
echo "after the reload to 44100 Hz: tones $n_found of $n_plan where the plan has them;" \
     "the worst $worst ms off (relative to the first)"
# --plan truncates to the ms: 1 ms of that, 2 of play (as e2e/load).
if grep -q 'audio: default, 44100 Hz, ' "$RRLOG" && [ "$n_plan" -ge 5 ] &&
   [ "$n_found" -eq "$n_plan" ] && [ "$(wc -l <"$RR-rec.txt")" -eq "$n_plan" ] &&
   awk -v w="$worst" 'BEGIN { exit !(w <= 3) }'; then
	pass rate-reload-plays-44100
else
	fail rate-reload-plays-44100 "$n_found/$n_plan tones, worst $worst ms: $(grep 'audio: default' "$RRLOG")"
	paste "$RR-plan.txt" "$RR-rec.txt"
fi
# And back: 48000 again.
rr_plays rate-reload-back-to-48000 default 48000 3
# The device that takes only 44100: asked for it, it plays it, nothing said;
# asked for 48000 again (SIGHUP, as systemctl reload), it falls back to
# 44100, said once, as at start-up.
rr_plays rate-reload-device-44100 only44100 44100 3
rr_conf only44100 48000
kill -HUP "$RRPID"
if wait_for "grep -q \"'only44100' does not play 48000 Hz; playing at 44100 Hz\" '$RRLOG'" 20 &&
   wait_for "[ \$(grep -c 'routine \"Rate\": .* at 44100 Hz' '$RRLOG') -ge 4 ]" 30 &&
   wait_status '^idle ' 10; then
	ctl play >/dev/null
	wait_status '^running .* phase=hold .*audio=ok' 15
	ctl stop >/dev/null
fi
if [[ ${STATUS:-} == running* ]] &&
   [ "$(grep -c 'does not play 48000 Hz; playing at 44100 Hz' "$RRLOG")" -eq 1 ] &&
   ! grep -q 'the session stops: it was prepared at' "$RRLOG"; then
	pass rate-reload-falls-back
else
	fail rate-reload-falls-back "${STATUS:-no status}: $(grep -E 'audio:|routine' "$RRLOG" | tail -n 5)"
fi
sed -n 's/^coachd: [a-z]*: \(audio: \|routine \)/\1/p' "$RRLOG"
kill "$RRPID"; wait "$RRPID" 2>/dev/null

e2e_finish
