#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_limits.sh - limits on the control socket that an idle, slow or foreign peer cannot
# exhaust: a client that writes requests and never reads its replies meets back-pressure
# (the daemon reads 1 MiB ahead, not everything); connections that stay idle are closed,
# so the connection limit frees itself; a socket directory that another user could write
# is refused; and apptrackctl talks only to a daemon of its own user.
. "$(dirname "$0")/lib.sh"
RAW="python3 $(dirname "$0")/rawsock.py"
IDLE_S=2
export APPTRACK_IDLE_TIMEOUT=$IDLE_S
# under AddressSanitizer, freed memory waits in a quarantine (256 MiB by default) that
# would count as resident memory below
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"

start_daemon || { fail "daemon did not start"; finish; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status"; }
rss_before=$(rss)

# 1. requests without reading a reply: 256 MiB offered, the daemon stops taking them once
#    1 MiB waits behind the reply it cannot write (before: it read all of it)
mapfile -t got < <($RAW "$SOCK" unread $((256 << 20)))
check "a client that never reads: the daemon took only a few MiB (took ${got[0]:-?} bytes)" \
	test "${got[0]:-999999999}" -lt $((8 << 20))
expect_eq "meanwhile another client's ping is answered" answered "${got[1]:-}"
expect_eq "once the client reads, every complete request is answered" "${got[3]:-x}" "${got[2]:-y}"
rss_after=$(rss)
check "the daemon's memory stayed put (VmRSS ${rss_before} kB, then ${rss_after} kB)" \
	test "$rss_after" -lt $((rss_before + 65536))

# 2. idle connections: the limit of 64 fills, the daemon closes them after the idle
#    timeout, and a new client is served again
mapfile -t got < <($RAW "$SOCK" idle 64 $((IDLE_S + 8)))
expect_eq "64 idle connections fill the limit" busy "${got[0]:-}"
expect_eq "the daemon closes all 64 once they idle for ${IDLE_S} s" 64 "${got[1]:-}"
expect_eq "a new client is served again" served "${got[2]:-}"
# a watcher is idle by design: it stays
"$APPTRACKCTL" watch >"$T/watch.out" 2>&1 &
WATCH=$!
sleep $((IDLE_S + 2))
check "a watch subscriber outlives the idle timeout" kill -0 "$WATCH"
ctl add --company Idle --position Watched
wait_until 100 grep -q application "$T/watch.out"
check "and still gets events" grep -q application "$T/watch.out"
kill "$WATCH" 2>/dev/null
wait "$WATCH" 2>/dev/null
stop_daemon TERM

# 3. a socket directory another user could write, or owned by another user: refused
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "skipping the foreign-user checks: they need root and setpriv"
	finish
fi
FOREIGN=$(mktemp -d /tmp/apptrack-foreign.XXXXXX)
at_exit 'rm -rf "$FOREIGN"'
chmod 0777 "$FOREIGN"
rm -rf "$XDG_RUNTIME_DIR/apptrack"
ln -s "$FOREIGN" "$XDG_RUNTIME_DIR/apptrack"
timeout 10 "$APPTRACKD" --foreground 2>"$T/err"
expect_eq "a socket directory writable by others: the daemon refuses to start" 1 "$?"
expect_match "and says why" "apptrack is writable by others.*chmod 700" "$(cat "$T/err")"
chmod 0700 "$FOREIGN"
chown nobody "$FOREIGN"
timeout 10 "$APPTRACKD" --foreground 2>"$T/err"
expect_eq "a socket directory of another user: refused" 1 "$?"
expect_match "and says whose" "owned by another user" "$(cat "$T/err")"
rm "$XDG_RUNTIME_DIR/apptrack"

# 4. another user's process serving the socket apptrackctl would use: apptrackctl sends
#    it nothing
chmod 0777 "$FOREIGN"
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 - "$FOREIGN" <<'PY' &
import os, socket, sys
d = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(os.path.join(d, "control.sock"))
s.listen(4)
s.settimeout(20)
open(os.path.join(d, "ready"), "w").close()
got = b""
try:
    c, _ = s.accept()
    c.settimeout(5)
    c.sendall(b'{"apptrack":"0","protocol":1}\n')
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        got += chunk
except OSError:  # timed out, or the client hung up
    pass
finally:
    open(os.path.join(d, "received"), "wb").write(got)
PY
FOREIGN_PID=$!
check "another user serves a socket there" wait_until 100 test -e "$FOREIGN/ready"
APPTRACK_SOCKET="$FOREIGN/control.sock" ctl add --company Secret --position Salary --salary 100000
expect_eq "apptrackctl and another user's socket: exit 2" 2 "$RC"
expect_match "it names the other uid" "served by a process of uid $(id -u nobody), not by your own apptrackd" "$ERR"
wait "$FOREIGN_PID"
expect_eq "the other user's process received nothing" 0 "$(stat -c %s "$FOREIGN/received" 2>/dev/null || echo missing)"
finish
