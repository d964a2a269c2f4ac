#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_systemd.sh - apptrackd as systemd runs it, without systemd: the sd_notify messages
# read from a NOTIFY_SOCKET this test creates (READY=1 with a STATUS= line that follows
# the data, WATCHDOG=1 at the interval asked for, RELOADING=1 around SIGHUP, STOPPING=1),
# and the control socket handed over by socket activation (systemd-socket-activate sets
# LISTEN_FDS/LISTEN_PID as systemd does), plus what goes wrong with a bad LISTEN_FDS; and
# the unit's sandbox for token helpers: the unit lists the helpers' cache directories as
# optional ReadWritePaths, and under ProtectHome=read-only with exactly the unit's
# ReadWritePaths (rebuilt with a private mount namespace, since no systemd runs here) a
# password_command that rewrites its cache in one of them works against a real Dovecot,
# while one that writes elsewhere in the home directory fails with a clear error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dovecot.sh"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"

PY=${PYTHON:-python3}
NOTIFY="$T/notify.sock"
MSGS="$T/notify.log"

# notify_listen SECONDS : collects the datagrams sent to $NOTIFY into $MSGS, one per
# paragraph, for at most SECONDS.
notify_listen() {
	"$PY" - "$NOTIFY" "$1" "$MSGS" <<'PY' &
import socket, sys, time
path, limit, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.1)
end = time.time() + limit
with open(out, "w") as f:
    while time.time() < end:
        try:
            m = s.recv(65536)
        except socket.timeout:
            continue
        f.write(m.decode() + "\n\n")
        f.flush()
        if m.startswith(b"STOPPING=1"):
            break
PY
	LISTENER=$!
	wait_until 100 test -S "$NOTIFY"
}

# wait_for REGEX : waits (bounded) until a message matching REGEX arrived.
wait_for() {
	wait_until 100 grep -sEq -- "$1" "$MSGS"
}

MD="$T/Mail"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp" "$XDG_CONFIG_HOME/apptrack"
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account local]
maildir = $MD
poll_interval = 1h
CONF

# ---- sd_notify ----
check "the test's notify socket is up" notify_listen 30
NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=200000 start_daemon
check "READY=1 arrives once the daemon answers" wait_for '^READY=1$'
first=$(awk 'BEGIN { RS = "" } NR == 1' "$MSGS")
expect_match "READY=1 comes with a STATUS= line in the same message" \
	'^READY=1
STATUS=1 account (idle|starting), 0 applications, no reminders pending$' "$first"
sleep 1
pings=$(grep -c '^WATCHDOG=1$' "$MSGS")
check "the watchdog is pinged about every 100 ms (WATCHDOG_USEC/2): $pings pings in about a second" \
	test "$pings" -ge 5 -a "$pings" -le 40

ctl add --company Notified --position Engineer --applied-on "$(date +%F)"
expect_eq "an application is added" 0 "$RC"
check "the status line follows: one application, its follow-up in 7 days" \
	wait_for '^STATUS=1 account idle, 1 application, next reminder in 7 d$'

printf '[general]\nlog_level = info\n[calendar]\nlisten = off\n[account local]\nmaildir = %s\npoll_interval = 1h\n' "$MD" \
	>"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
kill -HUP "$DAEMON_PID"
check "SIGHUP sends RELOADING=1" wait_for '^RELOADING=1$'
ready_after_reload() {
	awk 'BEGIN { RS = "" } /^RELOADING=1/ { seen = 1; next } seen && /^READY=1/ { print; exit }' "$MSGS"
}
reloaded() {
	[ -n "$(ready_after_reload)" ]
}
wait_until 100 reloaded
expect_eq "and READY=1 once reloaded" "READY=1" "$(ready_after_reload)"
ctl ping
expect_eq "the reloaded daemon answers" 0 "$RC"
expect_match "a changed [calendar] listen is said to wait for the next start" \
	'^<4>\[calendar\] listen or token changed: that takes effect at the next start' "$(cat "$T/daemon.log")"

# An account that fails shows in the line as soon as its worker gives up on a try.
cat >>"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account refused]
host = 127.0.0.1
port = 1
tls = none
user = someone
password_command = echo unused
CONF
kill -HUP "$DAEMON_PID"
check "a failing account is counted apart" \
	wait_for '^STATUS=2 accounts: 1 idle, 1 failing, 1 application, next reminder in 7 d$'

