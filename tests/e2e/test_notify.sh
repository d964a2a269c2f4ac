#!/usr/bin/env bash
# test_notify.sh - a due reminder becomes a desktop notification seen by a real dunst (on a
# private D-Bus session bus, under Xvfb); its "Done" action (dunstctl action) marks the
# reminder done. Without a session bus the daemon says so once and carries on.
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
trap 'stop_desktop; cleanup' EXIT

# a private X server and session bus, and dunst on them
exec 3>"$T/display"
Xvfb -displayfd 3 -nolisten tcp -screen 0 800x600x24 >"$T/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
for i in $(seq 1 100); do [ -s "$T/display" ] && break; sleep 0.05; done
export DISPLAY=":$(head -1 "$T/display")"
dbus-daemon --session --nofork --address="unix:path=$T/bus" >"$T/bus.log" 2>&1 &
BUS_PID=$!
export DBUS_SESSION_BUS_ADDRESS="unix:path=$T/bus"
for i in $(seq 1 100); do [ -S "$T/bus" ] && break; sleep 0.05; done
printf '[global]\n    font = Monospace 8\n' >"$T/dunstrc"
dunst -config "$T/dunstrc" -print >"$T/dunst.out" 2>"$T/dunst.log" &
DUNST_PID=$!
for i in $(seq 1 100); do dunstctl is-paused >/dev/null 2>&1 && break; sleep 0.05; done
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

# no session bus: said once, everything else works
: >"$T/daemon.log"
DBUS_SESSION_BUS_ADDRESS=unix:path=$T/no-such-bus start_daemon || { fail "daemon did not start without a bus"; finish; }
ctl ping
expect_eq "without a session bus the daemon still answers" 0 "$RC"
expect_eq "and says once that notifications are not available" 1 "$(grep -c "notifications are not available" "$T/daemon.log")"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
