#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_daemon.sh - apptrackd's life cycle and its control socket, with a real daemon:
# options, --check-config, XDG paths and modes, the greeting, a second instance, a stale
# socket, SIGHUP, SIGTERM, the peer-uid check, and malformed or oversized protocol input.
. "$(dirname "$0")/lib.sh"
RAW="python3 $(dirname "$0")/rawsock.py"

# --- options that do not start anything ---
out=$("$APPTRACKD" --version)
# the version's form is cmake/version.cmake's (test_version.sh checks which one a build gets)
VERSION_RE='[0-9]+\.[0-9]+\.[0-9]+(\+git\.[0-9]+\.g[0-9a-f]+(\.dirty)?)?'
expect_match "--version prints name, version and protocol" "^apptrackd $VERSION_RE \\(protocol 1\\)\$" "$out"
"$APPTRACKD" --bogus >/dev/null 2>"$T/err"
expect_eq "an unknown option exits 2" 2 $?
expect_match "an unknown option is named" 'bogus' "$(cat "$T/err")"

out=$("$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config without a file passes" 0 $?
expect_match "--check-config says configuration OK" 'configuration OK' "$out"
expect_match "--check-config says what the mail model was trained on" 'mail model trained on [0-9]+ messages' "$out"
printf 'apptrack-model 7\n' >"$T/old.model"
out=$(APPTRACK_MODEL="$T/old.model" "$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config with a model it cannot load still passes" 0 $?
expect_match "and names the file and why, and that the rules alone read mail" \
	"old.model:1: model format 7; this apptrack reads format 1: mail is read with the rules alone" "$out"

cat >"$T/bad.conf" <<'EOF'
[general]
log_level = info

[reminders]
folow_up = 3d
thank_you = soon
EOF
out=$("$APPTRACKD" --check-config --config "$T/bad.conf" 2>&1)
expect_eq "--check-config with errors exits 1" 1 $?
expect_match "unknown key reported as file:line" "bad.conf:5: .*folow_up" "$out"
expect_match "bad value reported as file:line" "bad.conf:6: .*soon" "$out"
"$APPTRACKD" --foreground --config "$T/bad.conf" 2>"$T/err"
expect_eq "the daemon refuses to start on a bad config" 1 $?
"$APPTRACKD" --foreground --config "$T/missing.conf" 2>"$T/err"
expect_eq "an explicit missing config is an error" 1 $?
expect_match "the missing file is named" 'missing.conf' "$(cat "$T/err")"

# --- start with embedded defaults ---
check "daemon starts with no config" start_daemon
expect_eq "runtime dir is 0700" 700 "$(stat -c %a "$XDG_RUNTIME_DIR/apptrack")"
expect_eq "socket is 0600" 600 "$(stat -c %a "$SOCK")"
check "socket is a socket" test -S "$SOCK"
expect_eq "database is 0600" 600 "$(stat -c %a "$DB")"
expect_eq "database is in WAL mode" wal "$(sqlite3 "$DB" 'PRAGMA journal_mode')"
greeting=$($RAW "$SOCK" silent)
expect_eq "greeting carries version and protocol" "1" "$(printf '%s' "$greeting" | jq -r .protocol)"
expect_match "greeting names apptrack's version" "^$VERSION_RE\$" "$(printf '%s' "$greeting" | jq -r .apptrack)"
if [ -n "${BUILD_DIR:-}" ] && [ -f "$BUILD_DIR/version.txt" ]; then
	expect_eq "the greeting's version is the build's" "$(cat "$BUILD_DIR/version.txt")" \
		"$(printf '%s' "$greeting" | jq -r .apptrack)"
fi
expect_match "daemon logs with journald priority prefixes" '^<6>apptrackd|^<6>' "$(head -1 "$T/daemon.log")"

# --- a second instance is refused while the first answers ---
"$APPTRACKD" --foreground 2>"$T/err"
expect_eq "second instance exits 1" 1 $?
expect_match "second instance says why" 'already running' "$(cat "$T/err")"
ctl ping
expect_eq "the first instance still answers" 0 "$RC"

# --- malformed protocol input gets error replies, never a crash ---
printf '%s\n' 'not json' '[1,2]' '{"id":1}' '{"id":2,"method":"no.such"}' \
	'{"id":3,"method":"ping","params":[]}' '{"id":{"x":1},"method":"ping"}' \
	'{"id":4,"method":"applications.show","params":{"id":"x"}}' \
	'{"id":5,"method":"applications.show","params":{"id":999}}' \
	'{"id":6,"method":"ping","params":{"unexpected":1}}' \
	'{"id":7,"method":"ping"' \
	"$(python3 -c 'print("[" * 40 + "]" * 40)')" \
	"$(python3 -c 'print("{\"id\":8,\"method\":\"ping\",\"params\":{\"a\":" + "[" * 5000 + "]" * 5000 + "}}")')" \
	'{"id":9,"method":"ping"}' >"$T/bad.jsonl"
$RAW "$SOCK" lines "$T/bad.jsonl" >"$T/replies"
codes=$(tail -n +2 "$T/replies" | jq -r '(.error.code // "ok")' | tr '\n' ' ')
expect_eq "each bad line gets the right error code, in order" \
	"invalid_request invalid_request invalid_request unknown_method invalid_request invalid_request invalid_params not_found invalid_params invalid_request invalid_request invalid_request ok " "$codes"
expect_eq "error replies echo the request id" 5 "$(sed -n 9p "$T/replies" | jq -r .id)"
expect_match "not found names the id" '999' "$(sed -n 9p "$T/replies" | jq -r .error.message)"

# an oversized line is refused and the connection closed; the daemon lives on
out=$($RAW "$SOCK" oversize $((33 * 1024 * 1024)))
expect_eq "an oversized line gets too_large" too_large "$(printf '%s' "$out" | head -1 | jq -r .error.code)"
ctl ping
expect_eq "daemon answers after an oversized line" 0 "$RC"

# too many connections: the 65th is told busy
busy=$($RAW "$SOCK" flood 64)
expect_eq "the connection over the limit is refused as busy" 1 "$busy"
ctl ping
expect_eq "daemon answers after the flood" 0 "$RC"

# another uid is refused by SO_PEERCRED even when the socket mode would let it in
# (nobody must be able to run apptrackctl: not so for a build under a 0700 directory, such as
# the one tests/release/test_dist.sh builds the tarball in)
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && nobody test -x "$APPTRACKCTL"; then
	chmod 666 "$SOCK"
	chmod 755 "$T" "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/apptrack"
	out=$(nobody env APPTRACK_SOCKET="$SOCK" "$APPTRACKCTL" ping 2>&1)
	rc=$?
	chmod 600 "$SOCK"
	chmod 700 "$T" "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/apptrack"
	expect_eq "a client of another uid gets no service (exit 2)" 2 "$rc"
	expect_match "the daemon logs the refused uid" 'another user' "$(cat "$T/daemon.log")"
else
	echo "skip - peer uid check needs root, setpriv, and an apptrackctl that nobody may run"
fi

# --- SIGHUP reloads the configuration ---
mkdir -p "$XDG_CONFIG_HOME/apptrack"
printf '[reminders]\nfollow_up = 3d\n' >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
kill -HUP "$DAEMON_PID"
for i in $(seq 1 100); do grep -q 'configuration reloaded' "$T/daemon.log" && break; sleep 0.05; done
expect_match "SIGHUP reloads" 'configuration reloaded' "$(cat "$T/daemon.log")"
ctl --json add --company Reload --position Tester
id=$(printf '%s' "$OUT" | jq -r .id)
ctl --json reminders
due=$(printf '%s' "$OUT" | jq -r --argjson id "$id" '.[] | select(.application_id == $id and .kind == "follow_up") | .due_at')
created=$(sqlite3 "$DB" "SELECT created_at FROM applications WHERE id = $id")
days=$(( ($(date -d "$due" +%s) - $(date -d "$created" +%s)) / 86400 ))
expect_eq "the reloaded follow_up delay (3d) is used" 3 "$days"
printf '[reminders]\nfollow_up = never\n' >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
kill -HUP "$DAEMON_PID"
for i in $(seq 1 100); do grep -q 'not reloaded' "$T/daemon.log" && break; sleep 0.05; done
expect_match "a bad config on SIGHUP is refused and the old one kept" 'not reloaded' "$(cat "$T/daemon.log")"
ctl ping
expect_eq "daemon still answers after a bad reload" 0 "$RC"
rm "$XDG_CONFIG_HOME/apptrack/apptrack.conf"

# --- SIGTERM stops cleanly and removes the socket ---
stop_daemon TERM
expect_eq "SIGTERM exits 0" 0 "$DAEMON_RC"
check "socket removed on shutdown" test ! -e "$SOCK"
expect_eq "database intact after shutdown" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

# --- a stale socket left by a killed daemon is replaced ---
start_daemon
stop_daemon KILL
check "a killed daemon leaves its socket behind" test -S "$SOCK"
check "a new daemon replaces the stale socket" start_daemon
ctl --json list
expect_eq "data survives the kill" Reload "$(printf '%s' "$OUT" | jq -r '.[0].company')"
stop_daemon INT
expect_eq "SIGINT exits 0" 0 "$DAEMON_RC"

# --- background mode: the parent returns once the daemon is ready ---
"$APPTRACKD" 2>"$T/err"
expect_eq "apptrackd without --foreground returns 0 when ready" 0 $?
ctl ping
expect_eq "the background daemon answers" 0 "$RC"
bgpid=$(pgrep -f "^$APPTRACKD\$" | head -1)
if [ -n "$bgpid" ]; then
	kill -TERM "$bgpid"
	wait_gone "$bgpid"
	check "the background daemon stops on SIGTERM" test ! -e "$SOCK"
else
	fail "background daemon not found"
fi

finish
