#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_version.sh - the one source of the version (cmake/version.cmake), run with -P the way
# the build runs it: the plain project version without a .git of the source tree's own (a
# tarball or a package build, also one unpacked inside another checkout), the git-described
# forms in a checkout (no tag, on the tag, after it, with uncommitted changes), version.h and
# the man pages with the version substituted; then that this build's programs, greeting and
# man pages say the version the build recorded in version.txt.
. "$(dirname "$0")/lib.sh"
SCRIPT="$SOURCE_DIR/cmake/version.cmake"
BASE=$(sed -n 's/^project(apptrack VERSION \([0-9.]*\) .*/\1/p' "$SOURCE_DIR/CMakeLists.txt")
check "CMakeLists.txt names the project version" test -n "$BASE"

# version_of DIR [BASE] : what the script makes of DIR, in $V
version_of() {
	rm -f "$T/v.txt"
	cmake -DSOURCE_DIR="$1" -DBASE_VERSION="${2:-$BASE}" -DTEXT="$T/v.txt" -P "$SCRIPT" 2>"$T/cmake.err"
	V=$(cat "$T/v.txt" 2>/dev/null)
}

# --- no .git: the plain version ---
mkdir -p "$T/tarball/docs/man"
version_of "$T/tarball"
expect_eq "without .git: the project version" "$BASE" "$V"
expect_eq "and cmake says nothing" "" "$(cat "$T/cmake.err")"
version_of "$T/tarball" 2.3.4
expect_eq "the project version is the one given" 2.3.4 "$V"

# --- a checkout of its own ---
if ! command -v git >/dev/null; then
	echo "SKIP: no git" >&2
	FINISHED=1
	exit 77
fi
R="$T/repo"
g() { git -C "$R" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false -c tag.gpgsign=false "$@"; }
git init -q "$R"
echo one >"$R/file"
g add file
g commit -q -m one
version_of "$R"
expect_eq "no tag: commits since the first, and the hash" "$BASE+git.1.g$(g rev-parse --short HEAD)" "$V"
echo two >>"$R/file"
version_of "$R"
expect_eq "an uncommitted change: .dirty" "$BASE+git.1.g$(g rev-parse --short HEAD).dirty" "$V"
g commit -q -a -m two
version_of "$R"
expect_eq "a second commit counts" "$BASE+git.2.g$(g rev-parse --short HEAD)" "$V"
g tag "v$BASE"
version_of "$R"
expect_eq "on the release tag, clean: the plain version" "$BASE" "$V"
version_of "$R" 9.9.9
expect_eq "on a tag that is not the project version: described" "9.9.9+git.0.g$(g rev-parse --short HEAD)" "$V"
echo untracked >"$R/new"
version_of "$R"
expect_eq "an untracked file does not make it dirty" "$BASE" "$V"
echo three >>"$R/file"
version_of "$R"
expect_eq "on the tag with a change: dirty, 0 commits since" "$BASE+git.0.g$(g rev-parse --short HEAD).dirty" "$V"
g commit -q -a -m three
version_of "$R"
expect_eq "after the tag: commits since it" "$BASE+git.1.g$(g rev-parse --short HEAD)" "$V"
rm -f "$T/v.txt"
cmake -DSOURCE_DIR="$R" -DBASE_VERSION="$BASE" -DDESCRIBE=OFF -DTEXT="$T/v.txt" -P "$SCRIPT"
expect_eq "a checkout with DESCRIBE=OFF (a package build): plain" "$BASE" "$(cat "$T/v.txt")"
g tag other-tag
version_of "$R"
expect_eq "tags not named v* are not release tags" "$BASE+git.1.g$(g rev-parse --short HEAD)" "$V"
mkdir -p "$R/sub"
version_of "$R/sub"
expect_eq "a tree inside another checkout without a .git of its own: plain" "$BASE" "$V"
rm -rf "$R/.git"
version_of "$R"
expect_eq "the same tree with .git gone: plain" "$BASE" "$V"

# --- the files it writes ---
printf '.TH X 1 "November 2026" "apptrack @APPTRACK_VERSION@" "User Commands"\n.SH NAME\n' >"$T/tarball/docs/man/x.1"
cmake -DSOURCE_DIR="$T/tarball" -DBASE_VERSION=1.2.3 -DHEADER_IN="$SOURCE_DIR/include/apptrack/version.h.in" \
	-DHEADER="$T/out/version.h" -DMAN_DIR="$T/tarball/docs/man" -DMAN_OUT="$T/out/man" -P "$SCRIPT"
expect_match "version.h defines APPTRACK_VERSION" '#define APPTRACK_VERSION "1\.2\.3"' "$(cat "$T/out/version.h")"
expect_match "and APPTRACK_VERSION_BASE" '#define APPTRACK_VERSION_BASE "1\.2\.3"' "$(cat "$T/out/version.h")"
expect_eq "the man page's .TH line carries the version" '.TH X 1 "November 2026" "apptrack 1.2.3" "User Commands"' \
	"$(head -1 "$T/out/man/x.1")"
touch -d '2001-01-01' "$T/out/version.h"
cmake -DSOURCE_DIR="$T/tarball" -DBASE_VERSION=1.2.3 -DHEADER_IN="$SOURCE_DIR/include/apptrack/version.h.in" \
	-DHEADER="$T/out/version.h" -P "$SCRIPT"
expect_eq "an unchanged version leaves version.h alone (nothing recompiles)" 2001 "$(date -r "$T/out/version.h" +%Y)"

# --- this build ---
if [ -z "${BUILD_DIR:-}" ] || [ ! -f "$BUILD_DIR/version.txt" ]; then
	finish
	exit
fi
built=$(cat "$BUILD_DIR/version.txt")
if [ -e "$SOURCE_DIR/.git" ] && git -C "$SOURCE_DIR" rev-parse HEAD >/dev/null 2>&1; then
	expect_match "a checkout's build is git-described" "^$BASE(\+git\.[0-9]+\.g[0-9a-f]+(\.dirty)?)?\$" "$built"
else
	expect_eq "a build without .git: the project version" "$BASE" "$built"
fi
expect_eq "apptrackd --version" "apptrackd $built (protocol 1)" "$("$APPTRACKD" --version)"
expect_eq "apptrackctl --version" "apptrackctl $built" "$("$APPTRACKCTL" --version)"
for page in "$SOURCE_DIR"/docs/man/*.[1-9]; do
	name=$(basename "$page")
	th() { grep -m1 '^\.TH ' "$1"; } # the title line (after the SPDX comment)
	expect_match "$name's source has the placeholder" '^\.TH .* "apptrack @APPTRACK_VERSION@" ' "$(th "$page")"
	expect_eq "the built $name (which is installed) has the version" \
		"$(th "$page" | sed "s/@APPTRACK_VERSION@/$built/")" "$(th "$BUILD_DIR/man/$name")"
	expect_eq "the built $name differs from its source in the .TH line alone" 1 \
		"$(diff "$page" "$BUILD_DIR/man/$name" | grep -c '^<')"
done
finish
