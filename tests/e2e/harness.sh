#!/usr/bin/env bash
# The e2e harness's own test: a private PulseAudio starts, PortAudio plays into
# its null sink through ALSA's default PCM, the monitor recording shows the two
# plays at the right spacing and level, the server survives a restart, and
# nothing of ours is left running afterwards.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Two plays launched this far apart (the `sleep` between the launches), more if
# the sound is long.
SPACING_S=1.0
# How far the onset spacing may differ from the spacing of the two stream starts
# (tool_paplay's started_at_ms, just before Pa_StartStream).  A new stream's
# first frame enters the null sink at its next rendering block, and blocks are
# as long as the smallest latency asked for: parec's 5 ms (REC_LATENCY_MS).
# Measured: within +-5 ms over 35 runs, idle or with the CPUs oversubscribed
# 1.5 times; 15 ms still catches a lost or doubled buffer (35 ms here).
START_TOL_MS=15
# And from the spacing of the two launches (`date` before each), which adds
# process start-up and Pa_Initialize (ALSA device probing): within +-40 ms
# idle, 72 ms with other tests running, 125 ms with the CPUs oversubscribed
# (Pa_Initialize alone took 88 to 236 ms then).
# A loose bound: it only catches gross errors, the check above is the sharp one.
LAUNCH_TOL_MS=300

for t in tool_wav tool_paplay; do
	if [ ! -x "$BUILD/tests/$t" ]; then
		fail "harness-tools" "$BUILD/tests/$t not built (make)"
		e2e_finish
	fi
done

# The sound to play: the shipped start tone, or a test tone until it exists.
sound=$E2E_ROOT/sounds/start.wav
if [ ! -f "$sound" ]; then
	sound=$E2E_TMP/tone.wav
	tool_wav tone "$sound" 880 200 || { fail harness-tone "tool_wav tone"; e2e_finish; }
fi
echo "# sound: $sound"
SPACING_S=$(tool_wav info "$sound" | awk -v s="$SPACING_S" '$1 == "duration_s" { print ($2 + 0.5 > s ? $2 + 0.5 : s) }')

value() {  # value KEY FILE: the value of a "key value" line
	awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }' "$2"
}

# Each play's stdout goes to $E2E_TMP/play-N.out, stderr (ALSA's and JACK's
# complaints while PortAudio probes devices) to play-N.err.
play() {  # play N
	tool_paplay "$sound" >"$E2E_TMP/play-$1.out" 2>"$E2E_TMP/play-$1.err"
}

# --- start -------------------------------------------------------------------
if ! pulse_start; then
	e2e_finish
fi
pulse_dir=$PULSE_DIR
pass "pulse-start"
echo "# pulse_start_ms $PULSE_START_MS"

if pactl list short sinks | grep -q "^[0-9]*[[:space:]]${PULSE_SINK}[[:space:]].*48000Hz"; then
	pass "null-sink-48k"
else
	fail "null-sink-48k" "$(pactl list short sinks | tr '\n' ' ')"
fi

# --- two plays, recorded -----------------------------------------------------
rec=$E2E_TMP/rec.wav
if ! record_start "$rec"; then
	fail "record-start"
	e2e_finish
fi
sleep 0.3
launch1=$(now_ms)
play 1 &
pid1=$!
sleep "$SPACING_S"
launch2=$(now_ms)
play 2 &
pid2=$!
wait "$pid1"
rc1=$?
wait "$pid2"
rc2=$?
sleep 0.3
record_stop
rc=$?
if [ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]; then
	pass "paplay-default"
else
	fail "paplay-default" "tool_paplay exited $rc1 and $rc2; $(tail -n 3 "$E2E_TMP/play-1.err" | tr '\n' ' ')"
fi
for k in init_ms devices device default_rate channels latency_ms open_ms; do
	echo "# paplay $k $(value "$k" "$E2E_TMP/play-1.out") / $(value "$k" "$E2E_TMP/play-2.out")"
done
if [ "$(value device "$E2E_TMP/play-1.out")" = default ]; then
	pass "paplay-opens-alsa-default"
else
	fail "paplay-opens-alsa-default" "opened '$(value device "$E2E_TMP/play-1.out")'"
fi

# The WAV header is final: RIFF size = file size - 8, data size = what follows
# the "data" chunk header (parec writes a 44-byte canonical header).
check_header() {
	local size riff data
	size=$(stat -c %s "$1")
	riff=$(od -A n -t u4 -j 4 -N 4 "$1" | tr -d ' ')
	data=$(od -A n -t u4 -j 40 -N 4 "$1" | tr -d ' ')
	[ "$(head -c 4 "$1")" = RIFF ] && [ "$(od -A n -c -j 36 -N 4 "$1" | tr -d ' ')" = data ] &&
		[ "$riff" -eq $((size - 8)) ] && [ "$data" -eq $((size - 44)) ]
}
if [ "$rc" -eq 0 ] && check_header "$rec"; then
	pass "record-wav-finalized"
