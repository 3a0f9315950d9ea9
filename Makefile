# coach: build, test and run.  `make run` and `make test` are the two set-up commands.
#
# Every source file in src/LAYER/ goes into one static library; the programs'
# main files are src/*.c.  Each program and each test links against the
# library, so adding a module needs no change here.  The layers (core, sound,
# system, daemon: src/README) are all on the include path; `make lint` checks
# that each layer includes only what it may (tests/check-layers).

PREFIX     ?= /usr/local
BUILD      ?= build
CC         ?= cc
# The cross builds (see the end) set the target's, e.g. aarch64-linux-gnu-pkg-config.
PKG_CONFIG ?= pkg-config
# SYSROOT=DIR (given by the cross builds with SUITE=, see the end): build
# against a Debian sysroot made by tests/mksysroot instead of this machine's
# libraries.  pkg-config looks only there; SYSTEMD_PC reads the systemd
# folders as the target names them (pkg-config would prefix them with DIR).
# Debian's cross compilers search their own libc (/usr/TRIPLET, this
# machine's release) before the sysroot: -nostdinc, -B and -L put the
# sysroot's headers, start files and libraries first.
ifneq ($(SYSROOT),)
  SYSROOT_LIB := $(SYSROOT)/usr/lib/$(shell $(CC) -dumpmachine)
  SYSROOT_PC  := PKG_CONFIG_LIBDIR=$(SYSROOT_LIB)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig
  override PKG_CONFIG := env PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) $(SYSROOT_PC) pkg-config
  SYSTEMD_PC  := env $(SYSROOT_PC) pkg-config
  SYSROOT_INC := -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
                 -isystem $(SYSROOT)/usr/include/$(shell $(CC) -dumpmachine) -isystem $(SYSROOT)/usr/include
  COACH_LDFLAGS := --sysroot=$(SYSROOT) -B$(SYSROOT_LIB)/ -L$(SYSROOT_LIB)
endif
PKGS       := portaudio-2.0 alsa sndfile espeak-ng yaml-0.1 soxr libgpiod
TEST_PKGS  := cmocka
# Debian packages: BUILD_DEPS provide the above, enough to build and run
# coach (on a Pi too).  TEST_DEPS are what the tests drive: the PulseAudio
# null sink and ALSA's pulse plugin (e2e audio), clang (sanitizers,
# libFuzzer), cppcheck, valgrind (memcheck, and callgrind for make bench),
# and for the install and package tests debhelper, lintian, systemd
# (systemd-analyze, systemd.pc), man-db and groff-base (man page checks),
# and for make bench the espeak-ng command (the shell-script coach it
# compares with) and strace (idle system calls, and what PortAudio probes),
# stress-ng (the load test and the bench under load), chromium (renders the
# HTML report headless, tests/e2e/report.sh), netpbm (pngtopnm reads its
# screenshot for tests/tool_pixels), and pipewire, wireplumber and
# pipewire-pulse (the desktop's sound server, tests/e2e/pipewire.sh: beside
# pulseaudio, unlike pipewire-alsa, which conflicts with it; their user units
# never start for root, and for other users pipewire-pulse.socket conflicts
# with pulseaudio.socket).
BUILD_DEPS := build-essential pkg-config portaudio19-dev libasound2-dev libsndfile1-dev \
              libespeak-ng-dev espeak-ng-data libyaml-dev libsoxr-dev libgpiod-dev \
              libcmocka-dev
TEST_DEPS  := pulseaudio pulseaudio-utils libasound2-plugins alsa-utils clang cppcheck \
              valgrind debhelper lintian systemd man-db groff-base espeak-ng strace stress-ng \
              chromium netpbm pipewire wireplumber pipewire-pulse
TEST_TOOLS := parec clang cppcheck valgrind dh lintian systemd-analyze man stress-ng chromium pngtopnm \
              wireplumber pipewire-pulse

# Install dependencies only when they are missing, so a fresh machine needs
# nothing but `make run` or `make test`: the libraries for every goal, the
# test tools only for the goals that use them.  A Pi that only runs coach is
# better without them: a PulseAudio there would start for a logged-in user
# and could hold the sound card, and ALSA's pulse plugin costs coachd 14 MiB.
USES_TOOLS := $(filter test unit e2e asan lint check-gpiod2 fuzz bench deb test-system,$(MAKECMDGOALS))
HAVE_DEPS := $(shell $(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) && \
               for c in $(if $(USES_TOOLS),$(TEST_TOOLS)); do \
                 command -v $$c >/dev/null || exit 1; done && echo yes)
