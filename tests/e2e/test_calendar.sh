#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_calendar.sh - the iCalendar feed: served over HTTP with ETag/304 and Last-Modified,
# written to [calendar] file, valid for python3-icalendar, subscribed to by vdirsyncer and
# shown by khal at the interview's time; a token guards the URL; SEQUENCE follows edits;
# interviews far in the past and reminders long overdue are left out.
. "$(dirname "$0")/lib.sh"
unset APPTRACK_CALENDAR_LISTEN
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
FEED="$T/feed/apptrack.ics"
mkdir -p "$XDG_CONFIG_HOME/apptrack"
printf '[calendar]\nlisten = 127.0.0.1:%s\nfile = %s\n' "$PORT" "$FEED" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
start_daemon || { fail "daemon did not start"; finish; }
URL="http://127.0.0.1:$PORT/calendar.ics"

ctl calendar
expect_match "apptrackctl calendar prints the URL" "$URL" "$OUT"
expect_match "and the file" "$FEED" "$OUT"
ctl add --company Acme --position "Engineer, Platform"
TZ=Europe/Berlin ctl interview add 1 --at "2030-03-10 14:30" --duration 45m --type video \
	--where https://meet.example/abc --notes "Ask about on-call; bring notes, questions"

# fetch URL [ETAG] : prints "STATUS ETAG CONTENT-TYPE", the body in $T/body
fetch() {
	python3 - "$1" "${2:-}" "$T/body" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    req.add_header("If-None-Match", sys.argv[2])
try:
    r = urllib.request.urlopen(req, timeout=10)
    status, headers, body = r.status, r.headers, r.read()
except urllib.error.HTTPError as e:
    status, headers, body = e.code, e.headers, e.read()
open(sys.argv[3], "wb").write(body)
print(status, headers.get("ETag", "-"), headers.get("Content-Type", "-").replace(" ", ""), headers.get("Last-Modified", "-") != "-")
PY
}
for i in $(seq 1 50); do grep -q "Interview" "$FEED" 2>/dev/null && break; sleep 0.05; done
read -r status etag ctype lastmod < <(fetch "$URL")
expect_eq "GET /calendar.ics: 200 text/calendar with Last-Modified" "200 text/calendar;charset=utf-8 True" "$status $ctype $lastmod"
check "the HTTP body and the file are the same feed" cmp -s "$T/body" "$FEED"
read -r status _ < <(fetch "$URL" "$etag")
expect_eq "If-None-Match with the ETag: 304" "304" "$status"
read -r status _ < <(fetch "http://127.0.0.1:$PORT/other.ics")
expect_eq "another path: 404" "404" "$status"

parse() { # Debian's python3, which python3-icalendar is installed for
	/usr/bin/python3 - "$1" <<'PY'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for c in cal.walk():
    if c.name in ("VEVENT", "VTODO"):
        start = c.get("DTSTART").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        alarms = [str(a.get("TRIGGER").dt) for a in c.subcomponents if a.name == "VALARM"]
        print(c.name, c["UID"], start, c.get("SEQUENCE"), c["SUMMARY"], "|", c.get("DESCRIPTION", ""), "|", c.get("URL", ""), "|", ",".join(alarms))
PY
}
OUT=$(parse "$FEED")
expect_match "python3-icalendar reads the interview (UTC start, SEQUENCE 0, both alarms)" \
	"^VEVENT interview-1@apptrack 2030-03-10T13:30:00Z 0 Interview \(video\): Acme – Engineer, Platform \| Ask about on-call; bring notes, questions \| https://meet.example/abc \| -1 day, 0:00:00,-1 day, 23:00:00" "$OUT"
expect_match "the interview-prep reminder is an event with an alarm at its time" "VEVENT reminder-[0-9]+@apptrack .* Prepare for the interview: Acme – Engineer, Platform .*\| 0:00:00" "$OUT"
check "long lines are folded at 75 octets" python3 -c "import sys; sys.exit(any(len(l) > 75 for l in open('$FEED','rb').read().split(b'\r\n')))"

ctl interview edit 1 --at "2030-03-10T15:00:00Z"
for i in $(seq 1 50); do grep -q "20300310T150000Z" "$FEED" && break; sleep 0.05; done
read -r status etag2 _ < <(fetch "$URL" "$etag")
expect_eq "after an edit the old ETag gets the new feed" "200" "$status"
check "a new ETag" test "$etag2" != "$etag"
expect_match "SEQUENCE bumped" "interview-1@apptrack 2030-03-10T15:00:00Z 1 " "$(parse "$T/body")"
rid=$("$APPTRACKCTL" --json reminders | jq -r 'map(select(.kind == "thank_you"))[0].id')
ctl reminders snooze "$rid" 1d
for i in $(seq 1 50); do grep -q "^SEQUENCE:1" "$FEED" && [ "$(grep -c '^SEQUENCE:1' "$FEED")" = 2 ] && break; sleep 0.05; done
expect_match "a snoozed reminder's SEQUENCE goes up" "VEVENT reminder-$rid@apptrack [0-9TZ:-]+ 1 Send a thank-you" "$(parse "$FEED")"

