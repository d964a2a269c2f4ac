#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_install.sh - `cmake --install` into a staging prefix puts the programs (apptrackctl's
# helper apptrack-reader in libexec), man pages, units, completions and example config in
# place; systemd accepts the units; each shell finds its completion where it was installed;
# and the installed programs work.
. "$(dirname "$0")/lib.sh"
: "${BUILD_DIR:?BUILD_DIR must name the build directory}"

stage="$T/stage"
cmake --install "$BUILD_DIR" --prefix "$stage" >"$T/install.log" 2>&1
expect_eq "cmake --install succeeds" 0 $?
for f in bin/apptrackd bin/apptrackctl share/man/man8/apptrackd.8 share/man/man1/apptrackctl.1 \
	share/man/man5/apptrack.conf.5 share/man/man5/apptrack.rules.5 share/apptrack/rules/generic.rules share/bash-completion/completions/apptrackctl \
	share/doc/apptrack/apptrack.conf.example share/doc/apptrack/NEWS.md lib/systemd/user/apptrackd.service lib/systemd/user/apptrackd.socket \
	share/zsh/site-functions/_apptrackctl share/fish/vendor_completions.d/apptrackctl.fish; do
	check "installed $f" test -s "$stage/$f"
done
check "installed programs are executable" test -x "$stage/bin/apptrackd" -a -x "$stage/bin/apptrackctl"
# apptrackctl's helper for documents and web pages, in libexec (not on PATH)
check "installed libexec/apptrack/apptrack-reader, executable" test -x "$stage/libexec/apptrack/apptrack-reader"
check "and not in bin" test ! -e "$stage/bin/apptrack-reader"
expect_match "the unit runs apptrackd in the foreground" "ExecStart=/.*/bin/apptrackd --foreground" \
	"$(cat "$stage/lib/systemd/user/apptrackd.service")"

expect_match "the unit waits for sd_notify readiness" "^Type=notify$" "$(cat "$stage/lib/systemd/user/apptrackd.service")"

# systemd-analyze verify checks the syntax, that ExecStart= is executable and that each
# Documentation= man page exists (MANPATH: the staged pages); silence means no complaint.
units="$stage/lib/systemd/user"
verify() {
	MANPATH="$stage/share/man" systemd-analyze verify --user "$@" 2>&1
}
expect_eq "systemd-analyze verify --user accepts apptrackd.service and apptrackd.socket" "" \
	"$(verify "$units/apptrackd.service" "$units/apptrackd.socket")"
mkdir -p "$T/broken"
sed 's/^WatchdogSec=/WatchdogSecs=/' "$units/apptrackd.service" >"$T/broken/apptrackd.service"
cp "$units/apptrackd.socket" "$T/broken/"
expect_match "and would report a misspelt key" "Unknown key 'WatchdogSecs'" \
	"$(verify "$T/broken/apptrackd.service" "$T/broken/apptrackd.socket")"
# The sandbox, as systemd-analyze scores it offline (0 best, 10 worst; the threshold is in
# tenths): the shipped unit scores 3.7; the same unit without its sandbox lines fails.
# security UNIT : 0 when the score is within the threshold; "level for UNIT: N" in $SCORE.
security() {
	systemd-analyze security --user --offline=yes --threshold=40 "$1" >"$T/security.log" 2>&1
	local rc=$?
	SCORE=$(grep -o 'level for .*: [0-9.]*' "$T/security.log")
	return $rc
}
security "$units/apptrackd.service"
expect_eq "systemd-analyze security scores the unit's exposure at most 4.0 ($SCORE)" 0 $?
grep -vE '^(NoNewPrivileges|Protect|Private|Restrict|LockPersonality|MemoryDeny|SystemCall|KeyringMode)' \
	"$units/apptrackd.service" >"$T/broken/apptrackd.service"
security "$T/broken/apptrackd.service"
expect_eq "and the check fails for the unit without them ($SCORE)" 1 $?
expect_match "the socket listens where apptrackctl looks" '^ListenStream=%t/apptrack/control.sock$' \
	"$(cat "$units/apptrackd.socket")"

for page in "$stage"/share/man/man*/*; do
	expect_eq "installed $(basename "$page") renders without warnings" "" \
		"$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null)"
done
expect_eq "man finds the installed apptrack.conf(5)" "$stage/share/man/man5/apptrack.conf.5" \
	"$(MANPATH="$stage/share/man" man -w 5 apptrack.conf 2>&1)"

check_completions installed "$stage/share" "$stage/bin"

# The installed daemon reads the rules installed beside it, whatever the prefix: one rule
# file fewer there is one family fewer.
all=$("$stage/bin/apptrackd" --check-config | grep -oE '[0-9]+ rules')
rm "$stage/share/apptrack/rules/lever.rules"
fewer=$("$stage/bin/apptrackd" --check-config | grep -oE '[0-9]+ rules')
check "the installed daemon reads its installed rules ($all, then $fewer without lever.rules)" \
	test "${fewer% rules}" -lt "${all% rules}"

APPTRACKD="$stage/bin/apptrackd" APPTRACKCTL="$stage/bin/apptrackctl"
check "the installed daemon starts" start_daemon
ctl add --company Installed --position Tester
expect_eq "the installed client talks to it" 0 "$RC"
ctl --json list
expect_eq "and lists what it stored" Installed "$(printf '%s' "$OUT" | jq -r '.[0].company')"
# the installed client finds its installed helper, relative to itself, wherever the prefix
printf '# Resume\n\nC and **SQLite** developer.\n' >"$T/cv.md"
ctl resume add cv "$T/cv.md"
expect_eq "the installed client reads a resume through the installed apptrack-reader" 0 "$RC"
ctl --json resume show cv
expect_match "and sends its text" 'C and SQLite developer' "$OUT"
expect_match "installed man page renders" "apptrackctl" "$(MANWIDTH=80 man -l "$stage/share/man/man1/apptrackctl.1" 2>/dev/null)"
finish
