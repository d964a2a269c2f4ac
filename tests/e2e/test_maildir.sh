#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_maildir.sh - apptrackd watching a local Maildir: mail delivered before the start
# and while it runs becomes applications; a restart applies nothing twice; mail status
# and mail sync answer.
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"
MD="$T/Mail"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp" "$MD/.Jobs/new" "$MD/.Jobs/cur" "$MD/.Jobs/tmp"
mkdir -p "$XDG_CONFIG_HOME/apptrack"
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account local]
maildir = $MD
folders = INBOX, Jobs
since = 36500d
poll_interval = 1h
CONF

# delivered before the daemon starts (Maildir delivery: tmp/, then rename into new/)
deliver() { # FILE FOLDERDIR
	local name="$(date +%s).$$.$RANDOM.test"
	cp "$1" "$2/tmp/$name" && mv "$2/tmp/$name" "$2/new/$name"
}
deliver "$CORPUS/lever_algorithmia_confirmation_inferred.eml" "$MD"
deliver "$CORPUS/indeed_apply_apptio_confirmation_2019.eml" "$MD/.Jobs"
deliver "$CORPUS/linkedin_job_alert_digest_1_noise.eml" "$MD"

start_daemon || { fail "daemon did not start"; finish; }
wait_for_apps() { # COUNT
	for i in $(seq 1 100); do
		n=$("$APPTRACKCTL" --json list 2>/dev/null | jq length)
		[ "$n" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
check "mail delivered before the start becomes applications" wait_for_apps 2
ctl --json list --sort id
expect_eq "companies from both folders" "Algorithmia,Apptio" "$(printf '%s' "$OUT" | jq -r 'map(.company) | join(",")')"
expect_eq "sources from the sender families" "lever,indeed" "$(printf '%s' "$OUT" | jq -r 'map(.source) | join(",")')"

# delivered while it runs: picked up at the next sync
deliver "$CORPUS/lever_algorithmia_rejection_inferred.eml" "$MD"
deliver "$CORPUS/coderaulic_apptio_phone_interview_confirmation.eml" "$MD"
deliver "$CORPUS/hackerrank_quantcast_code_challenge_invite.eml" "$MD"
ctl mail sync
expect_eq "mail sync: exit 0" 0 "$RC"
for i in $(seq 1 100); do
	s=$("$APPTRACKCTL" --json list --company algorithmia | jq -r '.[0].status')
	[ "$s" = rejected ] && break
	sleep 0.1
done
expect_eq "a rejection read while running advances the application" rejected "$s"
ctl --json list --company apptio
expect_eq "an interview mail moves Apptio to screen" screen "$(printf '%s' "$OUT" | jq -r '.[0].status')"
ctl --json review list
expect_eq "an assessment for an unknown company is queued for review" Quantcast "$(printf '%s' "$OUT" | jq -r '.[0].company')"
ctl --json mail status
expect_eq "mail status names the account" local "$(printf '%s' "$OUT" | jq -r '.[0].account')"
expect_eq "mail status counts what was read" 6 "$(printf '%s' "$OUT" | jq -r '.[0].read')"
expect_eq "mail status: no error" null "$(printf '%s' "$OUT" | jq -r '.[0].last_error')"
ctl mail status
expect_match "mail status (table)" "local" "$OUT"

# a restart reads everything again and applies nothing twice
events=$(sqlite3 "$DB" "SELECT count(*) FROM events")
stop_daemon TERM
expect_eq "clean stop with a worker running" 0 "$DAEMON_RC"
start_daemon || fail "daemon restarts"
for i in $(seq 1 50); do
	r=$("$APPTRACKCTL" --json mail status | jq -r '.[0].read')
	[ "$r" = 6 ] && break
	sleep 0.1
done
sleep 0.3
expect_eq "after a restart: no duplicate applications" 2 "$("$APPTRACKCTL" --json list | jq length)"
expect_eq "after a restart: no duplicate events" "$events" "$(sqlite3 "$DB" "SELECT count(*) FROM events")"
expect_eq "after a restart: no duplicate review entries" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM review")"

# a missing Maildir is reported, not fatal
stop_daemon TERM
rm -rf "$MD/.Jobs"
start_daemon || fail "daemon starts with a missing folder"
for i in $(seq 1 50); do
	e=$("$APPTRACKCTL" --json mail status | jq -r '.[0].last_error')
	[ "$e" != null ] && break
	sleep 0.1
done
expect_match "a missing folder shows in mail status" "Jobs" "$e"
finish