# vdirsyncer subscribes over HTTP, khal shows the interview at its time
mkdir -p "$T/vds/status" "$T/vds/cal"
cat >"$T/vds/config" <<CONF
[general]
status_path = "$T/vds/status/"

[pair apptrack]
a = "feed"
b = "local"
collections = null
conflict_resolution = "a wins"

[storage feed]
type = "http"
url = "$URL"

[storage local]
type = "filesystem"
path = "$T/vds/cal/"
fileext = ".ics"
CONF
check "vdirsyncer discover" sh -c "yes | vdirsyncer -c '$T/vds/config' discover >'$T/vds/log' 2>&1"
check "vdirsyncer sync" sh -c "vdirsyncer -c '$T/vds/config' sync >>'$T/vds/log' 2>&1"
expect_eq "vdirsyncer stored the interview and the reminders" "3" "$(ls "$T/vds/cal" | grep -c '\.ics$')"
khal_config "$T/vds/cal/"
OUT=$(khal -c "$T/khal.conf" list 2030-03-10 2d 2>&1)
expect_match "khal lists the interview at its time" "15:00-15:45 Interview \(video\): Acme – Engineer, Platform" "$OUT"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"

# the feed's bounds (apptrack.conf(5), [calendar]): an interview 100 days ago and reminders
# overdue by 90 days and more are not in it; an interview 5 days ago and reminders overdue
# by days are. The past is made by running apptrackd with its clock (APPTRACK_NOW) then.
now=$(date +%s)
calendar_at() { # calendar_at EPOCH COMPANY: an application then, with an interview at that time
	export APPTRACK_NOW=$1
	start_daemon || fail "daemon did not start at $1"
	ctl add --company "$2" --position Bounds
	local app=$OUT
	ctl interview add "$app" --at "$(date -u -d "@$1" '+%Y-%m-%dT%H:%M:%SZ')"
	expect_eq "an interview at $(date -u -d "@$1" +%F) for $2" 0 "$RC"
	stop_daemon TERM
	unset APPTRACK_NOW
}
calendar_at $((now - 100 * 86400)) Longago
calendar_at $((now - 5 * 86400)) Lately
start_daemon || { fail "daemon did not start"; finish; }
for i in $(seq 1 50); do grep -q "Lately" "$FEED" 2>/dev/null && break; sleep 0.05; done
OUT=$(parse "$FEED")
expect_match "an interview 5 days ago is in the feed" "^VEVENT interview-[0-9]+@apptrack .* Interview: Lately – Bounds" "$OUT"
expect_match "and its reminders, overdue by days" "reminder-[0-9]+@apptrack .* Send a thank-you: Lately – Bounds" "$OUT"
expect_match "as is the interview ahead" "^VEVENT interview-1@apptrack" "$OUT"
check "an interview 100 days ago is not, nor its reminders overdue by 90 days and more" \
	sh -c '! printf "%s" "$1" | grep -q Longago' _ "$OUT"
stop_daemon TERM

# a token guards the URL
printf '[calendar]\nlisten = 127.0.0.1:%s\nfile = %s\ntoken = s3cret-t0ken-f0r-the-feed\n' "$PORT" "$FEED" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
start_daemon || { fail "daemon did not start with a token"; finish; }
read -r status _ < <(fetch "$URL")
expect_eq "with a token, /calendar.ics is 404" "404" "$status"
read -r status _ < <(fetch "http://127.0.0.1:$PORT/s3cret-t0ken-f0r-the-feed/calendar.ics")
expect_eq "/TOKEN/calendar.ics is 200" "200" "$status"
stop_daemon TERM

# reminders as to-dos
printf '[calendar]\nlisten = off\nfile = %s\nreminders_as = todo\n' "$FEED" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
start_daemon || { fail "daemon did not start with reminders_as = todo"; finish; }
ctl calendar
expect_match "listen = off: no URL" "not served" "$OUT"
ctl note 1 "rebuild the feed"
for i in $(seq 1 50); do grep -q "BEGIN:VTODO" "$FEED" && break; sleep 0.05; done
OUT=$(parse "$FEED")
expect_match "reminders_as = todo: reminders are VTODOs" "^VTODO reminder-[0-9]+@apptrack .* Send a thank-you" "$OUT"
expect_match "and the interview stays a VEVENT" "^VEVENT interview-1@apptrack" "$OUT"
stop_daemon TERM
printf '[calendar]\nlisten = 0.0.0.0:%s\n' "$PORT" >"$T/open.conf"
OUT=$("$APPTRACKD" --check-config --config "$T/open.conf" 2>&1)
expect_match "a non-loopback address without token is refused" "open.conf:2: \[calendar\] listen = 0.0.0.0:$PORT is not a loopback address: set token" "$OUT"
printf '[calendar]\nlisten = nowhere\n' >"$T/bad.conf"
OUT=$("$APPTRACKD" --check-config --config "$T/bad.conf" 2>&1)
expect_match "a bad listen value is refused" 'bad.conf:2: bad value "nowhere" for listen in \[calendar\]: expected ADDRESS:PORT' "$OUT"
finish
