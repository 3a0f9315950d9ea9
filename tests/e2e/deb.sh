#!/usr/bin/env bash
# `make deb`: the package's file list and modes, its dependencies on the
# runtime libraries, its conffiles, its maintainer scripts, and lintian with no
# errors.  The package is built in a scratch BUILD, so $BUILD is left alone.
#
# With DEB_ARCH=arm64 (or armhf) the package is cross-built (make deb ARCH=...)
# and checked the same way; .ci/run does that for arm64.  With DEB_SUITE=
# (bookworm, trixie) too, it is built for that Debian release against its
# sysroot (make deb ARCH=... SUITE=...), and its library dependencies must be
# that release's packages.
#
# With COACH_TEST_CHROOT=1 (or COACH_TEST_DPKG=1: on this machine, which that
# changes, so `make test` does not) it also installs the package, renders the
# routine with it, upgrades it over an edited config and purges it, for real.
set -eu
. "$(dirname "$0")/lib.sh"

B=$E2E_TMP/build
LOG=$E2E_TMP/make-deb.log
arch=${DEB_ARCH:-$(dpkg --print-architecture)}
suite=${DEB_SUITE:-}
cross=
[ "$arch" = "$(dpkg --print-architecture)" ] || cross="ARCH=$arch"
# The sysroot is the checkout's (make test-cross made it), or made here.
# The target release's systemd.pc names its systemd folders (this machine's
# otherwise); the sysroot also holds that release's dpkg database.
sysroots=$BUILD/sysroot
[ -z "$suite" ] || cross+=" SUITE=$suite SYSROOTS=$sysroots"
sysroot=${suite:+$sysroots/$suite-$arch}

for tool in dpkg-buildpackage dh lintian pkg-config; do
	command -v "$tool" >/dev/null || { fail tools "$tool missing: make deps"; e2e_finish; }
done
# With a sysroot the build dependencies are in it, not on this machine.
if [ -z "$suite" ] &&
   ! dpkg-checkbuilddeps ${cross:+-a "$arch"} "$E2E_ROOT/debian/control" 2>"$E2E_TMP/builddeps"; then
	fail build-depends "$(cat "$E2E_TMP/builddeps"): make deps"
	e2e_finish
fi

# shellcheck disable=SC2086 # $cross is make's arguments, one word each
if make -C "$E2E_ROOT" --no-print-directory BUILD="$B" $cross deb >"$LOG" 2>&1; then
	pass make-deb
else
	fail make-deb "$(tail -n 30 "$LOG")"
	e2e_finish
fi
debs=("$B"/coach_*_"$arch".deb)
if [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]; then
	deb=${debs[0]}
	pass "deb-in-build (${deb##*/})"
else
	fail deb-in-build "expected one coach_*_$arch.deb in BUILD, found: ${debs[*]}"
	e2e_finish
fi
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Architecture)" = "$arch" ] && pass deb-architecture ||
	fail deb-architecture "$(field Architecture), expected $arch"

