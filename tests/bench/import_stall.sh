#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# import_stall.sh BUILD_DIR [ROWS...] - how long the control socket stops answering while
# apptrackd imports ROWS generated applications (default: 10000 100000), each into a fresh
# daemon in temporary XDG directories. import_stall.py pings every 10 ms on one connection
# while another imports, and prints one line per import: the import's time, the longest
# ping stall while the import ran (target: < 50 ms, issue 15) and the longest in the 3 s
# after its reply (the work import.done sets off: the feed, reminders that came due).
# Exit 1 when a stall during an import reaches the target.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
shift || true
here=$(cd "$(dirname "$0")" && pwd)
rows=("${@:-10000 100000}")
# shellcheck disable=SC2206
rows=(${rows[*]})
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
status=0
for n in "${rows[@]}"; do
	rm -rf "$T/x" && mkdir -p "$T/x/run" && chmod 700 "$T/x/run"
	export XDG_CONFIG_HOME=$T/x/config XDG_DATA_HOME=$T/x/data XDG_RUNTIME_DIR=$T/x/run APPTRACK_CALENDAR_LISTEN=off
	python3 - "$T/apps.csv" "$n" <<'PY'
import random, sys
random.seed(7)
statuses = ["applied"] * 6 + ["screen", "assessment", "technical", "onsite", "final", "offer", "rejected", "rejected", "ghosted"]
sources = ["linkedin", "indeed", "referral", "company site", "greenhouse"]
with open(sys.argv[1], "w", newline="") as f:
    f.write("company,position,status,source,location,applied_at,notes\r\n")
    for i in range(int(sys.argv[2])):
        f.write(f"Company {i % 700},Engineer {i % 40},{random.choice(statuses)},{random.choice(sources)},"
                f"City {i % 25},2026-{1 + i % 10:02d}-{1 + i % 28:02d},note {i}\r\n")
PY
	"$build/apptrackd" --foreground 2>"$T/daemon.log" &
	pid=$!
	for _ in $(seq 1 100); do "$build/apptrackctl" ping >/dev/null 2>&1 && break; sleep 0.05; done
	line=$(python3 "$here/import_stall.py" "$XDG_RUNTIME_DIR/apptrack/control.sock" "$T/apps.csv")
	echo "$n rows: $line"
	kill "$pid"
	wait "$pid" || true
	pid=
	during=$(sed -n 's/.*during: max \([0-9.]*\) ms.*/\1/p' <<<"$line")
	[ "$(echo "$during >= 50" | bc)" = 1 ] && status=1
done
exit $status
