# SPDX-License-Identifier: GPL-3.0-or-later
# dovecot.sh - a private, real Dovecot IMAP server for the end-to-end tests (sourced,
# not run). Source it after lib.sh, which provides $T (the per-test temporary directory).
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/dovecot.sh"
#   dovecot_start || { fail "dovecot did not start"; finish; }
#   imapctl append "$CORPUS/some.eml"          # imapctl.py against this server
#
# Everything lives in $T/dovecot/ (config, sockets, state, log, Maildir under mail/alice).
# The server listens on 127.0.0.1 only, on a free port, with one user:
#   DOVECOT_PORT  DOVECOT_SSL_PORT (with --ssl)  DOVECOT_USER=alice
#   DOVECOT_PASSWORD=secret-pw-123  DOVECOT_DIR=$T/dovecot  DOVECOT_MAILDIR (alice's INBOX)
#
# Functions:
#   dovecot_start [--ssl] [--oauth2 URL]
#                               write the config and start; --ssl adds implicit TLS
#                               (self-signed cert) on DOVECOT_SSL_PORT, STARTTLS on the other;
#                               --oauth2 also offers AUTH=XOAUTH2 and AUTH=OAUTHBEARER, whose
#                               tokens an oauth2 passdb checks by POSTing them to URL (an RFC
#                               7662 introspection endpoint: {"active": true, "username": "alice"}
#                               for a valid one); without it only PLAIN and LOGIN are offered
#   dovecot_stop                stop it (bounded; safe to call twice or when never started)
#   dovecot_restart             stop and start again on the same port(s) and the same mail
#   dovecot_append FILE...      APPEND files to alice's INBOX
#   dovecot_append_dir DIR      APPEND every *.eml in DIR (sorted)
#   dovecot_append_generated N  APPEND N generated "Thank you for applying" confirmations
#   dovecot_count               print the number of messages in INBOX
#   dovecot_uidvalidity         print INBOX's UIDVALIDITY
#   dovecot_uidvalidity_reset   give INBOX a new UIDVALIDITY, keeping its messages
#   imapctl ARGS...             imapctl.py with this server's host/port/user/password
#
# lib.sh's EXIT trap runs cleanup(), which must stop dovecot before it removes $T; its
# first line is meant to be
#   declare -F dovecot_stop >/dev/null && dovecot_stop
# (a test with a trap of its own must call dovecot_stop itself).
#
# The master runs in the foreground (dovecot -F) as a background job of the test shell, so
# the shell reaps it; never call dovecot_start inside $(...) (the job would be lost), and
# never use a bare `wait` while it runs (it would wait for dovecot): wait for a PID.
# Set DOVECOT_EXTRA_CONF to extra dovecot.conf lines (e.g. "imap_idle_notify_interval =
# 10 secs") before dovecot_start to tune a test.
#
# Users and permissions: run as a normal user, every dovecot process runs as that user
# (no chroot). Run as root, Dovecot will not give a mail process root's uid ("Mail access
# not allowed for root", hard-coded, no setting lifts it) and login processes must not be
# root either, so: imap-login runs as dovenull (chrooted into base_dir/login as usual),
# the internal services as root, and mail processes as nobody:nogroup; the Maildir is
# owned by nobody and $T and $T/dovecot are made traversable (0711) so nobody can reach
# it. Files a root test drops into the Maildir itself must be chowned (dovecot_fix_owner).

DOVECOT_USER=alice
DOVECOT_PASSWORD=secret-pw-123
DOVECOT_DIR="$T/dovecot"
DOVECOT_MAILDIR="$DOVECOT_DIR/mail/$DOVECOT_USER"
DOVECOT_PORT=
DOVECOT_SSL_PORT=
DOVECOT_PID=
DOVECOT_SSL=0
DOVECOT_OAUTH2_URL=
DOVECOT_IMAPCTL="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/imapctl.py"
export DOVECOT_USER DOVECOT_PASSWORD DOVECOT_DIR DOVECOT_MAILDIR DOVECOT_PORT DOVECOT_SSL_PORT

