#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_imap_oauth.sh - IMAP accounts with auth = xoauth2 against a real Dovecot whose oauth2
# passdb asks a local introspection endpoint (oauth_introspect.py) about each token: a good
# token (mail arrives); an expired token that the token helper renews on its second run (mail
# arrives at once, no back-off); a refused token (a clear error, the daemon keeps running and
# backs off); a failing token helper; and a server without AUTH=XOAUTH2 (a clear error). No
# token appears in the daemon's log, in `mail status` or in the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dovecot.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"

INTRO_PID=
intro_stop() {
	stop_pid "$INTRO_PID"
	INTRO_PID=
}
at_exit intro_stop

# Tokens: random, so that a grep for them finds nothing but them.
rnd() { printf '%s-%s%s' "$1" "$(date +%s%N)" "$RANDOM$RANDOM"; }
GOOD=$(rnd good-token)
BEARER=$(rnd bearer-token)
OLD=$(rnd expired-token)
NEW=$(rnd renewed-token)
REVOKED=$(rnd revoked-token)
ALL_TOKENS=("$GOOD" "$BEARER" "$OLD" "$NEW" "$REVOKED")
TOKENS="$T/tokens" REQUESTS="$T/introspection.log"
printf '%s %s\n' "$GOOD" "$DOVECOT_USER" "$BEARER" "$DOVECOT_USER" "$NEW" "$DOVECOT_USER" >"$TOKENS"
: >"$REQUESTS"

python3 "$(dirname "$0")/oauth_introspect.py" "$T/intro.port" "$TOKENS" "$REQUESTS" 2>>"$T/intro.log" &
INTRO_PID=$!
wait_until 100 test -s "$T/intro.port" || { fail "the introspection server did not start"; finish; }
INTRO_URL="http://127.0.0.1:$(cat "$T/intro.port")/introspect"
dovecot_start --oauth2 "$INTRO_URL" || { fail "dovecot did not start"; finish; }

# Token helpers: each counts its runs in $T/runs.NAME.
helper() { # NAME FIRST_TOKEN [LATER_TOKEN]: prints FIRST_TOKEN on its first run, LATER_TOKEN after
	cat >"$T/helper.$1" <<-SH
	#!/bin/sh
	n=\$(cat "$T/runs.$1" 2>/dev/null || echo 0)
	n=\$((n + 1))
	echo \$n >"$T/runs.$1"
	if [ \$n -eq 1 ]; then echo "$2"; else echo "${3:-$2}"; fi
	SH
	chmod +x "$T/helper.$1"
}
helper good "$GOOD"
helper renew "$OLD" "$NEW"
helper refused "$REVOKED"
helper bearer "$BEARER"
helper bearerbad "$REVOKED"
runs() { cat "$T/runs.$1" 2>/dev/null || echo 0; }

account() { # NAME PASSWORD_COMMAND [AUTH]
	printf '[account %s]\nhost = 127.0.0.1\nport = %s\ntls = none\nuser = %s\nauth = %s\npassword_command = %s\npoll_interval = 1h\nsince = 36500d\n\n' \
		"$1" "$DOVECOT_PORT" "$DOVECOT_USER" "${3:-xoauth2}" "$2"
}
mkdir -p "$XDG_CONFIG_HOME/apptrack"
{
	account good "$T/helper.good"
	account renew "$T/helper.renew"
	account refused "$T/helper.refused"
	account broken "echo no token here >&2; exit 4"
	account bearer "$T/helper.bearer" oauthbearer
	account bearerbad "$T/helper.bearerbad" oauthbearer
} >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"

dovecot_append "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" >/dev/null
start_daemon || { fail "daemon did not start"; finish; }

# waits until every account has either synced or failed at least once
settled() {
	local pending
	pending=$("$APPTRACKCTL" --json mail status | jq '[.[] | select(.last_sync == null and .last_error == null)] | length')
	[ "$pending" = 0 ]
}
wait_until 300 settled
ctl --json mail status
STATUS_JSON=$OUT
field() { printf '%s' "$STATUS_JSON" | jq -r --arg a "$1" ".[] | select(.account == \$a) | .$2"; }

expect_eq "mail status names the method" "xoauth2" "$(field good auth)"
expect_eq "good token: connected" "true" "$(field good connected)"
expect_eq "good token: no error" "null" "$(field good last_error)"
expect_eq "good token: the message was read" "1" "$(field good read)"
expect_eq "good token: the helper ran once" 1 "$(runs good)"
check "good token: Dovecot's passdb asked the introspection endpoint about it" \
	grep -q "^$GOOD active\$" "$REQUESTS"

