#!/usr/bin/env bash
# The audio device path through the real PortAudio and ALSA (to a private
# PulseAudio null sink): what PortAudio probes at start-up (strace and
# /proc/PID/maps), an honest audio= while idle, a low descriptor limit, and
# memory while a missing device is retried.
set -u
. "$(dirname "$0")/lib.sh"

ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml
SOCK=$E2E_TMP/coach.sock

pulse_start || e2e_finish
# A config naming a device that is not there.
sed -e 's|^  device: default|  device: NoSuchCard|' "$E2E_ROOT/config/coach.yaml" >"$E2E_TMP/nodev.yaml"

# --- start-up probing: ALSA only, and only the PCMs coachd may use ----------
# Debian's PortAudio also has OSS (~200 opens of /dev/dsp*) and JACK (a
# libjack client, /dev/shm/jack_db-UID), and ALSA's probe opened every PCM
# defined, loading every plugin installed (a52 -> libavcodec -> libhwy:
# SIGILL under valgrind on AVX-512 machines).  The default PCM here is the
# pulse plugin, which coachd uses; no other plugin may be loaded.
if command -v strace >/dev/null; then
	strace -f -qq -e trace=open,openat,mkdir,mkdirat -o "$E2E_TMP/strace.log" \
		"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/probe.log" 2>&1 &
	TRACER=$!
	at_exit "kill $TRACER 2>/dev/null"
	if wait_status '^idle .*routine="End to end"' 60; then
		pid=$(cat "/proc/$TRACER/task/$TRACER/children" 2>/dev/null | awk '{ print $1 }')
		maps=$(cat "/proc/$pid/maps" 2>/dev/null)
		dsp=$(grep -c '"/dev/dsp' "$E2E_TMP/strace.log")
		jack=$(grep -c 'jack_db\|/dev/shm/jack' "$E2E_TMP/strace.log")
		# What was opened, not what stays mapped: once PortAudio has probed,
		# coachd puts ALSA's configuration back whole, which unloads plugins.
		# conf_pulse is the hook of pulse's own configuration file, which
		# alsa-lib runs whenever it reads its configuration.
		plugins=$(grep -v ENOENT "$E2E_TMP/strace.log" | grep -o 'libasound_module_[a-z_]*' |
			  sort -u | tr '\n' ' ')
		echo "probe: $dsp opens of /dev/dsp*, $jack of JACK's files; ALSA plugins opened: ${plugins:-none}"
		[ -n "$maps" ] || fail probe-maps "no /proc/PID/maps for coachd (pid '$pid')"
		[ "$dsp" -eq 0 ] && pass probe-no-oss || fail probe-no-oss "$dsp opens of /dev/dsp*"
		[ "$jack" -eq 0 ] && pass probe-no-jack || fail probe-no-jack "$jack opens of JACK's files"
		if ! grep -q 'libavcodec\|libhwy' <<<"$maps" &&
		   ! grep -v ENOENT "$E2E_TMP/strace.log" | grep -q 'libavcodec\|libhwy' &&
		   [ "$plugins" = "libasound_module_conf_pulse libasound_module_pcm_pulse " ]; then
			pass probe-no-plugins
		else
			fail probe-no-plugins "plugins: $plugins; libavcodec: $(grep -c libavcodec "$E2E_TMP/strace.log")"
		fi
	else
		fail probe-started "${STATUS:-no status}"
	fi
	# strace waits for its child: stop coachd, then strace ends with it.
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
	wait_for "! is_alive $TRACER" 5 || kill -KILL "$TRACER" "${pid:-}" 2>/dev/null
	wait "$TRACER" 2>/dev/null
else
	fail strace-present "strace is not installed (make deps installs it)"
fi

