#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_stats.sh - `apptrackctl stats` on a small known pipeline, for people and scripts.
. "$(dirname "$0")/lib.sh"

start_daemon || { fail "daemon did not start"; finish; }

add() { ctl --json add "$@"; printf '%s' "$OUT" | jq -r .id; }
a=$(add --company A --position "Backend Engineer" --source linkedin --applied-on 2026-11-02)
b=$(add --company B --position "Backend Engineer" --source linkedin --applied-on 2026-11-03)
c=$(add --company C --position "Data Engineer" --source indeed --applied-on 2026-11-04)
d=$(add --company D --position "Data Engineer" --source referral --applied-on 2026-11-05)
add --company E --position "Someday" --status saved >/dev/null
ctl status "$a" screen
ctl status "$a" technical
ctl status "$a" offer
ctl status "$b" rejected

ctl --json stats
expect_eq "stats: exit 0" 0 "$RC"
expect_eq "total counts every application" 5 "$(printf '%s' "$OUT" | jq .total)"
expect_eq "counted excludes saved" 4 "$(printf '%s' "$OUT" | jq .counted)"
expect_eq "response rate: 2 of 4" 0.5 "$(printf '%s' "$OUT" | jq .response_rate)"
expect_eq "interview rate: 1 of 4" 0.25 "$(printf '%s' "$OUT" | jq .interview_rate)"
expect_eq "offer rate: 1 of 4" 0.25 "$(printf '%s' "$OUT" | jq .offer_rate)"
expect_eq "by_status counts applied" 2 "$(printf '%s' "$OUT" | jq .by_status.applied)"

ctl --json stats pipeline
expect_eq "funnel: 4 reached applied" 4 "$(printf '%s' "$OUT" | jq '.funnel[] | select(.stage == "applied") | .count')"
expect_eq "funnel: the skipped assessment stage still counts the offer" 1 \
	"$(printf '%s' "$OUT" | jq '.funnel[] | select(.stage == "assessment") | .count')"
ctl --json stats sources
expect_eq "sources: linkedin has 2 applications" 2 "$(printf '%s' "$OUT" | jq '.sources[] | select(.key == "linkedin") | .applications')"
expect_eq "sources: linkedin responses" 2 "$(printf '%s' "$OUT" | jq '.sources[] | select(.key == "linkedin") | .responses')"
ctl --json stats positions
expect_eq "positions grouped" 2 "$(printf '%s' "$OUT" | jq '.positions[] | select(.key == "Data Engineer") | .applications')"
ctl --json stats months
expect_eq "months: November 2026" "2026-11" "$(printf '%s' "$OUT" | jq -r '.months[-1].month')"
ctl --json stats trends --weeks 4
expect_eq "trends: 4 weeks" 4 "$(printf '%s' "$OUT" | jq '.weeks | length')"
ctl --json stats locations
expect_eq "stats locations: exit 0" 0 "$RC"

for report in overview pipeline trends sources months positions locations; do
	ctl stats "$report"
	expect_eq "stats $report (human): exit 0" 0 "$RC"
	check "stats $report (human) prints something" test -n "$OUT"
done
ctl stats sources
expect_match "human stats draw bars" '█' "$OUT"
ctl stats nonsense
expect_match "unknown report refused" '^[12]$' "$RC"
expect_match "unknown report named" 'nonsense' "$ERR"

finish
