#!/usr/bin/env bash
# The bench routine (tests/bench/long.yaml) coached the way a user would do it
# without coach: a shell script that speaks with espeak-ng, plays the tones
# with aplay and keeps time with sleep.  `make bench` runs it beside coachd
# and measures how far its tones drift from the routine's plan.
#
#   tests/bench/coach.sh [STEPS]
#
# STEPS: only the first STEPS steps (default all 17).  Needs espeak-ng (the
# command) and aplay (alsa-utils); plays through the default sound output.
sounds=$(dirname "$0")/../../sounds

# The voice of voices/en.yaml, so that the sentences last as long as coachd's.
say() { espeak-ng -v en-us -s 155 -p 45 "$1"; }
tone() { aplay -q "$sounds/$1.wav"; }

steps=(one two three four five six seven eight nine ten eleven twelve thirteen
       fourteen fifteen sixteen seventeen)
n=${1:-${#steps[@]}}

for ((i = 0; i < n; i++)); do
	say "Step ${steps[i]}."
	sleep 2                      # get ready
	tone start
	sleep 27
	for _ in 1 2 3; do           # count down the last three seconds
		tone tick
		sleep 1
	done
	tone end
	if ((i + 1 < n)); then
		say "Rest. Next up: Step ${steps[i + 1]}."   # the rest: about 3 s
	fi
done
say "Routine complete. Well done."
tone finish
