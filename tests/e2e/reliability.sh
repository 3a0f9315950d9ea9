#!/usr/bin/env bash
# What an adversarial test found (issue 16), one case each: references that
# parse but cannot be used, loads that race or fail, controls that were
# acknowledged but not applied, sessions lost at shutdown, and limits that
# were not limits.  Each case says which finding it covers.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
DATA=$E2E_TMP/data
STATE=$E2E_TMP/state
export XDG_STATE_HOME=$STATE
ctl() { "$BUILD/coachctl" -s "$SOCK" "$@"; }
status() { STATUS=$(ctl status 2>/dev/null); }
status_matches() { status; [[ $STATUS =~ $WANT ]]; }
wait_status() { WANT=$1; wait_for status_matches "$2"; }

# A data folder like a checkout's: the shipped voices and sounds, a short
# routine, and a voice profile whose espeak-ng voice does not exist.
mkdir -p "$DATA/config/routines" "$DATA/voices"
cp "$E2E_ROOT"/voices/*.yaml "$DATA/voices/"
ln -s "$E2E_ROOT/sounds" "$DATA/sounds"
sed -e 's/^espeak: .*/espeak: zz-nope/' "$E2E_ROOT/voices/en.yaml" >"$DATA/voices/zz.yaml"
zz_line=$(grep -n '^espeak:' "$DATA/voices/zz.yaml" | cut -d: -f1)
sed -e "s|^routine: .*|routine: alpha|" -e "s|^  enabled: true|  enabled: false|" \
	"$E2E_ROOT/config/coach.yaml" >"$DATA/config/coach.yaml"
printf 'name: Alpha\ncountdown: 0\nprepare: 0s\nsteps:\n  - name: First\n    time: 2s\n' \
	>"$DATA/config/routines/alpha.yaml"
printf 'name: Bad voice\nvoice: zz\nsteps:\n  - name: Only\n    time: 2s\n' \
	>"$DATA/config/routines/zulu.yaml"

start_daemon() {  # start_daemon [OPTIONS...]
	"$BUILD/coachd" -d "$DATA" -s "$SOCK" -v "$@" >>"$LOG" 2>&1 &
	COACHD=$!
	at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
}

# --- finding 3: --check asks espeak-ng for the voice, and says where ------
"$BUILD/coachd" -d "$DATA" --check -r "$DATA/config/routines/zulu.yaml" >/dev/null 2>"$E2E_TMP/check.err"
rc=$?
want="$DATA/voices/zz.yaml:$zz_line:9: error: espeak-ng has no voice 'zz-nope'"
if [ "$rc" -eq 78 ] && [[ $(head -n1 "$E2E_TMP/check.err") == "$want"* ]]; then
	pass check-unknown-espeak-voice
else
	fail check-unknown-espeak-voice "exit $rc: $(head -n1 "$E2E_TMP/check.err")"
fi

printf 'name: Bravo\ncountdown: 0\nprepare: 0s\nsteps:\n  - name: Only\n    time: 2s\n' \
	>"$DATA/config/routines/bravo.yaml"
printf 'name: No profile\nvoice: nosuch\nsteps:\n  - name: Only\n    time: 2s\n' \
	>"$DATA/config/routines/yankee.yaml"
history_lines() { grep -c "	$1	$2	" "$STATE/coach/history.tsv" 2>/dev/null; }

pulse_start || e2e_finish
export XDG_STATE_HOME=$STATE

# --- finding 5: a scheduled start whose routine does not load says so, and
# is not left armed for the next reload.  A second daemon, its entry at the
# next minute, checked at the end.
at=$(date -d '+1 minute' +%H:%M)
SCHED=$E2E_TMP/sched
mkdir -p "$SCHED/config"
ln -s "$DATA/voices" "$SCHED/voices"
ln -s "$DATA/sounds" "$SCHED/sounds"
ln -s "$DATA/config/routines" "$SCHED/config/routines"
sed -e "s|^schedule:|schedule:\n  - {days: daily, time: \"$at\", action: start, routine: zulu}\nold_schedule:|" \
	"$DATA/config/coach.yaml" | sed -e '/^old_schedule:/,$d' >"$SCHED/config/coach.yaml"
