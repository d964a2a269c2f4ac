#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_notify.sh - a due reminder becomes a desktop notification seen by a real dunst (on a
# private D-Bus session bus, under Xvfb); its "Done" action (dunstctl action) marks the
# reminder done. Imported history brings few popups and one summary, raised in slices; a
# backlog at start is one summary. Without a session bus the daemon says so once and carries on.
. "$(dirname "$0")/lib.sh"
for tool in Xvfb dbus-daemon dunst dunstctl; do
	command -v "$tool" >/dev/null || { fail "$tool is not installed"; finish; }
done
XVFB_PID= BUS_PID= DUNST_PID=
stop_desktop() {
	for p in $DUNST_PID $BUS_PID $XVFB_PID; do
		kill "$p" 2>/dev/null && wait_gone "$p"
	done
}
at_exit stop_desktop

# a private X server and session bus, and dunst on them
exec 3>"$T/display"
Xvfb -displayfd 3 -nolisten tcp -screen 0 800x600x24 >"$T/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
for i in $(seq 1 100); do [ -s "$T/display" ] && break; sleep 0.05; done
export DISPLAY=":$(head -1 "$T/display")"
# The session bus of session.conf would start Debian's own dunst (org.knopwob.dunst.service)
# for the first call to a notification server that is not there yet: one that prints
# nothing to $T/dunst.out, so that every check below failed at once when ours was slow to
# start under load. This bus activates nothing.
printf '%s\n' '<busconfig>' '  <type>session</type>' "  <listen>unix:path=$T/bus</listen>" \
	'  <auth>EXTERNAL</auth>' '  <policy context="default">' \
	'    <allow send_destination="*" eavesdrop="true"/>' '    <allow eavesdrop="true"/>' \
	'    <allow own="*"/>' '  </policy>' '</busconfig>' >"$T/bus.conf"
dbus-daemon --config-file="$T/bus.conf" --nofork >"$T/bus.log" 2>&1 &
BUS_PID=$!
export DBUS_SESSION_BUS_ADDRESS="unix:path=$T/bus"
for i in $(seq 1 200); do [ -S "$T/bus" ] && break; sleep 0.05; done
printf '[global]\n    font = Monospace 8\n' >"$T/dunstrc"
dunst -config "$T/dunstrc" -print >"$T/dunst.out" 2>"$T/dunst.log" &
DUNST_PID=$!
# notifications_owner: the pid that owns the notification server's name on the bus
notifications_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.Notifications 2>/dev/null |
		awk '/uint32/ { print $2 }'
}
for i in $(seq 1 200); do [ "$(notifications_owner)" = "$DUNST_PID" ] && break; sleep 0.05; done
expect_eq "our dunst serves notifications on the private bus" "$DUNST_PID" "$(notifications_owner)"
check "dunst answers on the private bus" dunstctl is-paused

start_daemon || { fail "daemon did not start"; finish; }
ctl add --company Acme --position Engineer
ctl status 1 screen # schedules the interview-prep reminder, due now (interview_prep = 0)
for i in $(seq 1 100); do grep -q "Prepare for the interview" "$T/dunst.out" && break; sleep 0.05; done
expect_match "dunst shows the due reminder, with Done and Snooze actions" "\"default\": \"Done\"" "$(cat "$T/dunst.out")"
expect_match "titled by its kind" "summary: 'Prepare for the interview'" "$(cat "$T/dunst.out")"
expect_match "with the application in its body" "Acme – Engineer" "$(cat "$T/dunst.out")"
rid=$("$APPTRACKCTL" --json reminders | jq -r 'map(select(.kind == "interview_prep"))[0].id')
check "the reminder is stamped as raised" test -n "$(sqlite3 "$DB" "SELECT fired_at FROM reminders WHERE id = $rid")"

dunstctl action 0 # the default action: "Done"
for i in $(seq 1 100); do
	[ "$("$APPTRACKCTL" --json reminders --all | jq -r "map(select(.id == $rid))[0].state")" = done ] && break
	sleep 0.05
done
expect_eq "pressing Done in dunst marks the reminder done" "done" \
	"$("$APPTRACKCTL" --json reminders --all | jq -r "map(select(.id == $rid))[0].state")"
expect_eq "raised once" 1 "$(grep -c "summary: 'Prepare for the interview'" "$T/dunst.out")"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"

