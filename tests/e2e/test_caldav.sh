#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_caldav.sh - [caldav]: apptrackd keeps a calendar collection of a real Radicale (on
# loopback, htpasswd users, started and stopped here) equal to the feed: interviews appear,
# a moved one moves (same resource), a removed one goes; changes made while Radicale is
# down wait in the outbox and arrive once it is back, nothing lost and nothing doubled, also
# across a daemon restart; a wrong password is one clear error that does not show it; a
# server answering garbage or without end is cut off with a clear error while the daemon
# answers.
. "$(dirname "$0")/lib.sh"
command -v radicale >/dev/null || { fail "radicale is not installed (Debian package radicale)"; finish; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
RPORT=$(free_port)
RAD="$T/radicale"
mkdir -p "$RAD/collections"
printf 'alice:s3cret-pass\n' >"$RAD/users"
cat >"$RAD/config" <<CONF
[server]
hosts = 127.0.0.1:$RPORT
[auth]
type = htpasswd
htpasswd_filename = $RAD/users
htpasswd_encryption = plain
[rights]
type = owner_only
[storage]
filesystem_folder = $RAD/collections
[logging]
level = warning
CONF
RAD_PID=
radicale_start() {
	radicale --config "$RAD/config" 2>>"$T/radicale.log" &
	RAD_PID=$!
	wait_until 200 python3 -c "import socket; socket.create_connection(('127.0.0.1', $RPORT), 1)" 2>/dev/null
}
radicale_stop() {
	stop_pid "$RAD_PID"
	RAD_PID=
}
FAKE_PID=
at_exit radicale_stop
at_exit 'stop_pid "$FAKE_PID"'
check "radicale starts" radicale_start
CAL="http://127.0.0.1:$RPORT/alice/jobs/"
check "the collection is made" curl -sf -u alice:s3cret-pass -X MKCALENDAR "$CAL" -o /dev/null
server() { python3 "$(dirname "$0")/davls.py" "$CAL" alice s3cret-pass; }

mkdir -p "$XDG_CONFIG_HOME/apptrack"
printf 's3cret-pass\n' >"$T/pw"
write_conf() { # write_conf URL PASSWORD-FILE
	cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<-CONF
	[caldav]
	url = $1
	user = alice
	password_command = cat $2
	send = interviews
	CONF
}
write_conf "$CAL" "$T/pw"
export TZ=UTC
start_daemon || { fail "daemon did not start"; finish; }
ctl add --company Acme --position Engineer
ctl interview add 1 --at "2030-03-10 14:30" --duration 45m --type video
has() { OUT=$(server 2>&1); [ "$OUT" = "$1" ]; }
# within SECONDS COMMAND... : runs COMMAND every 0.2 s until it succeeds, for SECONDS at most
within() {
	local end=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.2
	done
	echo "last: $OUT" >&2
	return 1
}
A="interview-1_apptrack.ics 20300310T143000Z Interview (video): Acme – Engineer"
check "the interview appears on the server, one resource named by its UID" within 20 has "$A"
ctl interview edit 1 --at "2030-03-11 09:00"
A="interview-1_apptrack.ics 20300311T090000Z Interview (video): Acme – Engineer"
check "a moved interview moves: the same resource at the new time" within 20 has "$A"
ctl interview add 1 --at "2030-03-12 10:00" --type phone
check "a second one appears" wait_until 200 sh -c "python3 '$(dirname "$0")/davls.py' '$CAL' alice s3cret-pass | grep -q interview-2_"
ctl interview rm 2
check "a removed interview goes" within 20 has "$A"
ctl calendar
expect_match "apptrackctl calendar shows the collection and nothing pending" "caldav: $CAL.*pending: +0" "$(echo $OUT)"

# Radicale down while things change: nothing lost, nothing doubled
radicale_stop
ctl interview edit 1 --at "2030-03-13 16:00"
ctl interview add 1 --at "2030-03-14 11:00" --type onsite
pending() { ctl calendar --json; [ "$(printf '%s' "$OUT" | python3 -c 'import json,sys; c=json.load(sys.stdin)["caldav"]; print(c["pending"] > 0 and c["last_error"] is not None)')" = True ]; }
check "with the server down the changes wait in the outbox, with the error shown" wait_until 200 pending
ctl calendar --json
expect_match "--json gives caldav {url, pending, last_sync, last_error}" '"url".*"pending".*"last_sync".*"last_error"' "$(echo $OUT)"
check "radicale starts again" radicale_start
B="interview-1_apptrack.ics 20300313T160000Z Interview (video): Acme – Engineer
interview-2_apptrack.ics 20300314T110000Z Interview (onsite): Acme – Engineer"
check "once it is back everything arrives, nothing doubled" within 60 has "$B"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
start_daemon || fail "daemon did not start again"
sleep 2
check "after a restart the collection is the same: nothing doubled" has "$B"
ctl calendar --json
expect_match "nothing pending after the restart" '"pending": 0' "$OUT"

# an edit made on the server is overwritten (the collection is apptrack's)
curl -sf -u alice:s3cret-pass -X PUT -H 'Content-Type: text/calendar' --data-binary @- "${CAL}interview-2_apptrack.ics" <<'ICS' >/dev/null
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:interview-2@apptrack
DTSTAMP:20300101T000000Z
DTSTART:20300101T000000Z
SUMMARY:edited by hand
END:VEVENT
END:VCALENDAR
ICS
ctl interview edit 2 --notes "bring the portfolio"
check "an edit made on the server is overwritten at the next change" within 20 has "$B"

# a wrong password: one clear error, the password not in it
printf 'wrong-Secret-42\n' >"$T/pw"
ctl interview edit 1 --notes "new notes"
refused() { ctl calendar; printf '%s' "$OUT" | grep -q "refused the user name or password"; }
check "a wrong password gives a clear error in apptrackctl calendar" wait_until 200 refused
expect_eq "the password is not shown" "" "$(printf '%s' "$OUT" | grep -o 'wrong-Secret-42')"
check "nor logged" sh -c "! grep -q 'wrong-Secret-42\|s3cret-pass' '$T/daemon.log'"

# the password put right and the configuration reloaded: the change goes at once, not when
# the back-off would have retried (wait for one of 10 s or more, so that the two differ)
next_try_in() { # seconds until the scheduled retry, or nothing
	ctl calendar --json
	local nt
	nt=$(printf '%s' "$OUT" | jq -r '.caldav.next_try // empty')
	[ -n "$nt" ] && echo $(($(date -d "$nt" +%s) - $(date +%s)))
}
far() { local s; s=$(next_try_in); [ -n "$s" ] && [ "$s" -ge 8 ]; }
check "the refused push backs off" wait_until 600 far
retry_at=$(($(date +%s) + $(next_try_in)))
printf 's3cret-pass\n' >"$T/pw"
kill -HUP "$DAEMON_PID"
synced() { ctl calendar --json; [ "$(printf '%s' "$OUT" | jq -r '"\(.caldav.pending) \(.caldav.last_error)"')" = "0 null" ]; }
check "after a reload with the right password the change is pushed" wait_until 400 synced
check "before the back-off's retry was due" test "$(date +%s)" -lt "$retry_at"
stop_daemon TERM

# a server answering garbage, then one answering without end: cut off, the daemon answers
FPORT=$(free_port)
python3 - "$FPORT" "$T/fake.mode" <<'PY' 2>>"$T/fake.log" &
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_PROPFIND(self):
        mode = open(sys.argv[2]).read().strip()
        if mode == "stall": # say it was asked, then nothing: no status line, no byte
            open(sys.argv[2] + ".asked", "w").close()
            time.sleep(120)
            return
        self.send_response(207)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        chunk = b"garbage \x00\xff<<<" * 4096
        try:
            if mode == "endless":
                while True:
                    self.wfile.write(chunk)
            else:
                self.wfile.write(chunk[:5000])
        except (BrokenPipeError, ConnectionResetError):
            pass
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
FAKE_PID=$!
echo garbage >"$T/fake.mode"
wait_until 200 python3 -c "import socket; socket.create_connection(('127.0.0.1', $FPORT), 1)" 2>/dev/null
write_conf "http://127.0.0.1:$FPORT/cal/" "$T/pw"
start_daemon || fail "daemon did not start with the fake server"
bad() { ctl calendar; printf '%s' "$OUT" | grep -q "$1"; }
check "garbage is a clear error" wait_until 200 bad "is not a WebDAV multistatus"
stop_daemon TERM
echo endless >"$T/fake.mode"
start_daemon || fail "daemon did not start with the endless server"
check "an endless answer is cut off with a clear error" wait_until 400 bad "longer than 4 MiB: cut off"
check "and the daemon answers meanwhile" "$APPTRACKCTL" ping
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"

# a server that takes the request and says nothing: stopping does not wait for it (the
# request alone would wait 20 s for a byte, under systemd's TimeoutStopSec of 30 s)
echo stall >"$T/fake.mode"
start_daemon || fail "daemon did not start with the stalling server"
check "the request to the silent server is under way" wait_until 200 test -e "$T/fake.mode.asked"
t0=$SECONDS
stop_daemon TERM
expect_eq "the daemon stops cleanly while the request hangs" 0 "$DAEMON_RC"
check "and at once: it gives the request up ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 10

# http is refused off loopback
write_conf "http://calendar.example.com/cal/" "$T/pw"
OUT=$("$APPTRACKD" --check-config 2>&1)
expect_match "http off loopback is refused" "http is allowed only for a loopback host" "$OUT"
finish
