# coach: build, test and run.  `make run` and `make test` are the two set-up commands.
#
# Every source file in src/ except the programs' main files goes into one static
# library; each program and each test links against it, so adding a module needs
# no change here.

PREFIX     ?= /usr/local
BUILD      ?= build
CC         ?= cc
PKGS       := portaudio-2.0 sndfile espeak-ng yaml-0.1 soxr libgpiod
TEST_PKGS  := cmocka
# Debian packages that provide the above, plus what the tests drive (PulseAudio
# null sink, ALSA's pulse plugin, sox for measuring recordings, clang for the
# sanitizer build, cppcheck).
DEB_DEPS   := build-essential pkg-config portaudio19-dev libsndfile1-dev \
              libespeak-ng-dev espeak-ng-data libyaml-dev libsoxr-dev libgpiod-dev \
              libcmocka-dev pulseaudio pulseaudio-utils libasound2-plugins \
              alsa-utils clang cppcheck valgrind

# Install dependencies only when pkg-config cannot find them, so a fresh machine
# needs nothing but `make run` or `make test`.
HAVE_DEPS := $(shell pkg-config --exists $(PKGS) $(TEST_PKGS) && command -v parec >/dev/null && command -v clang >/dev/null && echo yes)
ifneq ($(HAVE_DEPS),yes)
  ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
    $(info coach: some dependencies are missing; running `make deps` first)
    $(shell $(MAKE) --no-print-directory deps >&2)
  endif
endif

GPIOD_V2  := $(shell pkg-config --atleast-version=2 libgpiod && echo 1 || echo 0)
# CFLAGS is the user's (optimization, sanitizers); the project's own flags are
# kept apart so that `make CFLAGS=...` cannot drop the warnings.
CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla
COACH_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) -MMD -MP -DCOACH_GPIOD_V2=$(GPIOD_V2)
CPPFLAGS  += $(shell pkg-config --cflags $(PKGS))
LDLIBS    += $(shell pkg-config --libs $(PKGS)) -lm -lpthread
TEST_LIBS := $(shell pkg-config --libs $(TEST_PKGS))

MAINS     := src/coachd.c src/coachctl.c src/gensounds.c
LIB_SRCS  := $(filter-out $(MAINS),$(wildcard src/*.c))
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS     := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Helpers the end-to-end tests run (WAV analysis, audio probes).
TOOL_SRCS := $(wildcard tests/tool_*.c)
TOOLS     := $(TOOL_SRCS:tests/%.c=$(BUILD)/tests/%)
PROGRAMS  := $(patsubst src/%.c,$(BUILD)/%,$(filter $(MAINS),$(wildcard src/*.c)))

.PHONY: all deps test unit e2e lint check-gpiod2 run sounds clean asan
all: $(PROGRAMS) $(TESTS) $(TOOLS)

deps:
	@SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_DEPS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(COACH_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libcoach.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/%: $(BUILD)/obj/%.o $(BUILD)/libcoach.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libcoach.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(COACH_CFLAGS) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libcoach.a $(LDLIBS) $(TEST_LIBS)

# The same tree built by clang with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" all

# Regenerates the shipped tones (deterministic: same bytes every time).
sounds: $(BUILD)/gensounds
	$(BUILD)/gensounds sounds

# libgpiod 2.x (Trixie) is not in Debian 12: compile its backend against the
# 2.x public header kept in tests/gpiod2/ (syntax only; nothing links to it).
check-gpiod2:
	$(CC) -fsyntax-only -std=c11 -D_GNU_SOURCE $(WARNINGS) -DCOACH_GPIOD_V2=1 \
	  -Itests/gpiod2 src/gpio_gpiod2.c

lint: check-gpiod2
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 -D__GNUC__ -DCOACH_GPIOD_V2=$(GPIOD_V2) src tests

# One summary line for the whole run: unit tests (plain and sanitized), lint and
# end-to-end tests.
test: all asan
	@tests/run-all $(BUILD)

run: $(BUILD)/coachd
	$(BUILD)/coachd --keyboard --play

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