"$BUILD/coachd" -d "$SCHED" -s "$E2E_TMP/sched.sock" -v >"$E2E_TMP/sched.log" 2>&1 &
SCHED_PID=$!
at_exit "kill $SCHED_PID 2>/dev/null; wait $SCHED_PID 2>/dev/null"

# --- finding 3: a voice espeak-ng does not have, at start-up: exit 78 with
# the located error, not a daemon that is never ready --------------------
timeout -k 5 60 "$BUILD/coachd" -d "$DATA" -s "$E2E_TMP/zulu.sock" -r "$DATA/config/routines/zulu.yaml" \
	>"$E2E_TMP/zulu.log" 2>&1
rc=$?
if [ "$rc" -eq 78 ] && grep -q "zz.yaml:$zz_line:9: error: espeak-ng has no voice 'zz-nope'" "$E2E_TMP/zulu.log"; then
	pass start-unknown-espeak-voice-refused
else
	fail start-unknown-espeak-voice-refused "exit $rc: $(grep -v ALSA "$E2E_TMP/zulu.log" | tail -n 3)"
fi

start_daemon
wait_status '^idle .*routine="Alpha"' 20 && pass ready || { fail ready "${STATUS:-}"; cat "$LOG"; e2e_finish; }

# --- finding 4: start while a load is in flight plays what was started ---
# Alpha gets a quarter of an hour of new speech (a second or more to
# synthesize), is reloaded, and Bravo is started before that load ends.
cue=$(printf '987654321987 %.0s' $(seq 50))
{
	printf 'name: Alpha\ncountdown: 0\nprepare: 0s\nsteps:\n'
	for i in 1 2 3 4 5 6 7 8 9; do printf '  - name: Step %d\n    time: 2s\n    say: %d %s\n' "$i" "$i" "$cue"; done
} >"$DATA/config/routines/alpha.yaml"
ctl reload >/dev/null
reply=$(ctl start bravo 2>&1)
if [ "$reply" = "ok starting Bravo" ] && wait_status '^running .*routine="Bravo"' 90; then
	pass start-during-load
else
	fail start-during-load "reply '$reply', status '$STATUS'"
fi
ctl stop >/dev/null 2>&1
wait_status '^(idle|finished) ' 10


# --- finding 2: a routine that parses but names a missing voice profile is
# refused by start, never remembered; a restart still comes up -------------
err=$(ctl start yankee 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [[ $err == *"yankee.yaml cannot be started: "*"no voice profile 'nosuch'"* ]]; then
	pass start-missing-profile-refused
else
	fail start-missing-profile-refused "exit $rc: $err"
fi
if ! grep -qs yankee "$STATE/coach/state"; then
	pass start-missing-profile-not-remembered
else
	fail start-missing-profile-not-remembered "$(cat "$STATE/coach/state")"
fi

# --- finding 3, live: the start is taken, the load fails, nothing is left
# waiting: Play plays the routine that is loaded -------------------------
ctl start zulu >/dev/null 2>&1
if wait_for "grep -q 'zz.yaml:$zz_line:9: error: espeak-ng has no voice' '$LOG'" 90 &&
   grep -q 'the session does not start' "$LOG"; then
	pass start-unknown-espeak-voice-reported
else
	fail start-unknown-espeak-voice-reported "$(grep -v ALSA "$LOG" | tail -n 3)"
fi
reply=$(ctl play 2>&1)
if [ "$reply" = "ok play" ] && wait_status '^(running|finished) .*routine="Bravo"' 10; then
	pass play-after-failed-load
else
	fail play-after-failed-load "reply '$reply', status '$STATUS'"
fi
ctl stop >/dev/null 2>&1
wait_status '^(idle|finished) ' 10
grep -qs zulu "$STATE/coach/state" && fail failed-load-not-remembered "$(cat "$STATE/coach/state")" ||
	pass failed-load-not-remembered

# --- finding 7: controls come faster than the audio thread takes them; every
# "ok" is a control applied, and every session is a line of the history -
before=$(history_lines Bravo stopped)
for i in 1 2 3 4; do
	until [ "$(ctl play 2>/dev/null)" = "ok play" ]; do :; done
	until [ "$(ctl stop 2>/dev/null)" = "ok stop" ]; do :; done
done
wait_status '^(idle|finished) ' 10
sleep 1
after=$(history_lines Bravo stopped)
if [ $((after - before)) -eq 4 ]; then
	pass four-quick-sessions-four-lines
else
	fail four-quick-sessions-four-lines "$((after - before)) lines"
fi
# The sound server stopped for a moment, so the audio thread takes nothing:
# a hundred pauses and resumes meanwhile would be more than the ring to it
# holds (64), were each one sent.
ctl play >/dev/null
wait_status '^running ' 10
kill -STOP "$(pulse_pid)"
oks=0 busy=0
for i in $(seq 100); do
	case $(ctl play 2>&1) in "ok play") oks=$((oks + 1)) ;; *busy*) busy=$((busy + 1)) ;; esac
