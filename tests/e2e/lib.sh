# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - shared helpers for the end-to-end tests (sourced, not run).
#
# Each test gets its own temporary XDG directories and its own control socket, starts a
# real apptrackd in the foreground, drives it with apptrackctl, and stops it on exit.
# Every wait is a bounded loop. APPTRACKD and APPTRACKCTL name the binaries (ctest sets
# them); SHARED_DIR is ../shared.

set -u

: "${APPTRACKD:?APPTRACKD must name the apptrackd binary}"
: "${APPTRACKCTL:?APPTRACKCTL must name the apptrackctl binary}"

T=$(mktemp -d "${TMPDIR:-/tmp}/apptrack-e2e.XXXXXX")
export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset APPTRACK_SOCKET APPTRACK_NOW
# tests run in parallel: no calendar feed or web page on the fixed default ports unless a test asks
export APPTRACK_CALENDAR_LISTEN=off APPTRACK_WEB_LISTEN=off
SOCK="$XDG_RUNTIME_DIR/apptrack/control.sock"
DB="$XDG_DATA_HOME/apptrack/apptrack.db"
DAEMON_PID=
FAILURES=0
CHECKS=0
AT_EXIT=()

# at_exit COMMAND : cleanup() runs it (a helper server's stop, say) before its own work.
# Tests add their steps here instead of setting a trap of their own, which would hand
# cleanup() the exit status of its last command instead of the test's.
at_exit() {
	AT_EXIT+=("$1")
}

cleanup() {
	local rc=$? step
	# a script that stops before finish() (a syntax error, an unset variable) must not
	# pass for one that checked everything
	if [ -z "${FINISHED:-}" ] && [ "$rc" -eq 0 ]; then
		echo "FAIL: the test ended before finish ($CHECKS checks run)" >&2
		rc=1
	fi
	for step in ${AT_EXIT[@]+"${AT_EXIT[@]}"}; do
		eval "$step" || true
	done
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -TERM "$DAEMON_PID" 2>/dev/null
		wait_gone "$DAEMON_PID" || kill -KILL "$DAEMON_PID" 2>/dev/null
	fi
	if declare -F dovecot_stop >/dev/null; then # dovecot.sh was sourced
		dovecot_stop
	fi
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}

# check DESCRIPTION COMMAND... : the command must succeed.
check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then
		echo "ok - $what"
	else
		fail "$what"
	fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# expect_match DESCRIPTION REGEX TEXT
expect_match() {
	CHECKS=$((CHECKS + 1))
	if printf '%s' "$3" | grep -Eq -- "$2"; then
		echo "ok - $1"
	else
		fail "$1: [$3] does not match /$2/"
	fi
}

# ctl ARGS... : runs apptrackctl; stdout in $OUT, stderr in $ERR, exit status in $RC.
ctl() {
	OUT=$("$APPTRACKCTL" "$@" 2>"$T/ctl.err")
	RC=$?
	ERR=$(cat "$T/ctl.err")
}

# wait_until TRIES COMMAND... : runs COMMAND every 50 ms until it succeeds, at most TRIES
# times; fails when it never did.
wait_until() {
	local tries=$1 i
	shift
	for i in $(seq 1 "$tries"); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# wait_gone PID : waits (at most 5 s) for the process to end.
wait_gone() {
	wait_until 100 gone "$1"
}

# khal_config DIR : writes $T/khal.conf, a khal reading the vdir DIR with UTC times shown
# as HH:MM (test_calendar.sh, test_vdir.sh); run it as khal -c "$T/khal.conf".
khal_config() {
	cat >"$T/khal.conf" <<-CONF
	[calendars]
	[[apptrack]]
	path = $1
	[locale]
	local_timezone = UTC
	default_timezone = UTC
	timeformat = %H:%M
	dateformat = %Y-%m-%d
	longdateformat = %Y-%m-%d
	datetimeformat = %Y-%m-%d %H:%M
	longdatetimeformat = %Y-%m-%d %H:%M
	[sqlite]
	path = $T/khal.db
	CONF
}

# stop_pid PID : stops a helper server the test started (TERM, then KILL after 5 s) and
# reaps it; an empty or finished PID is fine.
stop_pid() {
	[ -n "$1" ] || return 0
	if kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1" 2>/dev/null
		wait_gone "$1" || kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	return 0
}

# start_daemon [ARGS...] : starts apptrackd --foreground, waits until it answers ping.
start_daemon() {
	"$APPTRACKD" --foreground "$@" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
	local i
	for i in $(seq 1 200); do
		if "$APPTRACKCTL" ping >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "apptrackd did not come up; its log:" >&2
	cat "$T/daemon.log" >&2
	return 1
}

# stop_daemon [SIGNAL] : stops the daemon and waits for it; $DAEMON_RC gets its status.
stop_daemon() {
	local sig=${1:-TERM}
	kill "-$sig" "$DAEMON_PID"
	wait "$DAEMON_PID"
	DAEMON_RC=$?
	DAEMON_PID=
}

# use_maildir: the daemon reads one account, "local", the Maildir $MD ($T/Mail): all of it
# (since 100 years), rescanned hourly (tests ask `mail sync`). Writes the config file.
use_maildir() {
	MD="$T/Mail"
	mkdir -p "$MD/new" "$MD/cur" "$MD/tmp" "$XDG_CONFIG_HOME/apptrack"
	cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<-CONF
	[account local]
	maildir = $MD
	since = 36500d
	poll_interval = 1h
	CONF
}
# deliver FILE NAME: FILE into $MD/new as NAME, through tmp/ as a delivery agent does.
deliver() {
	cp "$1" "$MD/tmp/$2" && mv "$MD/tmp/$2" "$MD/new/$2"
}

# check_completions WHAT SHARE BIN : bash, fish and zsh each find apptrackctl's completion
# under SHARE (an installed share/) by their own lookup, not by a path we give them; fish
# loads completions only for commands on PATH, so BIN (apptrackctl's directory) goes first
# there. WHAT says which copy it is in the checks' names ("installed", "packaged").
check_completions() {
	local what=$1 share=$2 bin=$3 out
	out=$(XDG_DATA_DIRS="$share" timeout 20 bash -c '
		. /usr/share/bash-completion/bash_completion
		_completion_loader apptrackctl
		complete -p apptrackctl' 2>&1)
	expect_match "bash-completion loads the $what completion" "complete .*-F _apptrackctl apptrackctl" "$out"
	out=$(PATH="$bin:$PATH" XDG_DATA_DIRS="$share" timeout 20 fish -c 'complete -C "apptrackctl "' 2>&1)
	expect_match "fish finds the $what completion (vendor_completions.d)" "^match(\s|$)" "$out"
	out=$(timeout 20 zsh -f -c "fpath=($share/zsh/site-functions \$fpath); autoload -Uz compinit
		compinit -u -D; print -r -- \${_comps[apptrackctl]}" 2>&1)
	expect_eq "zsh's compinit binds the $what _apptrackctl" "_apptrackctl" "$out"
}

finish() {
	FINISHED=1
	if [ "$FAILURES" -ne 0 ]; then
		echo "daemon log:" >&2
		sed 's/^/  | /' "$T/daemon.log" >&2 2>/dev/null
		echo "$((CHECKS - FAILURES)) passed, $FAILURES failed"
		exit 1
	fi
	echo "$CHECKS passed, 0 failed"
	exit 0
}