# --- files ------------------------------------------------------------------
pcdir() {
	local d
	d=$(${sysroot:+env PKG_CONFIG_LIBDIR=$sysroot/usr/share/pkgconfig} \
		pkg-config --variable="$1" systemd 2>/dev/null) || d=
	echo "${d:-$2}"
}
unitdir=$(pcdir systemdsystemunitdir /usr/lib/systemd/system)
{
	echo "-rwxr-xr-x /usr/bin/coachd"
	echo "-rwxr-xr-x /usr/bin/coachctl"
	echo "-rw-r--r-- /etc/coach/coach.yaml"
	for f in "$E2E_ROOT"/config/routines/*.yaml; do echo "-rw-r--r-- /etc/coach/routines/${f##*/}"; done
	for f in "$E2E_ROOT"/voices/*.yaml; do echo "-rw-r--r-- /usr/share/coach/voices/${f##*/}"; done
	for f in "$E2E_ROOT"/sounds/*.wav; do echo "-rw-r--r-- /usr/share/coach/sounds/${f##*/}"; done
	echo "-rw-r--r-- $unitdir/coachd.service"
	echo "-rw-r--r-- $(pcdir systemduserunitdir /usr/lib/systemd/user)/coachd.service"
	echo "-rw-r--r-- $(pcdir sysusersdir /usr/lib/sysusers.d)/coach.conf"
	echo "-rw-r--r-- $(pcdir tmpfilesdir /usr/lib/tmpfiles.d)/coach.conf"
	echo "-rw-r--r-- $(pcdir modulesloaddir /usr/lib/modules-load.d)/coach.conf"
	echo "-rw-r--r-- ${unitdir%/systemd/system}/udev/rules.d/60-coach-gpio.rules"
	echo "-rw-r--r-- /usr/share/man/man1/coachctl.1.gz"
	echo "-rw-r--r-- /usr/share/man/man5/coach.yaml.5.gz"
	echo "-rw-r--r-- /usr/share/man/man5/coach-routine.5.gz"
	echo "-rw-r--r-- /usr/share/man/man8/coachd.8.gz"
	echo "-rw-r--r-- /usr/share/doc/coach/changelog.gz"
	echo "-rw-r--r-- /usr/share/doc/coach/copyright"
} | sort >"$E2E_TMP/want"
dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ { p = $6; sub(/^\./, "", p); print $1, p }' |
	sort >"$E2E_TMP/got"
if cmp -s "$E2E_TMP/want" "$E2E_TMP/got"; then
	pass deb-files
else
	fail deb-files "differs (- expected, + in the package)"
	diff -u "$E2E_TMP/want" "$E2E_TMP/got" | sed -n '3,$s/^/  | /p'
fi
owners=$(dpkg-deb --contents "$deb" | awk '$2 != "root/root"')
[ -z "$owners" ] && pass deb-owners || fail deb-owners "$owners"

# --- metadata ---------------------------------------------------------------
depends=$(field Depends)
echo "# Depends: $depends"
missing=
for lib in libportaudio2 libespeak-ng1 libyaml-0-2 libsoxr0 libsndfile1; do
	[[ ", $depends," == *", $lib"[\ ,]* ]] || missing+=" $lib"
done
[ -z "$missing" ] && pass deb-depends || fail deb-depends "missing:$missing"
# libgpiod2 (Bookworm) or libgpiod3 (Trixie), once coachd uses libgpiod: the
# linker drops a library no code calls, and then so does dpkg-shlibdeps.
mkdir "$E2E_TMP/x"
dpkg-deb --extract "$deb" "$E2E_TMP/x"
if readelf -d "$E2E_TMP/x/usr/bin/coachd" | grep -q 'NEEDED.*libgpiod'; then
	re='(^|, )libgpiod[0-9]+( |,|$)'
	[[ $depends =~ $re ]] && pass deb-depends-libgpiod ||
		fail deb-depends-libgpiod "coachd links libgpiod but Depends lacks it"
else
	echo "# not checked: Depends on libgpiod (coachd does not link libgpiod yet)"
fi
# Built against the release's sysroot, not this machine: every library the
# package depends on is one of that release's packages, for its architecture.
if [ -n "$suite" ]; then
	foreign=
	for lib in $(tr ',|' '\n\n' <<<"$depends" | awk '$1 ~ /^lib/ { print $1 }' | sort -u); do
		dpkg-query --admindir="$sysroot/var/lib/dpkg" -W "$lib:$arch" >/dev/null 2>&1 ||
			foreign+=" $lib"
	done
	[ -z "$foreign" ] && pass "deb-depends-$suite" ||
		fail "deb-depends-$suite" "not $suite's $arch packages:$foreign"
fi
[[ $depends == *systemd-sysusers* ]] && pass deb-depends-sysusers ||
	fail deb-depends-sysusers "no systemd | systemd-sysusers dependency for the postinst"