ifneq ($(HAVE_DEPS),yes)
  ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
    $(info coach: some dependencies are missing; running `make deps$(if $(USES_TOOLS),, DEPS=build)` first)
    $(shell $(MAKE) --no-print-directory deps $(if $(USES_TOOLS),,DEPS=build) >&2)
  endif
endif

GPIOD_V2  := $(shell $(PKG_CONFIG) --atleast-version=2 libgpiod && echo 1 || echo 0)
# CFLAGS is the user's (optimization, sanitizers); the project's own flags are
# kept apart so that `make CFLAGS=...` cannot drop the warnings.
CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla
COACH_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) -MMD -MP -DCOACH_GPIOD_V2=$(GPIOD_V2) \
                $(SYSROOT_INC)
CPPFLAGS  += $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libespeak-ng is loaded when the first sentence is synthesized
# (src/sound/espeaklib.h), not linked: a warm start never needs it, nor
# the 21 libraries under it.  Its headers are used; debian/control names it.
DLOPEN_PKGS := espeak-ng
LDLIBS    += $(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS),$(PKGS))) -lm -lpthread
TEST_LIBS := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

LAYERS    := core sound system daemon
MAINS     := $(wildcard src/*.c)
LIB_SRCS  := $(wildcard $(LAYERS:%=src/%/*.c))
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
COACH_CFLAGS += $(LAYERS:%=-Isrc/%)
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS     := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Helpers the end-to-end tests run (WAV analysis, audio probes).
TOOL_SRCS := $(wildcard tests/tool_*.c)
TOOLS     := $(TOOL_SRCS:tests/%.c=$(BUILD)/tests/%)
PROGRAMS  := $(MAINS:src/%.c=$(BUILD)/%)

.PHONY: all deps test unit e2e lint check-gpiod2 fuzz run sounds clean asan
all: $(PROGRAMS) $(TESTS) $(TOOLS)

# Every dependency target installs through these: sudo when not root, and a
# failed index update (a mirror's broken foreign-architecture index) is not
# fatal, since what is needed may well be known already.
SUDO        := $(if $(filter 0,$(shell id -u)),,sudo)
APT_UPDATE   = { $(SUDO) apt-get update -qq || echo "make: apt-get update failed; installing all the same"; }
APT_INSTALL  = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

deps:
	@$(APT_UPDATE) && $(APT_INSTALL) $(BUILD_DEPS) $(if $(filter build,$(DEPS)),,$(TEST_DEPS))

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(COACH_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libcoach.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(PROGRAMS): $(BUILD)/%: $(BUILD)/obj/%.o $(BUILD)/libcoach.a
	$(CC) $(COACH_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libcoach.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(COACH_CFLAGS) $(CFLAGS) $(COACH_LDFLAGS) -o $@ $< $(BUILD)/libcoach.a \
	  $(LDLIBS) $(TEST_LIBS)

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
	  $(LAYERS:%=-Isrc/%) -Itests/gpiod2 src/system/gpio_gpiod2.c

lint: check-gpiod2
	tests/check-layers src
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 -D__GNUC__ -DCOACH_GPIOD_V2=$(GPIOD_V2) src tests

# One summary line for the whole run: unit tests (plain and sanitized), lint and
# end-to-end tests.
test: all asan
	@tests/run-all $(BUILD)

# libFuzzer over the four parsers, FUZZ_SECONDS each; findings are kept in
# tests/fuzz/regressions/ and replayed by make test.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) tests/fuzz/run

run: $(BUILD)/coachd
	$(BUILD)/coachd --keyboard --play

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d)

# --- install, package, man pages ----------------------------------------------
# `make install` / `make uninstall` (DESTDIR applies here only) and `make deb`.
# SYSCONFDIR stays /etc whatever PREFIX is: the installed daemon reads
# /etc/coach, the unit, the man pages and the package all say so, and the
# systemd folders are outside PREFIX anyway.  The systemd folders come from
# systemd.pc (package systemd on Bookworm, systemd-dev on Trixie); without it,
# the merged-/usr defaults.
BINDIR      ?= $(PREFIX)/bin
SYSCONFDIR  ?= /etc
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
systemd_dir  = $(or $(shell $(or $(SYSTEMD_PC),$(PKG_CONFIG)) --variable=$(1) systemd 2>/dev/null),$(2))
UNITDIR     ?= $(call systemd_dir,systemdsystemunitdir,/usr/lib/systemd/system)
USERUNITDIR ?= $(call systemd_dir,systemduserunitdir,/usr/lib/systemd/user)
SYSUSERSDIR ?= $(call systemd_dir,sysusersdir,/usr/lib/sysusers.d)
TMPFILESDIR ?= $(call systemd_dir,tmpfilesdir,/usr/lib/tmpfiles.d)
MODULESLOADDIR ?= $(call systemd_dir,modulesloaddir,/usr/lib/modules-load.d)
# udev's rules beside systemd's units: /lib/udev on Bookworm, /usr/lib/udev on
# Trixie (systemd.pc does not name udev's folder, and udev.pc is not installed).
UDEVRULESDIR ?= $(patsubst %/systemd/system,%,$(UNITDIR))/udev/rules.d
INSTALL     ?= install
MANPAGES    := man/coachctl.1 man/coach.yaml.5 man/coach-routine.5 man/coachd.8
# The unit and the man pages name installed paths: @bindir@ and friends.
SUBST        = sed -e 's|@bindir@|$(BINDIR)|g' -e 's|@sysconfdir@|$(SYSCONFDIR)|g' \
                   -e 's|@datadir@|$(DATADIR)|g'

# Installed, the programs find their files through paths.c's compile-time
# folders, so paths.o is built with this PREFIX's and is rebuilt (and the
# programs relinked) whenever they change: paths.defs is rewritten only then.
PATHS_DEFS  := -DCOACH_SYSCONFDIR=\"$(SYSCONFDIR)\" -DCOACH_DATADIR=\"$(DATADIR)\"
$(BUILD)/obj/system/paths.o: CPPFLAGS += $(PATHS_DEFS)
$(BUILD)/obj/system/paths.o: $(BUILD)/paths.defs
$(BUILD)/paths.defs: FORCE
	@mkdir -p $(@D)
	@echo '$(PATHS_DEFS)' | cmp -s - $@ || echo '$(PATHS_DEFS)' >$@

# The programs' own objects (obj/coachd.o, ...) are intermediate files to
# make, deleted after linking; the next make then finds them missing through
# their .d files and compiles and links again, so `make && sudo make install`
# relinked as root (and a package build linked twice).  Keep them.
.SECONDARY: $(MAINS:src/%.c=$(BUILD)/obj/%.o)

.PHONY: install uninstall deb FORCE
# An existing coach.yaml or routine is never replaced: the user's edits win.
install: $(BUILD)/coachd $(BUILD)/coachctl
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/coach/routines \
	  $(DESTDIR)$(DATADIR)/coach/voices $(DESTDIR)$(DATADIR)/coach/sounds \
	  $(DESTDIR)$(UNITDIR) $(DESTDIR)$(USERUNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	  $(DESTDIR)$(MODULESLOADDIR) $(DESTDIR)$(UDEVRULESDIR) \
	  $(addprefix $(DESTDIR)$(MANDIR)/man,1 5 8)
	$(INSTALL) -m 0755 $(BUILD)/coachd $(BUILD)/coachctl $(DESTDIR)$(BINDIR)
	@for f in config/coach.yaml config/routines/*.yaml; do \
	  to=$(DESTDIR)$(SYSCONFDIR)/coach/$${f#config/}; \
	  if [ -e "$$to" ]; then echo "keeping $$to (the shipped one is $$f)"; \
	  else echo "$(INSTALL) -m 0644 $$f $$to"; $(INSTALL) -m 0644 "$$f" "$$to" || exit 1; fi; \
	done
	$(INSTALL) -m 0644 voices/*.yaml $(DESTDIR)$(DATADIR)/coach/voices
	$(INSTALL) -m 0644 sounds/*.wav $(DESTDIR)$(DATADIR)/coach/sounds
	$(SUBST) systemd/coachd.service >$(DESTDIR)$(UNITDIR)/coachd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/coachd.service
	$(SUBST) systemd/coachd-user.service >$(DESTDIR)$(USERUNITDIR)/coachd.service
	chmod 0644 $(DESTDIR)$(USERUNITDIR)/coachd.service
	$(INSTALL) -m 0644 systemd/coach.sysusers $(DESTDIR)$(SYSUSERSDIR)/coach.conf
	$(INSTALL) -m 0644 systemd/coach.modules-load $(DESTDIR)$(MODULESLOADDIR)/coach.conf
	$(INSTALL) -m 0644 systemd/coach-gpio.rules $(DESTDIR)$(UDEVRULESDIR)/60-coach-gpio.rules
	$(INSTALL) -m 0644 systemd/coach.tmpfiles $(DESTDIR)$(TMPFILESDIR)/coach.conf
	@set -e; for m in $(MANPAGES); do \
	  to=$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m#man/}; \
	  echo "sed $$m >$$to"; $(SUBST) $$m >$$to; chmod 0644 $$to; \
	done
	@[ -n "$(DESTDIR)" ] || echo "installed; to start coach now and at every boot:" \
	  "systemd-sysusers && systemctl daemon-reload && systemctl enable --now coachd"

# Everything install added, except /etc/coach: that is the user's.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/coachd $(DESTDIR)$(BINDIR)/coachctl \
	  $(DESTDIR)$(UNITDIR)/coachd.service $(DESTDIR)$(USERUNITDIR)/coachd.service \
	  $(DESTDIR)$(SYSUSERSDIR)/coach.conf \
	  $(DESTDIR)$(MODULESLOADDIR)/coach.conf $(DESTDIR)$(UDEVRULESDIR)/60-coach-gpio.rules \
	  $(DESTDIR)$(TMPFILESDIR)/coach.conf \
	  $(foreach m,$(MANPAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	rm -rf $(DESTDIR)$(DATADIR)/coach

# A .deb for this machine's architecture (or, with ARCH=arm64 or armhf, for
# the Pi's, cross-built after `make cross-deps ARCH=...`; with SUITE= too,
# against that release's sysroot, for that release), from a copy of the
# tree, so that dpkg-buildpackage writes nothing into the checkout;
# debian/rules runs `make install` into the package.  The packages land in
# $(BUILD).  With a sysroot the build dependencies are in it, not on this
# machine, so dpkg-buildpackage does not look for them (-d).
DEB_TREE := Makefile src config voices sounds systemd man debian
deb: $(if $(SUITE),cross-ready)
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/coach
	cp -a $(DEB_TREE) $(wildcard README.md) $(BUILD)/deb/coach
	cd $(BUILD)/deb/coach && $(if $(SUITE),COACH_SYSROOT=$(CROSS_ROOT)) \
	  dpkg-buildpackage $(if $(ARCH),--host-arch=$(ARCH)) $(if $(SUITE),-d) -b -us -uc \
	  >../build.log 2>&1 || \
	  { tail -n 40 ../build.log; echo "make deb: failed; the whole log is $(BUILD)/deb/build.log"; exit 1; }
	mv $(BUILD)/deb/*.deb $(BUILD)/
	@ls $(BUILD)/*.deb
# --- end install, package, man pages ---

# --- cross builds for the Pi (arm64, armhf) ---
# `make cross ARCH=arm64` (or armhf; arm64 when ARCH is unset) builds what
# `make all` builds into $(BUILD)/ARCH, with Debian's cross compiler against
# this machine's multiarch -dev packages; `make cross-deps ARCH=...` installs
# those (and qemu-user), and runs by itself when something is missing.
# `make test-cross ARCH=...` runs the unit tests and the default routine's
# plan and render under qemu-user against this machine's build: tests/run-cross.
#
# With SUITE=bookworm or SUITE=trixie, the same against a sysroot of that
# Debian release instead (tests/mksysroot says why), made once by `make
# sysroot` into $(SYSROOTS)/SUITE-ARCH ($(BUILD)/sysroot); the tree goes to
# $(BUILD)/SUITE-ARCH, and `make deb ARCH=... SUITE=...` packages for that
# release.  This machine then needs only the cross compiler, qemu-user and
# mmdebstrap, no foreign architecture.
#
# For every build, native ones included (both are no-ops on x86-64 with gcc):
# 64-bit file offsets and inode numbers on 32-bit armhf, where readdir() and
# stat() otherwise fail with EOVERFLOW on a file system with 64-bit inodes or
# directory cookies (btrfs, NFS, overlayfs, and qemu-arm on a 64-bit host);
# no fused multiply-add contraction (clang's default), so that our float code
# rounds alike on arm64 and x86-64.  A 64-bit time_t on 32-bit armhf with
# libgpiod 2 (Trixie, whose own armhf packages are built so), not with 1.6
# (Bookworm), whose struct gpiod_line_event holds a 32-bit struct timespec.
COACH_CFLAGS += -D_FILE_OFFSET_BITS=64 -ffp-contract=off $(if $(filter 1,$(GPIOD_V2)),-D_TIME_BITS=64)
CROSS_ARCH    = $(or $(ARCH),arm64)
CROSS_arm64  := aarch64-linux-gnu qemu-aarch64
CROSS_armhf  := arm-linux-gnueabihf qemu-arm
CROSS_TRIPLET = $(word 1,$(CROSS_$(CROSS_ARCH)))
CROSS_QEMU    = $(word 2,$(CROSS_$(CROSS_ARCH)))
CROSS_BUILD   = $(BUILD)/$(if $(SUITE),$(SUITE)-)$(CROSS_ARCH)
CROSS_LIBS   := portaudio19-dev libasound2-dev libsndfile1-dev libespeak-ng-dev libyaml-dev libsoxr-dev \
                libgpiod-dev libcmocka-dev
CROSS_TOOLS   = crossbuild-essential-$(CROSS_ARCH) qemu-user
ifeq ($(SUITE),)
CROSS_DEPS    = $(CROSS_TOOLS) pkgconf:$(CROSS_ARCH) $(addsuffix :$(CROSS_ARCH),$(CROSS_LIBS))
CROSS_HAVE    = command -v $(CROSS_TRIPLET)-gcc $(CROSS_QEMU) >/dev/null && \
                $(CROSS_TRIPLET)-pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null
CROSS_MAKE    = PKG_CONFIG=$(CROSS_TRIPLET)-pkg-config
else
SYSROOTS     ?= $(abspath $(BUILD))/sysroot
CROSS_ROOT    = $(SYSROOTS)/$(SUITE)-$(CROSS_ARCH)
# systemd.pc (the unit's folder) is in systemd on Bookworm, systemd-dev later.
SYSROOT_PKGS  = libc6-dev $(CROSS_LIBS) $(if $(filter bookworm,$(SUITE)),systemd,systemd-dev)
CROSS_DEPS    = $(CROSS_TOOLS) mmdebstrap fakechroot pkgconf
CROSS_HAVE    = command -v $(CROSS_TRIPLET)-gcc $(CROSS_QEMU) mmdebstrap pkg-config >/dev/null
CROSS_MAKE    = SYSROOT=$(CROSS_ROOT)
endif

.PHONY: cross cross-deps test-cross cross-arch cross-ready sysroot chroot-deps
cross-arch:
	@[ -n "$(CROSS_TRIPLET)" ] || { echo "make: ARCH must be arm64 or armhf, not '$(ARCH)'"; exit 1; }
	@case "$(SUITE)" in ""|bookworm|trixie) ;; \
	  *) echo "make: SUITE must be bookworm or trixie (or unset: this machine's libraries)"; exit 1;; esac

cross-deps: cross-arch
	@{ [ -n "$(SUITE)" ] || dpkg --print-foreign-architectures | grep -qx $(CROSS_ARCH) || \
	  $(SUDO) dpkg --add-architecture $(CROSS_ARCH); } && \
	$(APT_UPDATE) && $(APT_INSTALL) $(CROSS_DEPS)

# The sysroot is made again when tests/mksysroot changes; `rm -r` it (or
# make clean) for a fresh one.
sysroot: cross-arch
	@[ -n "$(SUITE)" ] || { echo "make sysroot: SUITE= is needed (bookworm or trixie)"; exit 1; }
	@$(CROSS_HAVE) || $(MAKE) --no-print-directory cross-deps
	tests/mksysroot $(SUITE) $(CROSS_ARCH) $(CROSS_ROOT) $(SYSROOT_PKGS)

cross-ready: cross-arch $(if $(SUITE),$(CROSS_ROOT)/var/lib/dpkg/status)
	@$(CROSS_HAVE) || $(MAKE) --no-print-directory cross-deps
ifneq ($(SUITE),)
$(CROSS_ROOT)/var/lib/dpkg/status: tests/mksysroot
	@$(MAKE) --no-print-directory sysroot
endif

# HAVE_DEPS=yes: the native test tools are not needed for this tree.
cross: cross-ready
	$(MAKE) --no-print-directory BUILD=$(CROSS_BUILD) HAVE_DEPS=yes CC=$(CROSS_TRIPLET)-gcc \
	  AR=$(CROSS_TRIPLET)-ar $(CROSS_MAKE) all

# The routine is compared with this machine's build when the release is this
# machine's; another release's espeak-ng speaks with other lengths, so there
# the unit tests (test_render: every tone where the plan puts it) stand alone.
HOST_SUITE    = $(shell . /etc/os-release 2>/dev/null && echo $$VERSION_CODENAME)
test-cross: cross $(BUILD)/coachd $(BUILD)/tests/tool_wav $(BUILD)/tests/tool_wavcmp
	@ROOT=$(or $(CROSS_ROOT),/) REF=$(if $(filter-out $(HOST_SUITE),$(SUITE)),none,$(BUILD)) \
	  tests/run-cross $(CROSS_ARCH) $(CROSS_QEMU) $(BUILD) $(CROSS_BUILD)
# What `COACH_TEST_CHROOT=1 DEB_ARCH=... tests/e2e/deb.sh` needs to install a
# package in a fresh Debian of its release and architecture: mmdebstrap,
# arch-test and, for ARM, qemu-user-static's binfmt handlers, registered in
# this machine's kernel (root, and binfmt_misc mounted here when it is not).
chroot-deps: cross-arch
	@$(APT_INSTALL) mmdebstrap arch-test qemu-user-static binfmt-support && \
	{ [ -e /proc/sys/fs/binfmt_misc/register ] || \
	  $(SUDO) mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; } && \
	$(SUDO) update-binfmts --enable $(CROSS_QEMU) 2>/dev/null; \
	[ -e /proc/sys/fs/binfmt_misc/$(CROSS_QEMU) ] || \
	  { echo "make chroot-deps: no binfmt handler for $(CROSS_QEMU)"; exit 1; }
# --- end cross ---

# --- bench ---------------------------------------------------------------------
# `make bench`: timing, latency, start-up, CPU and memory, beside a shell-script
# coach (tests/bench/run prints one table; about 13 minutes; fails on no number).
.PHONY: bench
bench: all
	BUILD=$(BUILD) tests/bench/run
# --- end bench ---

# --- system test -----------------------------------------------------------------
# `make test-system`: the package installed in a Debian 12 virtual machine
# (qemu-system-x86_64, software emulation) with Debian's kernel and systemd,
# real ALSA cards (snd-aloop, HDA, USB audio) and a gpio-sim chip; the
# scenarios and power cuts of tests/system/run.  About 12 minutes; root.
# `make system-deps` installs what it needs: QEMU, mmdebstrap, socat (QEMU's
# monitor), and the kernel's headers and source for the gpio-sim module
# (SYSTEM_KVER=: the headers of that exact kernel, which the run asks for
# when the image's kernel is newer than this machine's headers).
# SYSTEM_ARCH=arm64: the arm64 package in qemu-system-aarch64 (the image is
# made through qemu-user's binfmt handler: chroot-deps; the package is
# cross-built: cross-deps).
SYSTEM_ARCH ?= amd64
SYSTEM_DEPS := qemu-system-x86 mmdebstrap socat e2fsprogs linux-source-6.1 \
               $(if $(SYSTEM_KVER),linux-headers-$(SYSTEM_KVER),linux-headers-amd64) \
               $(if $(filter arm64,$(SYSTEM_ARCH)),qemu-system-arm)
SYSTEM_QEMU := $(if $(filter arm64,$(SYSTEM_ARCH)),qemu-system-aarch64,qemu-system-x86_64)
.PHONY: test-system system-deps
system-deps:
	@$(APT_UPDATE) && $(APT_INSTALL) $(SYSTEM_DEPS)

test-system:
	@command -v $(SYSTEM_QEMU) mmdebstrap socat >/dev/null && ls /usr/src/linux-source-6.1.tar.xz >/dev/null 2>&1 || \
	  $(MAKE) --no-print-directory system-deps
	@[ "$(SYSTEM_ARCH)" = amd64 ] || { $(MAKE) --no-print-directory chroot-deps ARCH=$(SYSTEM_ARCH) && \
	  $(MAKE) --no-print-directory cross-ready ARCH=$(SYSTEM_ARCH); }
	@BUILD=$(BUILD) SYSTEM_ARCH=$(SYSTEM_ARCH) tests/system/run
# --- end system test ---
