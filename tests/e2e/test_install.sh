#!/usr/bin/env bash
# test_install.sh - `cmake --install` into a staging prefix puts the programs, man pages,
# unit, completion and example config in place, and the installed programs work.
. "$(dirname "$0")/lib.sh"
: "${BUILD_DIR:?BUILD_DIR must name the build directory}"

stage="$T/stage"
cmake --install "$BUILD_DIR" --prefix "$stage" >"$T/install.log" 2>&1
expect_eq "cmake --install succeeds" 0 $?
for f in bin/apptrackd bin/apptrackctl share/man/man8/apptrackd.8 share/man/man1/apptrackctl.1 \
	share/man/man5/apptrack.conf.5 share/man/man5/apptrack.rules.5 share/apptrack/rules/generic.rules share/bash-completion/completions/apptrackctl \
	share/doc/apptrack/apptrack.conf.example lib/systemd/user/apptrackd.service; do
	check "installed $f" test -s "$stage/$f"
done
check "installed programs are executable" test -x "$stage/bin/apptrackd" -a -x "$stage/bin/apptrackctl"
expect_match "the unit runs apptrackd in the foreground" "ExecStart=/.*/bin/apptrackd --foreground" \
	"$(cat "$stage/lib/systemd/user/apptrackd.service")"

APPTRACKD="$stage/bin/apptrackd" APPTRACKCTL="$stage/bin/apptrackctl"
check "the installed daemon starts" start_daemon
ctl add --company Installed --position Tester
expect_eq "the installed client talks to it" 0 "$RC"
ctl --json list
expect_eq "and lists what it stored" Installed "$(printf '%s' "$OUT" | jq -r '.[0].company')"
expect_match "installed man page renders" "apptrackctl" "$(MANWIDTH=80 man -l "$stage/share/man/man1/apptrackctl.1" 2>/dev/null)"
finish
