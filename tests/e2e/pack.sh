#!/usr/bin/env bash
# Voice packs: `coachd --phrases` names a file for every sentence the routine
# says; voices/mkpack renders them with the espeak-ng command line (22050 Hz
# mono, another voice: the README's worked example), and a render with that
# pack synthesizes nothing.  A pack holding one recording (a sine tone, easy
# to find) plays it at the same plan position as the synthesized sentence,
# with its own length (everything after it shifts by the difference), and
# espeak-ng says the rest; a pack file that is not a sound file gives a
# located warning and espeak-ng's voice (the plan of no pack at all); a pack:
# folder that is not there is a located error.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT" || exit 1

ROUTINE=config/routines/quick-back.yaml
DATA=$E2E_TMP/data
PACK=$DATA/voices/packs/en
SENTENCE="Cat and camel."     # the first step's name, said after the safety sentence
mkdir -p "$DATA/voices" && cp -r config sounds "$DATA"/ && cp voices/*.yaml "$DATA/voices/" &&
	sed -i 's|^pitch: \(.*\)|pitch: \1\npack: packs/en|' "$DATA/voices/en.yaml" || exit 1
grep -q '^pack: packs/en$' "$DATA/voices/en.yaml" || { fail setup "no pack: line"; e2e_finish; }

# counts LOGFILE: "SPOKEN FROM_PACK": texts synthesized or read from the
# speech cache, and texts read from the pack.
counts() {
	echo "$(sed -n 's/.*speech: \([0-9]*\) texts synthesized, \([0-9]*\) read from the cache.*/\1 + \2/p' "$1" | tail -n1 | bc)" \
	     "$(sed -n 's/.*speech: \([0-9]*\) texts read from the voice pack.*/\1/p' "$1" | tail -n1)"
}
# plan_render NAME [OPTION...]: NAME.plan, NAME.wav, NAME.err.  Through the
# speech cache: espeak-ng's samples for a sentence depend on what it said
# before, and the cache keeps each sentence's first samples, so the runs with
# and without a recording differ only by that recording.
plan_render() {
	"$BUILD/coachd" -v -r "$ROUTINE" --plan --render "$E2E_TMP/$1.wav" "${@:2}" \
		>"$E2E_TMP/$1.plan" 2>"$E2E_TMP/$1.err"
}
# cue_time PLAN TEXT: the time (s) of the first `say "TEXT"` line.
cue_time() {
	awk -v t="say \"$2\"" 'index($0, t) { split($1, a, ":"); print a[1] * 60 + a[2]; exit }' "$1"
}
# next_time PLAN TEXT: the time (s) of the event after it.
next_time() {
	awk -v t="say \"$2\"" 'found && $1 ~ /^[0-9]+:/ && $0 ~ /say|tone/ { split($1, a, ":"); print a[1] * 60 + a[2]; exit }
		index($0, t) { found = 1 }' "$1"
}
events() { sed 's/^ *[0-9]*:[0-9.]* *//; /^total /d; s/([0-9.]* s)$//' "$1"; }

# --- --phrases and a whole pack ------------------------------------------------
"$BUILD/coachd" -d "$DATA" -r "$ROUTINE" --phrases >"$E2E_TMP/phrases" 2>"$E2E_TMP/phrases.err"
rc=$?
name=$(awk -F'\t' -v t="$SENTENCE" '$2 == t { print $1 }' "$E2E_TMP/phrases")
lines=$(grep -vc '^#' "$E2E_TMP/phrases")
bad=$(grep -v '^#' "$E2E_TMP/phrases" | grep -cvE '^[a-z0-9-]*-[0-9a-f]{8}\.wav	.')
dups=$(cut -f1 "$E2E_TMP/phrases" | grep -v '^#' | sort | uniq -d | wc -l)
echo "--phrases: $lines sentences; $SENTENCE -> ${name:-?}"
[ "$rc" -eq 0 ] && [[ $name == cat-and-camel-????????.wav ]] && [ "$lines" -gt 30 ] &&
	[ "$bad" -eq 0 ] && [ "$dups" -eq 0 ] &&
	grep -q $'\tRest\\.$' "$E2E_TMP/phrases" && grep -q $'\tHold 3 of 4\\.$' "$E2E_TMP/phrases" &&
	grep -q $'\tStep 4 of 4: Trunk rotation\\.$' "$E2E_TMP/phrases" &&
	grep -q '^# .*(streak): {n} mornings in a row\.$' "$E2E_TMP/phrases" &&
	pass phrases-lists-every-sentence ||
	fail phrases-lists-every-sentence "rc $rc, $lines lines, $bad malformed, $dups duplicate, name '$name'"

if COACHD=$BUILD/coachd voices/mkpack -e en-us+f3 "$PACK" -d "$DATA" -r "$ROUTINE" >"$E2E_TMP/mkpack.out" 2>&1; then
	files=$(find "$PACK" -name '*.wav' | wc -l)
	rate=$(tool_wav info "$PACK/$name" | sed -n 's/^rate //p')
	[ "$files" -eq "$lines" ] && [ "$rate" = 22050 ] && pass mkpack-renders-the-list ||
		fail mkpack-renders-the-list "$files files for $lines sentences, rate $rate"
else
	fail mkpack-renders-the-list "$(tail -n3 "$E2E_TMP/mkpack.out")"
