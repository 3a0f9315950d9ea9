#!/usr/bin/env bash
# Memory freed on reload (issue 17): coachd reloaded 50 times, each time after
# an edit that changes what it says (a cue's text; every fifth time the
# voice's rate, so that every sentence is new), holds no more memory than
# after its first load.  Once with the speech cache (each bundle's clips are
# mappings of cache files: the mappings must not pile up) and once without
# it (the clips are anonymous memory: RSS must not grow).  Each reload makes
# at least one new sentence and every fifth one all of them, and without the
# cache a reload makes every sentence again: a leak of the speech adds about
# 1.4 MiB of RSS a reload without the cache (70 MiB over the 50: seen with
# bundle_free's clip_free taken out), and a bundle's mappings (12 here) a
# reload with it (612).  The bound, 6 MiB over the RSS after the first load,
# is what malloc's arenas and a second bundle loading beside the first take
# (seen: up to 3.4 MiB); a leak passes it by the fifth reload.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT" || exit 1

RELOADS=50
BOUND_KIB=6144
DATA=$E2E_TMP/data
ROUTINE=$DATA/config/routines/reload.yaml
SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
export XDG_STATE_HOME=$E2E_TMP/state
mkdir -p "$DATA" && cp -r config voices sounds "$DATA"/ || exit 1

write_routine() {  # write_routine N: a routine whose cue says N
	cat >"$ROUTINE" <<EOF
name: Reload
safety: Go gently.
countdown: 0
prepare: 0s
rest: 1s
steps:
  - name: One
    say: This is version $1 of the routine.
    time: 6s
  - name: Two
    time: 3s
EOF
}
set_rate() { sed -i "s/^rate: .*/rate: $1/" "$DATA/voices/en.yaml"; }
# Loads installed: the old bundle is freed by then.
loads() { grep -c 'routine "Reload": ' "$LOG"; }
vm() { sed -n "s/^$2:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "/proc/$1/status"; }
mapped() { grep -c '\.clip$' "/proc/$1/maps"; }

# start NAME: coachd on version 0 of the routine, loaded and idle; its PID
# in PID.  Fails NAME-starts (and returns 1) if it does not get there.
start() {
	write_routine 0
	set_rate 134
	: >"$LOG"
	"$BUILD/coachd" -d "$DATA" -s "$SOCK" -r "$ROUTINE" -v >>"$LOG" 2>&1 &
	pid=$!
	at_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
	if ! wait_for "[ \$(loads) -ge 1 ]" 60 || ! wait_status '^idle ' 20; then
		fail "$1-starts" "$(tail -n3 "$LOG")"
		return 1
	fi
}

# run NAME: starts coachd, reloads it RELOADS times, checks its memory.
run() {
	local name=$1 SERIES= pid n rss0 hwm0 maps0 rss maps max_rss=0 max_maps=0 t0
	start "$name" || return
	rss0=$(vm "$pid" VmRSS)
	hwm0=$(vm "$pid" VmHWM)
	maps0=$(mapped "$pid")
	t0=$(now_ms)
	for n in $(seq 1 "$RELOADS"); do
		write_routine "$n"
		[ $((n % 5)) -eq 0 ] && set_rate $((134 + n))
		ctl reload >/dev/null || { fail "$name-reload-$n" "$(tail -n3 "$LOG")"; return; }
		wait_for "[ \$(loads) -gt $n ]" 60 || { fail "$name-reload-$n" "$(tail -n3 "$LOG")"; return; }
		rss=$(vm "$pid" VmRSS)
		maps=$(mapped "$pid")
		[ "$rss" -gt "$max_rss" ] && max_rss=$rss
		SERIES="$SERIES $rss/$maps"
		[ "$maps" -gt "$max_maps" ] && max_maps=$maps
	done
	echo "$name: after the first load VmRSS $rss0 kB (VmHWM $hwm0 kB), $maps0 clips mapped;" \
	     "over $RELOADS reloads ($(( ($(now_ms) - t0) / 1000 )) s) VmRSS at most $max_rss kB," \
	     "now $rss kB, VmHWM $(vm "$pid" VmHWM) kB; clips mapped at most $max_maps"
	echo "series:$SERIES"
	[ "$max_rss" -le $((rss0 + BOUND_KIB)) ] &&
		pass "$name-rss-bounded" || fail "$name-rss-bounded" "$max_rss kB > $rss0 + $BOUND_KIB kB"
	# Idle, the new bundle replaces the old one at once: one bundle's clips.
	[ "$max_maps" -le "$maps0" ] &&
		pass "$name-mappings-freed" || fail "$name-mappings-freed" "$max_maps > $maps0"
	kill "$pid"
	wait "$pid" 2>/dev/null
}

# Messages said on demand freed once played: a reload that fails says where
# the routine's error is ("The routine file has an error on line N."), a new
# sentence for each line.  Each is a clip mapped from the speech cache, held
# only until the player has played it: once quiet, coachd maps no more clips
# than the routine's own.  Before, the loader's speech kept every message
# for the life of the process (SAID more mappings at the end, for ever).
SAID=12
said_messages() {
	local pid n maps0 maps max_maps=0
	start said || return
	maps0=$(mapped "$pid")
	for n in $(seq 1 "$SAID"); do
		# The error on line n + 1: a list where the routine wants a map.
		{ yes '#' | head -n "$n"; echo '- not a routine'; } >"$ROUTINE"
		ctl reload >/dev/null 2>&1
		wait_for "[ \$(grep -c 'saying when idle: \"The routine file has an error on line' \"\$LOG\") -ge $n ]" 30 ||
			{ fail said-message-$n "$(tail -n3 "$LOG")"; return; }
		maps=$(mapped "$pid")
		[ "$maps" -gt "$max_maps" ] && max_maps=$maps
	done
	grep -c 'saying when idle: "The routine file has an error on line' "$LOG" | grep -qx "$SAID" ||
		fail said-distinct "$(grep 'saying when idle' "$LOG" | tail -n3)"
	if wait_for "[ \$(mapped $pid) -le $maps0 ]" 30; then
		pass said-messages-freed
	else
		fail said-messages-freed "$(mapped "$pid") clips mapped after $SAID messages played, $maps0 before"
	fi
	echo "said: $maps0 clips mapped before, at most $max_maps while $SAID messages were said, $(mapped "$pid") after"
	kill "$pid"
	wait "$pid" 2>/dev/null
}

pulse_start || e2e_finish
run cache
COACH_CACHE_MIB=0 run nocache
said_messages
e2e_finish
