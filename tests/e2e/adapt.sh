#!/usr/bin/env bash
# The routine adapts, end to end and short: a session where step one is
# marked as hurting with the buttons (both held) and step two with `coachctl
# hurt`; the check-in after it answered with three presses of Play; the
# history line that results; the next session's `coachd --plan` showing step
# one stepped back to its easier version; and `coachctl report` listing it
# and the version that step plays now.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
CFG=$E2E_TMP/coach.yaml
ROUTINE=$E2E_TMP/adapt.yaml
play_pressed() { tap play 0.15; sleep 0.3; }

# Long holds that the hurts cut short (a loaded machine has all the time it
# needs), and a short last step.
cat >"$ROUTINE" <<'YAML'
name: Adapting
safety: Go gently.
countdown: 0
prepare: 0s
rest: 1s
steps:
  - name: Knee hug
    time: 30s
    back: easier after hurt
    easier:
      name: Both knees to the chest
      time: 20s
  - name: Two
    time: 30s
  - name: Three
    time: 2s
YAML
buttons_config "$CFG" "s|^checkin: off|checkin: on|" "s|^routine:.*|routine: $ROUTINE|" || e2e_finish
pulse_start || e2e_finish
export XDG_STATE_HOME=$E2E_TMP/state
HISTORY=$XDG_STATE_HOME/coach/history.tsv
"$BUILD/coachd" -c "$CFG" -r "$ROUTINE" -s "$SOCK" -v >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
if wait_status '^idle .*routine="Adapting".* buttons=ok' 20; then
	pass ready
else
	fail ready "${STATUS:-}"
	cat "$LOG"
	e2e_finish
fi

ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 15
both_held 2.6   # "this hurts" fires at 2 s (twice long_press)
wait_status '^running step=2/3 .* phase=hold ' 10 && pass button-hurt || fail button-hurt "$STATUS"
out=$(ctl hurt 2>&1)
[ "$out" = "ok hurt" ] && pass coachctl-hurt || fail coachctl-hurt "$out"
# The check-in follows the session: three presses of Play, each counted
# aloud, are the answer a few seconds after the last.
wait_for "grep -q 'check-in: asking' '$LOG'" 30 && pass checkin-asked || fail checkin-asked "$(tail -5 "$LOG")"
out=$(ctl checkin 11 2>&1)
[[ $out == *"a number from 0 (no pain) to 10"* ]] && pass checkin-range || fail checkin-range "$out"
play_pressed; play_pressed; play_pressed
wait_for "grep -q 'check-in: answered 3' '$LOG'" 15 && pass checkin-answered ||
	fail checkin-answered "$(grep check-in "$LOG")"
wait_for "grep -q 'history: Adapting, finished' '$LOG'" 5
line=$(grep -v '^#' "$HISTORY" | tail -n 1)
echo "history: $line"
[[ $line == *$'\tAdapting\tfinished\t'*$'\t3/3\t'*$'\thhd\t3' ]] && pass history-line ||
	fail history-line "$line"
# Not asked: no check-in is being asked now.
out=$(ctl checkin 4 2>&1)
[[ $out == *"no check-in is being asked"* ]] && pass checkin-not-asked || fail checkin-not-asked "$out"

# The next session, as `coachd --plan` lays it out from that history: step
# one stepped back to its easier version, announced as today's.
plan=$("$BUILD/coachd" -c "$CFG" -r "$ROUTINE" --plan 2>&1)
grep -q 'Today: Both knees to the chest' <<<"$plan" && pass plan-stepped-back ||
	fail plan-stepped-back "$plan"
# The report lists both hurts, which steps and how often, and the version
# step one plays now, since today.
report=$(ctl -c "$CFG" report --weeks 1)
echo "$report"
grep -q 'hurt: .*Adapting #1 x1' <<<"$report" && grep -q 'Adapting #2 x1' <<<"$report" &&
	pass report-lists-hurt || fail report-lists-hurt "$report"
grep -q "^ *#1 Knee hug: easier, since $(date +%F)\$" <<<"$report" && pass report-versions-today ||
	fail report-versions-today "$report"

e2e_finish
