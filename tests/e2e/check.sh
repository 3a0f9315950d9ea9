#!/usr/bin/env bash
# The bad-input catalogue: every broken routine (tests/routines/bad/*.yaml) and
# config (tests/config/bad/*.yaml), plus the generated ones (binary junk, huge
# files, long lines: tests/routines/bad/make-generated), given to
# `coachd --check` must exit 78 with the first line of stderr equal to the
# file's .expect (where "@ROOT@" stands for the checkout), within 20 s.  Then
# the same through the ASan/UBSan build (`make asan`) with leak detection on:
# no sanitizer report either.  Every good routine must pass --check (exit 0)
# in both builds.  One PASS/FAIL line per file and build.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT" || exit 1

TIMEOUT_S=20
gen=$BUILD/bad-generated
if ! tests/routines/bad/make-generated "$gen"; then
	fail make-generated "tests/routines/bad/make-generated $gen"
	e2e_finish
fi

# Bad inputs as "OPTION FILE" (paths relative to the checkout when committed).
cases=()
for f in tests/routines/bad/*.yaml "$gen"/routines/*.yaml; do cases+=("-r $f"); done
for f in tests/config/bad/*.yaml "$gen"/config/*.yaml; do cases+=("-c $f"); done
goods=(tests/routines/good/*.yaml config/routines/*.yaml)

# run_check LABEL BIN OPTION FILE: runs coachd --check, leaving its status in
# $rc and its stderr in $E2E_TMP/err.
run_check() {
	timeout -k 5 "$TIMEOUT_S" "$2" --check "$3" "$4" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	rc=$?
}

# sanitizer_report: the first line of a sanitizer's report in the last stderr.
sanitizer_report() {
	grep -m1 -E 'Sanitizer|runtime error:' "$E2E_TMP/err"
}

check_bad() {  # check_bad LABEL BIN OPTION FILE
	local name="$1 ${4#"$E2E_ROOT"/}" expect_file=${4%.yaml}.expect want got report
	if [ ! -f "$expect_file" ]; then
		fail "$name" "no $expect_file"
		return
	fi
	want=$(head -n1 "$expect_file")
	want=${want//@ROOT@/$E2E_ROOT}
	run_check "$@"
	got=$(head -n1 "$E2E_TMP/err")
	report=$(sanitizer_report)
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail "$name" "no answer within ${TIMEOUT_S}s"
	elif [ -n "$report" ]; then
		fail "$name" "exit $rc: $report"
	elif [ "$rc" -ne 78 ]; then
		fail "$name" "exit $rc, expected 78; stderr: $got"
	elif [ "$got" != "$want" ]; then
		fail "$name" "got '$got', expected '$want'"
	else
		pass "$name"
	fi
}

check_good() {  # check_good LABEL BIN FILE
	local name="$1 $3" report
	run_check "$1" "$2" -r "$3"
	report=$(sanitizer_report)
	if [ "$rc" -eq 0 ] && [ -z "$report" ] && grep -qx ok "$E2E_TMP/out"; then
		pass "$name"
	else
		fail "$name" "exit $rc: ${report:-$(head -n1 "$E2E_TMP/err")}"
	fi
}

run_build() {  # run_build LABEL BIN
	local c
	if [ ! -x "$2" ]; then
		fail "$1" "$2 not built (make${1#plain}; asan: make asan)"
		return
	fi
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086  # "OPTION FILE", no spaces in the paths
		check_bad "$1" "$2" $c
	done
	for c in "${goods[@]}"; do
		check_good "$1" "$2" "$c"
	done
}

run_build plain "$BUILD/coachd"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$E2E_ROOT/tests/lsan.supp:print_suppressions=0
run_build asan "$BUILD/asan/coachd"
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
echo "# ${#cases[@]} bad inputs, ${#goods[@]} good routines, 2 builds"
e2e_finish
