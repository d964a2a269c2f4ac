#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_journal.sh - under systemd ($JOURNAL_STREAM naming its stderr) apptrackd logs to
# the journal natively: each message with its PRIORITY, and APPTRACK_ACCOUNT= /
# APPTRACK_APPLICATION_ID= where it concerns one. A real systemd-journald runs for the
# test in a private mount namespace with its own /run (a tmpfs), so the machine's own
# journal, if any, is neither seen nor touched; journalctl reads what it stored.
# Needs root for the namespace: skipped (77) where unshare(2) is not allowed.
JOURNALD=/lib/systemd/systemd-journald
if [ -z "${APPTRACK_IN_NAMESPACE:-}" ]; then
	if [ ! -x "$JOURNALD" ] || ! command -v journalctl >/dev/null; then
		echo "SKIP: systemd-journald and journalctl are needed (package systemd)"
		exit 77
	fi
	if ! unshare --mount --propagation private true 2>/dev/null; then
		echo "SKIP: a private mount namespace is not allowed here (unshare --mount: needs root)"
		exit 77
	fi
	APPTRACK_IN_NAMESPACE=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
mount -t tmpfs -o mode=0755 tmpfs /run || exit 1
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"

mkdir -p /run/systemd/journal
"$JOURNALD" 2>"$T/journald.log" &
JOURNALD_PID=$!
stop_journald() {
	kill -TERM "$JOURNALD_PID" 2>/dev/null && wait_gone "$JOURNALD_PID"
}
wait_until 100 test -S /run/systemd/journal/socket
check "a private systemd-journald listens" test -S /run/systemd/journal/socket

# journal [MATCHES...] : the daemon's entries as JSON lines.
journal() {
	journalctl --directory=/run/log/journal --output=json --no-pager SYSLOG_IDENTIFIER=apptrackd "$@" 2>/dev/null
}
# wait_journal JQ-FILTER : waits (bounded) until an entry passes the filter.
journal_has() {
	[ -n "$(journal | jq -c "select($1)")" ]
}
wait_journal() {
	wait_until 200 journal_has "$1"
}

MD="$T/Mail"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp" "$XDG_CONFIG_HOME/apptrack"
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account work]
maildir = $MD
since = 36500d
poll_interval = 1h
CONF
cp "$CORPUS/smartrecruiters_paloalto_confirmation.eml" "$MD/new/1.test"

: >"$T/daemon.log"
# what systemd sets when it connects stderr to the journal: "device:inode" of that stream
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/daemon.log") start_daemon
check "the start-up is in the journal at priority info" \
	wait_journal '.MESSAGE | test("^apptrackd .* ready: ")'
ready=$(journal | jq -c 'select(.MESSAGE | test("ready: "))' | head -n 1)
expect_eq "with PRIORITY=6" 6 "$(printf '%s' "$ready" | jq -r .PRIORITY)"
expect_eq "sent natively, not through stderr" journal "$(printf '%s' "$ready" | jq -r ._TRANSPORT)"

check "the application made from mail is logged" wait_journal '.APPTRACK_APPLICATION_ID != null'
app=$(journal | jq -c 'select(.APPTRACK_APPLICATION_ID != null)' | head -n 1)
ctl --json list
expect_eq "its APPTRACK_APPLICATION_ID is the application's id" "$(printf '%s' "$OUT" | jq -r '.[0].id')" \
	"$(printf '%s' "$app" | jq -r .APPTRACK_APPLICATION_ID)"
expect_eq "with APPTRACK_ACCOUNT=work" work "$(printf '%s' "$app" | jq -r .APPTRACK_ACCOUNT)"
expect_match "and a message saying what happened" "^account work: application [0-9]+ created from a message in INBOX$" \
	"$(printf '%s' "$app" | jq -r .MESSAGE)"
check "the main thread names the account too: its watching message" \
	wait_journal '.MESSAGE == "account work: watching Maildir '"$MD"'" and .APPTRACK_ACCOUNT == "work"'
expect_eq "journalctl can pick an account's messages" work \
	"$(journal APPTRACK_ACCOUNT=work | jq -r .APPTRACK_ACCOUNT | sort -u)"

# A broken configuration on SIGHUP is an error (priority 3) and the old one stays.
printf '[general]\nlog_level = loud\n' >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
kill -HUP "$DAEMON_PID"
check "a refused reload is logged" wait_journal '.MESSAGE | test("configuration not reloaded")'
expect_eq "at PRIORITY=3 (err)" 3 \
	"$(journal | jq -r 'select(.MESSAGE | test("configuration not reloaded")) | .PRIORITY' | head -n 1)"

# The mail worker thread's own messages carry its account without each call naming it:
# an IMAP account whose server refuses the connection (nothing listens on port 1).
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account work]
maildir = $MD
since = 36500d
poll_interval = 1h
[account refused]
host = 127.0.0.1
port = 1
tls = none
user = someone
password_command = echo not-logged
CONF
kill -HUP "$DAEMON_PID"
check "the reload is logged" wait_journal '.MESSAGE == "configuration reloaded"'
check "the refused connection is logged by the worker" \
	wait_journal '(.MESSAGE | test("^account refused: .*trying again")) and .PRIORITY == "4"'
expect_eq "with APPTRACK_ACCOUNT=refused, from the worker thread" refused \
	"$(journal | jq -r 'select(.MESSAGE | test("^account refused: .*trying again")) | .APPTRACK_ACCOUNT' | head -n 1)"
expect_eq "and the password is nowhere in the journal" 0 "$(journal | grep -c not-logged)"
ctl ping
expect_eq "the daemon answers after the reloads" 0 "$RC"

stop_daemon TERM
expect_eq "apptrackd exits 0" 0 "$DAEMON_RC"
check "its last words are in the journal" wait_journal '.MESSAGE == "stopped"'
expect_eq "nothing went to stderr instead" "" "$(grep -v '^$' "$T/daemon.log")"
noaccount=$(journal | jq -r 'select(.MESSAGE == "stopped") | .APPTRACK_ACCOUNT // "none"')
expect_eq "a message of no account has no APPTRACK_ACCOUNT" none "$noaccount"

# Without JOURNAL_STREAM, or with one that is not its stderr, it keeps to stderr.
: >"$T/daemon.log"
JOURNAL_STREAM=1:2 start_daemon
stop_daemon TERM
expect_match "a JOURNAL_STREAM of another file: lines with <N> prefixes on stderr" '^<6>apptrackd .* ready: ' \
	"$(cat "$T/daemon.log")"
stop_journald
finish
