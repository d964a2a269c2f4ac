#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_imap.sh - apptrackd following a real Dovecot on 127.0.0.1: mail APPENDed before the
# start and while the daemon idles becomes applications and moves them forward; a restart,
# a SIGKILL in the middle of the batches, a Dovecot restart and a UIDVALIDITY change
# neither lose nor double anything; messages built to overflow the MIME parser wait in the
# review queue and the mail after them is applied.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dovecot.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"

dovecot_start || { fail "dovecot did not start"; finish; }
mkdir -p "$XDG_CONFIG_HOME/apptrack"
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account jobs]
host = 127.0.0.1
port = $DOVECOT_PORT
tls = none
user = $DOVECOT_USER
password_command = printf '%s\n' '$DOVECOT_PASSWORD'
poll_interval = 1h
CONF

# wait_list JQ-FILTER EXPECTED [TRIES] : polls `apptrackctl --json list` until the filter gives EXPECTED
wait_list() {
	local filter=$1 want=$2 tries=${3:-150} got= i
	for i in $(seq 1 "$tries"); do
		got=$("$APPTRACKCTL" --json list --sort id 2>/dev/null | jq -r "$filter")
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}
# wait_apps COUNT [TRIES] : polls the number of applications (list pages at 1000)
wait_apps() {
	local got= i
	for i in $(seq 1 "${2:-300}"); do
		got=$(sqlite3 "$DB" "SELECT count(*) FROM applications" 2>/dev/null)
		[ "$got" = "$1" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}
status_of() { "$APPTRACKCTL" --json mail status | jq -r ".[0].$1"; }
sql() { sqlite3 "$DB" "$1"; }

# 1. mail that is on the server before the daemon starts
dovecot_append "$CORPUS/lever_algorithmia_confirmation_inferred.eml" \
	"$CORPUS/indeed_apply_apptio_confirmation_2019.eml" \
	"$CORPUS/linkedin_job_alert_digest_1_noise.eml" >/dev/null
start_daemon || { fail "daemon did not start"; finish; }
expect_eq "mail on the server before the start becomes applications" "Algorithmia:applied,Apptio:applied" \
	"$(wait_list 'map(.company + ":" + .status) | join(",")' "Algorithmia:applied,Apptio:applied")"
expect_eq "sources from the sender families" "lever,indeed" \
	"$("$APPTRACKCTL" --json list --sort id | jq -r 'map(.source) | join(",")')"
ctl --json mail status
expect_eq "mail status: connected" "true" "$(printf '%s' "$OUT" | jq -r '.[0].connected')"
expect_eq "mail status: the folder read up to UID 3" "INBOX:3:3" \
	"$(printf '%s' "$OUT" | jq -r '.[0].folders[0] | "\(.name):\(.last_uid):\(.read)"')"
expect_eq "mail_state stored with the batch" "3" "$(sql "SELECT last_uid FROM mail_state WHERE account='jobs' AND mailbox='INBOX'")"
for i in $(seq 1 50); do [ "$(status_of idle)" = true ] && break; sleep 0.1; done
expect_eq "the server offers IDLE, the worker idles" "true" "$(status_of idle)"
ctl mail status
expect_match "mail status table: one row per folder" "jobs +INBOX +yes" "$OUT"

# 2. mail APPENDed while the daemon idles advances the application
dovecot_append "$CORPUS/lever_algorithmia_rejection_inferred.eml" >/dev/null
expect_eq "a rejection APPENDed while idling moves Algorithmia to rejected" "rejected" \
	"$(wait_list 'map(select(.company == "Algorithmia"))[0].status' rejected)"
events_before=$(sql "SELECT count(*) FROM events")

# 3. a restart reads nothing twice
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
start_daemon || { fail "daemon did not restart"; finish; }
ctl mail sync
for i in $(seq 1 50); do [ "$(status_of idle)" = true ] && break; sleep 0.1; done
expect_eq "after a restart: still two applications" "2" "$("$APPTRACKCTL" --json list | jq length)"
expect_eq "after a restart: no event added" "$events_before" "$(sql "SELECT count(*) FROM events")"
expect_eq "after a restart: nothing read again" "0" "$(status_of read)"

# 4. SIGKILL in the middle of N messages: nothing lost, nothing doubled
N=5000
stop_daemon TERM
imapctl append-generated $N >/dev/null || fail "could not APPEND $N messages"
start_daemon || { fail "daemon did not start"; finish; }
# kill it as soon as the first batch is committed (polled every 2 ms, for at most 30 s)
python3 - "$DB" "$DAEMON_PID" <<'PY'
import os, signal, sqlite3, sys, time
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=0.1)
        n = db.execute("SELECT count(*) FROM applications").fetchone()[0]
        db.close()
        if n > 2:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.002)
