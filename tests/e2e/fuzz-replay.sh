#!/usr/bin/env bash
# Replays the fuzzers' seed corpora and every regression input they found
# (tests/fuzz/corpus/, tests/fuzz/regressions/) through the harnesses, built
# without libFuzzer under ASan (leak detection on) and UBSan by tests/fuzz/replay
# into $BUILD/fuzz/.  One PASS/FAIL line per harness.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v clang >/dev/null; then
	fail fuzz-replay "clang not found (make deps)"
	e2e_finish
fi
while read -r line; do
	echo "$line"
	case $line in
	PASS:*) E2E_PASSED=$((E2E_PASSED + 1)) ;;
	FAIL:*) E2E_FAILED=$((E2E_FAILED + 1)) ;;
	esac
done < <(BUILD=$BUILD "$E2E_ROOT/tests/fuzz/replay" 2>&1)
[ $((E2E_PASSED + E2E_FAILED)) -gt 0 ] || fail fuzz-replay "tests/fuzz/replay printed no result"
e2e_finish
