#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_valgrind.sh - apptrackd under valgrind: a session of real requests, then SIGTERM;
# the shutdown must be clean (no invalid accesses, no definite leaks). Skipped for
# sanitizer builds, which valgrind cannot run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dovecot.sh"

if ldd "$APPTRACKD" | grep -q libasan; then
	echo "SKIP: sanitizer build; the ASan run covers leaks"
	exit 77
fi
command -v valgrind >/dev/null || { fail "valgrind is not installed"; finish; }

# with a Maildir and an IMAP account (a real Dovecot), so the worker threads' lives, the
# IDLE interrupted by the shutdown and the batch hand-off are checked too
mkdir -p "$T/Mail/new" "$T/Mail/cur" "$T/Mail/tmp" "$XDG_CONFIG_HOME/apptrack"
cp "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" "$T/Mail/new/1.test"
dovecot_start || { fail "dovecot did not start"; finish; }
dovecot_append "$SHARED_DIR/corpus/mail/indeed_apply_apptio_confirmation_2019.eml" >/dev/null
printf '[account local]\nmaildir = %s\nsince = 36500d\n\n' "$T/Mail" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
printf '[account imap]\nhost = 127.0.0.1\nport = %s\ntls = none\nuser = %s\npassword_command = echo %s\n' \
	"$DOVECOT_PORT" "$DOVECOT_USER" "$DOVECOT_PASSWORD" >>"$XDG_CONFIG_HOME/apptrack/apptrack.conf"

# and the calendar feed served over HTTP (libmicrohttpd's thread), written to a vdir, and
# pushed to a CalDAV collection (the CalDAV worker thread, libcurl), here a small fake one
APPTRACK_CALENDAR_LISTEN=127.0.0.1:$(_dovecot_free_port)
export APPTRACK_CALENDAR_LISTEN
DAV_PORT=$(_dovecot_free_port)
python3 "$(dirname "$0")/fakedav.py" "$DAV_PORT" "$T/dav.log" 2>"$T/fakedav.err" &
DAV_PID=$!
at_exit 'stop_pid "$DAV_PID"'
printf '[calendar]\nvdir = %s\n[caldav]\nurl = http://127.0.0.1:%s/cal/\nuser = me\npassword_command = echo pw\n\n' \
	"$T/vdir" "$DAV_PORT" >>"$XDG_CONFIG_HOME/apptrack/apptrack.conf"

# and the web page (its own libmicrohttpd thread; calls suspended while the main loop runs
# them; an event stream left open at the shutdown)
APPTRACK_WEB_LISTEN=127.0.0.1:$(_dovecot_free_port)
export APPTRACK_WEB_LISTEN APPTRACK_WEB_KEEPALIVE_MS=200
WC="python3 $(dirname "$0")/webclient.py"

# valgrind cannot follow PCRE's JIT code (it reports it as uninitialised jumps): rules
# are compiled without JIT here; everything else runs as it does for users. As systemd
# runs it, with a watchdog and a notify socket (nothing listens there: the messages are
# built and sent all the same; test_systemd.sh reads them).
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=500000 APPTRACK_REGEX_NO_JIT=1 valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --log-file="$T/valgrind.log" \
	"$APPTRACKD" --foreground 2>>"$T/daemon.log" &
DAEMON_PID=$!
up=0
for i in $(seq 1 600); do
	"$APPTRACKCTL" ping >/dev/null 2>&1 && { up=1; break; }
	sleep 0.05
done
expect_eq "apptrackd comes up under valgrind" 1 "$up"

ctl --json add --company Acme --position Engineer --notes "under valgrind"
id=$(printf '%s' "$OUT" | jq -r .id)
ctl status "$id" screen
ctl note "$id" "a note"
for i in $(seq 1 100); do
	[ "$("$APPTRACKCTL" --json list 2>/dev/null | jq length)" = 3 ] && break
	sleep 0.1
done
ctl --json list
expect_eq "list works under valgrind (one added, one from the Maildir, one over IMAP)" 3 "$(printf '%s' "$OUT" | jq length)"
ctl --json show "$id"
ctl interview add "$id" --at "2030-01-02 10:00" --type phone
ctl calendar
expect_match "the feed is served under valgrind" "BEGIN:VEVENT" \
	"$(python3 -c "import urllib.request, sys; print(urllib.request.urlopen('http://$APPTRACK_CALENDAR_LISTEN/calendar.ics', timeout=10).read().decode())")"