stop_daemon TERM
expect_eq "apptrackd exits 0 on SIGTERM" 0 "$DAEMON_RC"
check "STOPPING=1 is the last message" wait_for '^STOPPING=1$'
last=$(awk 'BEGIN { RS = "" } { m = $0 } END { print m }' "$MSGS")
expect_match "STOPPING=1 is the last message, with a STATUS" '^STOPPING=1
STATUS=stopping$' "$last"
wait "$LISTENER"

# Without WATCHDOG_USEC there are no pings; a WATCHDOG_PID that is not the daemon's turns
# them off too (sd_watchdog_enabled(3)).
rm -f "$NOTIFY"
check "the notify socket is up again" notify_listen 30
NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=100000 WATCHDOG_PID=1 start_daemon
check "READY=1 again" wait_for '^READY=1$'
sleep 0.5
stop_daemon TERM
wait "$LISTENER"
expect_eq "no pings when WATCHDOG_PID names another process" 0 "$(grep -c '^WATCHDOG=1$' "$MSGS")"

# ---- socket activation ----
ACT_LOG="$T/activate.log"
env_args=(-E XDG_CONFIG_HOME -E XDG_DATA_HOME -E XDG_RUNTIME_DIR -E APPTRACK_CALENDAR_LISTEN)
rm -f "$SOCK"
mkdir -p "$(dirname "$SOCK")"
systemd-socket-activate -l "$SOCK" "${env_args[@]}" "$APPTRACKD" --foreground 2>>"$T/daemon.log" &
DAEMON_PID=$! # systemd-socket-activate execs apptrackd on the first connection: same pid
wait_until 100 test -S "$SOCK"
check "systemd-socket-activate listens on the control socket" test -S "$SOCK"
ctl ping
expect_eq "the first apptrackctl call starts apptrackd on the passed socket" 0 "$RC"
ctl --json list
expect_eq "it serves the same database" Notified "$(printf '%s' "$OUT" | jq -r '.[0].company')"
expect_match "it logs that it serves the passed socket" "control socket $SOCK" "$(cat "$T/daemon.log")"
stop_daemon TERM
expect_eq "the socket-activated daemon exits 0" 0 "$DAEMON_RC"
check "the socket file systemd owns is left in place" test -S "$SOCK"
rm -f "$SOCK"

# A passed socket at another path than apptrackctl's is served, with a warning naming both.
OTHER="$T/run/other.sock"
systemd-socket-activate -l "$OTHER" "${env_args[@]}" "$APPTRACKD" --foreground 2>"$ACT_LOG" &
DAEMON_PID=$!
wait_until 100 test -S "$OTHER"
ctl --socket "$OTHER" ping
expect_eq "a socket at another path is served" 0 "$RC"
expect_match "with a warning naming both paths" \
	"^<4>the control socket systemd passed is $OTHER, but apptrackctl connects to $SOCK" "$(cat "$ACT_LOG")"
stop_daemon TERM

# bad_fds N REDIRECTIONS... : apptrackd with LISTEN_FDS=N and LISTEN_PID its own pid.
bad_fds() {
	local n=$1
	shift
	OUT=$(bash -c "export LISTEN_PID=\$\$ LISTEN_FDS=$n; exec \"\$0\" --foreground" "$APPTRACKD" "$@" 2>&1)
	RC=$?
}
: >"$T/plain"
bad_fds 1 3<"$T/plain"
expect_eq "a passed file that is not a socket: exit 1" 1 "$RC"
expect_match "named in one error" "file descriptor 3 is not a listening Unix stream socket" "$OUT"
"$PY" -c 'import socket, os, sys
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); a.bind(sys.argv[1]); a.listen()
b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); b.bind(sys.argv[2]); b.listen()
os.dup2(a.fileno(), 3); os.dup2(b.fileno(), 4)
os.execvpe("bash", ["bash", "-c", "export LISTEN_PID=$$ LISTEN_FDS=2; exec \"$0\" --foreground", sys.argv[3]], os.environ)
' "$T/a.sock" "$T/b.sock" "$APPTRACKD" >"$T/two.log" 2>&1
expect_eq "two passed sockets: exit 1" 1 $?
expect_match "named in one error" "socket activation passed 2 sockets; apptrackd takes one" "$(cat "$T/two.log")"
check "nothing was created at the control socket path by the failed starts" test ! -e "$SOCK"

# ---- token helpers under the unit's sandbox ----
UNIT="$SOURCE_DIR/systemd/apptrackd.service.in"
rw_paths=$(sed -n 's/^ReadWritePaths=//p' "$UNIT")
expect_match "the unit lets oama (GnuPG backend) rewrite its cache, if it exists" '^-%h/\.local/state/oama$' "$rw_paths"
expect_match "and mutt_oauth2.py its token file's directory" '^-%h/\.local/state/mutt_oauth2$' "$rw_paths"
expect_match "the unit keeps the home directory read-only" '^ProtectHome=read-only$' "$(cat "$UNIT")"

