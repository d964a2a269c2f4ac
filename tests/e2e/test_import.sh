#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_import.sh - CSV import and export through apptrackctl and a real daemon: foreign
# headers, RFC 4180 quoting, bad files refused whole, --skip-bad, the export round trip,
# and a daemon killed with SIGKILL in the middle of a large import (all or nothing).
. "$(dirname "$0")/lib.sh"

start_daemon || { fail "daemon did not start"; finish; }

# A spreadsheet export with other trackers' column names, quoting, CRLF and a multi-line note.
printf 'Company Name,Job Title,Stage,Date Applied,Job Board,Location,Notes\r\n' >"$T/sheet.csv"
printf '"Acme, Inc.",Backend Engineer,Applied,2026-10-01,LinkedIn,Berlin,"said ""hi"""\r\n' >>"$T/sheet.csv"
printf 'Globex,SRE,Phone Screen,2026/10/03,Indeed,,"two\r\nlines"\r\n' >>"$T/sheet.csv"
printf 'Initech,Dev,Rejected,2026-10-05,Company site,Remote,\r\n' >>"$T/sheet.csv"
ctl import "$T/sheet.csv"
expect_eq "import of a foreign spreadsheet: exit 0" 0 "$RC"
expect_match "import reports the count" '3' "$OUT"
ctl --json list --sort applied_at
expect_eq "3 applications imported" 3 "$(printf '%s' "$OUT" | jq length)"
expect_eq "quoted comma kept" "Acme, Inc." "$(printf '%s' "$OUT" | jq -r '.[0].company')"
expect_eq "status alias mapped" "screen" "$(printf '%s' "$OUT" | jq -r '.[1].status')"
expect_eq "slash date normalised" "2026-10-03" "$(printf '%s' "$OUT" | jq -r '.[1].applied_at')"
expect_eq "doubled quotes unescaped" 'said "hi"' "$(printf '%s' "$OUT" | jq -r '.[0].notes')"
expect_eq "multi-line field kept" "$(printf 'two\r\nlines')" "$(printf '%s' "$OUT" | jq -r '.[1].notes')"

# A file with bad rows is refused whole, naming each bad row's line.
cat >"$T/bad.csv" <<'EOF'
company,position,status,applied_at
Good Co,Engineer,applied,2026-11-01
,Missing Company,applied,2026-11-01
Bad Date,Engineer,applied,31/12/2026
Bad Status,Engineer,sleeping,2026-11-01
Also Good,Engineer,applied,2026-11-02
EOF
ctl import "$T/bad.csv"
expect_eq "bad file: exit 1" 1 "$RC"
expect_match "bad file: says nothing was imported" 'nothing imported' "$ERR"
expect_match "bad row line 3 named" 'bad.csv:3:' "$ERR"
expect_match "bad row line 4 named, with the date" 'bad.csv:4:.*31/12/2026' "$ERR"
expect_match "bad row line 5 named, with the status" 'bad.csv:5:.*sleeping' "$ERR"
ctl --json list
expect_eq "nothing of the bad file was imported" 3 "$(printf '%s' "$OUT" | jq length)"

ctl import --skip-bad "$T/bad.csv"
expect_eq "--skip-bad: exit 0" 0 "$RC"
ctl --json list --company "good"
expect_eq "--skip-bad imports the good rows" 2 "$(printf '%s' "$OUT" | jq length)"

printf 'company,position\n"Unterminated,Engineer\n' >"$T/broken.csv"
ctl import "$T/broken.csv"
expect_eq "unterminated quote: exit 1" 1 "$RC"
expect_match "unterminated quote names the line" '2' "$ERR"
ctl import "$T/does-not-exist.csv"
expect_eq "missing import file: exit 2" 2 "$RC"
expect_match "missing file is named" 'does-not-exist.csv' "$ERR"

