#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_deb.sh - the Debian package, built from the source tarball as a user or a distribution
# would: `bash tests/release/test_deb.sh BUILD_DIR` (BUILD_DIR configured from this checkout;
# .ci/run calls it after the test suite; ctest does not). It makes the tarball (the dist
# target), builds the package with dpkg-buildpackage, runs lintian (no errors; every warning
# and info tag explained in docs/decisions.md, "The Debian package"), unpacks the .deb into a
# clean tree and checks there: the files where Debian puts them, the unit's ExecStart=, the
# dependencies, the programs and their plain version, man, the completions, systemd-analyze;
# then README's route, `dpkg-buildpackage -b` in a checkout, which must say the plain version too.
# As root with APPTRACK_DEB_INSTALL=1 it also installs the .deb with apt-get (the Depends
# resolve), checks the installed package, and purges it again, whatever happened.
# Needs dpkg-dev, debhelper, lintian and the build dependencies of debian/control.
BUILD_DIR=${1:?usage: test_deb.sh BUILD_DIR}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd) || exit 1
# lib.sh: the temporary directory $T with its XDG directories, the check helpers, the
# daemon's start and stop, and the cleanup on exit. The programs are the package's, named
# once the package is unpacked.
APPTRACKD=unset APPTRACKCTL=unset
. "$(dirname "$0")/../e2e/lib.sh"
STARTED=$SECONDS

# done_deb : the summary and the exit status (lib.sh's cleanup removes $T).
done_deb() {
	# shellcheck disable=SC2034 # lib.sh's cleanup reads it
	FINISHED=1
	echo "test_deb: $CHECKS checks, $FAILURES failures ($((SECONDS - STARTED)) s)"
	[ "$FAILURES" -eq 0 ] || exit 1
	exit 0
}

# --- the source tarball ---------------------------------------------------------------
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")
check "BUILD_DIR names the project version ($version)" test -n "$version"
cmake --build "$BUILD_DIR" --target dist >"$T/dist.log" 2>&1
expect_eq "cmake --build BUILD_DIR --target dist succeeds" 0 $?
tarball="$BUILD_DIR/apptrack-$version.tar.gz"
check "it wrote apptrack-$version.tar.gz" test -s "$tarball"
if [ "$FAILURES" -ne 0 ]; then
	cat "$T/dist.log" >&2
	done_deb
fi
cp "$tarball" "$T/apptrack_$version.orig.tar.gz"
tar -xzf "$T/apptrack_$version.orig.tar.gz" -C "$T"
src="$T/apptrack-$version"
check "the tarball unpacks to apptrack-$version/, with debian/" test -f "$src/debian/changelog"
debversion=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version 2>&1)
upstream=${debversion#*:}
upstream=${upstream%-*}
expect_eq "debian/changelog's upstream version ($debversion) is the tarball's" "$version" "$upstream"
expect_match "and it says the project version the tarball's CMakeLists.txt says" \
	"^project\(apptrack VERSION $upstream " "$(grep '^project(' "$src/CMakeLists.txt")"

# README's route starts with `apt-get build-dep -y ./` in the source tree
(cd "$src" && apt-get build-dep --simulate ./) >"$T/build-dep.log" 2>&1
expect_eq "apt-get build-dep ./ reads debian/control (README, \"As a Debian package\")" 0 $?

# --- the package build ----------------------------------------------------------------
# nocheck: the package build runs no tests (debian/rules says why); CI runs them on the
# same tarball.
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc) >"$T/build.log" 2>&1
rc=$?
expect_eq "dpkg-buildpackage -us -uc builds the package (log: build.log)" 0 $rc
arch=$(dpkg --print-architecture)
deb="$T/apptrack_${debversion#*:}_$arch.deb"
changes="$T/apptrack_${debversion#*:}_$arch.changes"
check "it made $(basename "$deb") and $(basename "$changes")" test -s "$deb" -a -s "$changes"
if [ "$rc" -ne 0 ] || [ ! -s "$deb" ]; then
	echo "the end of build.log:" >&2
	tail -n 40 "$T/build.log" >&2
	done_deb
fi