os.kill(int(sys.argv[2]), signal.SIGKILL)
PY
stop_daemon KILL
killed_at=$(sql "SELECT count(*) FROM applications")
check "killed part-way through ($killed_at of $((N + 2)) applications stored)" test "$killed_at" -lt $((N + 2))
expect_eq "mail_state matches what was committed" \
	"$(sql "SELECT count(*) + 4 FROM applications WHERE source IS NOT 'lever' AND source IS NOT 'indeed'")" \
	"$(sql "SELECT last_uid FROM mail_state")"
start_daemon || { fail "daemon did not start after SIGKILL"; finish; }
expect_eq "after SIGKILL and a restart: every message applied once" "$((N + 2))" "$(wait_apps $((N + 2)))"
expect_eq "no company twice" "$((N + 2))" "$(sql "SELECT count(DISTINCT company) FROM applications")"
expect_eq "one email event per applied message" "$((N + 3))" "$(sql "SELECT count(*) FROM events WHERE kind = 'email'")"

# 5. Dovecot restarts: the worker reconnects by itself
dovecot_restart || { fail "dovecot did not restart"; finish; }
dovecot_append "$CORPUS/$(awk -F'\t' '$2 == "confirmation" && $3 == "Rapid7" { print $1; exit }' "$CORPUS/labels.tsv")" >/dev/null
expect_eq "after a Dovecot restart the worker reconnects and reads new mail" "$((N + 3))" "$(wait_apps $((N + 3)))"
for i in $(seq 1 100); do [ "$(status_of connected)" = true ] && break; sleep 0.1; done
expect_eq "connected again" "true" "$(status_of connected)"

# 6. a new UIDVALIDITY: the folder is read again, nothing doubled
old_validity=$(sql "SELECT uidvalidity FROM mail_state")
stop_daemon TERM
dovecot_uidvalidity_reset || fail "could not reset UIDVALIDITY"
start_daemon || { fail "daemon did not start"; finish; }
for i in $(seq 1 300); do
	v=$(sql "SELECT uidvalidity FROM mail_state")
	[ "$v" != "$old_validity" ] && [ "$(status_of idle)" = true ] && break
	sleep 0.1
done
check "mail_state has the new UIDVALIDITY" test "$(sql "SELECT uidvalidity FROM mail_state")" != "$old_validity"
expect_eq "the renumbered folder was read again" "$((N + 5))" "$(status_of read)"
expect_eq "nothing doubled after the renumbering" "$((N + 3))" "$(sql "SELECT count(*) FROM applications")"
expect_eq "no event doubled" "$((N + 4))" "$(sql "SELECT count(*) FROM events WHERE kind = 'email'")"

# 7. a message 60,000 multiparts deep (which overflowed libetpan's stack), and one of
#    60,000 enclosed messages, APPENDed while the daemon idles: the daemon keeps answering,
#    both wait in the review queue with the reason, and the mail after them is applied
python3 "$(dirname "$0")/hostile_mail.py" deep 60000 >"$T/deep.eml"
python3 "$(dirname "$0")/hostile_mail.py" messages 60000 >"$T/messages.eml"
dovecot_append "$T/deep.eml" "$T/messages.eml" >/dev/null
imapctl append-generated 1 --start 90001 >/dev/null || fail "could not APPEND the mail after the poison"
expect_eq "the mail after the poison is applied" "$((N + 4))" "$(wait_apps $((N + 4)))"
ctl ping
expect_eq "the daemon answers" 0 "$RC"
expect_eq "the poison waits in the review queue, saying why" \
	"deep 60000|not read: nested deeper than 32 multipart or message levels|messages 60000|not read: nested deeper than 32 multipart or message levels" \
	"$(sql "SELECT group_concat(subject || '|' || reason, '|') FROM (SELECT * FROM review WHERE account = 'jobs' ORDER BY uid)")"
# mail.status's folder counts are the worker's, which it updates once the main loop has
# stored the batch: under load a moment after the applications are counted
past_it() { [ "$(status_of 'folders[0].last_uid')" = "$(dovecot_count)" ]; }
wait_until 300 past_it
expect_eq "mail_state went past it" "$(dovecot_count)" "$(status_of 'folders[0].last_uid')"

# the password never shows
check "the password is not in the log" sh -c "! grep -q '$DOVECOT_PASSWORD' '$T/daemon.log'"
check "the password is not in the database" sh -c "! grep -aq '$DOVECOT_PASSWORD' '$DB'"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