# _dovecot_free_port : prints a TCP port on 127.0.0.1 that was free a moment ago.
_dovecot_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# _dovecot_log_dump : prints the dovecot log (and the master's stderr) to stderr.
_dovecot_log_dump() {
	echo "--- $DOVECOT_DIR/dovecot.log:" >&2
	sed 's/^/  | /' "$DOVECOT_DIR/dovecot.log" >&2 2>/dev/null
	if [ -s "$DOVECOT_DIR/master.stderr" ]; then
		echo "--- dovecot master stderr:" >&2
		sed 's/^/  | /' "$DOVECOT_DIR/master.stderr" >&2
	fi
}

# _dovecot_write_conf : writes $DOVECOT_DIR/dovecot.conf for the current ports and mode.
_dovecot_write_conf() {
	local d=$DOVECOT_DIR me users
	me=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		# see the header: mail as nobody, logins as dovenull (chrooted), rest as root
		local login_user=dovenull
		getent passwd dovenull >/dev/null || login_user=nobody
		users="default_login_user = $login_user
default_internal_user = root
mail_uid = nobody
mail_gid = $(id -gn nobody)"
	else
		users="default_login_user = $me
default_internal_user = $me
default_internal_group = $(id -gn)"
	fi
	local ssl="ssl = no" imaps_listener="    port = 0"
	if [ "$DOVECOT_SSL" = 1 ]; then
		ssl="ssl = yes
ssl_cert = <$d/ssl/cert.pem
ssl_key = <$d/ssl/key.pem
ssl_min_protocol = TLSv1.2"
		imaps_listener="    address = 127.0.0.1
    port = $DOVECOT_SSL_PORT
    ssl = yes"
	fi
	# A normal user cannot chroot: clear the services' default chroots (root keeps them).
	local chroot="" nochroot=""
	if [ "$(id -u)" -ne 0 ]; then
		chroot="  chroot ="
		nochroot="service ipc {
  chroot =
}
service imap-urlauth-login {
  chroot =
}"
	fi
	# --oauth2: passwords keep working (imapctl appends with one); tokens go to the oauth2 passdb
	local mechanisms="plain login" password_mechanisms="" oauth2="" penalty=""
	if [ -n "$DOVECOT_OAUTH2_URL" ]; then
		# the tests refuse tokens on purpose: no growing delay (up to 15 s) for 127.0.0.1
		penalty="  unix_listener anvil-auth-penalty {
    mode = 0
  }"
		mechanisms="plain login xoauth2 oauthbearer"
		password_mechanisms="  mechanisms = plain login"
		oauth2="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $d/dovecot-oauth2.conf.ext
}"
		cat >"$d/dovecot-oauth2.conf.ext" <<OAUTH2
introspection_mode = post
introspection_url = $DOVECOT_OAUTH2_URL
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
OAUTH2
	fi
	cat >"$d/dovecot.conf" <<CONF
# Generated by tests/e2e/dovecot.sh for one test run; do not edit.
instance_name = apptrack-e2e-${T##*.}
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes
$users

# authentication: one passwd-file user, plaintext allowed on loopback, no delays
disable_plaintext_auth = no
auth_mechanisms = $mechanisms
auth_failure_delay = 0
auth_cache_size = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
$password_mechanisms
}
$oauth2
userdb {
  driver = passwd-file
  args = username_format=%u $d/users
  default_fields = home=$d/mail/%u
}

# mail: Maildir, INBOX at the Maildir root; notice other connections' changes in ~1 s
mail_location = maildir:$d/mail/%u
mailbox_idle_check_interval = 1 secs
mail_fsync = never
mail_max_userip_connections = 100

$ssl

