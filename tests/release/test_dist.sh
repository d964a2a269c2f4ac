#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_dist.sh BUILD_DIR - the source tarball (cmake/dist.cmake): `cmake --build BUILD_DIR
# --target dist` makes apptrack-VERSION.tar.gz from the committed tree; made again later it has
# the same bytes; it holds what git tracks but what .gitattributes leaves out, records its
# commit, and leaves out uncommitted changes (saying so); outside a checkout the target refuses.
# Then the tarball, unpacked on its own, configures, builds warning-free, says the plain
# version, and passes the whole test suite (ctest -j2), with ../shared named by
# -DAPPTRACK_SHARED_DIR. Not run by ctest (it runs ctest); .ci/run runs it after the suite.
set -u
BUILD_DIR=$(realpath "${1:?usage: test_dist.sh BUILD_DIR}")
SOURCE_DIR=$(realpath "$(dirname "$0")/../..")
SHARED_DIR=$(realpath "${SHARED_DIR:-$SOURCE_DIR/../shared}")
# lib.sh's helpers (check, expect_*, start_daemon, ctl, finish) drive this build's programs
# until the tarball's own are built
export APPTRACKD="$BUILD_DIR/apptrackd" APPTRACKCTL="$BUILD_DIR/apptrackctl"
. "$SOURCE_DIR/tests/e2e/lib.sh"

BASE=$(sed -n 's/^project(apptrack VERSION \([0-9.]*\) .*/\1/p' "$SOURCE_DIR/CMakeLists.txt")
NAME="apptrack-$BASE"
TARBALL="$BUILD_DIR/$NAME.tar.gz"
HEAD=$(git -C "$SOURCE_DIR" rev-parse HEAD)

# --- the target ---
rm -f "$TARBALL"
cmake --build "$BUILD_DIR" --target dist >"$T/dist.log" 2>&1
expect_eq "cmake --build --target dist succeeds" 0 $?
check "it writes $NAME.tar.gz in the build directory" test -s "$TARBALL"
expect_eq "the tarball records the commit it was made from" "$HEAD" "$(zcat "$TARBALL" | git get-tar-commit-id)"
sleep 1.1 # a second later: any time taken from the clock would show
cmake -DSOURCE_DIR="$SOURCE_DIR" -DVERSION="$BASE" -DOUT_DIR="$T/again" -P "$SOURCE_DIR/cmake/dist.cmake" >/dev/null
expect_eq "made again, the tarball has the same bytes (reproducible)" "$(sha256sum <"$TARBALL")" \
	"$(sha256sum <"$T/again/$NAME.tar.gz" 2>/dev/null)"
check "no partial file is left beside it" test ! -e "$TARBALL.tmp"

# --- what it holds ---
tar -tzf "$TARBALL" | sed -n "s|^$NAME/||p" | grep -v '/$' | grep -v '^$' | sort >"$T/listed"
expect_eq "every entry is under $NAME/" "$(tar -tzf "$TARBALL" | wc -l)" "$(tar -tzf "$TARBALL" | grep -c "^$NAME/")"
git -C "$SOURCE_DIR" ls-files | grep -v -e '^\.ci/' -e '^\.gitignore$' -e '^\.gitattributes$' | sort >"$T/tracked"
expect_eq "it holds every tracked file but .ci/, .gitignore and .gitattributes" "" \
	"$(diff "$T/tracked" "$T/listed" | head -5)"
for f in LICENSE NEWS.md README.md CMakeLists.txt debian/changelog tests/e2e/lib.sh rules/apptrack.model; do
	check "it holds $f" grep -qx "$f" "$T/listed"
done

# --- uncommitted changes, and no checkout ---
git clone -q "$SOURCE_DIR" "$T/clone"
echo "# an uncommitted line" >>"$T/clone/README.md"
cmake -DSOURCE_DIR="$T/clone" -DVERSION="$BASE" -DOUT_DIR="$T/clone-out" -P "$SOURCE_DIR/cmake/dist.cmake" \
	>"$T/clone.log" 2>&1
expect_match "with uncommitted changes it warns that they are left out" "uncommitted changes are not in the tarball" \
	"$(cat "$T/clone.log")"
expect_eq "and the tarball has the committed README.md" "$(git -C "$SOURCE_DIR" show HEAD:README.md | sha256sum)" \
	"$(tar -xzOf "$T/clone-out/$NAME.tar.gz" "$NAME/README.md" | sha256sum)"
mkdir -p "$T/unpacked"
tar -xzf "$TARBALL" -C "$T/unpacked"
SRC="$T/unpacked/$NAME"
cmake -DSOURCE_DIR="$SRC" -DVERSION="$BASE" -DOUT_DIR="$T/no-out" -P "$SOURCE_DIR/cmake/dist.cmake" >"$T/nogit.log" 2>&1
rc=$?
check "outside a checkout the target fails" test "$rc" -ne 0
expect_match "and says why" "is not a git checkout" "$(tr -s ' \n' ' ' <"$T/nogit.log")"
check "leaving no tarball" test ! -e "$T/no-out/$NAME.tar.gz"

# --- the tarball on its own ---
check "the unpacked tree has no .git" test ! -e "$SRC/.git"
B="$T/build"
chmod 755 "$T" # test_daemon runs apptrackctl as nobody, to see it refused by the daemon
cmake -S "$SRC" -B "$B" -DAPPTRACK_SHARED_DIR="$SHARED_DIR" >"$T/configure.log" 2>&1
expect_eq "it configures" 0 $?
cmake --build "$B" -j2 >"$T/build.log" 2>&1
rc=$?
expect_eq "it builds" 0 $rc
[ "$rc" -eq 0 ] || tail -30 "$T/build.log" >&2
expect_eq "without a warning" "" "$(grep -E 'warning:' "$T/build.log" | head -5)"
expect_eq "its version is the plain project version" "$BASE" "$(cat "$B/version.txt")"
APPTRACKD="$B/apptrackd" APPTRACKCTL="$B/apptrackctl"
expect_eq "apptrackctl --version" "apptrackctl $BASE" "$("$APPTRACKCTL" --version)"
start_daemon
ctl version
expect_eq "apptrackctl version: the client's plain version" "apptrackctl $BASE" "$(printf '%s\n' "$OUT" | grep '^apptrackctl')"
expect_eq "and the daemon's" "apptrackd   $BASE (protocol 1)" "$(printf '%s\n' "$OUT" | grep '^apptrackd')"
stop_daemon
# in the environment it was given, not lib.sh's (its XDG directories, the feed and web page off)
env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_RUNTIME_DIR -u APPTRACK_CALENDAR_LISTEN -u APPTRACK_WEB_LISTEN \
	-u APPTRACKD -u APPTRACKCTL ctest --test-dir "$B" -j2 --output-on-failure >"$T/ctest.log" 2>&1
rc=$?
expect_eq "its whole test suite passes" 0 $rc
[ "$rc" -eq 0 ] || cat "$T/ctest.log" >&2 # with the failed tests' output
grep -E 'tests passed|Total Test time' "$T/ctest.log"
finish