# a restart raises nothing again; a reminder that came due while it was down is raised at start
sqlite3 "$DB" "UPDATE reminders SET due_at = '2020-01-01T00:00:00Z' WHERE kind = 'thank_you'"
start_daemon || { fail "daemon did not restart"; finish; }
for i in $(seq 1 100); do grep -q "Send a thank-you" "$T/dunst.out" && break; sleep 0.05; done
expect_match "an overdue reminder is raised at start" "Send a thank-you" "$(cat "$T/dunst.out")"
sleep 0.3
expect_eq "the done one is not raised again" 1 "$(grep -c "summary: 'Prepare for the interview'" "$T/dunst.out")"
stop_daemon TERM

# imported history: an interview stage applied long ago brings no reminder; one applied today
# brings its preparation, due now. 250 of those at once: a few shown on their own, the rest
# in one summary, raised in slices (one log line each) while the daemon answers.
start_daemon || { fail "daemon did not restart for the import"; finish; }
today=$(date +%F)
{
	echo "company,position,status,applied_at"
	for i in $(seq 1 300); do echo "Old $i,Engineer,screen,2025-03-0$((1 + i % 9))"; done
	for i in $(seq 1 250); do echo "New $i,Engineer,technical,$today"; done
} >"$T/history.csv"
cp "$T/dunst.out" "$T/dunst.out.before"
ctl import "$T/history.csv"
expect_eq "the history imports" 0 "$RC"
of() { # PATTERN [KIND]: how many reminders the applications of companies LIKE PATTERN have
	sqlite3 "$DB" "SELECT count(*) FROM reminders r JOIN applications a ON a.id = r.application_id
		WHERE a.company LIKE '$1' AND r.kind LIKE '${2:-%}'"
}
expect_eq "old interview stages bring no reminders" 0 "$(of 'Old %')"
expect_eq "today's bring their preparation, due now" 250 "$(of 'New %' interview_prep)"
wait_until 200 grep -q "247 reminders are due" "$T/dunst.out"
new_popups() { tail -n +$(($(wc -l <"$T/dunst.out.before") + 1)) "$T/dunst.out"; }
expect_match "one summary counts the burst" "summary: '247 reminders are due'" "$(new_popups)"
expect_eq "shown once" 1 "$(new_popups | grep -c "summary: '.* reminders are")"
expect_match "it names some of them" "Prepare for the interview: New [0-9]+ – Engineer" "$(new_popups)"
expect_match "and says where the rest are" "and 243 more; apptrackctl reminders lists them" "$(new_popups)"
expect_eq "three are shown on their own" 3 "$(new_popups | grep -c "summary: 'Prepare for the interview'")"
expect_eq "every one is stamped raised" 0 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM reminders WHERE kind = 'interview_prep' AND fired_at IS NULL")"
expect_eq "raised in two slices, one log line each" 2 "$(grep -c "reminders due, .* raised: " "$T/daemon.log")"
expect_eq "no reminder logged one by one" 0 "$(grep -c "due: Prepare for the interview: New" "$T/daemon.log")"
ctl ping
expect_eq "the daemon answers" 0 "$RC"
stop_daemon TERM

# a backlog at start (the thank-yous, overdue by more than a day after downtime): one
# summary, none on its own; an ordinary reminder due afterwards still pops up by itself
sqlite3 "$DB" "UPDATE reminders SET due_at = '2020-01-02T00:00:00Z' WHERE kind = 'thank_you' AND state = 'pending'"
cp "$T/dunst.out" "$T/dunst.out.before"
start_daemon || { fail "daemon did not restart with a backlog"; finish; }
wait_until 200 grep -q "250 reminders are overdue" "$T/dunst.out"
expect_match "the backlog is one summary" "summary: '250 reminders are overdue'" "$(new_popups)"
expect_match "naming the first ones" "Send a thank-you: New 1 – Engineer" "$(new_popups)"
expect_eq "no thank-you shown on its own" 0 "$(new_popups | grep -c "summary: 'Send a thank-you'")"
ctl add --company Zeta --position Analyst
zid=$(printf '%s\n' "$OUT" | grep -o '[0-9]\+' | head -1)
ctl status "$zid" screen
wait_until 100 grep -q "Zeta – Analyst" "$T/dunst.out"
expect_match "an ordinary due reminder is shown on its own" "body: 'Zeta – Analyst'" \
	"$(new_popups | grep -A1 "summary: 'Prepare for the interview'")"
expect_eq "and the summary is not shown again" 1 "$(new_popups | grep -c "reminders are overdue'")"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"

# no session bus: said once, everything else works
: >"$T/daemon.log"
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-such-bus start_daemon || { fail "daemon did not start without a bus"; finish; }
ctl ping
expect_eq "without a session bus the daemon still answers" 0 "$RC"
expect_eq "and says once that notifications are not available" 1 "$(grep -c "notifications are not available" "$T/daemon.log")"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