unshare_opts=(--mount --propagation private)
[ "$(id -u)" -eq 0 ] || unshare_opts+=(--map-root-user)
if ! unshare "${unshare_opts[@]}" true 2>"$T/unshare.log"; then
	# a container without CAP_SYS_ADMIN: the sandbox cannot be rebuilt here (the machines
	# this runs on, as root, can); said, not failed, since the unit's lines were checked above
	echo "SKIP: the sandbox part: no mount namespace here ($(head -1 "$T/unshare.log"))" >&2
	finish
fi
dovecot_start || { fail "dovecot did not start"; finish; }
dovecot_append "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" >/dev/null
H="$T/home"
mkdir -p "$H/.local/share/apptrack" "$H/.local/state/oama" "$H/.cache/otherhelper" "$H/.config/apptrack"
# a helper that renews: rewrites its cache, then prints the secret
for name in oama otherhelper; do
	dir="$H/.local/state/oama"
	[ "$name" = oama ] || dir="$H/.cache/otherhelper"
	cat >"$H/helper-$name" <<-SH
	#!/bin/sh
	date +%s%N >"$dir/cache.tmp" && mv "$dir/cache.tmp" "$dir/cache" || exit 5
	echo "$DOVECOT_PASSWORD"
	SH
	chmod +x "$H/helper-$name"
done
for name in oama otherhelper; do
	printf '[account %s]\nhost = 127.0.0.1\nport = %s\ntls = none\nuser = %s\npassword_command = %s\npoll_interval = 1h\nsince = 36500d\n\n' \
		"$name" "$DOVECOT_PORT" "$DOVECOT_USER" "$H/helper-$name"
done >"$H/.config/apptrack/apptrack.conf"
# The unit's ReadWritePaths (%h: the home directory; "-": skipped when missing) bound
# writable, then the home directory bound read-only over them, as ProtectHome=read-only
# does. The data directory is the unit's default one under the home directory.
sandbox_args=()
while read -r p; do
	optional=0
	case $p in -*) optional=1 p=${p#-} ;; esac
	p=${p//%h/$H}
	if [ -d "$p" ]; then
		sandbox_args+=("$p")
	elif [ "$optional" = 0 ]; then
		fail "the unit's required ReadWritePaths $p does not exist"
	fi
done <<<"$rw_paths"
HOME="$H" XDG_CONFIG_HOME="$H/.config" XDG_DATA_HOME="$H/.local/share" \
	unshare "${unshare_opts[@]}" bash -c '
	for p in "$@"; do mount --bind "$p" "$p" || exit 90; done
	mount --rbind "$HOME" "$HOME" && mount -o remount,bind,ro "$HOME" || exit 91
	touch "$HOME/probe" 2>/dev/null && exit 92
	exec "$APPTRACKD" --foreground' sandbox "${sandbox_args[@]}" 2>>"$T/daemon.log" &
DAEMON_PID=$!
sandboxed_up() { "$APPTRACKCTL" ping >/dev/null 2>&1; }
check "apptrackd runs under the rebuilt sandbox (unshare: root or user namespaces needed)" wait_until 200 sandboxed_up
settled() {
	[ "$("$APPTRACKCTL" --json mail status |
		jq '[.[] | select(.last_sync == null and .last_error == null)] | length')" = 0 ]
}
wait_until 300 settled
ctl --json mail status
field() { printf '%s' "$OUT" | jq -r --arg a "$1" ".[] | select(.account == \$a) | .$2"; }
expect_eq "a helper whose cache is in the unit's ReadWritePaths works: connected" true "$(field oama connected)"
expect_eq "and the message was read" 1 "$(field oama read)"
check "its cache was rewritten" test -s "$H/.local/state/oama/cache"
expect_eq "a helper writing elsewhere in the home directory: not connected" false "$(field otherhelper connected)"
expect_match "it fails with a clear error" '^password_command failed \(exit status 5\)' "$(field otherhelper last_error)"
check "its cache could not be written" test ! -e "$H/.cache/otherhelper/cache"
check "the database is in the writable data directory" test -s "$H/.local/share/apptrack/apptrack.db"
check "nothing else was written to the home directory" test ! -e "$H/probe"
stop_daemon TERM
expect_eq "the sandboxed daemon exits 0" 0 "$DAEMON_RC"
finish
