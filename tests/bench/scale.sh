#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scale.sh BUILD_DIR [SIZE...] [--sizes "1000 10000"] [--runs K] [--no-match] [--keep] - the scale benchmark
# of issue 15: for each size (default 1000 10000 100000) a real apptrackd in temporary XDG
# directories imports that many generated applications and is timed as a user with a long history
# meets it (import, the socket's stalls, add, list, stats, upcoming, restart, memory, ping), then
# `match --all` over 1,000 applications with job descriptions; one table on stdout, progress on
# stderr. The work is scale.py's; it uses only what commit be3c818 has, so that builds before and
# after can be compared. Needs python3 and sqlite3; ../shared/corpus/match for the match row.
set -euo pipefail
if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD_DIR [SIZE...] [--sizes \"1000 10000\"] [--runs K] [--no-match] [--keep]" >&2
	exit 2
fi
exec python3 "$(dirname "$0")/scale.py" "$@"