dpkg-deb --control "$deb" "$E2E_TMP/ctl"
{
	echo /etc/coach/coach.yaml
	for f in "$E2E_ROOT"/config/routines/*.yaml; do echo "/etc/coach/routines/${f##*/}"; done
} | sort >"$E2E_TMP/want-conffiles"
if sort "$E2E_TMP/ctl/conffiles" 2>/dev/null | cmp -s - "$E2E_TMP/want-conffiles"; then
	pass deb-conffiles
else
	fail deb-conffiles "$(tr '\n' ' ' <"$E2E_TMP/ctl/conffiles" 2>/dev/null)"
fi

# postinst: the user first (systemd-sysusers), then enable and (if systemd
# runs) start; every start/stop is guarded by /run/systemd/system.
post=$E2E_TMP/ctl/postinst
users_at=$(grep -n 'systemd-sysusers' "$post" | head -n1 | cut -d: -f1)
enable_at=$(grep -n "deb-systemd-helper enable 'coachd.service'" "$post" | head -n1 | cut -d: -f1)
if [ -n "$users_at" ] && [ -n "$enable_at" ] && [ "$users_at" -lt "$enable_at" ]; then
	pass deb-postinst
else
	fail deb-postinst "expected systemd-sysusers, then deb-systemd-helper enable"
fi
grep -q 'rm -rf /var/lib/coach /var/cache/coach' "$E2E_TMP/ctl/postrm" && pass deb-postrm-purge ||
	fail deb-postrm-purge "postrm does not remove /var/lib/coach and /var/cache/coach on purge"
for s in preinst postinst prerm postrm; do
	[ -f "$E2E_TMP/ctl/$s" ] || continue
	sh -n "$E2E_TMP/ctl/$s" && pass "deb-$s-syntax" || fail "deb-$s-syntax"
done

# --- lintian ----------------------------------------------------------------
lintian --info "$B"/coach*_"$arch".deb >"$E2E_TMP/lintian" 2>&1 || true
sed 's/^/# lintian: /' "$E2E_TMP/lintian"
if grep -q '^E: ' "$E2E_TMP/lintian"; then
	fail lintian "errors: $(grep -c '^E: ' "$E2E_TMP/lintian")"
else
	pass lintian
fi

# --- install, upgrade, purge ---------------------------------------------------
# COACH_TEST_DPKG=1: on this machine (root, coach not installed; a coach
# system user stays, as Debian leaves system users).  COACH_TEST_CHROOT=1:
# in a fresh Debian of the package's release and architecture, made by
# mmdebstrap (root; a foreign architecture runs through qemu-user-static's
# binfmt handlers), so that apt installs the package's Depends from that
# release, and this machine is left alone.
if [ "${COACH_TEST_CHROOT:-}" = 1 ]; then
	root=$E2E_TMP/root
	release=${suite:-$(. /etc/os-release && echo "$VERSION_CODENAME")}
	mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
	if ! mmdebstrap --quiet --mode=root --variant=apt --skip=cleanup/apt/lists \
		--architectures="$arch" "$release" "$root" \
		"deb $mirror $release main" "deb $mirror $release-updates main" >"$E2E_TMP/mmdebstrap.log" 2>&1; then
		fail chroot "mmdebstrap $release $arch: $(tail -n 5 "$E2E_TMP/mmdebstrap.log")" \
			"(needs root, mmdebstrap, arch-test and, for $arch, qemu-user-static)"
		e2e_finish
	fi
	pass "chroot ($release $arch)"
	on() { chroot "$root" "$@"; }
elif [ "${COACH_TEST_DPKG:-}" = 1 ]; then
	if [ "$(id -u)" -ne 0 ] || dpkg-query -W -f '${Status}' coach 2>/dev/null | grep -q installed; then
		fail dpkg "needs root and no coach package installed"
		e2e_finish
	fi
	root=
	on() { "$@"; }
	at_exit "dpkg --purge coach >/dev/null 2>&1"
