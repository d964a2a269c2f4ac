#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_ctl.sh - apptrackctl against a real apptrackd: the application pipeline, reminders,
# contacts, exit statuses and error messages, as a person and a script would use them.
. "$(dirname "$0")/lib.sh"

# --- unreachable daemon and usage errors: exit 2, one line on stderr ---
ctl list
expect_eq "no daemon: exit 2" 2 "$RC"
expect_match "no daemon: says so" 'apptrackd' "$ERR"
expect_eq "no daemon: one line on stderr" 1 "$(printf '%s\n' "$ERR" | wc -l)"
ctl frobnicate
expect_eq "unknown command: exit 2" 2 "$RC"
expect_match "unknown command is named" 'frobnicate' "$ERR"

start_daemon || { fail "daemon did not start"; finish; }

ctl add --position "No company"
expect_eq "add without --company: exit 2" 2 "$RC"
expect_match "add without --company names the option" 'company' "$ERR"
ctl show abc
expect_eq "non-numeric id: exit 2" 2 "$RC"
ctl add --company X --position Y --applied-on 2024-13-40
expect_match "bad date: usage or daemon error" '^[12]$' "$RC"
expect_match "bad date is named" '2024-13-40' "$ERR"

# --- add ---
printf 'We need C, SQLite and GLib experience.\nDistributed systems a plus.\n' >"$T/jd.txt"
# applied yesterday: its follow-up (7 days on) is still ahead, whatever the date
APPLIED=$(date -u -d yesterday +%F)
ctl add --company "Acme, Inc." --position "Backend Engineer" --source linkedin \
	--location "Berlin" --salary "90k" --url "https://acme.example/jobs/1" \
	--jd-file "$T/jd.txt" --applied-on "$APPLIED" --notes "referred by Ana"
expect_eq "add: exit 0" 0 "$RC"
expect_match "add prints the new id" '^[0-9]+$' "$OUT"
id1=$OUT
ctl --json add --company Globex --position "Platform Engineer" --status screen --source indeed
expect_eq "add --json: exit 0" 0 "$RC"
id2=$(printf '%s' "$OUT" | jq -r .id)
expect_eq "add --json gives the status" screen "$(printf '%s' "$OUT" | jq -r .status)"
ctl --json add --company Initech --position "TPS Reports" --status "Phone Screen"
expect_eq "status alias 'Phone Screen' is accepted as screen" screen "$(printf '%s' "$OUT" | jq -r .status)"
id3=$(printf '%s' "$OUT" | jq -r .id)
ctl add --company Hooli --position Dev --status nonsense
expect_eq "unknown status: daemon error exit 1" 1 "$RC"
expect_match "unknown status lists the valid ones" 'applied' "$ERR"

