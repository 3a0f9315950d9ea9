#!/usr/bin/env bash
# The physiotherapist's report from a hand-written history, as HTML in a real
# headless browser (Debian's chromium): rendered to PNG, the chart's bars are
# where the weeks' sessions say, with the heights they say, the plan and the
# check-in's line are drawn; the page as the browser reads it (--dump-dom)
# names the steps, escapes a routine's name, and holds no script.  Also the
# text and CSV forms with the plan, the steps' names and the check-in.
set -u
. "$(dirname "$0")/lib.sh"

export XDG_STATE_HOME=$E2E_TMP/state
mkdir -p "$XDG_STATE_HOME/coach"
# Four weeks up to this one: 2 sessions three weeks ago, none two weeks ago,
# 5 finished and 1 stopped last week, 1 today (whatever day today is).
monday=$(date -d "-$(( $(date +%u) - 1 )) days" +%F)
day() { date -d "$monday $1 days" +%F; }
mb="Morning back mobility"
{
	echo "# coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes, check-in"
	printf '%sT07:00:00+00:00\t%s\tfinished\t700\t11/11\t0\tdh+ddddddddd\t7\n' "$(day -21)" "$mb"
	printf '%sT07:00:00+00:00\t%s\tfinished\t720\t11/11\t0\tdhddddddddd\t6\n' "$(day -20)" "$mb"
	for i in 0 1 2 3 4; do
		printf '%sT07:00:00+00:00\t%s\tfinished\t690\t11/11\t0\tdddsddddddd\t%d\n' \
			"$(day $((i - 7)))" "$mb" $((5 - i))
	done
	printf '%sT07:00:00+00:00\t%s\tstopped\t100\t1/3\t0\ths.\t-\n' "$(day -2)" '<script>alert(1)</script> & "x"'
	printf '%sT07:00:00+00:00\t%s\tfinished\t650\t11/11\t0\tddddddddddd\t2\n' "$(date +%F)" "$mb"
} >"$XDG_STATE_HOME/coach/history.tsv"
# The plan: the schedule's days, five.
printf 'schedule:\n  - {days: weekdays, time: "07:00", action: remind}\n' >"$E2E_TMP/coach.yaml"
report() { "$BUILD/coachctl" -s "$E2E_TMP/none.sock" -c "$E2E_TMP/coach.yaml" report --weeks 4 "$@"; }

text=$(report 2>&1)
if grep -q '^Planned: 5 sessions a week' <<<"$text" &&
	grep -q "hurt: $mb #2 (Foam roll, buttocks) harder x1, $mb #2 (Foam roll, buttocks) x1" <<<"$text" &&
	grep -q 'check-in: 5 4 3 2 1 (mean 3.0)' <<<"$text"; then
	pass report-text
else
	fail report-text "$text"
fi
csv=$(report --format csv 2>&1)
grep -q "^$(day -7),5,1,59,6,1,\"$mb #4 (Cat and camel) x5; <script>alert(1)</script> & \"\"x\"\" #2 x1\",.*,5,3.0"$'\r'"\$" <<<"$csv" &&
	pass report-csv || fail report-csv "$csv"

html=$E2E_TMP/report.html
report --format html >"$html" 2>"$E2E_TMP/report.err" && [ -s "$html" ] && pass report-html-written ||
	fail report-html-written "$(cat "$E2E_TMP/report.err")"
# Self-contained: nothing fetched, nothing run.
if grep -Eqi '<script|src=|href=|@import|url\(' "$html"; then
	fail report-html-self-contained "$(grep -Eio '<script[^>]*>|src=[^ ]*|href=[^ ]*|@import|url\(' "$html" | head -3)"
else
	pass report-html-self-contained
fi

