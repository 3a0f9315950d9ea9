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
		plugins=$(grep -o 'libasound_module_[a-z_]*' <<<"$maps" | sort -u | tr '\n' ' ')
		echo "probe: $dsp opens of /dev/dsp*, $jack of JACK's files; ALSA plugins mapped: ${plugins:-none}"
		[ -n "$maps" ] || fail probe-maps "no /proc/PID/maps for coachd (pid '$pid')"
		[ "$dsp" -eq 0 ] && pass probe-no-oss || fail probe-no-oss "$dsp opens of /dev/dsp*"
		[ "$jack" -eq 0 ] && pass probe-no-jack || fail probe-no-jack "$jack opens of JACK's files"
		if ! grep -q 'libavcodec\|libhwy' <<<"$maps" &&
		   [ "$plugins" = "libasound_module_pcm_pulse " ]; then
			pass probe-no-plugins
		else
			fail probe-no-plugins "plugins: $plugins; libavcodec: $(grep -c libavcodec <<<"$maps")"
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
if wait_status '^idle .*routine="End to end"' 20 && [[ $STATUS == *audio=lost* ]] &&
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

e2e_finish
