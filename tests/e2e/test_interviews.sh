#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_interviews.sh - apptrackctl interview add/list/edit/rm and upcoming against a real
# apptrackd: local times with TZ honoured, the application moved forward (never back),
# SEQUENCE bumped on change, bad input refused with one clear error and nothing stored.
. "$(dirname "$0")/lib.sh"
start_daemon || { fail "daemon did not start"; finish; }
sql() { sqlite3 "$DB" "$1"; }

ctl add --company Acme --position Engineer
ctl add --company Zeta --position Analyst --status technical
TZ=Europe/Berlin ctl interview add 1 --at "2030-03-10 14:30" --duration 45m --type video --where https://meet.example/x
expect_eq "interview add prints its id" "1" "$OUT"
ctl --json interview list
expect_eq "local time (Europe/Berlin, winter) stored as UTC, duration honoured" \
	"2030-03-10T13:30:00Z 2030-03-10T14:15:00Z video https://meet.example/x 0" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.starts_at) \(.ends_at) \(.type) \(.location) \(.sequence)"')"
TZ=America/New_York ctl interview add 2 --at "2030-07-01 09:00" --type phone
ctl --json interview list --type phone
expect_eq "summer time in New York, default duration 1 h" "2030-07-01T13:00:00Z 2030-07-01T14:00:00Z" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.starts_at) \(.ends_at)"')"
expect_eq "an interview moves an applied application to screen" "screen" \
	"$("$APPTRACKCTL" --json show 1 | jq -r .status)"
expect_eq "but never moves one back (technical stays)" "technical" \
	"$("$APPTRACKCTL" --json show 2 | jq -r .status)"
expect_eq "an interview event on the timeline" "1" "$(sql "SELECT count(*) FROM events WHERE application_id = 1 AND kind = 'interview'")"

expect_eq "reminders 1 day and 1 hour before the interview" "2030-03-09T13:30:00Z,2030-03-10T12:30:00Z" \
	"$(sql "SELECT group_concat(due_at) FROM (SELECT due_at FROM reminders WHERE kind = 'interview' AND interview_id = 1 ORDER BY due_at)")"
ctl interview edit 1 --at "2030-03-11T09:00:00Z" --notes "bring portfolio"
expect_eq "moving the interview moves its reminders" "2030-03-10T09:00:00Z,2030-03-11T08:00:00Z" \
	"$(sql "SELECT group_concat(due_at) FROM (SELECT due_at FROM reminders WHERE kind = 'interview' AND interview_id = 1 ORDER BY due_at)")"
ctl --json interview list --from 2030-03-11 --to 2030-03-11
expect_eq "edit moves the start, keeps the duration, bumps SEQUENCE" "2030-03-11T09:00:00Z 2030-03-11T09:45:00Z 1 bring portfolio" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.starts_at) \(.ends_at) \(.sequence) \(.notes)"')"
TZ=America/New_York ctl interview list --type phone
expect_match "the table shows local times, as typed" "2030-07-01 09:00 +2030-07-01 10:00 +phone" "$OUT"
ctl --json interview list --from 2030-06-01
expect_eq "--from filters" "2" "$(printf '%s' "$OUT" | jq -r 'map(.application_id) | join(",")')"

before=$(sql "SELECT count(*) || ':' || group_concat(sequence) FROM interviews")
ctl interview add 1 --at tomorrow
expect_eq "bad time: usage error" 2 "$RC"
expect_match "bad time: names the value and the forms" 'bad time "tomorrow" for --at' "$ERR"
ctl interview add 1 --at "2030-03-10 14:30" --type zoom
expect_match "bad type refused" 'bad interview type "zoom": expected phone, video or onsite' "$ERR"
ctl interview add 1 --at "2030-03-10 14:30" --duration forever
expect_match "bad duration refused" 'bad duration "forever"' "$ERR"
ctl interview add 99 --at "2030-03-10 14:30"
expect_match "unknown application" "no application with id 99" "$ERR"
ctl interview add 1
expect_match "--at required" "--at" "$ERR"
ctl interview edit 1
expect_match "edit without fields" "nothing to change" "$ERR"
ctl interview list --from 2030-13-01
expect_match "bad --from date" 'bad date "2030-13-01" for --from' "$ERR"
expect_eq "nothing stored by the refused commands" "$before" "$(sql "SELECT count(*) || ':' || group_concat(sequence) FROM interviews")"

ctl --json upcoming --days 3650
expect_eq "upcoming lists the interviews ahead" "2" "$(printf '%s' "$OUT" | jq '.interviews | length')"
expect_eq "upcoming counts applications in progress" "2" "$(printf '%s' "$OUT" | jq '.in_progress')"
expect_eq "upcoming lists recent applications" "2" "$(printf '%s' "$OUT" | jq '.recent | length')"
ctl --json upcoming --days 3650 --limit 1
expect_eq "upcoming --limit 1 shows one interview" "1" "$(printf '%s' "$OUT" | jq '.interviews | length')"
expect_eq "and counts the other" "1" "$(printf '%s' "$OUT" | jq '.more_interviews')"
ctl upcoming --days 3650 --limit 1
expect_match "the table says how many more" "and 1 more \\(apptrackctl interview list\\)" "$OUT"
ctl upcoming --limit 0
expect_eq "upcoming --limit 0: exit 2" 2 "$RC"
ctl upcoming
expect_match "upcoming table" "Interviews in the next 7 days" "$OUT"

ctl interview rm 1
expect_eq "rm" "removed interview 1" "$OUT"
expect_eq "its reminders go with it" "0" "$(sql "SELECT count(*) FROM reminders WHERE interview_id = 1")"
ctl interview rm 1
expect_match "rm twice: not found" "no interview with id 1" "$ERR"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
