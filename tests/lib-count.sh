# shellcheck shell=bash
# Sourced by tests/run-all and tests/run-cross: the counting both share, so
# that both end with the same one line "N passed, N failed".  Needs $log
# (a folder for each test's output).
: "${log:?lib-count.sh: set log first}"
passed=0
failed=0
failures=()

count() {  # count NAME PASSED FAILED
	passed=$((passed + $2))
	failed=$((failed + $3))
	[ "$3" -gt 0 ] && failures+=("$1")
	return 0
}

# run_cmocka LABEL COMMAND...: one cmocka binary, counted by its own summary.
# A crash, a sanitizer report, a hang's timeout or qemu's own failure after
# the summary still fails it.
run_cmocka() {
	local label=$1 out=$log/${1//\//-}.log p f rc
	shift
	"$@" >"$out" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "exit status $rc" >>"$out"; fi
	printf '%-40s %3d passed, %d failed\n' "$label" "$p" "$f"
	[ "$f" -gt 0 ] && grep -E '^\[  (FAILED|ERROR)|ERROR|error|Sanitizer|runtime error|exit status' "$out" | head -20
	count "$label" "$p" "$f"
}

# summary: the failing names, then the one line; fails when anything did.
summary() {
	[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]} (logs in $log)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