else
	fail "record-wav-finalized" "parec exit $rc; header: $(od -A d -t x1 -N 44 "$rec" | tr '\n' ' ')"
fi

tool_wav info "$rec" >"$E2E_TMP/rec.info"
tool_wav info "$sound" >"$E2E_TMP/sound.info"
sed 's/^/# rec /' "$E2E_TMP/rec.info"
if [ "$(value rate "$E2E_TMP/rec.info")" = 48000 ] && [ "$(value channels "$E2E_TMP/rec.info")" = 1 ]; then
	pass "record-48k-mono"
else
	fail "record-48k-mono" "$(tr '\n' ' ' <"$E2E_TMP/rec.info")"
fi

tool_wav onsets "$rec" "$sound" >"$E2E_TMP/onsets"
sed 's/^/# onset /' "$E2E_TMP/onsets"
n=$(wc -l <"$E2E_TMP/onsets")
if [ "$n" -eq 2 ]; then
	pass "two-onsets"
	on1=$(awk 'NR == 1 { print $1 }' "$E2E_TMP/onsets")
	on2=$(awk 'NR == 2 { print $1 }' "$E2E_TMP/onsets")
	start1=$(value started_at_ms "$E2E_TMP/play-1.out")
	start2=$(value started_at_ms "$E2E_TMP/play-2.out")
	# Errors in ms: onset spacing minus stream-start spacing, and minus launch
	# spacing.
	err_start=$(awk -v a="$on1" -v b="$on2" -v s="$start1" -v t="$start2" \
		'BEGIN { printf "%.1f", (b - a) * 1000 - (t - s) }')
	err_launch=$(awk -v a="$on1" -v b="$on2" -v s="$launch1" -v t="$launch2" \
		'BEGIN { printf "%.1f", (b - a) * 1000 - (t - s) }')
	echo "# spacing onsets $(awk -v a="$on1" -v b="$on2" 'BEGIN { printf "%.1f", (b - a) * 1000 }') ms," \
		"launches $((launch2 - launch1)) ms, stream starts" \
		"$(awk -v s="$start1" -v t="$start2" 'BEGIN { printf "%.1f", t - s }') ms"
	echo "# spacing_error_vs_stream_start_ms $err_start"
	echo "# spacing_error_vs_launch_ms $err_launch"
	within() { awk -v e="$1" -v t="$2" 'BEGIN { exit !(e <= t && e >= -t) }'; }
	if within "$err_start" "$START_TOL_MS"; then
		pass "spacing-vs-stream-start"
	else
		fail "spacing-vs-stream-start" "off by $err_start ms, tolerance $START_TOL_MS"
	fi
	if within "$err_launch" "$LAUNCH_TOL_MS"; then
		pass "spacing-vs-launch"
	else
		fail "spacing-vs-launch" "off by $err_launch ms, tolerance $LAUNCH_TOL_MS"
	fi
	# Nothing else was heard: the first sound is the first play's.
	first=$(tool_wav first-sound "$rec" -50)
	lead=$(tool_wav first-sound "$sound" -50)
	if awk -v f="$first" -v o="$on1" -v l="$lead" 'BEGIN { d = f - (o + l); exit !(d < 0.002 && d > -0.002) }'; then
		pass "first-sound-is-first-onset"
	else
		fail "first-sound-is-first-onset" "first sound at $first s, first onset at $on1 s + $lead s"
	fi
else
	fail "two-onsets" "found $n: $(tr '\n' ' ' <"$E2E_TMP/onsets")"
fi

# The level is the file's: unity gain through PortAudio, ALSA and PulseAudio.
peak_rec=$(value peak_dbfs "$E2E_TMP/rec.info")
peak_snd=$(value peak_dbfs "$E2E_TMP/sound.info")
if awk -v r="$peak_rec" -v s="$peak_snd" 'BEGIN { d = r - s; exit !(d < 0.5 && d > -0.5) }'; then
	pass "level-unity"
else
	fail "level-unity" "recorded peak $peak_rec dBFS, file peak $peak_snd dBFS"