# --- audio= while idle says whether a session would sound ------------------
"$BUILD/coachd" -c "$E2E_TMP/nodev.yaml" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/idle.log" 2>&1 &
IDLE=$!
at_exit "kill $IDLE 2>/dev/null"
# The device is looked for off the main loop: wait for the answer.
if wait_status '^idle .*routine="End to end".* audio=lost' 20 &&
   grep -q "no output device matches 'NoSuchCard'" "$E2E_TMP/idle.log"; then
	pass idle-missing-device-not-ok
else
	fail idle-missing-device-not-ok "${STATUS:-no status}"
fi
kill "$IDLE"; wait "$IDLE" 2>/dev/null
"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/idle-ok.log" 2>&1 &
IDLE=$!
at_exit "kill $IDLE 2>/dev/null"
if wait_status '^idle .*routine="End to end"' 20 && [[ $STATUS == *audio=ok* ]]; then
	pass idle-device-ok
else
	fail idle-device-ok "${STATUS:-no status}"
fi
kill "$IDLE"; wait "$IDLE" 2>/dev/null

# --- a low descriptor limit: no hang, no abort; no sound, and said why ------
# (libjack's retry loop hung Pa_Initialize at 10 to 64 descriptors, ALSA
# aborted at 8).  16 leaves the daemon its socket but not room for audio.
( ulimit -n 16 && exec "$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" ) >"$E2E_TMP/fd.log" 2>&1 &
LOWFD=$!
at_exit "kill -KILL $LOWFD 2>/dev/null"
if wait_status '^idle .*audio=lost' 20 && grep -q "file descriptors allowed .* audio needs" "$E2E_TMP/fd.log"; then
	ctl play >/dev/null
	if wait_status '^paused .*audio=lost' 5; then
		pass low-fd-limit-no-audio-said
	else
		fail low-fd-limit-no-audio-said "after play: ${STATUS:-no status}"
	fi
else
	fail low-fd-limit-no-audio-said "${STATUS:-no status}: $(tail -n 3 "$E2E_TMP/fd.log")"
fi
kill "$LOWFD" 2>/dev/null
wait_for "! is_alive $LOWFD" 5 || kill -KILL "$LOWFD" 2>/dev/null
wait "$LOWFD" 2>/dev/null

# --- a missing device retried every 2 s does not grow the daemon ------------
# Each retry re-initializes PortAudio (the only way it sees a device plugged
# in again); that once leaked some 6 KB a time through the plugins it loaded.
"$BUILD/coachd" -c "$E2E_TMP/nodev.yaml" -r "$ROUTINE" -s "$SOCK" >"$E2E_TMP/rss.log" 2>&1 &
RSS=$!
at_exit "kill $RSS 2>/dev/null"
wait_status '^idle .*routine="End to end"' 20
ctl play >/dev/null
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$RSS/status"; }
sleep 10
rss0=$(rss_kb)
retries0=$(grep -c . "$E2E_TMP/rss.log")
sleep 40
rss1=$(rss_kb)
echo "RSS while retrying a missing device: $rss0 kB after 10 s, $rss1 kB 40 s (some 20 retries) later"
if [ -n "$rss0" ] && [ -n "$rss1" ] && [ $((rss1 - rss0)) -le 64 ]; then
	pass missing-device-rss-flat
else
	fail missing-device-rss-flat "RSS $rss0 -> $rss1 kB over 40 s of retries"
fi
# Retrying logs nothing new: the loss was said once.
[ "$(grep -c . "$E2E_TMP/rss.log")" -eq "$retries0" ] && pass missing-device-said-once ||
	fail missing-device-said-once "$(tail -n 3 "$E2E_TMP/rss.log")"
kill "$RSS"; wait "$RSS" 2>/dev/null