# --- lintian --------------------------------------------------------------------------
# Errors fail; each warning and info tag must be named in docs/decisions.md's section on
# the package (the tarball's copy, the one this package was built from), so that a new
# one fails until it is fixed or explained. Pedantic tags are shown, not required.
lintian -I --pedantic "$changes" 2>&1 | grep -v '^running with root privileges' >"$T/lintian.log"
echo "lintian $(lintian --version | grep -o '[0-9][0-9.a-z+~-]*' | head -n 1) on $(basename "$changes"):"
sed 's/^/  | /' "$T/lintian.log"
expect_eq "lintian reports no errors" "" "$(grep '^E:' "$T/lintian.log")"
section=$(awk '/^## The Debian package/ { on = 1; next } /^## / { on = 0 } on' "$src/docs/decisions.md")
check "docs/decisions.md has the section \"The Debian package\"" test -n "$section"
# unexplained LOG : the W: and I: tags in lintian's output LOG that $section does not name
unexplained() {
	sed -nE 's/^[WI]: [^:]+: ([a-z0-9][a-z0-9+.-]*).*/\1/p' "$1" | sort -u | while read -r tag; do
		printf '%s\n' "$section" | grep -qE "(^|[^a-z0-9-])$tag([^a-z0-9-]|$)" || echo "$tag"
	done
}
expect_eq "every lintian warning and info tag is explained in docs/decisions.md" "" \
	"$(unexplained "$T/lintian.log" | tr '\n' ' ')"
printf 'W: apptrack: made-up-tag-for-the-test [usr/bin/apptrackd]\n' >"$T/lintian-new.log"
expect_eq "and the check names a tag that is not" "made-up-tag-for-the-test" "$(unexplained "$T/lintian-new.log")"

# --- the package's contents, unpacked into a clean tree -------------------------------
tree="$T/tree"
dpkg-deb -x "$deb" "$tree"
expect_eq "dpkg-deb -x unpacks the package" 0 $?
for f in usr/bin/apptrackd usr/bin/apptrackctl usr/libexec/apptrack/apptrack-reader; do
	check "/$f is there and executable" test -f "$tree/$f" -a -x "$tree/$f"
done
for f in usr/share/man/man1/apptrackctl.1.gz usr/share/man/man8/apptrackd.8.gz \
	usr/share/man/man5/apptrack.conf.5.gz usr/share/man/man5/apptrack.rules.5.gz \
	usr/share/apptrack/rules/generic.rules usr/share/apptrack/rules/apptrack.model \
	usr/share/bash-completion/completions/apptrackctl usr/share/zsh/site-functions/_apptrackctl \
	usr/share/fish/vendor_completions.d/apptrackctl.fish \
	usr/lib/systemd/user/apptrackd.service usr/lib/systemd/user/apptrackd.socket \
	usr/share/doc/apptrack/copyright usr/share/doc/apptrack/changelog.Debian.gz \
	usr/share/doc/apptrack/changelog.gz usr/share/doc/apptrack/apptrack.conf.example; do
	check "/$f is there" test -s "$tree/$f"
done
rule_files() { find "$1" -maxdepth 1 -name '*.rules' -printf '%f\n' | sort; }
expect_eq "the shipped rules are all there" "$(rule_files "$src/rules")" \
	"$(rule_files "$tree/usr/share/apptrack/rules")"
# NEWS.md is the upstream changelog, once
doc="$tree/usr/share/doc/apptrack"
check "/usr/share/doc/apptrack/changelog.gz is NEWS.md" cmp -s <(zcat "$doc/changelog.gz") "$src/NEWS.md"
check "and NEWS.md is not installed a second time" test ! -e "$doc/NEWS.md"
expect_eq "nothing outside the places Debian gives a package (/usr/bin, libexec, lib/systemd/user, share)" "" \
	"$(cd "$tree" && find . -mindepth 1 \( -type f -o -type l \) -printf '%P\n' |
		grep -vE '^usr/(bin/[^/]+|libexec/apptrack/[^/]+|lib/systemd/user/[^/]+|share/.+)$')"
expect_eq "no file holds a path of the build (the programs neither: dpkg's fixfilepath, no source-tree rules)" "" \
	"$(grep -rlF "$T" "$tree" 2>/dev/null)"

