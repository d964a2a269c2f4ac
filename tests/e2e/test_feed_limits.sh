#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_feed_limits.sh - the calendar feed against an idle, slow or guessing peer, over real
# sockets on loopback: APPTRACK_CALENDAR_LISTEN is checked like [calendar] listen (no
# non-loopback address without a token), a token has a minimum length, one address holds
# at most 8 connections, a request's headers have a deadline, and wrong tokens are
# rate-limited per address and logged once, never echoed.
#
# Clients bind other loopback addresses (127.0.0.2, 127.0.0.3) to be "another machine"
# while 127.0.0.1 is at its limits. Every wait is bounded.
. "$(dirname "$0")/lib.sh"
unset APPTRACK_CALENDAR_LISTEN
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
CONF="$XDG_CONFIG_HOME/apptrack/apptrack.conf"
TOKEN=0123456789abcdef0123456789abcdef
mkdir -p "$XDG_CONFIG_HOME/apptrack"

# probe MODE ARGS... : real HTTP clients (see the modes below); prints one result line.
probe() {
	python3 - "$PORT" "$@" <<'PY'
import socket, sys, time

port, mode, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
WAIT = 5.0  # seconds: the bound of every read

def connect(src="127.0.0.1"):
    return socket.create_connection(("127.0.0.1", port), timeout=WAIT, source_address=(src, 0))

def get(path, src="127.0.0.1"):
    """Status and headers of GET path, or 'closed' when the server dropped the connection."""
    try:
        s = connect(src)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: feed\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
    except (ConnectionError, socket.timeout):
        return "closed", {}
    if not data:
        return "closed", {}
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(l.split(": ", 1) for l in head[1:] if ": " in l)
    return head[0].split(" ")[1], headers

def dropped(s):
    """Whether the server closed s: EOF or reset within WAIT seconds; False when still open."""
    try:
        return s.recv(1) == b""
    except ConnectionError:
        return True
    except socket.timeout:
        return False

if mode == "status":  # status PATH [SOURCE]
    print(get(*args)[0])
elif mode == "per-address":  # hold 8 idle connections; the 9th, another address, then after closing
    path = args[0]
    held = [connect() for _ in range(8)]
    ninth = connect()
    ninth_dropped = dropped(ninth)
    other = get(path, "127.0.0.2")[0]
    for s in held:
        s.close()
    after = "closed"
    for _ in range(40):  # until the server has noticed the closes (bounded: 2 s)
        after = get(path)[0]
        if after != "closed":
            break
        time.sleep(0.05)
    print("dropped" if ninth_dropped else "open", other, after)
elif mode == "trickle":  # one header line a second, at most 20; a normal request meanwhile
    path = args[0]
    s = connect()
    s.settimeout(1.0)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: feed\r\n".encode())
    lines, answer, closed, normal = 1, b"", False, "-"
    while lines < 20 and not closed:
        try:
            chunk = s.recv(65536)
            if chunk:
                answer += chunk
            else:
                closed = True
        except socket.timeout:
            try:
                s.sendall(f"X-Trickle-{lines}: still here\r\n".encode())
                lines += 1
            except ConnectionError:
                closed = True
        except ConnectionError:
            closed = True
        if lines == 3 and normal == "-":
            normal = get(path)[0]
    print("closed" if closed else "open", "answered" if answer else "unanswered", normal, lines)
elif mode == "guess":  # guess N PREFIX: N wrong tokens; the statuses, counted in order
    n, prefix = int(args[0]), args[1]
    runs = []
    for i in range(n):
        status = get(f"/{prefix}{i:02d}/calendar.ics")[0]
        if runs and runs[-1][0] == status:
            runs[-1][1] += 1
        else:
            runs.append([status, 1])
    print(" ".join(f"{status}x{count}" for status, count in runs))
elif mode == "retry-after":  # retry-after PATH: status and Retry-After
    status, headers = get(args[0])
    print(status, headers.get("Retry-After", "-"))
PY
}

# start_refused LOG [env VAR=VALUE] : starts apptrackd --foreground, stderr to LOG, and
# waits (5 s at most) for it to exit; $REFUSED_RC gets its status, or "running" when it
# did not exit (it is stopped then).
start_refused() {
	local log=$1
	shift
	"$@" "$APPTRACKD" --foreground 2>"$log" &
	DAEMON_PID=$!
	if wait_until 100 gone "$DAEMON_PID"; then
		wait "$DAEMON_PID"
		REFUSED_RC=$?
		DAEMON_PID=
	else
		REFUSED_RC=running
		stop_daemon TERM
	fi
}

# ---- row 5: APPTRACK_CALENDAR_LISTEN goes through the checks of [calendar] listen ----

