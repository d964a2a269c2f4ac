#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# imap.sh BUILD_DIR - the mail benchmark against a real Dovecot on 127.0.0.1 (the e2e
# harness, tests/e2e/dovecot.sh):
#   1. initial sync: 10,000 confirmations waiting on the server when apptrackd starts, until
#      all 10,000 applications are stored. Target: under 30 s.
#   2. IDLE latency: a confirmation APPENDed while apptrackd idles, until `apptrackctl list
#      --company NAME` shows it; 20 times. Target: the slowest under 2 s.
# Prints one line per measurement; exits 1 when a target is missed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
export APPTRACKD="$build/apptrackd" APPTRACKCTL="$build/apptrackctl"
. "$here/../e2e/lib.sh"
. "$here/../e2e/dovecot.sh"
N=10000
status=0
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l | xargs printf '%.3f'; }

dovecot_start || exit 1
cat >"$XDG_CONFIG_HOME/apptrack.conf" <<CONF
[account bench]
host = 127.0.0.1
port = $DOVECOT_PORT
tls = none
user = $DOVECOT_USER
password_command = echo $DOVECOT_PASSWORD
CONF
mkdir -p "$XDG_CONFIG_HOME/apptrack" && mv "$XDG_CONFIG_HOME/apptrack.conf" "$XDG_CONFIG_HOME/apptrack/"
imapctl append-generated $N >/dev/null || { echo "could not APPEND $N messages" >&2; exit 1; }

start=$(now)
start_daemon || exit 1
n=0
for _ in $(seq 1 1200); do # 60 s at most
	n=$(sqlite3 "$DB" "SELECT count(*) FROM applications" 2>/dev/null || echo 0)
	[ "$n" -ge $N ] && break
	sleep 0.05
done
t=$(elapsed "$start" "$(now)")
verdict=$(echo "$n == $N && $t < 30" | bc)
printf 'initial sync of %d messages: %s s, %d applications (target < 30 s) %s\n' $N "$t" "$n" \
	"$([ "$verdict" = 1 ] && echo ok || echo MISSED)"
[ "$verdict" = 1 ] || status=1

worst=0
for i in $(seq 1 20); do
	for _ in $(seq 1 100); do # idling again after the previous round
		[ "$("$APPTRACKCTL" --json mail status | jq -r '.[0].idle')" = true ] && break
		sleep 0.02
	done
	company=$(printf 'Company%05d' $((N + i)))
	start=$(now)
	imapctl append-generated 1 --start $((N + i)) >/dev/null
	seen=0
	for _ in $(seq 1 500); do # 10 s at most
		if [ "$("$APPTRACKCTL" --json list --company "$company" | jq length)" = 1 ]; then
			seen=1
			break
		fi
		sleep 0.02
	done
	t=$(elapsed "$start" "$(now)")
	[ $seen = 1 ] || t=99
	worst=$(echo "if ($t > $worst) $t else $worst" | bc -l)
done
verdict=$(echo "$worst < 2" | bc)
printf 'APPEND while idling to visible in apptrackctl list: slowest of 20 %.3f s (target < 2 s) %s\n' "$worst" \
	"$([ "$verdict" = 1 ] && echo ok || echo MISSED)"
[ "$verdict" = 1 ] || status=1
stop_daemon TERM
exit $status
