#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD_DIR - the core benchmark: a real apptrackd in temporary XDG directories with
# 10,000 imported applications, then `apptrack-bench core`. Exit 1 when a target is missed.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data XDG_RUNTIME_DIR=$T/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
"$build/apptrackd" --foreground 2>"$T/daemon.log" &
pid=$!
for _ in $(seq 1 100); do "$build/apptrackctl" ping >/dev/null 2>&1 && break; sleep 0.05; done
python3 - "$T/apps.csv" <<'PY'
import random, sys
random.seed(7)
statuses = ["applied"] * 6 + ["screen", "assessment", "technical", "onsite", "final", "offer", "rejected", "rejected", "ghosted"]
sources = ["linkedin", "indeed", "referral", "company site", "greenhouse"]
with open(sys.argv[1], "w", newline="") as f:
    f.write("company,position,status,source,location,applied_at,notes\r\n")
    for i in range(10000):
        f.write(f"Company {i % 700},Engineer {i % 40},{random.choice(statuses)},{random.choice(sources)},"
                f"City {i % 25},2026-{1 + i % 10:02d}-{1 + i % 28:02d},note {i}\r\n")
PY
"$build/apptrackctl" import "$T/apps.csv"
"$build/tests/bench/apptrack-bench" core