# The browser.  --no-sandbox only as root, where chromium refuses to start without it.
browser=$(command -v chromium || command -v chromium-browser)
flags=(--headless --disable-gpu --hide-scrollbars --user-data-dir="$E2E_TMP/chromium" --no-first-run)
[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
if [ -z "$browser" ]; then
	skip report-html-browser "no chromium (make deps installs it)"
	e2e_finish
fi
if ! timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$html" >"$E2E_TMP/dom.html" 2>"$E2E_TMP/chromium.log" ||
	! grep -q '</html>' "$E2E_TMP/dom.html"; then
	skip report-html-browser "chromium cannot run here: $(grep -v dbus "$E2E_TMP/chromium.log" | tail -n 2)"
	e2e_finish
fi
dom=$(cat "$E2E_TMP/dom.html")
ok=1
for want in '<h2>Sessions per week</h2>' '<h2>Steps skipped and hurt</h2>' '<h2>Check-in</h2>' \
	"$mb #2 <b>Foam roll, buttocks</b> harder" "$mb #4 <b>Cat and camel</b>" \
	'&lt;script&gt;alert(1)&lt;/script&gt; &amp; "x" #1' 'planned: 5 a week' '8 answers' \
	"<b>8</b> sessions finished of 20 planned"; do
	grep -qF -- "$want" <<<"$dom" || { ok=0; fail report-html-dom "missing: $want"; }
done
grep -qi '<script' <<<"$dom" && { ok=0; fail report-html-dom "a script element in the page"; }
[ $ok = 1 ] && pass report-html-dom

# Rendered on a phone-wide and a desktop-wide window: the bars of the three
# weeks with sessions (2, 0, 5+1, 1), in proportion; the plan; the check-in.
for size in 800,1300 390,1600; do
	png=$E2E_TMP/report-${size%,*}.png
	timeout 120 "$browser" "${flags[@]}" --screenshot="$png" --window-size="$size" "file://$html" \
		>>"$E2E_TMP/chromium.log" 2>&1
	if ! pngtopnm "$png" >"$png.ppm" 2>>"$E2E_TMP/chromium.log"; then
		fail "report-html-png-${size%,*}" "no screenshot: $(tail -n 2 "$E2E_TMP/chromium.log")"
		continue
	fi
	# Bars are runs of the finished colour at least 3 times as wide as the
	# legend's swatch; their tallest columns are the weeks' counts.
	bars=$("$BUILD/tests/tool_pixels" "$png.ppm" 1f6fb2 | awk '
		$1 == "run" { w = $3 - $2 + 1; if (!n || w > sw) sw = w; run[++n] = w " " $4 }
		END { for (i = 1; i <= n; i++) { split(run[i], a, " "); if (a[1] >= 3 * 12) printf "%s ", a[2] } }')
	read -r b1 b2 b3 extra <<<"$bars"
	if [ -n "${b3:-}" ] && [ -z "${extra:-}" ] &&
		awk -v a="$b1" -v b="$b2" -v c="$b3" 'BEGIN {
			u = c; exit !(u > 5 && a > 1.8 * u && a < 2.2 * u && b > 4.6 * u && b < 5.4 * u) }'; then
		pass "report-html-bars-${size%,*} ($bars)"
	else
		fail "report-html-bars-${size%,*}" "bar heights '$bars' (expected 2:5:1)"
	fi
	stopped=$("$BUILD/tests/tool_pixels" "$png.ppm" 9aa7b4 | awk '$1 == "run" && $3 - $2 > 30 { print $4 }')
	# The plan's dashed line across the chart (its legend's swatch is small).
	plan=$("$BUILD/tests/tool_pixels" "$png.ppm" e08a00 | awk '
		$1 == "run" { if (!n++) x0 = $2; x1 = $3 } END { print n ? x1 - x0 : 0 }')
	# The check-in's line and dots: how far across the chart they reach.
	line=$("$BUILD/tests/tool_pixels" "$png.ppm" c0392b | awk '
		$1 == "run" { if (!n++) x0 = $2; x1 = $3 } END { print n ? x1 - x0 : 0 }')
	width=${size%,*}
	if [ -n "$stopped" ] && [ "$stopped" -gt 2 ] && [ "$plan" -gt $((width / 2)) ] && [ "$line" -gt $((width / 2)) ]; then
		pass "report-html-parts-${size%,*}"
	else
		fail "report-html-parts-${size%,*}" "stopped bar ${stopped:-none}, plan line ${plan}px wide, check-in line ${line}px wide"
	fi
done
e2e_finish
