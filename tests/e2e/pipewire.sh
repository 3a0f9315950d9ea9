#!/usr/bin/env bash
# The desktop image's way (issue 18): coachd as the user unit runs it
# (systemd/coachd-user.service's ExecStart, read from the file, and the
# directories and environment a user manager gives it) plays a session
# through a private PipeWire: pipewire with a null sink, wireplumber linking
# the streams, pipewire-pulse.  The sink is recorded and the plan's tones
# must be there at the plan's times.
#
# coachd reaches PipeWire the way ALSA's default does on a Debian desktop:
# Debian's ALSA config (pulseaudio's 99-pulse.conf) sends "default" to the
# pulse plugin when a pulse server answers, and pipewire-pulse answers.
# Debian 12's pipewire-alsa (PipeWire's own ALSA plugin, Raspberry Pi OS's
# route) conflicts with the pulseaudio package every other e2e test uses, so
# it is not installed here: see the README's "Audio output".
set -u
. "$(dirname "$0")/lib.sh"

UNIT=$E2E_ROOT/systemd/coachd-user.service
SINK=coach_pw
REC=$E2E_TMP/pipewire.wav
ROUTINE=$E2E_TMP/pipewire.yaml
# Two short holds: every kind of tone but the tick, in 20 s.
cat >"$ROUTINE" <<'EOF'
name: PipeWire
safety: Go gently.
countdown: 0
prepare: 0s
rest: 1s
steps:
  - name: One
    time: 3s
  - name: Two
    time: 2s
EOF

for c in pipewire wireplumber pipewire-pulse pw-dump pactl parec; do
	command -v "$c" >/dev/null ||
		{ fail pipewire-present "$c missing: make deps (pipewire wireplumber pipewire-pulse)"; e2e_finish; }
done

# --- the user's session: its folders and a private PipeWire ----------------------
# As a user manager runs a user's services: their own runtime folder (0700),
# home, no D-Bus (a private address that does not exist: nothing here
# registers on a developer's session bus), no display.
PW_DIR=$E2E_TMP/pw
mkdir -m 700 "$PW_DIR" "$PW_DIR/run" "$PW_DIR/home"
export XDG_RUNTIME_DIR=$PW_DIR/run HOME=$PW_DIR/home XDG_CONFIG_HOME=$PW_DIR/home/.config
unset XDG_CACHE_HOME XDG_STATE_HOME XDG_DATA_HOME PULSE_SERVER DISPLAY WAYLAND_DISPLAY \
	ALSA_CONFIG_PATH PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR
export DBUS_SESSION_BUS_ADDRESS=unix:path=$PW_DIR/no-dbus DBUS_SYSTEM_BUS_ADDRESS=unix:path=$PW_DIR/no-dbus
# Pulse clients must never start a PulseAudio of their own if ours is gone.
export PULSE_CLIENTCONFIG=$HOME/client.conf
printf 'autospawn = no\n' >"$PULSE_CLIENTCONFIG"
mkdir -p "$XDG_CONFIG_HOME/pipewire/pipewire.conf.d" "$XDG_CONFIG_HOME/wireplumber/main.lua.d" \
	"$XDG_CONFIG_HOME/wireplumber/bluetooth.lua.d"
# The null sink stands in for the card; wireplumber makes it the default.
cat >"$XDG_CONFIG_HOME/pipewire/pipewire.conf.d/coach-test.conf" <<EOF
context.objects = [
    { factory = adapter
        args = {
            factory.name     = support.null-audio-sink
            node.name        = $SINK
            node.description = "coach test sink"
            media.class      = Audio/Sink
            audio.position   = [ FL FR ]
            audio.rate       = 48000
        }
    }
]
EOF
# No cards, cameras, Bluetooth or portals: only the null sink, and nothing
# that needs D-Bus (wireplumber exits without a bus if the portal is on).
cat >"$XDG_CONFIG_HOME/wireplumber/main.lua.d/90-coach-test.lua" <<'EOF'
alsa_monitor.enabled = false
v4l2_monitor.enabled = false
libcamera_monitor.enabled = false
default_access.properties["enable-flatpak-portal"] = false
EOF
echo 'bluez_monitor.enabled = false' >"$XDG_CONFIG_HOME/wireplumber/bluetooth.lua.d/90-coach-test.lua"

