#!/usr/bin/env bash
# "This hurts" end to end: both buttons held (fake GPIO edges) and `coachctl
# hurt` each leave the step they are made in and go on to the next; the
# history line records each step's outcome, `coachctl history` shows it, and
# `coachctl report` counts it.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
CFG=$E2E_TMP/coach.yaml
ROUTINE=$E2E_TMP/hurt.yaml

# Long holds, so that a loaded machine has all the time it needs; the last
# step is short, and its harder variant plays.
cat >"$ROUTINE" <<'YAML'
name: Hurting
safety: Go gently.
countdown: 0
prepare: 0s
rest: 1s
steps:
  - name: One
    time: 30s
  - name: Two
    time: 30s
  - name: Three
    time: 2s
    level: harder
    harder:
      name: Three harder
      time: 3s
YAML
buttons_config "$CFG" || e2e_finish
pulse_start || e2e_finish
# pulse_start gives the test a home of its own: the history goes there.
export XDG_STATE_HOME=$E2E_TMP/state
HISTORY=$XDG_STATE_HOME/coach/history.tsv
"$BUILD/coachd" -c "$CFG" -r "$ROUTINE" -s "$SOCK" -v >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
if wait_status '^idle .*routine="Hurting".* buttons=ok' 20; then
	pass ready
else
	fail ready "${STATUS:-}"
	cat "$LOG"
	e2e_finish
fi

# Idle: nothing to mark.
err=$(ctl hurt 2>&1)
[[ $? -eq 1 && $err == *"nothing to mark as hurting (the session is idle)"* ]] &&
	pass hurt-idle-refused || fail hurt-idle-refused "$err"

# Session 1: both held in step one's hold, coachctl hurt in step two's.
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 15 && pass step-one-holds || fail step-one-holds "$STATUS"
both_held 2.6   # "this hurts" fires at 2 s (twice long_press)
wait_for "grep -q 'buttons: both-long' '$LOG'" 5 && pass both-held-heard || fail both-held-heard "no both-long"
wait_status '^running step=2/3 ' 5 && pass both-held-leaves-step || fail both-held-leaves-step "$STATUS"
wait_status '^running step=2/3 .* phase=hold ' 15
out=$(ctl hurt)
[ "$out" = "ok hurt" ] && pass coachctl-hurt || fail coachctl-hurt "$out"
wait_status '^running step=3/3 ' 5 && pass coachctl-hurt-leaves-step || fail coachctl-hurt-leaves-step "$STATUS"
wait_status '^(finished|idle) ' 30 && pass session-finishes || fail session-finishes "$STATUS"
wait_for "grep -q 'history: Hurting, finished' '$LOG'" 10
line=$(grep -v '^#' "$HISTORY" | tail -n 1)
echo "history: $line"
# Steps one and two hurt, three done in its harder version.
if [[ $line == *$'\tHurting\tfinished\t'*$'\t3/3\t'*$'\thhd+\t-' ]]; then
	pass history-outcomes
else
	fail history-outcomes "$line"
fi

# Session 2: hurt in step one, stopped in step two: two and three not reached.
ctl play >/dev/null
wait_status '^running step=1/3 .* phase=hold ' 15
ctl hurt >/dev/null
wait_status '^running step=2/3 ' 5
ctl stop >/dev/null
wait_status '^idle ' 5
wait_for "grep -q 'history: Hurting, stopped' '$LOG'" 10
line=$(grep -v '^#' "$HISTORY" | tail -n 1)
echo "history: $line"
[[ $line == *$'\tHurting\tstopped\t'*$'\t1/3\t'*$'\th..+\t-' ]] && pass history-stopped-outcomes ||
	fail history-stopped-outcomes "$line"

hist=$(ctl history)
echo "$hist"
grep -q '^ *hhd+$' <<<"$hist" && grep -q '^ *h\.\.+$' <<<"$hist" && pass history-shows-outcomes ||
	fail history-shows-outcomes "$hist"
csv=$(ctl history --csv | tr -d '\r')
grep -q ',Hurting,finished,[0-9]*,3,3,hhd+,$' <<<"$csv" && pass csv-outcomes || fail csv-outcomes "$csv"

# The report: the hurt steps, which and how often.  Two weeks and sums, so
# that a session on each side of a Sunday midnight still adds up.
report=$(ctl report --weeks 2)
echo "$report"
if grep -q '^ *hurt: .*Hurting #1 x[12]' <<<"$report" && grep -q 'Hurting #2 x1' <<<"$report" &&
   [ "$(grep -c '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] ' <<<"$report")" -eq 2 ]; then
	pass report-lists-hurt
else
	fail report-lists-hurt "$report"
fi
csv=$(ctl report --weeks 2 --format csv | tr -d '\r')
echo "$csv"
sums=$(awk -F, 'NR > 1 { f += $2; s += $3; h += $6 } END { print f, s, h }' <<<"$csv")
[ "$(head -n 1 <<<"$csv")" = "week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt,planned,checkin_mean" ] &&
	[ "$sums" = "1 1 3" ] && pass report-csv-figures || fail report-csv-figures "$sums: $csv"
err=$(ctl report --weeks 0 2>&1)
[ $? -eq 64 ] && [[ $err == *"expected 1 to"* ]] && pass report-bad-weeks || fail report-bad-weeks "$err"

# Without a daemon, coachctl reads the usual file itself.
kill -TERM "$COACHD"; wait "$COACHD"
report=$(ctl report --weeks 2)
grep -q 'Hurting #2 x1' <<<"$report" && pass report-without-daemon || fail report-without-daemon "$report"
e2e_finish
