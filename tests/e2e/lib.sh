# shellcheck shell=bash
# Shared helpers for the end-to-end tests: a private PulseAudio with a null sink
# that ALSA's default PCM (what PortAudio opens) plays into, recording of what
# was played, PASS/FAIL bookkeeping and cleanup.  Source it from a test script:
#
#   set -u
#   . "$(dirname "$0")/lib.sh"
#   pulse_start || e2e_finish          # a server that will not start is a FAIL
#   record_start "$E2E_TMP/rec.wav" || e2e_finish
#   "$BUILD/coachd" ... &  at_exit "kill $! 2>/dev/null"
#   ...
#   record_stop
#   [ "$(tool_wav onsets "$E2E_TMP/rec.wav" sounds/start.wav | wc -l)" -eq 2 ] \
#       && pass two-tones || fail two-tones "..."
#   e2e_finish                         # exits 1 if anything failed
#
# Functions:
#   pass NAME / fail NAME [WHY]   print "PASS: NAME" / "FAIL: NAME (WHY)", count
#   skip NAME WHY                 "SKIP: NAME (WHY)"; a FAIL when CI is set
#   check NAME CMD...             runs CMD; pass or fail NAME by its status
#   e2e_finish                    prints a summary, exits 1 if anything failed
#   at_exit CMD                   runs CMD (eval'd) at exit, before pulse_stop,
#                                 last registered first
#   wait_for CMD TIMEOUT_S        evaluates CMD every 50 ms until it succeeds
#                                 (status 0) or TIMEOUT_S (may be fractional)
#                                 passes (status 1)
#   now_ms                        prints the wall clock in ms
#   is_alive PID                  the process runs (unlike `kill -0`, false for
#                                 a zombie: a child that exited, not yet waited)
#   procs_using DIR               "PID NAME" of live processes whose environment
#                                 mentions DIR (e.g. "$PULSE_DIR": what we started)
#   pulse_start                   starts the private server (see below); on
#                                 failure prints FAIL: pulse_start and returns 1
#   pulse_stop                    stops it (and anything else still running
#                                 with its environment), removes its directories
#   pulse_restart [DOWN_S]        stops the server, waits DOWN_S (default 0),
#                                 starts it again on the same socket; may run
#                                 in the background (pulse_restart 3 &)
#   pulse_pid                     prints the running server's PID
#   record_start FILE             records coach_test.monitor to FILE (48 kHz mono
#                                 s16 WAV); returns once audio is flowing
#   record_stop                   stops the recording, the WAV header finalized
#   tool_wav ARGS / tool_paplay ARGS   the helpers built in $BUILD/tests
#
# Variables set: E2E_DIR (this folder), E2E_ROOT (the checkout), BUILD (from the
# environment, default build, made absolute), E2E_TMP (a scratch directory removed
# at exit), PULSE_DIR (the server's private directories), PULSE_START_MS (how
# long the last start took, in this shell), REC_PID, REC_FILE, PULSE_SINK
# (coach_test).  REC_LATENCY_MS (default 5) may be set before sourcing.
# After pulse_start the environment (HOME, XDG_RUNTIME_DIR, PULSE_SERVER,
# PULSE_CLIENTCONFIG) points every child process at the private server.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_DIR/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$E2E_ROOT/$BUILD ;; esac
export BUILD

E2E_PASSED=0
E2E_FAILED=0
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/coach-e2e.XXXXXX") || exit 1
# Each test starts with an empty speech cache of its own: what it hears does
# not depend on which tests ran before (cache.sh tests the cache itself).
export XDG_CACHE_HOME=$E2E_TMP/cache
unset CACHE_DIRECTORY COACH_CACHE_MIB
E2E_AT_EXIT=()
PULSE_PID=
PULSE_DIR=
PULSE_START_MS=
REC_PID=
REC_FILE=
_E2E_SAVED_ENV=
PULSE_SINK=coach_test
PULSE_RATE=48000
# parec's latency.  The sink renders in blocks of the smallest latency any
# client asks for, and a new stream's first frame lands on a block boundary:
# with 20 ms, stream starts scatter over +-17 ms, with 5 ms over +-4 ms.
REC_LATENCY_MS=${REC_LATENCY_MS:-5}