# --- one stream per session, pauses included; none while idle ---------------
# Opening and closing a Pi's headphone output pops, and a resume must not
# wait for a device to open.  PulseAudio lists coachd's open stream as a
# sink input (parec records through a source output, not counted).
inputs() { pactl list short sink-inputs 2>/dev/null | grep -c .; }
"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" -v >"$E2E_TMP/stream.log" 2>&1 &
STREAM=$!
at_exit "kill $STREAM 2>/dev/null"
wait_status '^idle .*routine="End to end"' 20
idle_inputs=$(inputs)
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 10
playing_inputs=$(inputs)
ctl pause >/dev/null
wait_status '^paused ' 5
sleep 2
paused_inputs=$(inputs)
ctl resume >/dev/null
wait_status '^running ' 5
ctl stop >/dev/null
wait_status '^idle ' 5
wait_for '[ "$(inputs)" -eq 0 ]' 5
after_inputs=$(inputs)
opens=$(grep -c 'audio: default, .* Hz' "$E2E_TMP/stream.log")
echo "sink inputs: idle $idle_inputs, playing $playing_inputs, paused $paused_inputs, idle after $after_inputs; streams opened: $opens"
if [ "$idle_inputs" -eq 0 ] && [ "$playing_inputs" -eq 1 ] && [ "$paused_inputs" -eq 1 ] &&
   [ "$after_inputs" -eq 0 ] && [ "$opens" -eq 1 ]; then
	pass one-stream-per-session
else
	fail one-stream-per-session "sink inputs idle/playing/paused/after: $idle_inputs/$playing_inputs/$paused_inputs/$after_inputs, $opens opens"
fi

# --- a stopped sound server never holds the main loop ----------------------
# Closing a stream under a SIGSTOPped PulseAudio once blocked the loop 33 s
# in Pa_AbortStream (longer than the watchdog).  Stop the server as the
# stream closes, and as a session starts: coachd must keep answering.
answers() {  # answers SECONDS: status polls that got a reply, of the ones made
	local n=0 ok=0 end=$(($(now_ms) + $1 * 1000))
	while [ "$(now_ms)" -lt "$end" ]; do
		n=$((n + 1))
		"$BUILD/coachctl" -s "$SOCK" -t 2000 status >/dev/null 2>&1 && ok=$((ok + 1))
		sleep 0.3
	done
	echo "$ok $n"
}
PA=$(pulse_pid)
at_exit "kill -CONT $PA 2>/dev/null"
ctl play >/dev/null
wait_status '^running step=1/3 ' 10
ctl stop >/dev/null
wait_status '^idle ' 5
kill -STOP "$PA"          # the stream closes some 300 ms after the session
read -r ok n < <(answers 6)
kill -CONT "$PA"
echo "server stopped while the stream closes: $ok of $n status requests answered"
[ "$ok" -eq "$n" ] && [ "$n" -gt 5 ] && pass stopped-server-close-loop-answers ||
	fail stopped-server-close-loop-answers "$ok of $n answered"

# A start while the server is stopped for longer than a callback may take:
# slow, not lost (the stall limit was 1.5 s from the start).
wait_for '[ "$(inputs)" -eq 0 ]' 10
lost_before=$(grep -c 'stopped playing\|did not start' "$E2E_TMP/stream.log")
kill -STOP "$PA"
ctl play >/dev/null
read -r ok n < <(answers 3)
kill -CONT "$PA"
if wait_status '^running .* audio=ok' 10; then :; fi
lost_after=$(grep -c 'stopped playing\|did not start' "$E2E_TMP/stream.log")
echo "server stopped 3 s as a session starts: $ok of $n status requests answered; losses logged: $((lost_after - lost_before))"
if [ "$ok" -eq "$n" ] && [ "$lost_after" -eq "$lost_before" ] && [[ $STATUS == running* ]]; then
	pass slow-start-not-lost
else
	fail slow-start-not-lost "$ok of $n answered, $((lost_after - lost_before)) losses, status '$STATUS'"
fi
ctl stop >/dev/null
wait_status '^idle ' 5
kill "$STREAM"; wait "$STREAM" 2>/dev/null

e2e_finish