# Run last at exit: nothing started here outlives the test.
pw_sweep() {
	local pid name
	while read -r pid name; do
		echo "pipewire.sh: $name (pid $pid) still running; stopping it" >&2
		_stop_pid "$pid" TERM 2
	done < <(procs_using "$PW_DIR")
}
at_exit pw_sweep
pw_run() {  # pw_run NAME: starts NAME logging to $PW_DIR/NAME.log, its PID in PW_PID
	"$1" </dev/null >"$PW_DIR/$1.log" 2>&1 &
	PW_PID=$!
	at_exit "_stop_pid $PW_PID TERM 5"   # never waited before: the PID is still ours
}
pw_up() {  # the sink is the default, a pulse client sees it
	pactl info 2>/dev/null | grep -q "^Default Sink: $SINK\$"
}
pw_run pipewire
PIPEWIRE=$PW_PID
if wait_for "[ -S '$XDG_RUNTIME_DIR/pipewire-0' ] || ! is_alive $PIPEWIRE" 10 && is_alive "$PIPEWIRE"; then
	pw_run wireplumber
	WIREPLUMBER=$PW_PID
	pw_run pipewire-pulse
	PIPEWIRE_PULSE=$PW_PID
fi
if ! wait_for pw_up 15; then
	fail pipewire-start "PipeWire did not come up with the null sink as default"
	for f in "$PW_DIR"/*.log; do echo "  $(basename "$f"):"; tail -n 5 "$f" | sed 's/^/    /'; done
	e2e_finish
fi
# The sink stands in for a card, whose clock no load delays (as lib.sh does
# for PulseAudio): real-time priority where allowed.
for pid in "$PIPEWIRE" "$WIREPLUMBER" "$PIPEWIRE_PULSE"; do chrt -a -f -p 20 "$pid" >/dev/null 2>&1 || :; done
echo "$(pactl info | sed -n 's/^Server Name: //p'), sink $SINK"

# --- the unit's command line -------------------------------------------------------
# ExecStart with @bindir@ as `make install` fills it in (the build here), and
# what the user manager gives the service: StateDirectory= and
# CacheDirectory= under ~/.local/state and ~/.cache, Environment= lines.  The
# socket is the default one, $XDG_RUNTIME_DIR/coach.sock, where the user's
# coachctl finds it.  -r: the test's routine, as a drop-in's ExecStart would.
if [ "$(grep -c '^ExecStart=' "$UNIT")" -ne 1 ]; then
	fail unit-execstart "$UNIT has not one ExecStart= line"
	e2e_finish
fi
read -ra CMD < <(sed -n 's/^ExecStart=//p' "$UNIT" | sed "s|@bindir@|$BUILD|g")
CMD[0]=${CMD[0]##[-@:+!]}
dir=$(sed -n 's/^StateDirectory=//p' "$UNIT")
[ -n "$dir" ] && export STATE_DIRECTORY=$HOME/.local/state/$dir && mkdir -p "$STATE_DIRECTORY"
dir=$(sed -n 's/^CacheDirectory=//p' "$UNIT")
[ -n "$dir" ] && export CACHE_DIRECTORY=$HOME/.cache/$dir && mkdir -p "$CACHE_DIRECTORY"
while read -r assignment; do
	[ -n "$assignment" ] && export "${assignment?}"
done < <(sed -n 's/^Environment=//p' "$UNIT" | tr ' ' '\n')
echo "ExecStart: ${CMD[*]}"

# The plan's tones ("SECONDS TYPE"; --plan prints truncated milliseconds).
plan_tones "$ROUTINE" >"$E2E_TMP/plan-tones.txt"

LOG=$E2E_TMP/coachd.log
SOCK=$XDG_RUNTIME_DIR/coach.sock
(umask 0077 && exec "${CMD[@]}" -r "$ROUTINE") >"$LOG" 2>&1 &
COACHD=$!
at_exit "_stop_pid $COACHD TERM 5"
WANT='^idle .*routine="PipeWire".* audio=ok'
if ! wait_for "status_matches || ! is_alive $COACHD" 30 || ! status_matches; then
	fail unit-ready "${STATUS:-no status}"
	sed 's/^/  | /' "$LOG"
	e2e_finish
fi
# coachctl finds the user's coachd without being told where.
out=$("$BUILD/coachctl" status 2>&1)
[[ $out == idle* ]] && pass coachctl-finds-user-socket || fail coachctl-finds-user-socket "$out"

# --- a session, recorded at the sink ----------------------------------------------
# The sink's monitor, through pipewire-pulse: it buffers a record stream on
# the server's side, so a recorder a busy machine delays loses nothing.
# (pw-record writes the file from PipeWire's real-time thread: here it lost
# a whole cycle, 21 ms of the recording, in one run of five.)  Audio is
# flowing once the file holds more than its header.
parec -d "$SINK.monitor" --rate=48000 --channels=1 --format=s16le --latency-msec=40 \
	--file-format=wav "$REC" </dev/null 2>"$E2E_TMP/parec.log" &
RECORDER=$!
at_exit '[ -z "$RECORDER" ] || _stop_pid "$RECORDER" INT 5'
if ! wait_for "[ \"\$(stat -c %s '$REC' 2>/dev/null || echo 0)\" -gt 1024 ] || ! is_alive $RECORDER" 5 ||
	! is_alive "$RECORDER"; then
	fail recorder "parec did not record: $(head -c 300 "$E2E_TMP/parec.log")"
	e2e_finish
fi
ctl play >/dev/null
# While it plays: the stream is coachd's, in PipeWire's graph.
wait_status '^running ' 10
clients=$(pw-dump 2>/dev/null | grep -c "\"application.process.binary\": \"coachd\"")
if wait_status '^finished ' 40; then pass session-finished; else fail session-finished "${STATUS:-}"; fi
xruns=$(field xruns)
sleep 1.5
_stop_pid "$RECORDER" INT 5
RECORDER=
sed -n 's/^coachd: [a-z]*: audio: /audio: /p' "$LOG" | head -n 3
[ "$clients" -ge 1 ] && pass coachd-is-a-pipewire-client ||
	fail coachd-is-a-pipewire-client "no PipeWire client of binary coachd while it played"

found_tones "$REC" >"$E2E_TMP/rec-tones.txt"
# Each tone against the first, and each interval between two tones against
# the plan's ("long": more than 3 ms longer, "short": more than 3 ms shorter).
read -r n_found n_plan worst long short < <(paste -d' ' "$E2E_TMP/plan-tones.txt" "$E2E_TMP/rec-tones.txt" | awk '
	function abs(x) { return x < 0 ? -x : x }
	NR == 1 { p0 = $1; r0 = $3 }
	NF == 4 && $2 == $4 { n++; e = abs(($3 - r0) - ($1 - p0)) * 1000; if (e > w) w = e }
	NR > 1 && NF == 4 { d = (($3 - pr) - ($1 - pp)) * 1000; if (d > 3) l++; if (d < -3) s++ }
	{ pp = $1; pr = $3 }
	END { printf "%d %d %.3f %d %d\n", n, NR, w, l, s }')
echo "tones: $n_found of $n_plan where the plan has them; the worst $worst ms off (relative to the first);" \
	"intervals longer than planned: $long, shorter: $short; coachd's glitches: $xruns"
# --plan truncates to the ms: 1 ms of that, 2 of play (as e2e/load).  On a
# busy machine the recording may hold a gap no tone moved for: a glitch
# coachd reports (xruns: it was late) puts its gap into one interval, and
# the way from coachd's stream to the sink (ALSA's pulse plugin, then
# pipewire-pulse) can be late without coachd knowing (CI, at a load of 4:
# one interval 43 ms longer, no glitch counted).  So: every tone there and
# in order, no interval shorter (nothing lost), and either within 3 ms, or
# within one buffer of coachd's (100 ms) overall, or no more intervals
# longer than the glitches coachd reported.
if [ "$n_plan" -ge 5 ] && [ "$n_found" -eq "$n_plan" ] &&
   [ "$(wc -l <"$E2E_TMP/rec-tones.txt")" -eq "$n_plan" ] &&
   { awk -v w="$worst" 'BEGIN { exit !(w <= 3) }' ||
     { [ "$short" -eq 0 ] && { awk -v w="$worst" 'BEGIN { exit !(w <= 100) }' ||
				[ "$long" -le "${xruns:-0}" ]; }; }; }; then
	pass pipewire-tones-on-time
else
	fail pipewire-tones-on-time "$n_found/$n_plan tones in order, worst $worst ms, $long intervals longer, $short shorter, ${xruns:-?} glitches"
	paste "$E2E_TMP/plan-tones.txt" "$E2E_TMP/rec-tones.txt"
fi

e2e_finish