# --- list ---
ctl --json list
expect_eq "list --json has 3 applications" 3 "$(printf '%s' "$OUT" | jq length)"
for key in id company position status source location applied_at updated_at; do
	expect_eq "list --json objects carry $key" true "$(printf '%s' "$OUT" | jq "all(has(\"$key\"))")"
done
expect_match "updated_at is ISO 8601" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
	"$(printf '%s' "$OUT" | jq -r '.[0].updated_at')"
ctl --json list --status screen
expect_eq "list --status screen" "$id2,$id3" "$(printf '%s' "$OUT" | jq -r 'map(.id) | sort | map(tostring) | join(",")')"
ctl --json list --source linkedin
expect_eq "list --source" "$id1" "$(printf '%s' "$OUT" | jq -r 'map(.id) | join(",")')"
ctl --json list --company acme
expect_eq "list --company is a case-insensitive substring" "$id1" "$(printf '%s' "$OUT" | jq -r 'map(.id) | join(",")')"
ctl --json list --search sqlite
expect_eq "list --search finds words of the job description" "$id1" "$(printf '%s' "$OUT" | jq -r 'map(.id) | join(",")')"
ctl --json list --search 'referred'
expect_eq "list --search finds words of the notes" "$id1" "$(printf '%s' "$OUT" | jq -r 'map(.id) | join(",")')"
ctl --json list --search '"(*-:^'
expect_eq "list --search with FTS punctuation does not fail" 0 "$RC"
ctl --json list --since "$(date -u +%F)"
expect_eq "list --since excludes older applied dates" false "$(printf '%s' "$OUT" | jq "any(.id == $id1)")"
ctl --json list --until "$APPLIED"
expect_eq "list --until" "$id1" "$(printf '%s' "$OUT" | jq -r 'map(.id) | join(",")')"
ctl --json list --sort company --limit 2
expect_eq "list --sort company --limit 2" "Acme, Inc.,Globex" "$(printf '%s' "$OUT" | jq -r 'map(.company) | join(",")')"
ctl --json list --sort company --limit 1 --offset 2
expect_eq "list --offset" "Initech" "$(printf '%s' "$OUT" | jq -r '.[0].company')"
ctl list --sort bogus
expect_match "list --sort bogus is refused" '^[12]$' "$RC"
ctl list
expect_eq "list (table): exit 0" 0 "$RC"
expect_match "list table shows the companies" 'Globex' "$OUT"
expect_match "list table has a header" 'COMPANY' "$OUT"

# --- show / edit / status / note ---
ctl --json show "$id1"
expect_eq "show has the job description" true "$(printf '%s' "$OUT" | jq '.job_description | test("SQLite")')"
expect_eq "show has a created event" created "$(printf '%s' "$OUT" | jq -r '.events[0].kind')"
expect_eq "show lists the follow-up reminder" follow_up "$(printf '%s' "$OUT" | jq -r '.reminders[0].kind')"
ctl show "$id1"
expect_match "show (human) has the timeline" 'created' "$OUT"
ctl --json edit "$id1" --location "Remote" --salary "95k"
expect_eq "edit: exit 0" 0 "$RC"
ctl --json show "$id1"
expect_eq "edit changed location" Remote "$(printf '%s' "$OUT" | jq -r .location)"
expect_eq "edit wrote an edit event" true "$(printf '%s' "$OUT" | jq '[.events[].kind] | index("edit") != null')"
ctl edit "$id1"
expect_match "edit with no fields is refused" '^[12]$' "$RC"
ctl status "$id1" interview --note "recruiter called"
expect_eq "status: exit 0" 0 "$RC"
ctl --json show "$id1"
expect_eq "status alias interview -> screen" screen "$(printf '%s' "$OUT" | jq -r .status)"
expect_eq "status change event with from/to" "applied>screen" \
	"$(printf '%s' "$OUT" | jq -r '[.events[] | select(.kind == "status_change")][0] | "\(.from_status)>\(.to_status)"')"
expect_eq "the follow-up was cancelled on moving on" cancelled \
	"$(printf '%s' "$OUT" | jq -r '[.reminders[] | select(.kind == "follow_up")][0].state')"
expect_eq "prep and thank-you reminders scheduled" "interview_prep,thank_you" \
	"$(printf '%s' "$OUT" | jq -r '[.reminders[] | select(.state == "pending") | .kind] | sort | join(",")')"
ctl note "$id1" "sent a thank-you mail"
expect_eq "note: exit 0" 0 "$RC"
ctl --json show "$id1"
expect_eq "note event stored" "sent a thank-you mail" "$(printf '%s' "$OUT" | jq -r '[.events[] | select(.kind == "note")][0].text')"
ctl status 4242 rejected
expect_eq "status of a missing application: exit 1" 1 "$RC"
expect_match "missing application named" '4242' "$ERR"

# --- reminders ---
ctl --json reminders
pending=$(printf '%s' "$OUT" | jq length)
rid=$(printf '%s' "$OUT" | jq -r '.[0].id')
ctl reminders snooze "$rid" 2d
expect_eq "snooze: exit 0" 0 "$RC"
ctl --json reminders
expect_eq "snoozed reminder is still listed" snoozed "$(printf '%s' "$OUT" | jq -r --argjson r "$rid" '.[] | select(.id == $r) | .state')"
ctl reminders snooze "$rid" soon
expect_match "snooze with a bad duration is refused" '^[12]$' "$RC"
ctl reminders done "$rid"
expect_eq "done: exit 0" 0 "$RC"
ctl --json reminders
expect_eq "done reminder leaves the default list" $((pending - 1)) "$(printf '%s' "$OUT" | jq length)"
ctl --json reminders --all
expect_eq "reminders --all shows done ones" done "$(printf '%s' "$OUT" | jq -r --argjson r "$rid" '.[] | select(.id == $r) | .state')"
ctl reminders
expect_eq "reminders (table): exit 0" 0 "$RC"

# --- contacts ---
ctl --json contacts add --name "Ana Lima" --company Acme --position Recruiter --email ana@acme.example
expect_eq "contacts add: exit 0" 0 "$RC"
cid=$(printf '%s' "$OUT" | jq -r .id)
ctl contacts add --company Nobody
expect_eq "contacts add without --name: exit 2" 2 "$RC"
ctl --json contacts list --search recruit
expect_eq "contacts searchable by position" "Ana Lima" "$(printf '%s' "$OUT" | jq -r '.[0].name')"
ctl --json contacts list --search ACME
expect_eq "contacts searchable by company" 1 "$(printf '%s' "$OUT" | jq length)"
ctl contacts link "$cid" "$id1"
expect_eq "contacts link: exit 0" 0 "$RC"
ctl --json contacts show "$cid"
expect_eq "linked application shown" "$id1" "$(printf '%s' "$OUT" | jq -r '.applications[0].id')"
ctl --json show "$id1"
expect_eq "application shows its contact" "Ana Lima" "$(printf '%s' "$OUT" | jq -r '.contacts[0].name')"
ctl --json contacts edit "$cid" --phone "+49 30 1234"
ctl --json contacts show "$cid"
expect_eq "contacts edit" "+49 30 1234" "$(printf '%s' "$OUT" | jq -r .phone)"
ctl contacts link "$cid" 9999
expect_eq "linking to a missing application: exit 1" 1 "$RC"
ctl contacts rm "$cid"
expect_eq "contacts rm: exit 0" 0 "$RC"
ctl contacts show "$cid"
expect_eq "removed contact is gone" 1 "$RC"

# --- rm ---
ctl rm "$id3"
expect_eq "rm: exit 0" 0 "$RC"
ctl show "$id3"
expect_eq "removed application is gone (exit 1)" 1 "$RC"
expect_eq "events of the removed application are gone" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE application_id = $id3")"

# --- watch: changes stream to watchers ---
"$APPTRACKCTL" --json watch >"$T/watch.out" 2>/dev/null &
watch_pid=$!
sleep 0.3 # let the watcher connect and subscribe
ctl --json add --company Watched --position Dev
wid=$(printf '%s' "$OUT" | jq -r .id)
for i in $(seq 1 100); do grep -q application.added "$T/watch.out" && break; sleep 0.05; done
kill "$watch_pid" 2>/dev/null
wait "$watch_pid" 2>/dev/null
expect_eq "watch streams application.added with the id" "$wid" \
	"$(jq -r 'select(.event == "application.added") | .id' "$T/watch.out" | head -1)"
ctl rm "$wid"

# --- an empty review queue: answered at once (the connection once kept the freed call of
# such an answer, which crashed the daemon later), and the daemon stays up ---
ctl review retry
expect_eq "review retry on an empty queue: exit 0" 0 "$RC"
expect_match "it retried nothing" "retried 0" "$OUT"
ctl review retry
ctl ping
expect_eq "the daemon answers after it" 0 "$RC"

# --- backup, ping, version ---
ctl backup "$T/backup.db"
expect_eq "backup: exit 0" 0 "$RC"
expect_eq "backup holds the applications" 2 "$(sqlite3 "$T/backup.db" 'SELECT count(*) FROM applications')"
ctl backup "$T/backup.db"
expect_eq "backup over an existing file: exit 1" 1 "$RC"
ctl ping
expect_eq "ping: exit 0" 0 "$RC"

# --- a lean client: apptrackctl links GLib and jansson, nothing for documents or the web
# (apptrack-reader does that for the commands that need it), and a ping loads no more ---
# (a sanitizer build adds its runtimes: not counted)
needed=$(readelf -d "$APPTRACKCTL" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -vE '^lib[a-z]*san\.so' | sort | tr '\n' ' ')
expect_eq "apptrackctl needs GLib, jansson, libm and libc alone" \
	"libc.so.6 libglib-2.0.so.0 libjansson.so.4 libm.so.6 " "$needed"
loaded=$(LD_DEBUG=libs "$APPTRACKCTL" ping 2>&1 >/dev/null | grep 'calling init:' | grep -vEc '/lib[a-z]*san\.so|/libstdc\+\+|/libgcc_s')
check "apptrackctl ping initialises at most 6 libraries ($loaded)" test "$loaded" -le 6

# --- --json listings are printed from the reply's text: the same bytes as jansson's dump
# (python's json prints the same for text without control characters but tab and newline) ---
ctl edit "$id1" --notes $'Tab\there, "quotes", back\\slash, caf\u00e9 \u20ac \U0001F600\nnew line </tag>'
ctl --json list
expect_eq "--json list prints the result as jansson would" \
	"$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=2, ensure_ascii=False))')" \
	"$OUT"
expect_match "and the notes come through" 'Tab\\there, \\"quotes\\", back\\\\slash, café € 😀\\nnew line </tag>' "$OUT"
ctl --json version
expect_eq "version --json names the protocol" 1 "$(printf '%s' "$OUT" | jq -r '.daemon.protocol // .protocol')"
schema=$(sqlite3 "$DB" 'PRAGMA user_version')
expect_eq "version --json: the database's schema" "$schema" "$(printf '%s' "$OUT" | jq -r .daemon.schema)"
expect_eq "version --json: apptrackd's own schema (it migrated the database to it)" "$schema" \
	"$(printf '%s' "$OUT" | jq -r .daemon.schema_supported)"
expect_eq "version --json: client and daemon of one build say one version" \
	"$(printf '%s' "$OUT" | jq -r .client)" "$(printf '%s' "$OUT" | jq -r .daemon.version)"
if [ -n "${BUILD_DIR:-}" ] && [ -f "$BUILD_DIR/version.txt" ]; then
	built=$(cat "$BUILD_DIR/version.txt")
	expect_eq "version --json: the build's version" "$built" "$(printf '%s' "$OUT" | jq -r .client)"
	ctl version
	expect_eq "version: client, daemon and schemas, a line each" \
		"apptrackctl $built
apptrackd   $built (protocol 1)
database    schema $schema (apptrackd's schema $schema)" "$OUT"
	ctl --version
	expect_eq "--version: the build's version" "apptrackctl $built" "$OUT"
fi

finish