unit="$tree/usr/lib/systemd/user/apptrackd.service"
expect_eq "the unit runs the installed /usr/bin/apptrackd" "ExecStart=/usr/bin/apptrackd --foreground" \
	"$(grep '^ExecStart=' "$unit")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libetpan libpoppler-glib libcurl3-gnutls libsqlite3 libglib2.0 libjansson libical libmicrohttpd \
	libnotify libsystemd libgnutls libxml2; do
	expect_match "Depends names $lib" "(^|, )${lib}[0-9a-z.-]*( |,|$)" "$depends"
done
# Not enabled for every user on install (the installed case below checks the result):
# dh_installsystemduser --no-enable guards each unit's enable with `deb-systemd-helper
# debian-installed` (true only when the package's scripts handled the unit before), where
# the default enables it on the first install.
expect_eq "the maintainer scripts enable neither unit on install (--no-enable)" 2 \
	"$(dpkg-deb -I "$deb" postinst | grep -cE -- "--user debian-installed 'apptrackd\.(service|socket)'")"

# --- the programs, run from the tree --------------------------------------------------
APPTRACKD="$tree/usr/bin/apptrackd" APPTRACKCTL="$tree/usr/bin/apptrackctl"
expect_match "apptrackctl --help runs" "^usage: apptrackctl" "$("$APPTRACKCTL" --help 2>&1)"
expect_eq "apptrackd --version says the plain version" "apptrackd $version (protocol 1)" \
	"$("$APPTRACKD" --version 2>&1)"
expect_match "the packaged daemon reads the packaged rules beside it" "configuration OK, [1-9][0-9]* rules" \
	"$("$APPTRACKD" --check-config 2>&1)"
check "the packaged apptrackd starts" start_daemon
ctl version
expect_eq "apptrackctl version answers" 0 "$RC"
printf '%s\n' "$OUT" | sed 's/^/  | /'
expect_eq "the client says the plain version" "apptrackctl $version" "$(printf '%s\n' "$OUT" | sed -n 1p)"
expect_match "and so does the daemon" "^apptrackd +$version \(protocol" "$(printf '%s\n' "$OUT" | sed -n 2p)"
expect_eq "no +git in either" "" "$(printf '%s\n' "$OUT" | grep -F '+git')"
if [ -n "$DAEMON_PID" ]; then
	stop_daemon TERM
	expect_eq "and stops on SIGTERM" 0 "$DAEMON_RC"
fi

# --- man ------------------------------------------------------------------------------
manpath="$tree/usr/share/man"
expect_eq "man -w finds the packaged apptrackctl(1)" "$manpath/man1/apptrackctl.1.gz" \
	"$(MANPATH="$manpath" man -w apptrackctl 2>&1)"
page=$(MANPATH="$manpath" MANWIDTH=80 LC_ALL=C.UTF-8 man apptrackctl 2>"$T/man.err")
expect_match "man apptrackctl renders it, with the version" "apptrack $version +.+APPTRACKCTL\(1\)" "$page"
expect_eq "without warnings" "" "$(cat "$T/man.err")"

# --- completions, each found by its shell's own lookup (lib.sh) ----------------------
check_completions packaged "$tree/usr/share" "$tree/usr/bin"

# --- the user units -------------------------------------------------------------------
# systemd-analyze verify --user has no --root; it checks that ExecStart= is executable and
# that the Documentation= pages exist (MANPATH). The units as shipped: the one complaint is
# that /usr/bin/apptrackd is not there, i.e. the unit names the installed path. A copy whose
# ExecStart= names the tree's binary: no complaint at all.
units="$tree/usr/lib/systemd/user"
verify() {
	MANPATH="$manpath" systemd-analyze verify --user "$@" 2>&1
}
if [ -e /usr/bin/apptrackd ]; then
	echo "SKIP: /usr/bin/apptrackd exists on this machine; the shipped units are verified against it"
	expect_eq "systemd-analyze verify --user accepts the shipped units" "" \
		"$(verify "$units/apptrackd.service" "$units/apptrackd.socket")"
else
	expect_eq "systemd-analyze verify --user: the shipped unit's only complaint is the absent /usr/bin/apptrackd" \
		"apptrackd.service: Command /usr/bin/apptrackd is not executable: No such file or directory" \
		"$(verify "$units/apptrackd.service" "$units/apptrackd.socket")"
