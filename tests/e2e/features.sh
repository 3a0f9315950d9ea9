#!/usr/bin/env bash
# Beyond a timer: several routines (list, start by name, long press of Next
# while idle), the choice remembered across restarts, the session history with
# its streak said aloud, and the CSV export.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
DATA=$E2E_TMP/data
export XDG_STATE_HOME=$E2E_TMP/state
hold() { tap "$1" 1.3; }   # outlasts long_press (1 s)

# A data folder like a checkout's, with two short routines.
mkdir -p "$DATA/config/routines"
ln -s "$E2E_ROOT/voices" "$DATA/voices"
ln -s "$E2E_ROOT/sounds" "$DATA/sounds"
buttons_config "$DATA/config/coach.yaml" "s|^routine: .*|routine: alpha|" || e2e_finish
printf 'name: Alpha\ncountdown: 0\nprepare: 0s\nsteps:\n  - name: First\n    time: 2s\n' \
	>"$DATA/config/routines/alpha.yaml"
printf 'name: Bravo\ncountdown: 0\nprepare: 0s\nsteps:\n  - name: Only\n    time: 2s\n' \
	>"$DATA/config/routines/bravo.yaml"

start_daemon() {
	"$BUILD/coachd" -d "$DATA" -s "$SOCK" -v >>"$LOG" 2>&1 &
	COACHD=$!
	at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
}

pulse_start || e2e_finish
start_daemon
wait_status '^idle .*routine="Alpha"' 20 && pass ready || { fail ready "${STATUS:-}"; cat "$LOG"; e2e_finish; }

list=$(ctl list)
echo "$list"
if grep -q '^alpha \*  Alpha$' <<<"$list" && grep -q '^bravo  Bravo$' <<<"$list"; then
	pass list
else
	fail list "$list"
fi

reply=$(ctl start bravo)
[ "$reply" = "ok starting Bravo" ] && pass start-by-name || fail start-by-name "$reply"
wait_status '^running .*routine="Bravo"' 10 && pass start-runs || fail start-runs "$STATUS"
err=$(ctl start nosuch 2>&1)
[[ $err == *"no routine called 'nosuch'"* ]] && pass start-unknown || fail start-unknown "$err"

# Bravo runs to its end: a finished session, the streak said aloud.
wait_status '^(finished|idle) ' 20
if wait_for "grep -q 'history: Bravo, finished' '$LOG'" 10; then pass history-recorded; else fail history-recorded "no history line"; fi
wait_for "grep -q \"streak: 1 (best 1): \\\"That's day one\" '$LOG'" 10 && pass streak-said || fail streak-said "no streak line"

hist=$(ctl history)
echo "$hist"
if grep -q 'finished .* Bravo' <<<"$hist" && grep -q 'Current streak: 1' <<<"$hist"; then
	pass history-shown
else
	fail history-shown "$hist"
fi
csv=$(ctl history --csv)
echo "$csv"
if [ "$(head -n 1 <<<"$csv" | tr -d '\r')" = "date,routine,result,seconds,steps_done,steps_total,outcomes,checkin" ] &&
   grep -q $',Bravo,finished,[0-9]*,1,1,d,\r\\?$' <<<"$csv"; then
	pass history-csv
else
	fail history-csv "$csv"
fi

# A stopped session is a stopped line.
ctl play >/dev/null
wait_status '^running ' 5
ctl stop >/dev/null
wait_for "grep -q 'history: Bravo, stopped' '$LOG'" 10 && pass stopped-recorded || fail stopped-recorded "no line"

# The choice outlives a restart.
kill -TERM "$COACHD"; wait "$COACHD"
start_daemon
wait_status '^idle .*routine="Bravo"' 20 && pass choice-remembered || fail choice-remembered "$STATUS"

# A long press of Next while idle chooses the next routine and says its name.
hold next
wait_status '^idle .*routine="Alpha"' 10 && pass long-next-cycles || fail long-next-cycles "$STATUS"
grep -q 'chose the routine alpha.yaml ("Alpha")' "$LOG" && pass cycle-logged || fail cycle-logged "no log line"
grep -E 'history|streak|chose' "$LOG"
e2e_finish