else
	echo "# install, upgrade and purge not run (COACH_TEST_DPKG=1 here, or COACH_TEST_CHROOT=1)"
	e2e_finish
fi
wants=/etc/systemd/system/multi-user.target.wants/coachd.service
cp "$deb" "$root/tmp/coach.deb"
if on apt-get install -y -q /tmp/coach.deb >"$E2E_TMP/dpkg.log" 2>&1; then pass dpkg-install; else
	fail dpkg-install "$(tail -n 20 "$E2E_TMP/dpkg.log")"; e2e_finish; fi
groups=$(on id -nG coach 2>/dev/null) || groups=
[[ " $groups " == *" audio "* && " $groups " == *" gpio "* ]] && pass dpkg-user ||
	fail dpkg-user "coach user's groups: '$groups'"
[ -L "$root$wants" ] && pass dpkg-enabled || fail dpkg-enabled "$wants missing"
[ -x "$root/usr/bin/coachd" ] && on /usr/bin/coachd --help >/dev/null && pass dpkg-runs || fail dpkg-runs
# The installed daemon finds its config, routine, voice and sounds, and
# speaks the routine with that release's espeak-ng: a whole render.  armhf
# under qemu reads espeak-ng's data from a tmpfs copy, as tests/run-cross
# says why (64-bit directory cookies that a 32-bit Pi never sees).
speak=()
if [ -n "$root" ] && [ "$arch" = armhf ]; then
	data=$(cd "$root" && echo usr/lib/*/espeak-ng-data)
	mkdir -p "$root/run/espeak" && mount -t tmpfs tmpfs "$root/run/espeak" &&
		at_exit "umount '$root/run/espeak'" && cp -r "$root/$data" "$root/run/espeak/" &&
		speak=(env ESPEAK_DATA_PATH=/run/espeak)
fi
if on /usr/bin/coachd --check >"$E2E_TMP/check.log" 2>&1 &&
   on "${speak[@]}" /usr/bin/coachd --render /tmp/render.wav >"$E2E_TMP/render.log" 2>&1; then
	pass "dpkg-render ($(grep -o 'rendered.*' "$E2E_TMP/render.log"))"
else
	fail dpkg-render "$(cat "$E2E_TMP/check.log" "$E2E_TMP/render.log" | tail -n 5)"
fi
rm -f "$root/tmp/render.wav"

# An upgrade (same files, a newer version) over an edited coach.yaml.
echo "# edited" >>"$root/etc/coach/coach.yaml"
cp "$root/etc/coach/coach.yaml" "$E2E_TMP/edited"
dpkg-deb --raw-extract "$deb" "$E2E_TMP/up"
sed -i 's/^Version: .*/&+up1/' "$E2E_TMP/up/DEBIAN/control"
dpkg-deb --root-owner-group --build "$E2E_TMP/up" "$root/tmp/up.deb" >/dev/null
if on dpkg -i /tmp/up.deb >"$E2E_TMP/dpkg.log" 2>&1; then pass dpkg-upgrade; else
	fail dpkg-upgrade "$(tail -n 20 "$E2E_TMP/dpkg.log")"; fi
cmp -s "$E2E_TMP/edited" "$root/etc/coach/coach.yaml" && pass dpkg-upgrade-keeps-config ||
	fail dpkg-upgrade-keeps-config "the edited coach.yaml was replaced"
rm -f "$root/tmp/coach.deb" "$root/tmp/up.deb"

if on dpkg --purge coach >"$E2E_TMP/dpkg.log" 2>&1; then pass dpkg-purge; else
	fail dpkg-purge "$(tail -n 20 "$E2E_TMP/dpkg.log")"; fi
left=$(cd "$root/" && ls -d etc/coach usr/bin/coachd usr/share/coach var/lib/coach var/cache/coach "${wants#/}" 2>/dev/null || true)
[ -z "$left" ] && pass dpkg-purge-clean || fail dpkg-purge-clean "left: $left"
e2e_finish