service imap-login {
$chroot
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_PORT
  }
  inet_listener imaps {
$imaps_listener
  }
}
service anvil {
$chroot
$penalty
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
$nochroot
${DOVECOT_EXTRA_CONF:-}
CONF
	printf '%s:{PLAIN}%s::::::\n' "$DOVECOT_USER" "$DOVECOT_PASSWORD" >"$d/users"
}

# _dovecot_make_cert : a self-signed certificate for 127.0.0.1/localhost in $DOVECOT_DIR/ssl.
_dovecot_make_cert() {
	[ -s "$DOVECOT_DIR/ssl/cert.pem" ] && return 0
	mkdir -p "$DOVECOT_DIR/ssl"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$DOVECOT_DIR/ssl/key.pem" -out "$DOVECOT_DIR/ssl/cert.pem" \
		>"$DOVECOT_DIR/ssl/openssl.log" 2>&1 || {
		echo "dovecot.sh: openssl could not make a certificate:" >&2
		cat "$DOVECOT_DIR/ssl/openssl.log" >&2
		return 1
	}
	chmod 600 "$DOVECOT_DIR/ssl/key.pem"
}

# _dovecot_greets PORT : true when PORT on 127.0.0.1 answers with an IMAP greeting.
_dovecot_greets() {
	python3 - "$1" "$2" <<'PY' 2>/dev/null
import socket, ssl, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
if sys.argv[2] == "1":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s)
sys.exit(0 if s.recv(200).startswith(b"* OK") else 1)
PY
}

# _dovecot_launch : starts the master for the existing config; waits up to 10 s for it.
_dovecot_launch() {
	rm -rf "$DOVECOT_DIR/run"
	: >"$DOVECOT_DIR/master.stderr"
	dovecot -F -c "$DOVECOT_DIR/dovecot.conf" </dev/null >>"$DOVECOT_DIR/master.stderr" 2>&1 &
	DOVECOT_PID=$!
	local i
	for i in $(seq 1 200); do
		if _dovecot_greets "$DOVECOT_PORT" 0 &&
			{ [ "$DOVECOT_SSL" = 0 ] || _dovecot_greets "$DOVECOT_SSL_PORT" 1; }; then
			return 0
		fi
		kill -0 "$DOVECOT_PID" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}

# dovecot_start [--ssl] [--oauth2 URL]
dovecot_start() {
	DOVECOT_SSL=0
	DOVECOT_OAUTH2_URL=
	while [ $# -gt 0 ]; do
		case "$1" in
		--ssl) DOVECOT_SSL=1 ;;
		--oauth2)
			[ -n "${2:-}" ] || { echo "dovecot_start: --oauth2 needs the introspection URL" >&2; return 2; }
			DOVECOT_OAUTH2_URL=$2
			shift
			;;
		*) echo "dovecot_start: unknown option $1" >&2; return 2 ;;
		esac
		shift
	done
	if [ -n "$DOVECOT_PID" ] && kill -0 "$DOVECOT_PID" 2>/dev/null; then
		echo "dovecot_start: already running (pid $DOVECOT_PID); dovecot_stop first" >&2
		return 1
	fi
	command -v dovecot >/dev/null || { echo "dovecot_start: dovecot is not installed" >&2; return 1; }
	mkdir -p "$DOVECOT_DIR/state" "$DOVECOT_MAILDIR"
	if [ "$(id -u)" -eq 0 ]; then
		chmod 711 "$T" "$DOVECOT_DIR"
		chown -R nobody: "$DOVECOT_DIR/mail"
	fi
	[ "$DOVECOT_SSL" = 0 ] || _dovecot_make_cert || return 1
	local _
	for _ in 1 2 3; do
		# a port picked a moment ago may have been taken since: pick again and retry
		DOVECOT_PORT=$(_dovecot_free_port) || return 1
		DOVECOT_SSL_PORT=
		if [ "$DOVECOT_SSL" = 1 ]; then
			DOVECOT_SSL_PORT=$(_dovecot_free_port) || return 1
			[ "$DOVECOT_SSL_PORT" != "$DOVECOT_PORT" ] || continue
		fi
		export DOVECOT_PORT DOVECOT_SSL_PORT
		_dovecot_write_conf
		: >"$DOVECOT_DIR/dovecot.log"
		_dovecot_launch && return 0
		dovecot_stop
		grep -q "Address already in use" "$DOVECOT_DIR/dovecot.log" \
			"$DOVECOT_DIR/master.stderr" 2>/dev/null || break
	done
	echo "dovecot_start: dovecot did not come up on 127.0.0.1:$DOVECOT_PORT" >&2
	_dovecot_log_dump
	return 1
}

