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
export XDG_STATE_HOME=$E2E_TMP/state
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

e2e_finish
