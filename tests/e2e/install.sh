#!/usr/bin/env bash
# `make install` and `make uninstall` into a DESTDIR with PREFIX=/usr: the exact
# file list and modes, an edited config left alone, the installed programs
# pointing at the installed files, the unit (`systemd-analyze verify` silent,
# `systemd-analyze security` at 1.0 or lower), the man pages (no warnings from
# groff or man) and the man pages naming the same options and commands as
# --help.  The build goes to its own folder, so $BUILD keeps its PREFIX.
set -eu
. "$(dirname "$0")/lib.sh"

ROOT=$E2E_TMP/root
B=$E2E_TMP/build
LOG=$E2E_TMP/make.log
mk() {  # mk DESTDIR TARGET: make TARGET with PREFIX=/usr, output in $LOG
	make -C "$E2E_ROOT" --no-print-directory BUILD="$B" PREFIX=/usr DESTDIR="$1" "$2" >"$LOG" 2>&1
}
show_log() { sed 's/^/  | /' "$LOG" | tail -n 20; }
pcdir() {  # pcdir VARIABLE FALLBACK: a folder from systemd.pc, as the Makefile finds it
	local d
	d=$(pkg-config --variable="$1" systemd 2>/dev/null) || d=
	echo "${d:-$2}"
}
unitdir=$(pcdir systemdsystemunitdir /usr/lib/systemd/system)
sysusersdir=$(pcdir sysusersdir /usr/lib/sysusers.d)
tmpfilesdir=$(pcdir tmpfilesdir /usr/lib/tmpfiles.d)
modulesloaddir=$(pcdir modulesloaddir /usr/lib/modules-load.d)
userunitdir=$(pcdir systemduserunitdir /usr/lib/systemd/user)

for tool in systemd-analyze man groff; do
	command -v "$tool" >/dev/null || { fail "tools" "$tool missing: make deps"; e2e_finish; }
done

# What install must add, as "MODE PATH", sorted; the data lists come from the tree.
expected() {
	local f
	{
		echo "755 /usr/bin/coachd"
		echo "755 /usr/bin/coachctl"
		echo "644 /etc/coach/coach.yaml"
		for f in "$E2E_ROOT"/config/routines/*.yaml; do echo "644 /etc/coach/routines/${f##*/}"; done
		for f in "$E2E_ROOT"/voices/*.yaml; do echo "644 /usr/share/coach/voices/${f##*/}"; done
		for f in "$E2E_ROOT"/sounds/*.wav; do echo "644 /usr/share/coach/sounds/${f##*/}"; done
		echo "644 $unitdir/coachd.service"
		echo "644 $userunitdir/coachd.service"
		echo "644 $sysusersdir/coach.conf"
		echo "644 $tmpfilesdir/coach.conf"
		echo "644 $modulesloaddir/coach.conf"
		echo "644 ${unitdir%/systemd/system}/udev/rules.d/60-coach-gpio.rules"
		echo "644 /usr/share/man/man1/coachctl.1"
		echo "644 /usr/share/man/man5/coach.yaml.5"
		echo "644 /usr/share/man/man5/coach-routine.5"
		echo "644 /usr/share/man/man8/coachd.8"
	} | sort
}
installed() { find "$1" -type f -printf '%m /%P\n' | sort; }

same_list() {  # same_list NAME WANT_FILE GOT_FILE
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "differs from the expected list (- expected, + installed)"
		diff -u "$2" "$3" | sed -n '3,$s/^/  | /p'
	fi
}

# --- a fresh install --------------------------------------------------------
if mk "$ROOT" install; then pass install; else fail install "make install failed"; show_log; e2e_finish; fi
expected >"$E2E_TMP/want"
installed "$ROOT" >"$E2E_TMP/got"
same_list install-files "$E2E_TMP/want" "$E2E_TMP/got"
bad_dirs=$(find "$ROOT" -mindepth 1 -type d ! -perm 755 -printf '%m /%P\n')
[ -z "$bad_dirs" ] && pass install-dir-modes || fail install-dir-modes "$bad_dirs"
if grep -rl '@[a-z]*dir@' "$ROOT" >"$E2E_TMP/left" 2>/dev/null; then
	fail install-substituted "placeholders left in: $(tr '\n' ' ' <"$E2E_TMP/left")"
else
	pass install-substituted
fi
if cmp -s "$E2E_ROOT/config/coach.yaml" "$ROOT/etc/coach/coach.yaml"; then
	pass install-config
