# shellcheck shell=bash
# Shared by tests/fuzz/run and tests/fuzz/replay: the harness list and how to
# build them with clang into $BUILD/fuzz/ (nothing is written into the tree).
#
#   fuzz_build fuzz     $BUILD/fuzz/bin/fuzz_NAME: libFuzzer + ASan + UBSan
#   fuzz_build replay   $BUILD/fuzz/bin/replay_NAME: replay_main.c + ASan + UBSan
#
# Only the parser modules are compiled, so the fuzzers build while the rest of
# the library (audio, speech) is still being written.

FUZZ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$FUZZ_ROOT/$BUILD ;; esac
FUZZ_OUT=$BUILD/fuzz
# The library sources: FUZZ_SRC=DIR builds against a copy (e.g. with a proposed
# fix applied, to keep fuzzing past a known bug); objects then go elsewhere.
FUZZ_SRC=${FUZZ_SRC:-$FUZZ_ROOT/src}
case $FUZZ_SRC in /*) ;; *) FUZZ_SRC=$FUZZ_ROOT/$FUZZ_SRC ;; esac
[ "$FUZZ_SRC" = "$FUZZ_ROOT/src" ] || FUZZ_OUT=$BUILD/fuzz-$(basename "$FUZZ_SRC")

# Harnesses, and the largest input worth trying for each.
# shellcheck disable=SC2034  # read by run and replay
FUZZ_NAMES=(routine config control duration output voice request)
declare -A FUZZ_MAX_LEN=([routine]=8192 [config]=8192 [control]=512 [duration]=64 [output]=8192 [voice]=8192
	[request]=2048)
# shellcheck disable=SC2034
declare -A FUZZ_DICT=([routine]=yaml.dict [config]=yaml.dict [output]=yaml.dict [voice]=voice.dict
	[request]=request.dict)
# The library modules the parsers use (src/LAYER/NAME.c).
# output (fuzz_output.c) takes text through the status line, the control
# protocol and, from system/, systemd's notifications and the log; the voice
# harness also asks espeak-ng for the profile's voice (speech, and under it
# pcm, loudness, wavfile and packname for voice packs); the request harness
# runs the session model (intent, tracker too).  The config reads the
# check-in's mode (checkin, and the dates under it); speech keeps its clips
# in sound/clip.
FUZZ_MODULES=(core/diag core/duration core/yamldoc core/yamldoc_get core/routine core/config core/control
	core/safetext core/utf8 core/plan core/plan_print core/status core/voice core/session
	core/tone core/intent core/tracker core/cachekey core/packname core/checkin core/history_date system/notify system/log
	system/diskcache system/safefile
	sound/pcm sound/loudness sound/wavfile sound/espeaklib sound/speech sound/clip)

FUZZ_CC=${FUZZ_CC:-clang}
read -ra FUZZ_YAML_CFLAGS < <(pkg-config --cflags yaml-0.1 espeak-ng soxr sndfile)
read -ra FUZZ_YAML_LIBS < <(pkg-config --libs yaml-0.1 espeak-ng soxr sndfile)
FUZZ_CFLAGS=(-std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer
	-fno-sanitize-recover=all -Wall -Wextra -Werror -Wno-unused-function
	-I"$FUZZ_SRC/core" -I"$FUZZ_SRC/system" -I"$FUZZ_SRC/sound" -I"$FUZZ_ROOT/tests/fuzz")

# Compiles SRC into OBJ with FLAGS... when OBJ is missing or older than SRC or
# any header in src/*/ and tests/fuzz/.
_fuzz_cc() {
	local src=$1 obj=$2 h
	shift 2
	if [ -f "$obj" ] && [ "$obj" -nt "$src" ]; then
		for h in "$FUZZ_SRC"/*/*.h "$FUZZ_ROOT"/tests/fuzz/*.h; do
			[ "$h" -nt "$obj" ] && break
			h=
		done
		[ -z "$h" ] && return 0
	fi
	mkdir -p "$(dirname "$obj")"
	"$FUZZ_CC" "${FUZZ_CFLAGS[@]}" "$@" "${FUZZ_YAML_CFLAGS[@]}" -c -o "$obj" "$src"
}

# True when BIN is missing or older than one of the files after it.
_fuzz_newer() {
	local bin=$1 f
	shift
	[ -f "$bin" ] || return 0
	for f in "$@"; do
		[ "$f" -nt "$bin" ] && return 0
	done
	return 1
}

fuzz_build() {  # fuzz_build fuzz|replay
	local mode=$1 san obj objs=() m name bin
	command -v "$FUZZ_CC" >/dev/null || {
		echo "fuzz: $FUZZ_CC not found (make deps installs clang)" >&2
		return 1
	}
	if [ "$mode" = fuzz ]; then
		san=('-fsanitize=fuzzer-no-link,address,undefined')
	else
		san=('-fsanitize=address,undefined')
	fi
	for m in "${FUZZ_MODULES[@]}"; do
		obj=$FUZZ_OUT/obj-$mode/$m.o
		_fuzz_cc "$FUZZ_SRC/$m.c" "$obj" "${san[@]}" || return 1
		objs+=("$obj")
	done
	if [ "$mode" = replay ]; then
		_fuzz_cc "$FUZZ_ROOT/tests/fuzz/replay_main.c" "$FUZZ_OUT/obj-replay/replay_main.o" \
			"${san[@]}" || return 1
		objs+=("$FUZZ_OUT/obj-replay/replay_main.o")
	fi
	mkdir -p "$FUZZ_OUT/bin"
	for name in "${FUZZ_NAMES[@]}"; do
		obj=$FUZZ_OUT/obj-$mode/fuzz_$name.o
		_fuzz_cc "$FUZZ_ROOT/tests/fuzz/fuzz_$name.c" "$obj" "${san[@]}" || return 1
		bin=$FUZZ_OUT/bin/${mode}_$name
		_fuzz_newer "$bin" "$obj" "${objs[@]}" || continue
		if [ "$mode" = fuzz ]; then
			"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$bin" "$obj" "${objs[@]}" \
				"${FUZZ_YAML_LIBS[@]}" || return 1
		else
			"$FUZZ_CC" "${san[@]}" -o "$bin" "$obj" "${objs[@]}" \
				"${FUZZ_YAML_LIBS[@]}" || return 1
		fi
	done
}