fi
mkdir -p "$T/units"
sed "s|^ExecStart=/usr/bin/apptrackd |ExecStart=$tree/usr/bin/apptrackd |" "$units/apptrackd.service" \
	>"$T/units/apptrackd.service"
cp "$units/apptrackd.socket" "$T/units/"
expect_eq "and accepts them with ExecStart= pointing into the tree" "" \
	"$(verify "$T/units/apptrackd.service" "$T/units/apptrackd.socket")"

# --- README's route: a binary package built in a checkout ------------------------------
# The checkout has a .git, which debian/rules keeps out of the version (APPTRACK_GIT_DESCRIBE
# off); what the build leaves in the tree is ignored by git.
checkout="$T/checkout/apptrack"
git clone -q "$(dirname "$0")/../.." "$checkout"
(cd "$checkout" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) >"$T/build-b.log" 2>&1
expect_eq "dpkg-buildpackage -us -uc -b builds in a checkout (README)" 0 $?
dpkg-deb -x "$T/checkout/$(basename "$deb")" "$T/checkout/tree"
expect_eq "and its apptrackd says the plain version too" "apptrackd $version (protocol 1)" \
	"$("$T/checkout/tree/usr/bin/apptrackd" --version 2>&1)"
expect_eq "leaving nothing git does not ignore" "" "$(git -C "$checkout" status --porcelain)"

# --- installed for real (root, APPTRACK_DEB_INSTALL=1) --------------------------------
if [ "${APPTRACK_DEB_INSTALL:-0}" != 1 ] || [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: installing the package (needs root and APPTRACK_DEB_INSTALL=1)"
	done_deb
fi
if dpkg-query -W -f '${Status}' apptrack 2>/dev/null | grep -q 'ok installed'; then
	fail "apptrack is installed already: this test does not replace or purge a package it did not install"
	done_deb
fi
purge() {
	if dpkg-query -W -f '${Status}' apptrack 2>/dev/null | grep -q 'ok installed\|config-files'; then
		apt-get purge -y apptrack >"$T/purge.log" 2>&1 || { echo "apt-get purge failed:" >&2; cat "$T/purge.log" >&2; }
	fi
}
at_exit purge
DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$T/install.log" 2>&1
rc=$?
expect_eq "apt-get install -y ./$(basename "$deb") (its Depends resolve)" 0 $rc
[ "$rc" -eq 0 ] || { tail -n 20 "$T/install.log" >&2; done_deb; }
APPTRACKD=/usr/bin/apptrackd APPTRACKCTL=/usr/bin/apptrackctl
check "the installed apptrackd starts (the temporary XDG directories)" start_daemon
ctl version
expect_eq "/usr/bin/apptrackctl version runs" 0 "$RC"
expect_match "and both say the plain version" "^apptrackctl $version
apptrackd +$version " "$OUT"
expect_match "the installed daemon reads the installed rules" "configuration OK, [1-9][0-9]* rules" \
	"$(/usr/bin/apptrackd --check-config 2>&1)"
[ -z "$DAEMON_PID" ] || stop_daemon TERM
if grep -rqsE '^path-exclude=?/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
	echo "SKIP: man -w apptrackctl: dpkg excludes /usr/share/man here (/etc/dpkg/dpkg.cfg.d); the tree check covers it"
else
	expect_eq "man -w apptrackctl finds the installed page" "/usr/share/man/man1/apptrackctl.1.gz" \
		"$(man -w apptrackctl 2>&1)"
fi
expect_eq "systemd-analyze verify --user accepts the installed units" "" \
	"$(systemd-analyze verify --user /usr/lib/systemd/user/apptrackd.service /usr/lib/systemd/user/apptrackd.socket 2>&1)"
expect_eq "the socket is not enabled for every user" "disabled" \
	"$(systemctl --global is-enabled apptrackd.socket 2>&1)"
expect_eq "nor the service" "disabled" "$(systemctl --global is-enabled apptrackd.service 2>&1)"
purge
expect_eq "apt-get purge -y apptrack removes it" "" \
	"$(dpkg-query -W -f '${Status}' apptrack 2>/dev/null | grep -v 'not-installed')"
check "and its files" test ! -e /usr/bin/apptrackd -a ! -e /usr/lib/systemd/user/apptrackd.socket
done_deb