# Files that are not text, or too large for one request, are refused by apptrackctl with
# one message and exit 2 (a non-UTF-8 file used to be freed twice: abort, exit 134).
printf 'company,position\nAcme,a\xff\n' >"$T/latin.csv"
ctl import "$T/latin.csv"
expect_eq "a file that is not UTF-8: exit 2" 2 "$RC"
expect_match "and says so" 'latin.csv is not UTF-8 text' "$ERR"
printf 'company,position\nAcme,a\0b\n' >"$T/nul.csv"
ctl import "$T/nul.csv"
expect_eq "a file holding a NUL byte: exit 2" 2 "$RC"
ctl add --company Acme --position Dev --jd-file "$T/latin.csv"
expect_eq "--jd-file that is not UTF-8: exit 2" 2 "$RC"
expect_match "--jd-file names the file" 'latin.csv is not UTF-8 text' "$ERR"
truncate -s 1G "$T/huge.csv" # sparse: no disk used
ctl import "$T/huge.csv"
expect_eq "a 1 GiB file: exit 2" 2 "$RC"
expect_match "refused by its size, naming the limit" 'huge.csv is larger than the limit of 32 MiB' "$ERR"
# a stream has no size to look at: reading stops one byte past the limit (without the
# bound, this would read until memory ran out)
yes 'Acme,Engineer' | "$APPTRACKCTL" import /dev/stdin 2>"$T/ctl.err"
expect_eq "an endless stream: exit 2" 2 "$?"
expect_match "an endless stream is refused at the limit" 'larger than the limit of 32 MiB' "$(cat "$T/ctl.err")"
printf 'company,position\nPiped Co,Engineer\n' | "$APPTRACKCTL" import /dev/stdin >/dev/null 2>&1
expect_eq "a CSV through a pipe is still imported" 0 "$?"

# Export -> import into a fresh daemon -> export again: identical but for ids.
ctl export "$T/out1.csv"
expect_eq "export to a file: exit 0" 0 "$RC"
expect_eq "export file is 0600" 600 "$(stat -c %a "$T/out1.csv")"
ctl export
expect_eq "export to stdout matches the file" "$(cat "$T/out1.csv")" "$OUT"
stop_daemon TERM
mv "$DB" "$T/first.db"
rm -f "$DB-wal" "$DB-shm"
start_daemon || { fail "second daemon did not start"; finish; }
ctl import "$T/out1.csv"
expect_eq "re-import of the export: exit 0" 0 "$RC"
ctl export "$T/out2.csv"
cut_ids() { python3 -c 'import csv,sys; [print(r[1:]) for r in csv.reader(open(sys.argv[1], newline=""))]' "$1"; }
expect_eq "export -> import -> export round-trips (ids aside)" "$(cut_ids "$T/out1.csv")" "$(cut_ids "$T/out2.csv")"

# SIGKILL in the middle of a large import: afterwards all or nothing, never half.
python3 - "$T/big.csv" <<'EOF'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("company,position,status,applied_at,notes\r\n")
    for i in range(60000):
        f.write(f"Company {i},Engineer {i},applied,2026-01-{1 + i % 28:02d},{'note ' * 40}{i}\r\n")
EOF
before=$(sqlite3 "$DB" 'SELECT count(*) FROM applications')
"$APPTRACKCTL" import "$T/big.csv" >/dev/null 2>&1 &
ctl_pid=$!
# wait until the import's transaction is writing (the WAL grows; the import parses and checks
# the file first, on a thread of its own, which takes a while in a sanitizer build), then
# kill the daemon; if the import ended first, kill it all the same (and the check below says so)
killed=0
wal_grew() { [ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt 4000000 ]; }
importing() { kill -0 "$ctl_pid" 2>/dev/null; }
for i in $(seq 1 1200); do
	if wal_grew; then
		killed=1
		break
	fi
	importing || break
	sleep 0.05
done
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
wait "$ctl_pid" 2>/dev/null
expect_eq "the daemon was killed while the import was writing" 1 "$killed"
after=$(sqlite3 "$DB" 'SELECT count(*) FROM applications')
echo "# applications before $before, after the kill $after"
check "after SIGKILL mid-import: nothing or everything, never part" \
	test "$after" -eq "$before" -o "$after" -eq $((before + 60000))
expect_eq "database intact after SIGKILL" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
expect_eq "no events without their application" 0 \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM events WHERE application_id NOT IN (SELECT id FROM applications)')"
start_daemon || fail "daemon restarts after SIGKILL"
ctl --json list --limit 100000
expect_eq "the restarted daemon lists the same applications" "$after" "$(printf '%s' "$OUT" | jq length)"

finish