fi
plan_render whole -d "$DATA" || fail whole-render "$(tail -n3 "$E2E_TMP/whole.err")"
read -r synth packed < <(counts "$E2E_TMP/whole.err")
echo "whole pack: ${synth:-?} synthesized or cached, ${packed:-?} from the pack"
[ "${synth:-1}" -eq 0 ] && [ "${packed:-0}" -gt 30 ] && pass whole-pack-synthesizes-nothing ||
	fail whole-pack-synthesizes-nothing "${synth:-?} synthesized, ${packed:-?} from the pack"
rm -f "$E2E_TMP/whole.wav"

# --- one recording -------------------------------------------------------------
plan_render none || fail none-render "$(tail -n3 "$E2E_TMP/none.err")"
rm -f "$PACK"/*.wav
tool_wav tone "$PACK/$name" 660 1200 22050 || fail tone "tool_wav tone"
plan_render one -d "$DATA" || fail one-render "$(tail -n3 "$E2E_TMP/one.err")"
read -r synth packed < <(counts "$E2E_TMP/one.err")
at_none=$(cue_time "$E2E_TMP/none.plan" "$SENTENCE")
at_one=$(cue_time "$E2E_TMP/one.plan" "$SENTENCE")
len_none=$(awk -v a="$at_none" -v b="$(next_time "$E2E_TMP/none.plan" "$SENTENCE")" 'BEGIN { printf "%.3f", b - a - 0.4 }')
len_one=$(awk -v a="$at_one" -v b="$(next_time "$E2E_TMP/one.plan" "$SENTENCE")" 'BEGIN { printf "%.3f", b - a - 0.4 }')
# where TONE is found in REC near AT: within 12 ms (the plan prints truncated ms).
found_near() {
	tool_wav onsets "$1" "$2" 0.95 | awk -v a="$3" '{ d = $1 - a } d > -0.002 && d < 0.012 { print $1 }'
}
found=$(found_near "$E2E_TMP/one.wav" "$PACK/$name" "$at_one")
found_none=$(found_near "$E2E_TMP/none.wav" "$PACK/$name" "$at_one")
echo "one recording: ${synth:-?} synthesized or cached, ${packed:-?} from the pack; '$SENTENCE' at $at_none s (synthesized, $len_none s)" \
     "and $at_one s (recorded, $len_one s); the tone found in the render at: ${found:-none}"
[ "${packed:-0}" -eq 1 ] && [ "${synth:-0}" -gt 30 ] && pass missing-sentences-fall-back ||
	fail missing-sentences-fall-back "${synth:-?} synthesized, ${packed:-?} from the pack"
[ -n "$at_one" ] && [ "$at_one" = "$at_none" ] &&
	awk -v l="$len_one" 'BEGIN { exit !(l > 1.18 && l < 1.23) }' &&
	awk -v l="$len_none" 'BEGIN { exit !(l < 1.15 || l > 1.25) }' &&
	pass recording-at-the-same-position-with-its-own-length ||
	fail recording-at-the-same-position-with-its-own-length "at $at_none / $at_one s, $len_none / $len_one s"
[ "$(echo "$found" | grep -c .)" -eq 1 ] && [ -z "$found_none" ] &&
	pass recording-heard-where-planned ||
	fail recording-heard-where-planned "planned $at_one s, found '$found' (without the pack: '$found_none')"
# Everything else is the same sentence at a time shifted by the difference.
diff <(events "$E2E_TMP/none.plan") <(events "$E2E_TMP/one.plan") >/dev/null &&
	pass the-rest-of-the-plan-unchanged ||
	fail the-rest-of-the-plan-unchanged "$(diff <(events "$E2E_TMP/none.plan") <(events "$E2E_TMP/one.plan") | head -4)"
rm -f "$E2E_TMP"/{one,none}.wav

# --- a file that is not a sound file ---------------------------------------------
printf 'RIFF, but not really\n' >"$PACK/$name"
plan_render broken -d "$DATA"
rc=$?
grep "warn" "$E2E_TMP/broken.err" | head -n2
[ "$rc" -eq 0 ] && grep -qF "$PACK/$name: not a sound file (libsndfile: " "$E2E_TMP/broken.err" &&
	grep -qF "espeak-ng says \"$SENTENCE\" instead" "$E2E_TMP/broken.err" &&
	cmp -s "$E2E_TMP/none.plan" "$E2E_TMP/broken.plan" &&
	pass bad-file-warns-and-is-synthesized ||
	fail bad-file-warns-and-is-synthesized "rc $rc: $(grep -v debug "$E2E_TMP/broken.err" | head -n2)"
rm -f "$E2E_TMP/broken.wav"

# --- a pack: folder that is not there -------------------------------------------
sed -i 's|^pack: packs/en|pack: packs/nowhere|' "$DATA/voices/en.yaml"
line=$(grep -n '^pack:' "$DATA/voices/en.yaml" | cut -d: -f1)
"$BUILD/coachd" -d "$DATA" -r "$ROUTINE" --check >/dev/null 2>"$E2E_TMP/check.err"
rc=$?
head -n1 "$E2E_TMP/check.err"
[ "$rc" -eq 78 ] && grep -qF "$DATA/voices/en.yaml:$line:7: error: cannot use voice pack $DATA/voices/packs/nowhere" "$E2E_TMP/check.err" &&
	pass missing-pack-folder-is-a-located-error ||
	fail missing-pack-folder-is-a-located-error "rc $rc: $(head -n1 "$E2E_TMP/check.err")"

e2e_finish