done
kill -CONT "$(pulse_pid)"
echo "100 plays while the audio thread waits: $oks ok, $busy busy"
if grep -q "cannot send 'control'" "$LOG"; then
	fail no-unsent-control-acknowledged "$(grep -c "cannot send" "$LOG") controls not sent, all acknowledged"
else
	pass no-unsent-control-acknowledged
fi
ctl stop >/dev/null 2>&1
wait_status '^(idle|finished) ' 10

# --- finding 6: SIGTERM mid-session records the session as stopped -----
before=$(history_lines Bravo stopped)
ctl play >/dev/null
wait_status '^running .*routine="Bravo"' 10
sleep 1
kill -TERM "$COACHD"
wait "$COACHD"
rc=$?
after=$(history_lines Bravo stopped)
if [ "$rc" -eq 0 ] && [ $((after - before)) -eq 1 ]; then
	pass sigterm-records-session
else
	fail sigterm-records-session "exit $rc, $((after - before)) new stopped lines"
fi

# --- finding 2: a remembered choice that no longer loads does not brick the
# next start: coachd falls back to the config's routine --------------------
mkdir -p "$STATE/coach"
printf 'routine=yankee.yaml\nconfig_routine=alpha\n' >"$STATE/coach/state"
start_daemon
if wait_status '^idle .*routine="Alpha"' 20 && grep -q "yankee.yaml has an error; using alpha" "$LOG"; then
	pass broken-choice-falls-back
else
	fail broken-choice-falls-back "status '${STATUS:-}': $(grep -v ALSA "$LOG" | tail -n 3)"
fi

# --- finding 10: a FIFO as the state file: a reload reads it without
# blocking the loop, and the daemon keeps answering ------------------------
rm -f "$STATE/coach/state"
mkfifo "$STATE/coach/state"
reply=$(timeout 10 "$BUILD/coachctl" -s "$SOCK" reload 2>&1)
status
if [[ $STATUS == idle* ]] && [ -n "$reply" ]; then
	pass fifo-state-reload
else
	fail fifo-state-reload "reload '$reply', status '${STATUS:-}'"
fi
rm -f "$STATE/coach/state"

# --- finding 5, the end: the scheduled start of zulu failed, was said, and
# the reload after it starts nothing --------------------------------------
if wait_for "grep -q 'the session does not start' '$E2E_TMP/sched.log'" 75; then
	SOCK=$E2E_TMP/sched.sock ctl reload >/dev/null
	sleep 2
	SOCK=$E2E_TMP/sched.sock status
	if [[ $STATUS == idle* ]]; then
		pass scheduled-start-failure-disarmed
	else
		fail scheduled-start-failure-disarmed "$STATUS"
	fi
else
	fail scheduled-start-failure-disarmed "$(grep -v ALSA "$E2E_TMP/sched.log" | tail -n 3)"
fi

e2e_finish