for i in $(seq 1 100); do grep -q '^PUT /cal/interview-1_apptrack.ics' "$T/dav.log" 2>/dev/null && break; sleep 0.1; done
expect_match "the interview is pushed to the CalDAV collection under valgrind" "PUT /cal/interview-1_apptrack.ics" \
	"$(cat "$T/dav.log" 2>/dev/null)"
check "and written to the vdir" test -s "$T/vdir/interview-1_apptrack.ics"
ctl stats pipeline
printf 'company,position\nA,B\n' >"$T/a.csv"
ctl import "$T/a.csv"
ctl export
ctl contacts add --name Ana
# resumes, the profile and the matcher (both modes, keywords)
ctl resume add main "$SHARED_DIR/corpus/match/resume_john_doe.txt"
ctl profile --skills "kafka, terraform" --email ana@example.com
ctl edit "$id" --jd-file "$SHARED_DIR/corpus/match/jd_java_developer.txt"
ctl --json match "$id"
expect_eq "match under valgrind" true "$(printf '%s' "$OUT" | jq '.score > 0')"
ctl --json match --all --mode pair
ctl match 999
ctl show 999
printf '%s\n' 'garbage' >"$T/bad.jsonl"
python3 "$(dirname "$0")/rawsock.py" "$SOCK" lines "$T/bad.jsonl" >/dev/null
kill -HUP "$DAEMON_PID" # restarts both workers
for i in $(seq 1 300); do # 30 s: under valgrind, on a loaded machine, a login takes seconds
	[ "$("$APPTRACKCTL" --json mail status 2>/dev/null | jq -r '.[1].idle')" = true ] && break
	sleep 0.1
done
ctl --json mail status
expect_eq "after SIGHUP the IMAP worker is back in IDLE" true "$(printf '%s' "$OUT" | jq -r '.[1].idle')"
ctl web
mkdir -p "$T/w"
$WC req GET "$OUT" --out "$T/w" >/dev/null
SESSION=$(sed -n 's/^Set-Cookie: apptrack_session=\([0-9a-f]*\);.*/\1/p' "$T/w/headers")
expect_eq "the web page's API under valgrind" 200 \
	"$($WC req POST "http://$APPTRACK_WEB_LISTEN/api/applications.list" --cookie "$SESSION" --type application/json)"
$WC sse "http://$APPTRACK_WEB_LISTEN/events" "$SESSION" "$T/sse" 60 &
SSE_PID=$!
at_exit 'stop_pid "$SSE_PID"'
for i in $(seq 1 100); do grep -q ': connected' "$T/sse" 2>/dev/null && break; sleep 0.1; done
ctl note "$id" "seen on the page"
for i in $(seq 1 100); do grep -q '^event: application.changed' "$T/sse" 2>/dev/null && break; sleep 0.1; done
expect_match "an event reaches the page's stream under valgrind" "event: application.changed" "$(cat "$T/sse")"
# an import through the page, likely still running on its thread when SIGTERM comes: its
# call is suspended then, and the shutdown answers it
python3 -c 'print("company,position"); [print(f"Co{i},Role {i}") for i in range(20000)]' >"$T/big.csv"
python3 -c 'import json,sys; print(json.dumps({"csv": open(sys.argv[1]).read()}))' "$T/big.csv" >"$T/big.json"
$WC req POST "http://$APPTRACK_WEB_LISTEN/api/import" --cookie "$SESSION" --type application/json \
	--body-file "$T/big.json" >"$T/import.status" 2>&1 &
IMPORT_PID=$!
at_exit 'stop_pid "$IMPORT_PID"'
sleep 0.3
stop_daemon TERM
wait "$IMPORT_PID"
echo "# the import through the page was answered: $(cat "$T/import.status")"
expect_eq "valgrind reports no errors and no definite leaks at shutdown" 0 "$DAEMON_RC"
if [ "$DAEMON_RC" != 0 ]; then sed 's/^/  | /' "$T/valgrind.log" >&2; fi
finish
