#!/usr/bin/env bash
# Resource limits below what coachd needs (issue 16, finding 20): it refuses
# to start, exit 78, naming the limit and the setting, where it aborted inside
# a library (espeak-ng's assertion, libsoxr, alsa-lib) or misled ("espeak-ng
# has no voice").  A soft limit alone is raised, and coachd runs.  (From 16
# descriptors on it runs, without sound while there are too few for a device:
# e2e/audio.sh.)
set -u
. "$(dirname "$0")/lib.sh"

SOCK=$E2E_TMP/coach.sock
ROUTINE=$E2E_ROOT/tests/routines/e2e-short.yaml

# refused NAME LIMIT_OPTION VALUE WANT ARGS...: coachd under `ulimit OPT VALUE`
# exits 78 with WANT in its message and no socket left behind.
refused() {
	local name=$1 opt=$2 value=$3 want=$4 out rc
	shift 4
	# timeout: a coachd that does not refuse would run on.
	out=$( (ulimit "$opt" "$value" && exec timeout -k 5 30 "$BUILD/coachd" "$@") 2>&1)
	rc=$?
	if [ "$rc" -eq 78 ] && [[ $out == *"$want"* ]] && [ ! -e "$SOCK" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(tail -n 3 <<<"$out")"
	fi
}

refused files-refused -n 12 "the limit on open files is 12, and coachd needs 16" \
	-r "$ROUTINE" -s "$SOCK"
refused memory-refused -v 40000 "the limit on memory (ulimit -v) is 39 MiB, and coachd needs" \
	-r "$ROUTINE" -s "$SOCK"
refused render-memory-refused -v 60000 "the limit on memory (ulimit -v) is 58 MiB, and coachd needs 256 MiB" \
	-r "$ROUTINE" --render "$E2E_TMP/out.wav"
refused check-memory-refused -v 30000 "is 29 MiB, and coachd needs 256 MiB" -r "$ROUTINE" --check

# A soft limit below the need, a hard one above it: raised, and all is well.
out=$( (ulimit -S -v 60000 && exec "$BUILD/coachd" -r "$ROUTINE" --render "$E2E_TMP/out.wav") 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ -s "$E2E_TMP/out.wav" ] && pass soft-limit-raised || fail soft-limit-raised "exit $rc: $out"
e2e_finish
