#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_import_gate.sh - an import does not hold the socket (issue 15): while a large import
# writes, another connection's ping and read are answered before the import's reply, and
# its write waits for the import and then succeeds. Nothing here is timed: the import is
# known to be writing when its WAL has grown, and the order of the replies is what is
# checked. Mail delivered during the import is applied after it (the batch waits in the
# gate rather than for SQLite's lock). A file with one bad row at its end still imports
# nothing, and a stop during an import stores nothing of it.
. "$(dirname "$0")/lib.sh"

use_maildir
start_daemon || { fail "daemon did not start"; finish; }

ROWS=60000
python3 - "$T/big.csv" "$ROWS" <<'EOF'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("company,position,status,applied_at,notes\r\n")
    for i in range(int(sys.argv[2])):
        f.write(f"Company {i},Engineer {i},applied,2026-01-{1 + i % 28:02d},{'note ' * 40}{i}\r\n")
EOF
ctl add --company Before --position Dev
before=$(sqlite3 "$DB" 'SELECT count(*) FROM applications')
# the WAL starts empty, so that its growth shows the import writing
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

# One connection imports; once the import's transaction is writing (its WAL grows by 4 MB),
# another sends ping, applications.list and applications.add. The replies are printed in
# the order they arrive, across both connections.
python3 - "$SOCK" "$T/big.csv" "$DB-wal" "$SHARED_DIR/corpus/mail/lever_algorithmia_confirmation_inferred.eml" \
	"$MD" >"$T/order.txt" 2>"$T/order.err" <<'EOF'
import json, os, select, shutil, socket, sys, time
sock, csv_path, wal, mail, maildir = sys.argv[1:6]

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    f = s.makefile("rb")
    f.readline()  # greeting
    return s, f

def wal_size():
    try:
        return os.stat(wal).st_size
    except FileNotFoundError:
        return 0

imp, imp_f = connect()
other, other_f = connect()
start = wal_size()
imp.sendall(json.dumps({"id": "import", "method": "import",
                        "params": {"csv": open(csv_path, encoding="utf-8").read()}}).encode() + b"\n")
deadline = time.monotonic() + 120
while wal_size() < start + 4_000_000:
    if time.monotonic() > deadline:
        print("the import never wrote")
        sys.exit(1)
    time.sleep(0.005)
print("writing")
sys.stdout.flush()
# a message arrives: the mail worker reads it and hands it over while the import writes
shutil.copy(mail, os.path.join(maildir, "tmp", "during"))
os.rename(os.path.join(maildir, "tmp", "during"), os.path.join(maildir, "new", "during"))
requests = [("sync", "mail.sync", {}), ("ping", "ping", {}), ("list", "applications.list", {"limit": 1}),
            ("add", "applications.add", {"company": "During", "position": "Import"})]
for rid, method, params in requests:
    other.sendall(json.dumps({"id": rid, "method": method, "params": params}).encode() + b"\n")
# raw reads with a buffer per connection: select() sees the socket, not a file's buffer
waiting = {imp: 1, other: len(requests)}
buf = {imp: b"", other: b""}
while any(waiting.values()):
    ready, _, _ = select.select([s for s, n in waiting.items() if n], [], [], 120)
    if not ready:
        print("no reply in 120 s")
        sys.exit(1)
    for s in ready:
        data = s.recv(1 << 20)
        if not data:
            print("connection closed")
            sys.exit(1)
        buf[s] += data
        while b"\n" in buf[s]:
            line, buf[s] = buf[s].split(b"\n", 1)
            reply = json.loads(line)
            if "id" not in reply:
                continue  # an event
            print(reply["id"], "ok" if "error" not in reply else "error: " + json.dumps(reply["error"]))
            sys.stdout.flush()
            waiting[s] -= 1
EOF
cat "$T/order.txt" | sed 's/^/# /'
order=$(awk '{print $1}' "$T/order.txt" | tr '\n' ' ')
expect_eq "the import was writing when the others asked" writing "$(head -1 "$T/order.txt")"
expect_eq "ping and read answered during the import, the write after it" \
	"writing sync ping list import add " "$order"
expect_eq "the import succeeded" "import ok" "$(grep '^import' "$T/order.txt")"
expect_eq "the write that waited succeeded" "add ok" "$(grep '^add' "$T/order.txt")"
wait_until 200 sh -c "[ \$(sqlite3 '$DB' 'SELECT count(*) FROM messages') -ge 1 ]" ||
	fail "the message delivered during the import was not applied"
expect_eq "no mail batch failed on the import's lock" "" "$(grep 'applying mail failed' "$T/daemon.log")"
grep -E 'imported [0-9]+ applications|from a message' "$T/daemon.log" | sed 's/^/# in this order: /'
expect_eq "every row of the import is stored" "$ROWS" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM applications WHERE company LIKE 'Company %'")"
expect_eq "the write that waited is stored, after the import's rows" 1 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM applications WHERE company = 'During'
		AND id > (SELECT max(id) FROM applications WHERE company LIKE 'Company %')")"
after=$(sqlite3 "$DB" 'SELECT count(*) FROM applications')
ctl ping
expect_eq "the daemon answers after the import" 0 "$RC"

# Still all or nothing: one bad row at the end of a large file refuses it whole.
python3 - "$T/bad_end.csv" <<'EOF'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("company,position,status,applied_at\n")
    for i in range(20000):
        f.write(f"Late Co {i},Engineer,applied,2026-02-{1 + i % 28:02d}\n")
    f.write("Bad Co,Engineer,sleeping,2026-02-01\n")
EOF
ctl import "$T/bad_end.csv"
expect_eq "a bad last row: exit 1" 1 "$RC"
expect_match "names the bad row" 'bad_end.csv:20002:.*sleeping' "$ERR"
expect_eq "nothing of that file was imported" "$after" "$(sqlite3 "$DB" 'SELECT count(*) FROM applications')"

# Stopping the daemon during an import: the transaction is rolled back, the daemon says so.
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
"$APPTRACKCTL" import "$T/big.csv" >"$T/stop.out" 2>"$T/stop.err" &
ctl_pid=$!
start=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
wal_grew() { [ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt $((start + 4000000)) ]; }
wait_until 2400 wal_grew || fail "the import cut short never wrote"
stop_daemon TERM
wait "$ctl_pid"
expect_eq "the import cut short by a stop: exit 1" 1 "$?"
expect_match "and it says nothing was imported" 'nothing imported' "$(cat "$T/stop.err")"
expect_eq "nothing of the cancelled import was stored" "$after" "$(sqlite3 "$DB" 'SELECT count(*) FROM applications')"
expect_eq "database intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

finish