else
	fail install-config "/etc/coach/coach.yaml is not config/coach.yaml"
fi

# The installed programs use /etc/coach and /usr/share/coach (paths.c's defines),
# not the checkout: --check names the files it reads, or fails on the first.
out=$("$ROOT/usr/bin/coachd" --check 2>&1) || true
[[ $out == */etc/coach/coach.yaml* ]] && pass installed-sysconfdir ||
	fail installed-sysconfdir "coachd --check does not read /etc/coach/coach.yaml: $out"
out=$("$ROOT/usr/bin/coachd" --check -c "$ROOT/etc/coach/coach.yaml" \
	-r "$ROOT/etc/coach/routines/morning-back.yaml" 2>&1) || true
[[ $out == */usr/share/coach/voices/* ]] && pass installed-datadir ||
	fail installed-datadir "coachd --check does not look in /usr/share/coach/voices: $out"

# --- the unit ---------------------------------------------------------------
unit=$ROOT$unitdir/coachd.service
# verify checks that ExecStart= exists and that the Documentation= pages open,
# so point both at the DESTDIR.
mkdir "$E2E_TMP/unit"
sed "s|^ExecStart=/usr/bin/|ExecStart=$ROOT/usr/bin/|" "$unit" >"$E2E_TMP/unit/coachd.service"
out=$(MANPATH=$ROOT/usr/share/man systemd-analyze verify "$E2E_TMP/unit/coachd.service" 2>&1) && rc=0 || rc=$?
[ "$rc" -eq 0 ] && [ -z "$out" ] && pass unit-verify || fail unit-verify "status $rc: $out"
# The user unit (the desktop image's), verified as the user manager would.
mkdir "$E2E_TMP/userunit" && mkdir -m 700 "$E2E_TMP/xdg"   # a user manager's runtime folder
sed "s|^ExecStart=/usr/bin/|ExecStart=$ROOT/usr/bin/|" "$ROOT$userunitdir/coachd.service" \
	>"$E2E_TMP/userunit/coachd.service"
out=$(XDG_RUNTIME_DIR=$E2E_TMP/xdg MANPATH=$ROOT/usr/share/man systemd-analyze --user verify "$E2E_TMP/userunit/coachd.service" 2>&1) &&
	rc=0 || rc=$?
[ "$rc" -eq 0 ] && [ -z "$out" ] && pass user-unit-verify || fail user-unit-verify "status $rc: $out"
out=$(systemd-analyze security --offline=true "$unit" 2>&1) || true
score=$(sed -n 's/.*Overall exposure level for coachd.service: \([0-9.]*\).*/\1/p' <<<"$out")
echo "# systemd-analyze security: ${score:-?}"
# --threshold is in tenths: 10 is an exposure of 1.0.
if [ -n "$score" ] && systemd-analyze security --offline=true --threshold=10 "$unit" >/dev/null 2>&1; then
	pass "unit-security ($score)"
else
	fail unit-security "exposure ${score:-unknown} (expected 1.0 or lower)"
	grep '✗' <<<"$out" | sed 's/^/  | /'
fi

# --- man pages --------------------------------------------------------------
for page in "$ROOT"/usr/share/man/man*/*; do
	name=${page##*/}
	out=$(groff -man -ww -z "$page" 2>&1)
	out+=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	[ -z "$out" ] && pass "man-$name" || fail "man-$name" "$out"
done

# The options (and coachctl's commands) a page lists against those --help lists.
# Rendered man pages put each tag at 7 spaces; --help indents its option lines.
man_section() {  # man_section PAGE SECTION: the rendered section's text
	LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$1" 2>/dev/null |
		awk -v s="$2" '/^[A-Z]/ { on = ($0 == s); next } on'
}
man_opts() {  # option tags at the start of 7-space lines
	man_section "$1" OPTIONS | awk '/^       -/ {
		for (i = 1; i <= NF && $i ~ /^-/; i++) { sub(/,$/, "", $i); print $i } }' | sort -u
}
help_opts() {
	"$1" --help | awk '/^ +-/ { for (i = 1; i <= NF && $i ~ /^-/; i++) { sub(/,$/, "", $i); print $i } }' |
		sort -u
}
same_words() {  # same_words NAME MAN_LIST HELP_LIST
	if [ -z "$2" ]; then
		fail "$1" "nothing found in the man page"
	elif [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "man page: ${2//$'\n'/ } / --help: ${3//$'\n'/ }"
	fi
}
same_words coachd-options "$(man_opts "$ROOT/usr/share/man/man8/coachd.8")" \
	"$(help_opts "$ROOT/usr/bin/coachd")"
same_words coachctl-options "$(man_opts "$ROOT/usr/share/man/man1/coachctl.1")" \
	"$(help_opts "$ROOT/usr/bin/coachctl")"
same_words coachctl-commands \
	"$(man_section "$ROOT/usr/share/man/man1/coachctl.1" COMMANDS | awk '/^       [a-z]/ { print $1 }' | sort -u)" \
	"$("$ROOT/usr/bin/coachctl" --help | awk '/^Commands:/ { on = 1; next } /^$/ { if (on) exit } on { print $1 }' | sort -u)"

# --- an edited config survives install --------------------------------------
ROOT2=$E2E_TMP/edited
mkdir -p "$ROOT2/etc/coach/routines"
printf '# edited by hand\nvoice: en\n' >"$ROOT2/etc/coach/coach.yaml"
printf '# my own\n' >"$ROOT2/etc/coach/routines/morning-back.yaml"
cp -p "$ROOT2/etc/coach/coach.yaml" "$E2E_TMP/edited-config"
cp -p "$ROOT2/etc/coach/routines/morning-back.yaml" "$E2E_TMP/edited-routine"
touch -d '2020-01-01 00:00' "$ROOT2/etc/coach/coach.yaml"
if mk "$ROOT2" install; then
	if cmp -s "$E2E_TMP/edited-config" "$ROOT2/etc/coach/coach.yaml" &&
		cmp -s "$E2E_TMP/edited-routine" "$ROOT2/etc/coach/routines/morning-back.yaml" &&
		[ "$(stat -c %Y "$ROOT2/etc/coach/coach.yaml")" = "$(date -d '2020-01-01 00:00' +%s)" ]; then
		pass install-keeps-edited-config
	else
		fail install-keeps-edited-config "an edited file was replaced or touched"
	fi
	grep -q "keeping $ROOT2/etc/coach/coach.yaml" "$LOG" && pass install-says-kept ||
		fail install-says-kept "no 'keeping' line"
	installed "$ROOT2" >"$E2E_TMP/got2"
	same_list install-files-with-edited-config "$E2E_TMP/want" "$E2E_TMP/got2"
else
	fail install-keeps-edited-config "make install failed"
	show_log
fi
# Installing again over an install works and changes nothing.
if mk "$ROOT" install; then
	installed "$ROOT" >"$E2E_TMP/got3"
	same_list install-twice "$E2E_TMP/want" "$E2E_TMP/got3"
else
	fail install-twice "make install failed the second time"
	show_log
fi

# --- uninstall: everything but /etc/coach -----------------------------------
for r in "$ROOT" "$ROOT2"; do
	name=uninstall-${r##*/}
	if ! mk "$r" uninstall; then
		fail "$name" "make uninstall failed"
		show_log
		continue
	fi
	grep '/etc/coach/' "$E2E_TMP/want" >"$E2E_TMP/want-left"
	installed "$r" >"$E2E_TMP/left"
	same_list "$name" "$E2E_TMP/want-left" "$E2E_TMP/left"
done
cmp -s "$E2E_TMP/edited-config" "$ROOT2/etc/coach/coach.yaml" && pass uninstall-keeps-edited-config ||
	fail uninstall-keeps-edited-config "the edited coach.yaml changed"

# Building, running and installing need the libraries only: a Pi gets no
# PulseAudio, clang or lintian from `make run` (test tools that are missing
# here are not looked for), while `make test` gets them all.
if make -C "$E2E_ROOT" -n BUILD="$B" TEST_TOOLS=no-such-tool run install >"$LOG" 2>&1 &&
   ! grep -q 'dependencies are missing' "$LOG"; then
	pass run-needs-no-test-tools
else
	fail run-needs-no-test-tools "$(head -n 3 "$LOG")"
fi
build_deps=$(make -C "$E2E_ROOT" -s -n deps DEPS=build)
all_deps=$(make -C "$E2E_ROOT" -s -n deps)
if [[ $build_deps == *libespeak-ng-dev* && $build_deps != *pulseaudio* && $build_deps != *clang* &&
      $all_deps == *pulseaudio* && $all_deps == *clang* ]]; then
	pass deps-build-only
else
	fail deps-build-only "make deps DEPS=build: $build_deps"
fi

e2e_finish