# --- results ---------------------------------------------------------------

pass() {
	echo "PASS: $1"
	E2E_PASSED=$((E2E_PASSED + 1))
}

fail() {
	if [ $# -gt 1 ]; then echo "FAIL: $1 ($2)"; else echo "FAIL: $1"; fi
	E2E_FAILED=$((E2E_FAILED + 1))
}

skip() {
	if [ -n "${CI:-}" ]; then
		fail "$1" "would skip in CI: $2"
	else
		echo "SKIP: $1 ($2)"
	fi
}

check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

e2e_finish() {
	echo "$(basename "$0" .sh): $E2E_PASSED passed, $E2E_FAILED failed"
	[ "$E2E_FAILED" -eq 0 ] && exit 0
	exit 1
}

# --- time and waiting --------------------------------------------------------

now_ms() {
	local ns
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

wait_for() {
	local cmd=$1 timeout_ms deadline
	timeout_ms=$(awk -v t="$2" 'BEGIN { printf "%d", t * 1000 }')
	deadline=$(($(now_ms) + timeout_ms))
	while :; do
		eval "$cmd" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# --- cleanup -----------------------------------------------------------------

at_exit() {
	E2E_AT_EXIT=("$1" ${E2E_AT_EXIT[@]+"${E2E_AT_EXIT[@]}"})
}

_e2e_cleanup() {
	local rc=$? cmd
	trap - EXIT INT TERM HUP
	for cmd in ${E2E_AT_EXIT[@]+"${E2E_AT_EXIT[@]}"}; do
		eval "$cmd" || true
	done
	record_stop >/dev/null 2>&1
	pulse_stop
	rm -rf "$E2E_TMP"
	exit "$rc"
}
trap _e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Succeeds if PID is a live process, not a zombie waiting to be reaped (a
# child that exited still answers `kill -0` until the shell waits for it).
is_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# Kills PID (our own child) with SIG, waits up to TIMEOUT_S for it to go, then
# SIGKILLs it.  Returns the process's exit status (0 if there was none).
_stop_pid() {  # _stop_pid PID SIG TIMEOUT_S
	local pid=$1 rc=0
	[ -n "$pid" ] || return 0
	kill -"$2" "$pid" 2>/dev/null || true
	if ! wait_for "! is_alive $pid" "$3"; then
		echo "lib.sh: pid $pid ignored SIG$2 for $3 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# Prints "PID NAME" for each live process whose environment mentions DIR, e.g.
# the PULSE_DIR that pulse_start exported to every child it started.  Needs
# only /proc and grep (procps is not on a minimal Debian).
procs_using() {  # procs_using DIR
	local f pid name files
	# The list is made here, before grep starts: expanded in grep's own
	# process, it would include grep, which has DIR in its environment.
	files=(/proc/[0-9]*/environ)
	while read -r f; do
		pid=${f#/proc/}
		pid=${pid%/environ}
		name=$(cat "/proc/$pid/comm" 2>/dev/null) && is_alive "$pid" && echo "$pid $name"
	done < <(grep -laF -- "$1" "${files[@]}" 2>/dev/null)
	return 0
}

# --- tools -------------------------------------------------------------------

tool_wav() { "$BUILD/tests/tool_wav" "$@"; }
# The harness's own player, at coachd's real-time priority where allowed:
# it checks the measuring chain, not how a test tool fares under load.
tool_paplay() {
	if chrt -f 5 true 2>/dev/null; then chrt -f 5 "$BUILD/tests/tool_paplay" "$@"; else "$BUILD/tests/tool_paplay" "$@"; fi
}

# --- PulseAudio ----------------------------------------------------------------

# Starts the server process in the prepared directories.  Returns 0 once
# `pactl info` answers, 1 (with the server's log on stderr) if it does not.
_pulse_server_up() {
	local t0 log=$PULSE_DIR/pulseaudio.log
	t0=$(now_ms)
	# -n: no default.pa (no hardware detection, no D-Bus or X11 modules);
	# --disallow-exit: clients cannot stop it; --exit-idle-time=-1: it stays up
	# with nobody connected; no realtime or nice (no rtkit over D-Bus, nothing a
	# container forbids); a private D-Bus address that does not exist, so it
	# neither registers on a developer's session bus nor autolaunches one.
	# Running as root, it warns "not intended to be run as root" and carries on.
	env -u DISPLAY -u WAYLAND_DISPLAY \
		DBUS_SESSION_BUS_ADDRESS="unix:path=$PULSE_DIR/no-dbus" \
		DBUS_SYSTEM_BUS_ADDRESS="unix:path=$PULSE_DIR/no-dbus" \
		pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit \
		--use-pid-file=no --realtime=no --high-priority=no --log-target=stderr \
		--log-level=notice \
		-L "module-null-sink sink_name=$PULSE_SINK rate=$PULSE_RATE channels=2 norewinds=1" \
		-L module-native-protocol-unix \
		</dev/null >>"$log" 2>&1 &
	PULSE_PID=$!
	# The file, not the variable, is the truth: pulse_restart may run in a
	# background subshell (`pulse_restart 3 &`), whose variables die with it.
	echo "$PULSE_PID" >"$PULSE_DIR/server.pid"
	if ! wait_for "pactl info >/dev/null 2>&1 || ! is_alive $PULSE_PID" 10 ||
		! pactl info >/dev/null 2>&1; then
		if is_alive "$PULSE_PID"; then
			echo "lib.sh: PulseAudio did not answer within 10 s; its log:" >&2
		else
			echo "lib.sh: PulseAudio exited at start-up; its log:" >&2
		fi
		sed 's/^/  /' "$log" >&2
		_pulse_server_down
		return 1
	fi
	# shellcheck disable=SC2034  # read by the scripts
	PULSE_START_MS=$(($(now_ms) - t0))
	# The server stands in for a sound card, whose clock no load delays:
	# real-time priority where allowed (root, as in CI), as PulseAudio's
	# own threads get through rtkit on a desktop.  Without it, a busy
	# machine (CI runs a VM and cross builds beside make test) made the
	# null sink late, and recordings had gaps no coach code made.
	chrt -a -f -p 20 "$PULSE_PID" >/dev/null 2>&1 || :
	pactl set-default-sink "$PULSE_SINK" && pactl set-default-source "$PULSE_SINK.monitor"
}

_pulse_server_down() {
	local pid
	pid=$(pulse_pid)
	[ -n "$pid" ] && _stop_pid "$pid" TERM 5
	rm -f "$PULSE_DIR/server.pid"
	PULSE_PID=
	return 0
}

# Prints the server's PID (empty if none): after a background pulse_restart,
# $PULSE_PID in the caller is stale, this is not.
pulse_pid() {
	[ -n "$PULSE_DIR" ] && cat "$PULSE_DIR/server.pid" 2>/dev/null
	return 0
}

pulse_start() {
	local why='' tmp=${TMPDIR:-/tmp}
	[ -z "$PULSE_DIR" ] || pulse_stop
	if ! command -v pulseaudio >/dev/null || ! command -v pactl >/dev/null ||
		! command -v parec >/dev/null; then
		fail pulse_start "pulseaudio, pactl or parec missing: make deps (pulseaudio pulseaudio-utils)"
		return 1
	fi
	# The socket path ($PULSE_DIR/run/pulse/native) must fit in sun_path (108).
	[ ${#tmp} -le 60 ] || tmp=/tmp
	PULSE_DIR=$(mktemp -d "$tmp/coach-pulse.XXXXXX") || {
		fail pulse_start "mktemp"
		return 1
	}
	# XDG_RUNTIME_DIR must be owned by us and mode 0700 (mktemp gives both),
	# or pulseaudio ignores it.
	mkdir -m 700 "$PULSE_DIR/run" "$PULSE_DIR/home"
	_E2E_SAVED_ENV=$(declare -p HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_STATE_HOME \
		XDG_DATA_HOME PULSE_SERVER PULSE_CLIENTCONFIG 2>/dev/null)
	export XDG_RUNTIME_DIR=$PULSE_DIR/run
	export HOME=$PULSE_DIR/home
	unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME
	export PULSE_SERVER=unix:$XDG_RUNTIME_DIR/pulse/native
	# Clients must never autospawn a server of their own (a stray pulseaudio
	# left behind, outside our control): Debian enables autospawn through
	# /etc/pulse/client.conf.d.  Root's clients refuse to autospawn anyway.
	export PULSE_CLIENTCONFIG=$HOME/client.conf
	printf 'autospawn = no\n' >"$PULSE_CLIENTCONFIG"
	# ALSA's default PCM and mixer go to the server; PortAudio opens "default".
	cat >"$HOME/.asoundrc" <<-'EOF'
		pcm.!default { type pulse }
		ctl.!default { type pulse }
	EOF
	if ! _pulse_server_up; then
		[ -s "$PULSE_DIR/pulseaudio.log" ] && why=$(grep -m1 '^E:' "$PULSE_DIR/pulseaudio.log")
		fail pulse_start "PulseAudio did not start${why:+: $why}"
		return 1
	fi
	return 0
}

pulse_stop() {
	local pid name
	[ -n "$PULSE_DIR" ] || return 0
	record_stop >/dev/null 2>&1
	_pulse_server_down
	# Whatever still carries our private directories in its environment was
	# started by this script after pulse_start and not stopped (a coachd the
	# test forgot, a server started by a restart in a killed subshell): say so
	# and stop it, so that nothing outlives the test.
	while read -r pid name; do
		echo "lib.sh: $name (pid $pid) still running at pulse_stop; stopping it" >&2
		_stop_pid "$pid" TERM 2
	done < <(procs_using "$PULSE_DIR")
	rm -rf "$PULSE_DIR"
	PULSE_DIR=
	# Back to the environment the script started with.
	unset HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME \
		PULSE_SERVER PULSE_CLIENTCONFIG
	eval "$_E2E_SAVED_ENV"
	return 0
}

# May run in the background (`pulse_restart 3 & ...; wait $!`) while the test
# watches the daemon lose and regain its audio.
pulse_restart() {
	local down=${1:-0}
	[ -n "$PULSE_DIR" ] || {
		echo "lib.sh: pulse_restart before pulse_start" >&2
		return 1
	}
	_pulse_server_down
	[ "$down" = 0 ] || sleep "$down"
	_pulse_server_up
}

# --- recording ---------------------------------------------------------------

record_start() {
	local file=$1
	[ -z "$REC_PID" ] || record_stop
	is_alive "$(pulse_pid)" || {
		echo "lib.sh: record_start without a running server" >&2
		return 1
	}
	# shellcheck disable=SC2034  # read by the scripts
	REC_FILE=$file
	rm -f "$file"
	# --latency-msec: see REC_LATENCY_MS.  On SIGINT parec writes out what it
	# has and closes the file (libsndfile finalizes the header): checked by
	# harness.sh.
	# Real-time where allowed, as the server is: a recorder that a busy
	# machine keeps from reading loses what the monitor overran.
	local rt=()
	chrt -f 5 true 2>/dev/null && rt=(chrt -f 5)
	"${rt[@]}" parec -d "$PULSE_SINK.monitor" --rate="$PULSE_RATE" --channels=1 --format=s16le \
		--latency-msec="$REC_LATENCY_MS" --file-format=wav "$file" </dev/null \
		2>>"$E2E_TMP/parec.log" &
	REC_PID=$!
	# Audio is flowing once the file holds more than its header.
	if ! wait_for "[ \"\$(stat -c %s '$file' 2>/dev/null || echo 0)\" -gt 1024 ] || ! is_alive $REC_PID" 5 ||
		! is_alive "$REC_PID"; then
		echo "lib.sh: parec did not start recording; its log:" >&2
		sed 's/^/  /' "$E2E_TMP/parec.log" >&2
		_stop_pid "$REC_PID" INT 2
		REC_PID=
		return 1
	fi
	return 0
}

# parec exits cleanly on SIGINT or SIGTERM: it closes the file through
# libsndfile, which writes the final RIFF/data sizes into the header.
record_stop() {
	local rc=0
	[ -n "$REC_PID" ] || return 0
	_stop_pid "$REC_PID" INT 5 || rc=$?
	REC_PID=
	return "$rc"
}

# --- tones -------------------------------------------------------------------
#   plan_tones ROUTINE [RATE]  the tones of ROUTINE's first session as
#                        planned (at RATE, else the config's), "SECONDS TYPE"
#                        a line (--plan prints truncated ms)
#   found_tones WAV      the tones found in a recording, "SECONDS TYPE" a line
plan_tones() {
	"$BUILD/coachd" -r "$1" --first --plan ${2:+--rate "$2"} 2>/dev/null |
		awk '$(NF-1) == "tone" { split($1, t, ":"); printf "%.3f %s\n", t[1] * 60 + t[2], $NF }'
}
found_tones() {
	local t
	for t in reminder start tick end finish; do
		tool_wav onsets "$1" "$E2E_ROOT/sounds/$t.wav" 0.97 | awk -v t="$t" '{ print $1, t }'
	done | sort -g
}

# pair_tones PLANNED FOUND: the Nth planned tone against the Nth found
# (files of "SECONDS NAME" lines, plan_tones and found_tones), each offset
# taken from the first.  Prints "PAIRED PLANNED WORST_MS": how many pairs
# are the same sound, how many tones were planned, the largest error.
pair_tones() {
	paste -d' ' "$1" "$2" | awk '
		function abs(x) { return x < 0 ? -x : x }
		NR == 1 { p0 = $1; r0 = $3 }
		NF == 4 && $2 == $4 { n++; e = abs(($3 - r0) - ($1 - p0)) * 1000; if (e > w) w = e }
		END { printf "%d %d %.3f\n", n, NR, w }'
}

# --- fake buttons ------------------------------------------------------------
# coachd's `chip: "fake:FIFO"` reads from a FIFO the records its libgpiod
# backends produce ("play press", "next release", "gone"), so the buttons
# are tested end to end without a GPIO chip.
#   buttons_config OUT [SED_EXPR...]  makes the FIFO $FIFO ($E2E_TMP/buttons
#                                     unless set) and writes the shipped
#                                     coach.yaml, its buttons on it and the
#                                     SED_EXPRs applied, to OUT
#   tap NAME [HELD_S]                 pressed, held (0.1 s: one write of both
#                                     would be a glitch under the debounce),
#                                     released
#   both_held HELD_S                  Play, then Next 0.1 s later, held
#                                     HELD_S, released in the same order
buttons_config() {
	local out=$1 e args=()
	shift
	FIFO=${FIFO:-$E2E_TMP/buttons}
	mkfifo "$FIFO" || return 1
	args=(-e "s|^  chip: auto|  chip: \"fake:$FIFO\"|")
	for e in "$@"; do args+=(-e "$e"); done
	sed "${args[@]}" "$E2E_ROOT/config/coach.yaml" >"$out"
}
tap() { echo "$1 press" >"$FIFO"; sleep "${2:-0.1}"; echo "$1 release" >"$FIFO"; }
both_held() {
	echo "play press" >"$FIFO"; sleep 0.1; echo "next press" >"$FIFO"; sleep "$1"
	echo "play release" >"$FIFO"; sleep 0.1; echo "next release" >"$FIFO"
}

# --- talking to coachd -------------------------------------------------------
# For scripts that set SOCK: ctl ARGS runs coachctl on it; status stores the
# status line in STATUS; field NAME prints NAME=... from it; wait_status RE S
# waits up to S seconds for a status line matching the extended regex RE.
ctl() { "$BUILD/coachctl" -s "$SOCK" "$@"; }
status() { STATUS=$(ctl status 2>/dev/null); }
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$STATUS"; }
status_matches() { status; [[ $STATUS =~ $WANT ]]; }
wait_status() { WANT=$1; wait_for status_matches "$2"; }
