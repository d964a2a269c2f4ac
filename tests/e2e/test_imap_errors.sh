#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_imap_errors.sh - IMAP accounts that cannot work say why in `mail status` (wrong
# password, unreachable host, untrusted certificate, failing password_command), without
# showing a password anywhere; TLS (implicit and STARTTLS) works against a certificate
# named with ca_file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dovecot.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"

dovecot_start --ssl || { fail "dovecot did not start"; finish; }
CLOSED_PORT=$(_dovecot_free_port)
WRONG=not-the-Pa55word
mkdir -p "$XDG_CONFIG_HOME/apptrack"
account() { # NAME PORT TLS PASSWORD_COMMAND [EXTRA]
	printf '[account %s]\nhost = 127.0.0.1\nport = %s\ntls = %s\nuser = %s\npassword_command = %s\npoll_interval = 1h\n%s\n\n' \
		"$1" "$2" "$3" "$DOVECOT_USER" "$4" "${5:-}"
}
{
	account implicit "$DOVECOT_SSL_PORT" implicit "echo $DOVECOT_PASSWORD" "ca_file = $DOVECOT_DIR/ssl/cert.pem"
	account starttls "$DOVECOT_PORT" starttls "echo $DOVECOT_PASSWORD" "ca_file = $DOVECOT_DIR/ssl/cert.pem"
	account untrusted "$DOVECOT_SSL_PORT" implicit "echo $DOVECOT_PASSWORD"
	account wrongpw "$DOVECOT_PORT" none "echo $WRONG"
	account unreachable "$CLOSED_PORT" none "echo $DOVECOT_PASSWORD"
	account nopw "$DOVECOT_PORT" none "echo oops >&2; exit 3"
} >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"

dovecot_append "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" >/dev/null
start_daemon || { fail "daemon did not start"; finish; }

# waits until every account has either synced or failed at least once
for i in $(seq 1 150); do
	pending=$("$APPTRACKCTL" --json mail status | jq '[.[] | select(.last_sync == null and .last_error == null)] | length')
	[ "$pending" = 0 ] && break
	sleep 0.1
done
ctl --json mail status
field() { printf '%s' "$OUT" | jq -r --arg a "$1" ".[] | select(.account == \$a) | .$2"; }

expect_eq "implicit TLS with ca_file: connected" "true" "$(field implicit connected)"
expect_eq "implicit TLS with ca_file: no error" "null" "$(field implicit last_error)"
expect_eq "STARTTLS with ca_file: connected" "true" "$(field starttls connected)"
expect_eq "the message was read over TLS" "1" "$(field implicit read)"

expect_eq "untrusted certificate: not connected" "false" "$(field untrusted connected)"
expect_match "untrusted certificate: says so" "TLS: the certificate of 127.0.0.1:$DOVECOT_SSL_PORT is not trusted.*ca_file" \
	"$(field untrusted last_error)"
expect_eq "wrong password: not connected" "false" "$(field wrongpw connected)"
expect_match "wrong password: the server's refusal" "login to 127.0.0.1:$DOVECOT_PORT refused by the server: .*(AUTHENTICATIONFAILED|[Aa]uthentication failed)" \
	"$(field wrongpw last_error)"
check "wrong password: a next attempt is scheduled" test "$(field wrongpw next_attempt)" != null
expect_eq "unreachable host: not connected" "false" "$(field unreachable connected)"
expect_match "unreachable host: says which" "cannot connect to 127.0.0.1:$CLOSED_PORT" "$(field unreachable last_error)"
expect_match "failing password_command: says so, not its output" "^password_command failed \\(exit status 3\\)" \
	"$(field nopw last_error)"
check "failing password_command: its stderr is not quoted" sh -c "! printf '%s' '$OUT' | grep -q oops"

ctl mail status
expect_match "table: the error beside the account" "wrongpw +INBOX +no .*refused" "$OUT"

# mail sync tries again at once: still the same clear error, counted once in the log
ctl mail sync
expect_eq "mail sync answers" 0 "$RC"
sleep 0.5
ctl --json mail status
expect_match "after mail sync: still refused" "refused by the server" "$(field wrongpw last_error)"
expect_eq "each failure logged once" 1 "$(grep -c 'account wrongpw: login' "$T/daemon.log")"

check "no password in the log" sh -c "! grep -q -e '$DOVECOT_PASSWORD' -e '$WRONG' '$T/daemon.log'"
check "no password in mail status" sh -c "! printf '%s' '$OUT' | grep -q -e '$DOVECOT_PASSWORD' -e '$WRONG'"
check "no password in the database" sh -c "! grep -aq -e '$DOVECOT_PASSWORD' -e '$WRONG' '$DB'"

stop_daemon TERM
expect_eq "daemon stops cleanly with failing accounts" 0 "$DAEMON_RC"
finish
