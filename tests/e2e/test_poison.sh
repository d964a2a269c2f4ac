#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_poison.sh - mail built to hurt, in a watched Maildir and given to `rules test`:
# messages 60,000 multiparts or enclosed messages deep (which overflowed libetpan's stack)
# leave the daemon answering, wait in the review queue with the reason, and the mail after
# them is applied; a ping is answered while slow mail is being read; a fault while a
# message is read quarantines it at the next start, never to be read again; a signal from
# outside while reading (SIGKILL, systemd's watchdog SIGABRT) quarantines nothing.
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"
HOSTILE="python3 $(dirname "$0")/hostile_mail.py"
RAW="python3 $(dirname "$0")/rawsock.py"
CRASHWATCH="python3 $(dirname "$0")/crashwatch.py"
MARKERS="$DB-reading"
QUARANTINE_REASON="this message stopped apptrackd while it was being read; it is not read again"
use_maildir
apps() { sqlite3 "$DB" "SELECT count(*) FROM applications" 2>/dev/null; }
apps_are() { [ "$(apps)" = "$1" ]; }
review_count() { sqlite3 "$DB" "SELECT count(*) FROM review" 2>/dev/null; }

# 1. poison in the mailbox, with good mail after it
$HOSTILE deep 60000 >"$T/deep.eml"
$HOSTILE messages 60000 >"$T/messages.eml"
deliver "$T/deep.eml" 1.deep
deliver "$T/messages.eml" 2.messages
deliver "$CORPUS/lever_algorithmia_confirmation_inferred.eml" 3.good
start_daemon || { fail "daemon did not start"; finish; }
check "the mail after the poison is applied" wait_until 200 apps_are 1
ctl ping
expect_eq "the daemon answers" 0 "$RC"
ctl --json review list
expect_eq "both poison messages wait in the review queue" 2 "$(printf '%s' "$OUT" | jq length)"
expect_eq "each says why" "not read: nested deeper than 32 multipart or message levels" \
	"$(printf '%s' "$OUT" | jq -r 'map(.reason) | unique | join("|")')"
expect_eq "with the sender and subject of their top header" "deep 60000,messages 60000" \
	"$(printf '%s' "$OUT" | jq -r 'map(.subject) | sort | join(",")')"
deep_id=$(printf '%s' "$OUT" | jq -r '.[] | select(.subject == "deep 60000") | .id')
ctl --json review show "$deep_id"
expect_eq "review show: exit 0" 0 "$RC"
expect_match "review show gives the raw message, as it cannot be read" "Subject: deep 60000" \
	"$(printf '%s' "$OUT" | jq -r .raw)"
ctl review show "$deep_id"
expect_match "review show (table) says it was not read and shows it raw" "not read; the raw message begins:.*Subject: deep 60000" "$(printf '%s' "$OUT" | tr '\n' ' ')"
ctl review apply "$deep_id"
expect_eq "review apply without --app: exit 1" 1 "$RC"
expect_match "it still cannot be applied, and says why" "still cannot be applied: not read: nested deeper" "$ERR"
ctl --json review retry
expect_eq "review retry: both stay queued" "2:0" "$(printf '%s' "$OUT" | jq -r '"\(.still_queued):\(.applied)"')"
ctl review apply "$deep_id" --app 1
expect_eq "review apply --app: exit 0" 0 "$RC"
expect_eq "the application got its email event" 1 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE application_id = 1 AND kind = 'email' AND text LIKE '%deep 60000%'")"
ctl --json rules test "$T/deep.eml" "$T/messages.eml" "$CORPUS/lever_algorithmia_confirmation_inferred.eml"
expect_eq "rules test of the poison: exit 0" 0 "$RC"
expect_eq "rules test reads it as nothing, and says why" "none:nested deeper than 32 multipart or message levels" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.kind):\(.error)"')"
expect_eq "and the good message after it as what it is" confirmation "$(printf '%s' "$OUT" | jq -r '.[2].kind')"

# 2. slow mail (within every bound, a quarter of a second each) does not hold the socket:
#    a ping sent after a rules test of it is answered first
$HOSTILE slow 8 "slow one" >"$T/slow1.eml"
$HOSTILE slow 8 "slow two" >"$T/slow2.eml"
python3 - "$T/slow1.eml" "$T/slow2.eml" >"$T/slow.json" <<'PY'
import base64, json, sys
msgs = [{"file": f, "raw": base64.b64encode(open(f, "rb").read()).decode()} for f in sys.argv[1:]]
print(json.dumps({"id": "slow", "method": "rules.test", "params": {"messages": msgs}}))
PY
expect_eq "a ping is answered while slow mail is read" "ping slow" "$($RAW "$SOCK" race "$T/slow.json" | tr '\n' ' ' | sed 's/ $//')"

