#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_invitations.sh - interviews from calendar invitations, with a real apptrackd reading a
# Maildir: a confirmation creates the application; an invitation from the same company
# (Google Calendar's shape: a VTIMEZONE for New York, Meet in X-GOOGLE-CONFERENCE) sets the
# interview at the right UTC time, in `upcoming`, `show` and the calendar feed; the
# rescheduled one (SEQUENCE 1) moves it; a broken one waits in `review` with its reason and
# changes nothing else; the cancellation removes it; reading everything again doubles
# nothing; a recurring one read late gives its first occurrence still ahead.
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
INV="$SOURCE_DIR/tests/data/invitations"
use_maildir
FEED="$T/feed/apptrack.ics"
printf '[calendar]\nfile = %s\n' "$FEED" >>"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
export APPTRACK_NOW=2026-12-01T12:00:00Z # the invitations are for December 2026

# invite_mail ICS MESSAGE-ID SUBJECT DATE FROM: a mail as Google Calendar sends one, the
# invitation inline (text/calendar) and attached (application/ics, base64)
invite_mail() {
	local method=REQUEST
	grep -q '^METHOD:CANCEL' "$1" && method=CANCEL
	cat <<MAIL
From: $5
To: candidate@example.org
Subject: $3
Date: $4
Message-ID: <$2>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=UTF-8

Your interview has been scheduled. Join with Google Meet.

--alt
Content-Type: text/calendar; charset=UTF-8; method=$method
Content-Transfer-Encoding: 7bit

$(cat "$1")
--alt--

--outer
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

$(base64 "$1")
--outer--
MAIL
}
RECRUITER="Algorithmia <no-reply@greenhouse.io>"
CALENDAR="Google Calendar <calendar-notification@google.com>"

