#!/usr/bin/env bash
# The schedule through the real timer: an entry for the coming minute starts
# the session by itself, and the daemon sleeps until then.  The reminder
# before it is snoozed with coachctl; "not today" is kept across a restart.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log

pulse_start || e2e_finish
# A reminder at the next whole minute, local time (at most 60 s away), and
# a start the minute after.
remind_at=$(date -d '+1 minute' +%H:%M)
at=$(date -d '+2 minute' +%H:%M)
cat >"$E2E_TMP/coach.yaml" <<YAML
routine: $E2E_ROOT/tests/routines/e2e-short.yaml
schedule:
  - days: daily
    time: "$remind_at"
    action: remind
  - days: daily
    time: "$at"
    action: start
YAML
"$BUILD/coachd" -c "$E2E_TMP/coach.yaml" -s "$SOCK" -v >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_for "ctl status 2>/dev/null | grep -q '^idle .*End to end'" 20 && pass ready || fail ready "$(ctl status 2>&1)"
grep -q "schedule: next remind at" "$LOG" && pass armed || fail armed "no 'next remind' in the log"
# The reminder fires once: a timer that fires must not be armed again for
# the same moment (time() can lag it).
if wait_for "grep -q 'schedule: reminder' '$LOG'" 65; then
	sleep 2
	n=$(grep -c 'schedule: reminder' "$LOG")
	[ "$n" -eq 1 ] && pass reminder-once || fail reminder-once "$n reminders"
else
	fail reminder-once "no reminder"
fi
# "Later", answered aloud; a second snooze finds no reminder waiting.
reply=$(ctl snooze 2>&1)
[ "$reply" = "ok snoozed for 10 minutes" ] && pass snoozed || fail snoozed "$reply"
wait_for "grep -q 'reminder: snoozed for 10 minutes: \"All right. I.ll remind you again in 10 minutes.\"' '$LOG'" 5 &&
	pass snooze-said || fail snooze-said "no snooze line in the log"
reply=$(ctl snooze 2>&1)
[ "$reply" = "error: nothing to snooze (no reminder is waiting)" ] && pass snooze-once ||
	fail snooze-once "$reply"

# Idle until the minute: sample the daemon's CPU time; it should not grow.
ticks() { awk '{ print $14 + $15 }' "/proc/$COACHD/stat"; }
before=$(ticks)
if wait_for "ctl status 2>/dev/null | grep -q '^running'" 70; then
	pass schedule-started
else
	fail schedule-started "$(ctl status 2>&1)"
fi
grep -q "schedule: starting the session" "$LOG" && pass schedule-logged || fail schedule-logged "no log line"
started=$(date +%H:%M)
[ "$started" = "$at" ] && pass on-time || fail on-time "started at $started for $at"
after=$(ticks)
echo "CPU ticks while waiting for the schedule: $((after - before))"
ctl stop >/dev/null

# "Not today" while idle: said, kept in the state file, read back at a restart.
wait_for "ctl status 2>/dev/null | grep -q '^\(idle\|finished\)'" 10
reply=$(ctl not-today 2>&1)
[ "$reply" = "ok not today: no reminder or scheduled start until tomorrow" ] && pass not-today ||
	fail not-today "$reply"
grep -q "reminder: not today ($(date +%F)): \"All right, not today." "$LOG" && pass not-today-said ||
	fail not-today-said "no not-today line in the log"
grep -qx "not_today=$(date +%F)" "$HOME/.local/state/coach/state" && pass not-today-kept ||
	fail not-today-kept "$(cat "$HOME/.local/state/coach/state" 2>&1)"
kill "$COACHD"; wait "$COACHD" 2>/dev/null
"$BUILD/coachd" -c "$E2E_TMP/coach.yaml" -s "$SOCK" -v >"$LOG.2" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_for "grep -q 'reminder: not today (said earlier today)' '$LOG.2'" 20 && pass not-today-restored ||
	fail not-today-restored "$(tail -n 5 "$LOG.2")"
e2e_finish
