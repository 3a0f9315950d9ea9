#!/usr/bin/env bash
# Files and sockets a root process must not trust (issue 16, findings 17 and
# 18), with a real other user (nobody, through setpriv): a socket squatted by
# another user is not believed by coachctl, nor taken for a coachd by coachd;
# the fallback socket lives in a folder of its own; the session log is never
# written through a link, and a FIFO in its place hangs nothing.
set -u
. "$(dirname "$0")/lib.sh"

LOG=$E2E_TMP/coachd.log
ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml
IMPOSTOR=$BUILD/tests/tool_impostor
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	skip squat "needs root and setpriv to act as another user"
	e2e_finish
fi
# A sound server even where no session plays: without one, PortAudio's
# probing can hang coachd at start-up (libjack; issue 16, finding 20).
pulse_start || e2e_finish
# The fallback path is chosen from these; the tests set TMPDIR themselves.
# PULSE_SERVER still names the server.
unset RUNTIME_DIRECTORY XDG_RUNTIME_DIR
export XDG_STATE_HOME=$E2E_TMP/state   # after pulse_start, which unsets it
# A folder like /tmp that nobody may write in: sticky, everyone's.
SHARED=$(mktemp -d "${TMPDIR:-/tmp}/coach-squat.XXXXXX") || exit 1
chmod 1777 "$SHARED"
at_exit "rm -rf '$SHARED'"

# Starts tool_impostor as nobody at $1 answering $2; sets IMP.
impostor() {
	"${NOBODY[@]}" "$IMPOSTOR" "$1" "$2" >"$E2E_TMP/impostor.out" 2>&1 &
	IMP=$!
	at_exit "kill $IMP 2>/dev/null; wait $IMP 2>/dev/null"
	wait_for "grep -q listening '$E2E_TMP/impostor.out'" 5
}

# --- coachctl does not believe another user's socket ------------------------
# (The old coachctl, run by root, printed "N damaged lines in /etc/shadow".)
impostor "$SHARED/coach.sock" 'ok /etc/shadow'
out=$("$BUILD/coachctl" -s "$SHARED/coach.sock" history 2>&1)
rc=$?
if [ "$rc" -eq 69 ] && [[ $out == *"not trusting $SHARED/coach.sock: it is served by uid 65534"* ]] &&
   [[ $out != *shadow* ]]; then
	pass history-not-from-impostor
else
	fail history-not-from-impostor "exit $rc: $out"
fi
kill "$IMP"; wait "$IMP" 2>/dev/null
rm -f "$SHARED/coach.sock"
impostor "$SHARED/coach.sock" $'idle \e]0;pwned\a\e[2J'
out=$("$BUILD/coachctl" -s "$SHARED/coach.sock" status 2>&1)
rc=$?
[ "$rc" -eq 69 ] && [[ $out == *"not trusting"* ]] && ! grep -q $'\e' <<<"$out" &&
	pass status-not-from-impostor || fail status-not-from-impostor "exit $rc: $out"
kill "$IMP"; wait "$IMP" 2>/dev/null

# --- coachd: a squatted fallback folder, a squatted socket --------------------
if [ -e /run/coach/coach.sock ]; then
	skip fallback "a system coachd's socket exists: it comes first"
else
	"${NOBODY[@]}" mkdir "$SHARED/coach-0"
	TMPDIR=$SHARED "$BUILD/coachd" -r "$ROUTINE" >"$LOG" 2>&1
	rc=$?
	if [ "$rc" -eq 69 ] && grep -q "$SHARED/coach-0 belongs to uid 65534, not to us (uid 0): someone may be squatting it" "$LOG"; then
		pass squatted-folder-refused
	else
		fail squatted-folder-refused "exit $rc: $(cat "$LOG")"
	fi
	rmdir "$SHARED/coach-0"

	# Unsquatted: coachd makes the folder, 0700, and coachctl finds it.
	TMPDIR=$SHARED "$BUILD/coachd" -r "$ROUTINE" >"$LOG" 2>&1 &
	COACHD=$!
	at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
	if wait_for "TMPDIR=$SHARED '$BUILD/coachctl' status >/dev/null 2>&1" 20 &&
	   [ "$(stat -c '%a %u' "$SHARED/coach-0")" = "700 0" ] && [ -S "$SHARED/coach-0/coach.sock" ]; then
		pass fallback-in-own-folder
	else
		fail fallback-in-own-folder "$(ls -la "$SHARED" "$SHARED/coach-0" 2>&1; cat "$LOG")"
	fi
	kill "$COACHD"; wait "$COACHD" 2>/dev/null
fi

mkdir -m 0755 "$SHARED/held"
chmod 1777 "$SHARED/held"
impostor "$SHARED/held/coach.sock" "ok"
"$BUILD/coachd" -r "$ROUTINE" -s "$SHARED/held/coach.sock" >"$LOG" 2>&1
rc=$?
if [ "$rc" -eq 69 ] && grep -q "coach.sock is held by a program of uid 65534, not ours; someone may be squatting it" "$LOG"; then
	pass squatted-socket-refused
else
	fail squatted-socket-refused "exit $rc: $(cat "$LOG")"
fi
kill "$IMP"; wait "$IMP" 2>/dev/null

# --- the session log: never through a link, a FIFO hangs nothing ------------
SOCK=$E2E_TMP/coach.sock
mkdir -p "$XDG_STATE_HOME/coach"
printf 'root:secret\n' >"$E2E_TMP/target"
ln -s "$E2E_TMP/target" "$XDG_STATE_HOME/coach/history.tsv"
"$BUILD/coachd" -r "$ROUTINE" -s "$SOCK" >"$LOG" 2>&1 &
COACHD=$!
at_exit "kill $COACHD 2>/dev/null; wait $COACHD 2>/dev/null"
wait_status '^idle ' 20 || { fail ready "$(cat "$LOG")"; e2e_finish; }
ctl play >/dev/null
wait_status '^running step=1/3 .*phase=hold' 20
# The loader reads the history too (for the streak) and logs the same refusal
# at start: wait for one more, the session's own append, before going on.
refused="history.tsv: error: cannot open: is a symbolic link; not following it"
before=$(grep -c "$refused" "$LOG")
ctl stop >/dev/null
if wait_for "[ \$(grep -c '$refused' '$LOG') -gt $before ]" 15 &&
   [ "$(cat "$E2E_TMP/target")" = "root:secret" ]; then
	pass history-link-not-followed
else
	fail history-link-not-followed "target: $(cat "$E2E_TMP/target"); status: $STATUS; log: $(tail -5 "$LOG")"
fi
rm "$XDG_STATE_HOME/coach/history.tsv"
mkfifo "$XDG_STATE_HOME/coach/history.tsv"
out=$(timeout 10 "$BUILD/coachctl" -s "$SOCK" history 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [[ $out == *"history.tsv: error: cannot open: is not a regular file"* ]]; then
	pass history-fifo-refused
else
	fail history-fifo-refused "exit $rc: $out"
fi
e2e_finish