OUT=$(APPTRACK_CALENDAR_LISTEN=0.0.0.0:$PORT "$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config: APPTRACK_CALENDAR_LISTEN=0.0.0.0 without a token fails" 1 $?
expect_match "and names the variable" "^APPTRACK_CALENDAR_LISTEN=0\.0\.0\.0:$PORT .*is not a loopback address: set token" "$OUT"
OUT=$(APPTRACK_CALENDAR_LISTEN=nowhere "$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config: APPTRACK_CALENDAR_LISTEN=nowhere fails" 1 $?
expect_match "and names the variable and the expected form" "^APPTRACK_CALENDAR_LISTEN=nowhere: .*expected ADDRESS:PORT" "$OUT"

# the daemon itself, with no configuration file, refuses to start
start_refused "$T/open.log" env APPTRACK_CALENDAR_LISTEN=0.0.0.0:$PORT
expect_eq "apptrackd with APPTRACK_CALENDAR_LISTEN=0.0.0.0 and no token exits 1" 1 "$REFUSED_RC"
expect_eq "with one error, naming the variable" \
	"APPTRACK_CALENDAR_LISTEN=0.0.0.0:$PORT (overriding [calendar] listen) is not a loopback address: set token too, so that only those given the URL can read the feed" \
	"$(cat "$T/open.log")"

# with a token, the override may name any address
printf '[calendar]\ntoken = %s\n' "$TOKEN" >"$CONF"
OUT=$(APPTRACK_CALENDAR_LISTEN=0.0.0.0:$PORT "$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config: APPTRACK_CALENDAR_LISTEN=0.0.0.0 with a token passes" 0 $?

# ---- row 8: a token has a minimum length, and is never echoed ----

printf '[calendar]\nlisten = 127.0.0.1:%s\ntoken = sh0rt-s3cret\n' "$PORT" >"$CONF"
OUT=$("$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config: a 12-character token fails" 1 $?
expect_match "with FILE:LINE, the key and the minimum" "^$CONF:3: .*token in \[calendar\].*at least 16 characters" "$OUT"
check "without echoing the token" sh -c '! printf "%s" "$1" | grep -q sh0rt-s3cret' _ "$OUT"
start_refused "$T/short.log"
expect_eq "apptrackd refuses to start with it" 1 "$REFUSED_RC"
check "and does not echo it either" sh -c '! grep -q sh0rt-s3cret "$1"' _ "$T/short.log"
printf '[calendar]\nlisten = 0.0.0.0:%s\n' "$PORT" >"$CONF"
OUT=$("$APPTRACKD" --check-config 2>&1)
expect_match "a non-loopback listen without a token is still refused" "^$CONF:2: \[calendar\] listen = 0\.0\.0\.0:$PORT is not a loopback address: set token" "$OUT"

# ---- the feed, served on 127.0.0.1 with a token ----

printf '[calendar]\nlisten = 127.0.0.1:%s\ntoken = %s\n' "$PORT" "$TOKEN" >"$CONF"
start_daemon || { fail "daemon did not start"; finish; }
FEED="/$TOKEN/calendar.ics"
expect_eq "the feed answers" 200 "$(probe status "$FEED")"

# row 7a: 8 connections per address; the 9th is dropped, another address is served, and
# after closing them 127.0.0.1 is served again
expect_eq "8 idle connections: the 9th is dropped, 127.0.0.2 is served, then 127.0.0.1 again" \
	"dropped 200 200" "$(probe per-address "$FEED")"

# row 7b: a connection that trickles header lines is closed at the deadline, without an
# answer, while a normal request is served (at most 20 lines, one a second)
read -r state answered normal lines < <(probe trickle "$FEED")
expect_eq "a trickling request is closed, unanswered; a normal one gets 200 meanwhile" \
	"closed unanswered 200" "$state $answered $normal"
check "not at once: it sent several lines first ($lines)" test "$lines" -gt 3

# row 8: 20 wrong tokens from 127.0.0.1: 10 are answered 404, then 429 without comparing,
# even for the right token; another address with the right token is served
expect_eq "20 wrong tokens: 10 are 404, the rest 429" "404x10 429x10" "$(probe guess 20 guess-token-)"
read -r status retry < <(probe retry-after "$FEED")
expect_eq "then the right token from the same address: 429" 429 "$status"
check "with a Retry-After of at most a minute ($retry)" test "$retry" -ge 1 -a "$retry" -le 60
expect_eq "the right token from 127.0.0.3: 200" 200 "$(probe status "$FEED" 127.0.0.3)"
expect_eq "one warning for all those wrong tokens" 1 "$(grep -c 'wrong token' "$T/daemon.log")"
expect_match "naming the address" "wrong token from 127\.0\.0\.1" "$(cat "$T/daemon.log")"
check "the log holds neither the guesses nor the token" \
	sh -c '! grep -qE "guess-token-|$1" "$2"' _ "$TOKEN" "$T/daemon.log"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
check "the log still holds neither the guesses nor the token" \
	sh -c '! grep -qE "guess-token-|$1" "$2"' _ "$TOKEN" "$T/daemon.log"
finish
