#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_imap_poll.sh - a server without IDLE is polled every poll_interval; mail sync reads
# at once; several folders are followed, each with its own mail_state.
. "$(dirname "$0")/lib.sh"
# Dovecot without IDLE in its capabilities (the rest as Dovecot 2.3 announces them)
DOVECOT_EXTRA_CONF="imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ NAMESPACE UIDPLUS MULTIAPPEND"
. "$(dirname "$0")/dovecot.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"

dovecot_start || { fail "dovecot did not start"; finish; }
python3 - "$DOVECOT_PORT" "$DOVECOT_USER" "$DOVECOT_PASSWORD" <<'PY' || fail "could not create folder Jobs"
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login(sys.argv[2], sys.argv[3])
typ, _ = m.create("Jobs")
sys.exit(0 if typ == "OK" else 1)
PY
mkdir -p "$XDG_CONFIG_HOME/apptrack"
cat >"$XDG_CONFIG_HOME/apptrack/apptrack.conf" <<CONF
[account poll]
host = 127.0.0.1
port = $DOVECOT_PORT
tls = none
user = $DOVECOT_USER
password_command = echo $DOVECOT_PASSWORD
folders = INBOX, Jobs
poll_interval = 2s
CONF

append_to() { # FOLDER FILE
	python3 - "$DOVECOT_PORT" "$DOVECOT_USER" "$DOVECOT_PASSWORD" "$1" "$2" <<'PY'
import imaplib, re, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login(sys.argv[2], sys.argv[3])
data = re.sub(rb"\r?\n", b"\r\n", open(sys.argv[5], "rb").read())
typ, _ = m.append(sys.argv[4], None, None, data)
sys.exit(0 if typ == "OK" else 1)
PY
}
apps() { sqlite3 "$DB" "SELECT group_concat(company || ':' || status, ',') FROM (SELECT * FROM applications ORDER BY id)"; }
wait_apps() { # EXPECTED TRIES
	local i got=
	for i in $(seq 1 "$2"); do
		got=$(apps 2>/dev/null)
		[ "$got" = "$1" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}

append_to INBOX "$CORPUS/lever_algorithmia_confirmation_inferred.eml" || fail "APPEND to INBOX"
start_daemon || { fail "daemon did not start"; finish; }
expect_eq "first sync" "Algorithmia:applied" "$(wait_apps Algorithmia:applied 100)"
ctl --json mail status
expect_eq "no IDLE offered: the worker polls" "false" "$(printf '%s' "$OUT" | jq -r '.[0].idle')"
expect_eq "both folders listed" "INBOX,Jobs" "$(printf '%s' "$OUT" | jq -r '.[0].folders | map(.name) | join(",")')"

append_to Jobs "$CORPUS/indeed_apply_apptio_confirmation_2019.eml" || fail "APPEND to Jobs"
expect_eq "the next poll (2 s) reads the second folder" "Algorithmia:applied,Apptio:applied" \
	"$(wait_apps Algorithmia:applied,Apptio:applied 100)"
expect_eq "one mail_state row per folder" "INBOX:1,Jobs:1" \
	"$(sqlite3 "$DB" "SELECT group_concat(mailbox || ':' || last_uid, ',') FROM (SELECT * FROM mail_state ORDER BY mailbox)")"

# a long poll_interval: only mail sync reads the new message
stop_daemon TERM
sed -i 's/^poll_interval = 2s/poll_interval = 1h/' "$XDG_CONFIG_HOME/apptrack/apptrack.conf"
start_daemon || { fail "daemon did not start"; finish; }
for i in $(seq 1 100); do
	[ "$("$APPTRACKCTL" --json mail status | jq -r '.[0].last_sync')" != null ] && break
	sleep 0.1
done
append_to INBOX "$CORPUS/lever_algorithmia_rejection_inferred.eml" || fail "APPEND to INBOX"
sleep 1
expect_eq "without IDLE and before the next poll, nothing new" "Algorithmia:applied,Apptio:applied" "$(apps)"
ctl mail sync
expect_eq "mail sync reads it now" "Algorithmia:rejected,Apptio:applied" \
	"$(wait_apps Algorithmia:rejected,Apptio:applied 50)"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