# 3. a fault in the thread that reads a message: the daemon dies, and at the next start
#    that message is quarantined and the rest is read
stop_daemon TERM
$HOSTILE slow 16 "fault while reading me" >"$T/fault.eml"
deliver "$T/fault.eml" 4.slow-fault
deliver "$CORPUS/indeed_apply_apptio_confirmation_2019.eml" 5.good
"$APPTRACKD" --foreground 2>>"$T/daemon.log" &
DAEMON_PID=$!
marker=$($CRASHWATCH "$DAEMON_PID" "$MARKERS" slow-fault SEGV local)
check "a fault was sent to the reading thread" test -n "$marker"
wait "$DAEMON_PID"
rc=$?
# SIGSEGV, or SIGABRT from AddressSanitizer's report of it in the sanitizer build
check "the daemon died of it (status $rc)" test "$rc" = 139 -o "$rc" = 134
DAEMON_PID=
key=$(printf '%s\n' "$marker" | sed -n 's/^key=//p')
expect_eq "the marker named the message by its SHA-256" "sha256:$(sha256sum "$T/fault.eml" | cut -d' ' -f1)" "$key"
start_daemon || { fail "daemon did not start again"; finish; }
check "the start says which message stopped it" wait_until 100 grep -q "account local: Maildir file 4.slow-fault in INBOX stopped apptrackd while it was being read" "$T/daemon.log"
check "the mail after it is read" wait_until 200 apps_are 2
qid=$(sqlite3 "$DB" "SELECT id FROM review WHERE message_id = '$key'")
check "it waits in the review queue" test -n "$qid"
expect_eq "with the reason and where it came from" "$QUARANTINE_REASON|local|INBOX" \
	"$(sqlite3 "$DB" "SELECT reason || '|' || account || '|' || mailbox FROM review WHERE id = '${qid:-0}'")"
show_raw() { "$APPTRACKCTL" --json review show "$qid" 2>/dev/null | jq -r '.raw // empty' | grep -q "fault while reading me"; }
check "met again in the rescan, it is kept whole for review show, unread" wait_until 200 show_raw
check "every marker is empty again" test -z "$(find "$MARKERS" -type f -size +0)"
ctl review apply "$qid"
expect_eq "review apply of it without --app: exit 1" 1 "$RC"
expect_match "it cannot be read: --app or drop" "cannot be read.*give --app ID" "$ERR"
ctl --json review retry
expect_eq "review retry leaves it queued (with the 60,000 levels one)" 2 "$(printf '%s' "$OUT" | jq -r .still_queued)"
ctl --json rules test "$T/fault.eml"
expect_eq "rules test does not read it either" "$QUARANTINE_REASON" "$(printf '%s' "$OUT" | jq -r '.[0].error')"
stop_daemon TERM
: >"$T/daemon.log"
printf 'not a marker\n' >"$MARKERS/junk"
start_daemon || { fail "daemon did not start a third time (with a file in the markers that is no marker)"; finish; }
check "a file there that is no marker is named and ignored" grep -q "junk is not a reading marker, ignoring it" "$T/daemon.log"
ctl mail sync
check "the rescan after a restart is done" wait_until 100 grep -q "watching Maildir" "$T/daemon.log"
sleep 1
expect_eq "after a restart: it is not quarantined twice" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM review WHERE message_id = '$key'")"
check "and not read again" test -z "$(grep 'stopped apptrackd' "$T/daemon.log")"

# 4. a signal from outside while reading is not the message's doing: the message is read
#    again at the next start. SIGKILL (the OOM killer, kill -9) cannot be caught; SIGABRT
#    sent to the process, as systemd's watchdog sends it, is caught and marks nothing.
ctl review drop "$qid"
before=$(review_count)
stop_daemon TERM
$HOSTILE slow 16 "killed while reading me" >"$T/kill.eml"
deliver "$T/kill.eml" 6.slow-kill
"$APPTRACKD" --foreground 2>>"$T/daemon.log" &
DAEMON_PID=$!
marker=$($CRASHWATCH "$DAEMON_PID" "$MARKERS" slow-kill ABRT)
check "SIGABRT sent to the process while it read" test -n "$marker"
wait "$DAEMON_PID"
expect_eq "the daemon died of it" 134 "$?"
DAEMON_PID=
start_daemon || { fail "daemon did not start after SIGABRT"; finish; }
check "the start says it reads the message again" wait_until 100 grep -q "stopped from outside while it read account local: Maildir file 6.slow-kill" "$T/daemon.log"
$HOSTILE slow 16 "killed again while reading me" >"$T/kill2.eml"
deliver "$T/kill2.eml" 7.slow-kill
stop_daemon TERM
"$APPTRACKD" --foreground 2>>"$T/daemon.log" &
DAEMON_PID=$!
marker=$($CRASHWATCH "$DAEMON_PID" "$MARKERS" 7.slow-kill KILL)
check "SIGKILL sent while reading" test -n "$marker"
wait "$DAEMON_PID"
DAEMON_PID=
start_daemon || { fail "daemon did not start after SIGKILL"; finish; }
check "after SIGKILL too it reads the message again" wait_until 100 grep -q "stopped from outside while it read account local: Maildir file 7.slow-kill" "$T/daemon.log"
ctl ping
sleep 1
expect_eq "nothing was quarantined" "$before" "$(review_count)"
expect_eq "the dropped quarantined message stays dropped" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM review WHERE message_id = '$key'")"
finish
