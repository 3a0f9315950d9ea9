#!/usr/bin/env bash
# tests/check-layers (run by make lint) passes on the tree and catches each
# kind of broken layer in a copy of src/: core including sound, core taking a
# socket header, system including the daemon, a header outside the layers, a
# header name in two layers.  Each must fail with the file and line named.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT" || exit 1

check layers-hold tests/check-layers src

# breaks NAME FILE SED EXPECT: in a fresh copy of src/, runs SED on FILE and
# expects check-layers to fail with a line matching EXPECT.
breaks() {
	local name=$1 file=$2 script=$3 expect=$4 copy=$E2E_TMP/src-$1 out
	rm -rf "$copy" && cp -r src "$copy" || { fail "$name" "cannot copy src"; return; }
	sed -i "$script" "$copy/$file"
	if cmp -s "src/$file" "$copy/$file" 2>/dev/null; then
		fail "$name" "the deliberate break did not change $file"; return
	fi
	out=$(tests/check-layers "$copy" 2>&1)
	if [ $? -ne 0 ] && grep -qE "$expect" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "expected a failure matching '$expect', got: $out"
	fi
}
breaks core-includes-sound core/plan.c '0,/^#include "plan.h"/s//&\n#include "player.h"/' \
	'/core/plan\.c:[0-9]+: core may not include "player\.h" \(it is in sound'
breaks core-takes-a-socket core/control.c '0,/^#include <string.h>/s//&\n#include <sys\/socket.h>/' \
	'/core/control\.c:[0-9]+: core may not include <sys/socket\.h>'
breaks system-includes-daemon system/loop.c '0,/^#include "loop.h"/s//&\n#include "daemon.h"/' \
	'/system/loop\.c:[0-9]+: system may not include "daemon\.h"'
breaks sound-includes-daemon sound/player.c '0,/^#include "player.h"/s//&\n#include "loader.h"/' \
	'/sound/player\.c:[0-9]+: sound may not include "loader\.h"'
breaks unknown-header core/session.c '0,/^#include "session.h"/s//&\n#include "nowhere.h"/' \
	'/core/session\.c:[0-9]+: "nowhere\.h" is not a header of any layer'

# A header that two layers both have.
copy=$E2E_TMP/src-twice
rm -rf "$copy" && cp -r src "$copy" && cp "$copy/core/plan.h" "$copy/daemon/plan.h"
out=$(tests/check-layers "$copy" 2>&1)
if [ $? -ne 0 ] && grep -q 'plan.h is also in src/core/' <<<"$out"; then pass header-in-two-layers
else fail header-in-two-layers "got: $out"; fi

e2e_finish