fi
# Each play arrived whole (its tail not cut when the stream stopped) and between
# the two it is quiet (below -70 dBFS): no clicks, no noise.  Recorded silence
# starts exactly where the file's sound ends, and lasts until the next onset.
if [ "$n" -eq 2 ]; then
	head70=$(tool_wav first-sound "$sound" -70)
	tail70=$(tool_wav last-sound "$sound" -70)
	tool_wav gaps "$rec" 10 -70 >"$E2E_TMP/gaps"
	sed 's/^/# gap /' "$E2E_TMP/gaps"
	if awk -v a="$on1" -v b="$on2" -v h="$head70" -v t="$tail70" '
		function near(x, y) { return x - y < 0.001 && y - x < 0.001 }
		near($1, a + t) && $1 + $2 >= b + h - 0.001 { one = 1 }
		near($1, b + t) { two = 1 }
		END { exit !(one && two) }' "$E2E_TMP/gaps"; then
		pass "plays-whole-and-quiet-between"
	else
		fail "plays-whole-and-quiet-between" "sound spans $head70..$tail70 s; onsets $on1 $on2; gaps: $(tr '\n' ' ' <"$E2E_TMP/gaps")"
	fi
fi

# --- within one stream, timing is exact to the frame -------------------------
# What coachd relies on: one stream, events placed by frame count.  Three plays
# EVERY_MS apart in one stream must be recorded exactly that far apart (the
# null sink and its monitor share one clock); an underrun or a dropped buffer
# anywhere on the path would show as a difference.
EVERY_MS=$(awk -v s="$SPACING_S" 'BEGIN { printf "%d", s * 700 }')
rec1=$E2E_TMP/rec-one-stream.wav
if record_start "$rec1" && sleep 0.2 &&
	tool_paplay --repeat 3 --every-ms "$EVERY_MS" "$sound" >"$E2E_TMP/play-r.out" 2>"$E2E_TMP/play-r.err" &&
	sleep 0.2 && record_stop; then
	tool_wav onsets "$rec1" "$sound" >"$E2E_TMP/onsets-r"
	sed 's/^/# one-stream onset /' "$E2E_TMP/onsets-r"
	# Worst deviation from EVERY_MS, in frames at 48 kHz.
	dev=$(awk -v e="$EVERY_MS" 'NR > 1 { d = ($1 - p) * 48000 - e * 48; if (d < 0) d = -d; if (d > m) m = d }
		{ p = $1 } END { printf "%.1f", m }' "$E2E_TMP/onsets-r")
	echo "# one-stream spacing error: $dev frames"
	if [ "$(wc -l <"$E2E_TMP/onsets-r")" -eq 3 ] && awk -v d="$dev" 'BEGIN { exit !(d <= 1) }'; then
		pass "one-stream-frame-exact"
	else
		fail "one-stream-frame-exact" "onsets: $(tr '\n' ' ' <"$E2E_TMP/onsets-r")"
	fi
else
	fail "one-stream-frame-exact" "play or recording failed: $(tail -n 3 "$E2E_TMP/play-r.err" | tr '\n' ' ')"
fi

# --- the server restarts on the same socket; PortAudio plays again ------------
# In the background, as a test does while it watches the daemon lose its audio:
# the new server is a grandchild, known to lib.sh through its PID file.
old_pid=$(pulse_pid)
pulse_restart 0.3 &
restart=$!
sleep 0.1
if is_alive "$old_pid"; then
	fail "pulse-down-during-restart" "pid $old_pid still running"
else
	pass "pulse-down-during-restart"
fi
if wait "$restart" && [ "$(pulse_pid)" != "$old_pid" ] && is_alive "$(pulse_pid)"; then
	pass "pulse-restart"
	rec2=$E2E_TMP/rec2.wav
	if record_start "$rec2" && sleep 0.2 && play 3 && sleep 0.2 && record_stop; then
		pass "paplay-after-restart"
		n=$(tool_wav onsets "$rec2" "$sound" | wc -l)
		if [ "$n" -eq 1 ]; then pass "recorded-after-restart"; else fail "recorded-after-restart" "$n onsets"; fi
	else
		fail "paplay-after-restart" "$(tail -n 3 "$E2E_TMP/play-3.err" | tr '\n' ' ')"
	fi
else
	fail "pulse-restart" "server pid before $old_pid, after '$(pulse_pid)'"
fi

# --- stop: nothing of ours is left ---------------------------------------------
server=$(pulse_pid)
pulse_stop 2>"$E2E_TMP/stop.err"
left=$(procs_using "$pulse_dir")
if [ -z "$left" ] && [ ! -e "$pulse_dir" ] && ! is_alive "$server" && [ ! -s "$E2E_TMP/stop.err" ]; then
	pass "pulse-stop-clean"
else
	fail "pulse-stop-clean" "left: ${left:-none}; dir $([ -e "$pulse_dir" ] && echo kept || echo removed); $(cat "$E2E_TMP/stop.err")"
fi

e2e_finish