# dovecot_stop : SIGTERM to the master, wait up to 10 s, then SIGKILL it and its children.
dovecot_stop() {
	local pid=${DOVECOT_PID:-} i kids
	DOVECOT_PID=
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kids=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "dovecot_stop: master $pid ignored SIGTERM for 10 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# children normally exit with the master; make sure none outlives it
	for i in $kids; do
		kill -KILL "$i" 2>/dev/null
	done
	return 0
}

# dovecot_restart : same port(s), same config, same Maildir.
dovecot_restart() {
	if [ -z "$DOVECOT_PORT" ] || [ ! -f "$DOVECOT_DIR/dovecot.conf" ]; then
		echo "dovecot_restart: dovecot_start was never called" >&2
		return 1
	fi
	dovecot_stop
	local _
	for _ in 1 2 3 4 5; do
		_dovecot_launch && return 0
		dovecot_stop
		# the old listener's port may linger for a moment
		sleep 0.5
	done
	echo "dovecot_restart: dovecot did not come back on 127.0.0.1:$DOVECOT_PORT" >&2
	_dovecot_log_dump
	return 1
}

# imapctl ARGS... : imapctl.py against this server.
imapctl() {
	python3 "$DOVECOT_IMAPCTL" --host 127.0.0.1 --port "$DOVECOT_PORT" \
		--user "$DOVECOT_USER" --password "$DOVECOT_PASSWORD" "$@"
}

dovecot_append() { imapctl append "$@"; }

dovecot_append_dir() {
	local files=()
	mapfile -t files < <(find "$1" -maxdepth 1 -type f -name '*.eml' | LC_ALL=C sort)
	if [ "${#files[@]}" -eq 0 ]; then
		echo "dovecot_append_dir: no *.eml in $1" >&2
		return 1
	fi
	imapctl append "${files[@]}"
}

dovecot_append_generated() { imapctl append-generated "$@"; }
dovecot_count() { imapctl count; }
dovecot_uidvalidity() { imapctl uidvalidity; }

# dovecot_fix_owner : after a root test wrote into the Maildir itself, give it back to
# the mail user (no-op when not root).
dovecot_fix_owner() {
	[ "$(id -u)" -ne 0 ] || chown -R nobody: "$DOVECOT_DIR/mail"
}

# dovecot_uidvalidity_reset : stops dovecot, deletes INBOX's dovecot-uidlist and index
# files (the messages in cur/ and new/ stay), starts it again on the same port. Dovecot
# then rebuilds the mailbox with a new UIDVALIDITY (the next value from the Maildir's
# dovecot-uidvalidity counter, so it always differs) and renumbers the messages from
# UID 1. Checks that the value really changed.
dovecot_uidvalidity_reset() {
	local before after
	before=$(imapctl uidvalidity) || return 1
	dovecot_stop
	rm -f "$DOVECOT_MAILDIR/dovecot-uidlist" "$DOVECOT_MAILDIR"/dovecot.index*
	dovecot_restart || return 1
	after=$(imapctl uidvalidity) || return 1
	if [ "$before" = "$after" ]; then
		echo "dovecot_uidvalidity_reset: UIDVALIDITY stayed $before" >&2
		return 1
	fi
	return 0
}