wait_sql() { # SQL VALUE: until the database answers VALUE (the daemon applies in the background)
	local i
	for i in $(seq 1 100); do
		[ "$(sqlite3 "$DB" "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
sync_mail() {
	ctl mail sync
	expect_eq "mail sync: exit 0" 0 "$RC"
}

deliver "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" 1.confirmation
invite_mail "$INV/google_request.ics" invite-1@google.com "Algorithmia - Interview invitation" \
	"Tue, 01 Dec 2026 14:05:12 +0000" "$RECRUITER" >"$T/invite.eml"
deliver "$T/invite.eml" 2.invite
start_daemon || { fail "daemon did not start"; finish; }

check "the confirmation and the invitation are applied" wait_sql "SELECT count(*) FROM interviews" 1
ctl --json list
expect_eq "one application, Algorithmia" "Algorithmia" "$(printf '%s' "$OUT" | jq -r 'map(.company) | join(",")')"
ctl --json upcoming --days 30
expect_eq "upcoming: the interview at 15:00 New York time, 20:00 UTC" "2026-12-10T20:00:00Z" \
	"$(printf '%s' "$OUT" | jq -r '.interviews[0].starts_at')"
expect_eq "upcoming: it ends an hour later" "2026-12-10T21:00:00Z" "$(printf '%s' "$OUT" | jq -r '.interviews[0].ends_at')"
expect_eq "upcoming: the meeting link from X-GOOGLE-CONFERENCE" "https://meet.google.com/abc-defg-hij" \
	"$(printf '%s' "$OUT" | jq -r '.interviews[0].meeting_url')"
expect_eq "upcoming: the organizer" "Jane Recruiter <jane.recruiter@algorithmia.com>" \
	"$(printf '%s' "$OUT" | jq -r '.interviews[0].organizer')"
ctl --json show 1
expect_eq "show: at least screen now" screen "$(printf '%s' "$OUT" | jq -r .status)"
expect_eq "show: the interview, video, at the Meet link" "2026-12-10T20:00:00Z video https://meet.google.com/abc-defg-hij" \
	"$(printf '%s' "$OUT" | jq -r '.interviews[0] | "\(.starts_at) \(.type) \(.location)"')"
expect_match "show: the timeline says where the interview came from" \
	'interview 2026-12-10T20:00:00Z from invitation "Interview with Algorithmia" by Jane Recruiter' \
	"$(printf '%s' "$OUT" | jq -r '.events[].text')"
for i in $(seq 1 50); do grep -q 'DTSTART:20261210T200000Z' "$FEED" 2>/dev/null && break; sleep 0.1; done
expect_match "the calendar feed has the interview" "DTSTART:20261210T200000Z" "$(cat "$FEED" 2>/dev/null)"

# rescheduled: SEQUENCE 1, from Google's own address (the mail reads as nothing in particular)
invite_mail "$INV/google_moved.ics" invite-2@google.com "Updated invitation: Interview with Algorithmia" \
	"Wed, 02 Dec 2026 09:00:00 +0000" "$CALENDAR" >"$T/moved.eml"
deliver "$T/moved.eml" 3.moved
sync_mail
check "a higher SEQUENCE moves the interview" \
	wait_sql "SELECT starts_at FROM interviews" "2026-12-11T15:00:00Z"
expect_eq "still one interview" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM interviews")"
for i in $(seq 1 50); do grep -q 'DTSTART:20261211T150000Z' "$FEED" 2>/dev/null && break; sleep 0.1; done
expect_match "the feed moves it too" "DTSTART:20261211T150000Z" "$(cat "$FEED" 2>/dev/null)"

# broken: a TZID nobody knows; it waits for the user, nothing else changes
events=$(sqlite3 "$DB" "SELECT count(*) FROM events")
apps=$(sqlite3 "$DB" "SELECT group_concat(status || updated_at) FROM applications")
sed 's/7kukuqrfedlm2f9t0vr6q5ssvn/brokenbrokenbroken/' "$INV/broken_bad_tzid.ics" >"$T/broken.ics"
invite_mail "$T/broken.ics" invite-3@google.com "Algorithmia - Interview invitation" \
	"Wed, 02 Dec 2026 10:00:00 +0000" "$RECRUITER" >"$T/broken.eml"
deliver "$T/broken.eml" 4.broken
sync_mail
check "the broken invitation is queued for review" wait_sql "SELECT count(*) FROM review" 1
ctl --json review list
expect_match "review: the reason names the problem" 'invitation: DTSTART names time zone "Mars/Olympus_Mons"' \
	"$(printf '%s' "$OUT" | jq -r '.[0].reason')"
ctl review list
expect_match "review (table) shows it" "Mars/Olympus_Mons" "$OUT"
expect_eq "broken: no event added" "$events" "$(sqlite3 "$DB" "SELECT count(*) FROM events")"
expect_eq "broken: the application unchanged" "$apps" \
	"$(sqlite3 "$DB" "SELECT group_concat(status || updated_at) FROM applications")"
expect_eq "broken: the interview unchanged" "2026-12-11T15:00:00Z" "$(sqlite3 "$DB" "SELECT group_concat(starts_at) FROM interviews")"

# cancelled
invite_mail "$INV/google_cancel.ics" invite-4@google.com "Canceled event: Interview with Algorithmia" \
	"Thu, 03 Dec 2026 09:00:00 +0000" "$CALENDAR" >"$T/cancel.eml"
deliver "$T/cancel.eml" 5.cancel
sync_mail
check "the cancellation removes the interview" wait_sql "SELECT count(*) FROM interviews" 0
ctl --json upcoming --days 30
expect_eq "upcoming: no interview left" 0 "$(printf '%s' "$OUT" | jq '.interviews | length')"
ctl --json show 1
expect_eq "a cancellation does not move the application" screen "$(printf '%s' "$OUT" | jq -r .status)"
expect_match "the timeline says it was cancelled" "interview 2026-12-11T15:00:00Z cancelled by invitation" \
	"$(printf '%s' "$OUT" | jq -r '.events[].text')"
for i in $(seq 1 50); do grep -q 'DTSTART:20261211T150000Z' "$FEED" 2>/dev/null || break; sleep 0.1; done
expect_eq "the feed drops it" "" "$(grep 'DTSTART:20261211T150000Z' "$FEED" 2>/dev/null)"
expect_match "the feed is still there" "BEGIN:VCALENDAR" "$(cat "$FEED" 2>/dev/null)"

# everything read again after a restart: nothing doubles, nothing comes back
events=$(sqlite3 "$DB" "SELECT count(*) FROM events")
stop_daemon TERM
expect_eq "clean stop" 0 "$DAEMON_RC"
start_daemon || fail "daemon restarts"
sync_mail
sleep 0.3
expect_eq "after a restart: no interview back" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM interviews")"
expect_eq "after a restart: no event doubled" "$events" "$(sqlite3 "$DB" "SELECT count(*) FROM events")"
expect_eq "after a restart: one review entry" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM review")"

# recurring, sent before its first occurrence and read later: the first occurrence still
# ahead of now (2026-12-01 12:00), not of the mail's Date (that would be 2026-11-24)
invite_mail "$INV/weekly_count.ics" invite-5@google.com "Algorithmia - Weekly check-in" \
	"Fri, 20 Nov 2026 10:00:00 +0000" "$RECRUITER" >"$T/weekly.eml"
deliver "$T/weekly.eml" 6.weekly
sync_mail
check "a recurring invitation gives the first occurrence still ahead" \
	wait_sql "SELECT starts_at FROM interviews WHERE invite_uid = 'weekly_count.ics@apptrack.test'" \
	"2026-12-01T15:00:00Z"
ctl --json show 1
expect_match "the timeline says it recurs" 'interview 2026-12-01T15:00:00Z from invitation "Weekly check-in".*recurs' \
	"$(printf '%s' "$OUT" | jq -r '.events[].text')"
finish
