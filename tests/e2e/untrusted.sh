#!/usr/bin/env bash
# Text from files on its way out (issue 16, findings 15 and 16): routine and
# step names with line breaks, escape sequences and C1 controls reach neither
# systemd's notification socket as assignments of their own, nor the control
# protocol, the log, `coachctl list/status/history`, `--check` or `--plan`
# raw.  Every output is one line per record, with no ESC, BEL or C1 byte.
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
LOG=$E2E_TMP/coachd.log
DATA=$E2E_TMP/data
NOTES=$E2E_TMP/notify.log

# Succeeds when FILE (or stdin) holds no ESC, BEL, CR, C1 (U+0080-U+009F) or
# bidi override byte sequence.
no_controls() {
	! LC_ALL=C grep -qaP '[\x07\x0d\x1b]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]' "${1:--}"
}

mkdir -p "$DATA/config/routines"
ln -s "$E2E_ROOT/voices" "$DATA/voices"
ln -s "$E2E_ROOT/sounds" "$DATA/sounds"
sed -e "s|^routine: .*|routine: a-evil|" -e "s|^  enabled: true|  enabled: false|" \
	"$E2E_ROOT/config/coach.yaml" >"$DATA/config/coach.yaml"
# YAML's own escapes: \n, \e (ESC), \a (BEL), \x9b is a C1 CSI, \u202e a bidi
# override.  A `|` block gives real line breaks.
cat >"$DATA/config/routines/a-evil.yaml" <<'EOF'
name: "Evil\e[2J\nWATCHDOG=trigger"
countdown: 0
prepare: 0s
steps:
  - name: "Stretch\nWATCHDOG=trigger\nSTOPPING=1"
    say: |
      Breathe
      EXTEND_TIMEOUT_USEC=1
    time: 3s
  - name: "Hold\e]0;pwned\a\x9b31m\u202e"
    time: 2s
EOF
printf 'name: Zulu\ncountdown: 0\nprepare: 0s\nsteps:\n  - name: Only\n    time: 2s\n' \
	>"$DATA/config/routines/zulu.yaml"

# --- --check and --plan: one line per record ---------------------------------
out=$("$BUILD/coachd" -d "$DATA" --check 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && no_controls <<<"$out" && [ "$(wc -l <<<"$out")" -eq 5 ] &&
   grep -q '^routine: .*"Evil \[2J WATCHDOG=trigger")$' <<<"$out"; then
	pass check-output-one-line-each
else
	fail check-output-one-line-each "exit $rc: $out"
fi
out=$("$BUILD/coachd" -d "$DATA" --plan 2>&1)
if no_controls <<<"$out" && ! grep -qE '^(WATCHDOG|STOPPING|EXTEND)' <<<"$out" &&
   grep -q 'say "Breathe EXTEND_TIMEOUT_USEC=1"' <<<"$out"; then
	pass plan-output-one-line-each
else
	fail plan-output-one-line-each "$out"
fi

pulse_start || e2e_finish
export XDG_STATE_HOME=$E2E_TMP/state   # after pulse_start, which unsets it
"$BUILD/tests/tool_notify" "$E2E_TMP/notify.sock" >"$NOTES" 2>&1 &
NOTIFY=$!
at_exit "kill $NOTIFY 2>/dev/null; wait $NOTIFY 2>/dev/null"
wait_for "[ -S '$E2E_TMP/notify.sock' ]" 5
NOTIFY_SOCKET=$E2E_TMP/notify.sock JOURNAL_STREAM=8:1234 \
	"$BUILD/coachd" -d "$DATA" -s "$SOCK" -v >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_for "grep -q '^READY=1' '$NOTES'" 20 && pass ready || { fail ready "$(cat "$LOG")"; e2e_finish; }

# --- coachctl list: every routine on a line of its own, none hidden ----------
list=$(ctl list)
if [ "$(wc -l <<<"$list")" -eq 2 ] && no_controls <<<"$list" &&
   grep -q '^a-evil \*  Evil \[2J WATCHDOG=trigger$' <<<"$list" && grep -q '^zulu  Zulu$' <<<"$list"; then
	pass list-one-line-per-routine
else
	fail list-one-line-per-routine "$list"
fi

# --- a session: status, STATUS= and the log ----------------------------------
ctl start a-evil >/dev/null
wait_status '^running step=2/2' 30
if no_controls <<<"$STATUS" && [ "$(wc -l <<<"$STATUS")" -eq 1 ] &&
   [[ $STATUS == *'name="Hold ]0;pwned  31m "'* ]]; then
	pass status-one-line
else
	fail status-one-line "$STATUS"
fi
wait_status '^(finished|idle) ' 20
wait_for "grep -q 'history: Evil' '$LOG'" 10
if grep -q '^STATUS=Step 1/2: Stretch WATCHDOG=trigger STOPPING=1$' "$NOTES" &&
   ! grep -qE '^(WATCHDOG=trigger|STOPPING=1|EXTEND_TIMEOUT)' "$NOTES" && no_controls "$NOTES"; then
	pass notify-one-assignment-each
else
	fail notify-one-assignment-each "$(cat "$NOTES")"
fi
# Under journald every line is an entry with the priority it starts with: a
# line with a name in it must be one of ours, whole (libraries such as
# alsa-lib and libjack write lines of their own, without priorities).
if no_controls "$LOG" && ! grep -E 'WATCHDOG=|STOPPING=|EXTEND_TIMEOUT|pwned' "$LOG" | grep -qvE '^<[0-7]>' &&
   grep -q '^<6>history: Evil \[2J WATCHDOG=trigger, finished' "$LOG"; then
	pass log-one-line-each
else
	fail log-one-line-each "$(grep -E 'WATCHDOG=|STOPPING=|EXTEND_TIMEOUT|pwned' "$LOG" | head -5)"
fi

# --- coachctl history, with a line someone wrote by hand ---------------------
printf '2026-11-24T07:02:13+01:00\t\xc2\x9b2J\xe2\x80\xaeHand\tfinished\t60\t1/1\n' \
	>>"$XDG_STATE_HOME/coach/history.tsv"
hist=$(ctl history)
csv=$(ctl history --csv)
if no_controls <<<"$hist" && grep -q 'finished .* Evil \[2J WATCHDOG=trigger$' <<<"$hist" &&
   grep -q 'finished .*   2J Hand$' <<<"$hist" && no_controls <<<"$(tr -d '\r' <<<"$csv")"; then
	pass history-one-line-each
else
	fail history-one-line-each "$hist / $csv"
fi
e2e_finish