expect_eq "expired token: connected after the renewal" "true" "$(field renew connected)"
expect_eq "expired token: no error left" "null" "$(field renew last_error)"
expect_eq "expired token: the message was read" "1" "$(field renew read)"
expect_eq "expired token: the helper ran twice (the renewal)" 2 "$(runs renew)"
check "expired token: the old token was refused by the endpoint" grep -q "^$OLD inactive\$" "$REQUESTS"
expect_match "expired token: the renewal is logged" \
	"account renew: OAuth2 token refused by 127.0.0.1:$DOVECOT_PORT.*; running password_command again for a new token" \
	"$(cat "$T/daemon.log")"
check "expired token: renewed at once, not after a back-off" \
	sh -c "! grep -q 'account renew: .*trying again in' '$T/daemon.log'"
expect_eq "expired token: no next attempt pending" "null" "$(field renew next_attempt)"

expect_eq "refused token: not connected" "false" "$(field refused connected)"
expect_match "refused token: says so, after the renewal attempt" \
	"^OAuth2 token refused by 127.0.0.1:$DOVECOT_PORT, also the new one password_command printed after the first refusal.*: .*(AUTHENTICATIONFAILED|[Aa]uthentication failed)" \
	"$(field refused last_error)"
# twice per attempt; the back-off (1 s at first) may have brought a second attempt already
check "refused token: the helper ran at least twice ($(runs refused))" test "$(runs refused)" -ge 2
check "refused token: a next attempt is scheduled (back-off)" test "$(field refused next_attempt)" != null

expect_eq "OAUTHBEARER: mail status names the method" "oauthbearer" "$(field bearer auth)"
expect_eq "OAUTHBEARER, good token: connected" "true" "$(field bearer connected)"
expect_eq "OAUTHBEARER, good token: the message was read" "1" "$(field bearer read)"
check "OAUTHBEARER: Dovecot's passdb checked the token" grep -q "^$BEARER active\$" "$REQUESTS"
expect_match "OAUTHBEARER, refused token: says so, after the renewal attempt" \
	"^OAuth2 token refused by 127.0.0.1:$DOVECOT_PORT, also the new one password_command printed" \
	"$(field bearerbad last_error)"

expect_eq "failing token helper: not connected" "false" "$(field broken connected)"
expect_match "failing token helper: says so" "^password_command failed \\(exit status 4\\)" "$(field broken last_error)"

ctl mail status
TABLE=$OUT
expect_match "table: the method beside the account" "good +INBOX +yes +xoauth2" "$TABLE"
expect_match "table: the refusal beside the account" "refused +INBOX +no +xoauth2 .*OAuth2 token refused" "$TABLE"

# the daemon keeps running; mail sync tries the refused account again at once, helper included
ctl ping
expect_eq "the daemon still answers" 0 "$RC"
ctl mail sync
expect_eq "mail sync answers" 0 "$RC"
refused_again() { [ "$(runs refused)" -ge 4 ]; }
check "mail sync: the refused account asks its helper again (twice more)" wait_until 300 refused_again
# a token revoked while connected does not matter until the next connection; a new message
# still arrives for the good account over its open connection
dovecot_append "$SHARED_DIR/corpus/mail/code_025_icims_lordabbett_rejection.eml" >/dev/null
ctl mail sync
good_read() { [ "$("$APPTRACKCTL" --json mail status | jq -r '.[] | select(.account == "good") | .read')" = 2 ]; }
check "good token: the next message arrives too" wait_until 200 good_read

ctl --json mail status
STATUS_JSON2=$OUT
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"

# ---- a server that does not offer AUTH=XOAUTH2 ----
dovecot_stop
dovecot_start || { fail "dovecot (without oauth2) did not start"; finish; }
rm -f "$T/runs.good"
account plain "$T/helper.good" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
start_daemon || { fail "daemon did not start"; finish; }
wait_until 300 settled
ctl --json mail status
STATUS_JSON3=$OUT
STATUS_JSON=$OUT
expect_eq "no mechanism: not connected" "false" "$(field plain connected)"
expect_match "no mechanism: says so, with what the server offers" \
	"^the server 127.0.0.1:$DOVECOT_PORT does not offer AUTH=XOAUTH2 \\(it offers AUTH=PLAIN AUTH=LOGIN\\)" \
	"$(field plain last_error)"
expect_eq "no mechanism: the token helper is not run" 0 "$(runs good)"
ctl mail status
TABLE2=$OUT
stop_daemon TERM

# ---- no token anywhere ----
for tok in "${ALL_TOKENS[@]}"; do
	check "token ${tok%%-*}-...: not in the daemon's log" sh -c "! grep -qF -- '$tok' '$T/daemon.log'"
	check "token ${tok%%-*}-...: not in mail status" sh -c "! printf '%s' \"\$1\" | grep -qF -- '$tok'" _ \
		"$STATUS_JSON2 $TABLE $STATUS_JSON3 $TABLE2"
	check "token ${tok%%-*}-...: not in the database" sh -c "! grep -saqF -- '$tok' '$DB' '$DB-wal' '$DB-shm'"
done
finish
