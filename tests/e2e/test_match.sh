#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_match.sh - apptrackctl match against a real apptrackd: the pair mode's scores equal
# scikit-learn's reference values (../shared/corpus/match/reference.tsv) through the whole
# path (files read by the client, scored by the daemon), a stored resume and stored job
# descriptions in corpus mode, --all ranking, keywords and the suggestion, the profile's
# skills counted as resume terms, and refusals that name the problem.
. "$(dirname "$0")/lib.sh"

M="$SHARED_DIR/corpus/match"
start_daemon

# ---- pair mode equals scikit-learn, file against file ----
n=0
while IFS=$'\t' read -r resume jd want; do
	[ "$resume" = resume ] && continue
	case "$want" in error:*) continue ;; esac
	ctl --json match --mode pair --resume-file "$M/$resume" --jd-file "$M/$jd"
	case "$resume $jd" in *empty.txt*)
		# the engine scores an empty text 0 as scikit-learn does (unit test); the client
		# refuses to send an empty file, as `resume add` does
		expect_eq "empty file $resume $jd: usage error" 2 "$RC"
		expect_match "empty file: named" "empty.txt is empty" "$ERR"
		continue ;;
	esac
	[ "$RC" = 0 ] || { fail "match $resume $jd: exit $RC: $ERR"; continue; }
	got=$(printf '%s' "$OUT" | jq -r .score)
	CHECKS=$((CHECKS + 1))
	if awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-6) }'; then
		n=$((n + 1))
	else
		fail "pair score $resume vs $jd: $got, scikit-learn $want"
	fi
done <"$M/reference.tsv"
check "pair scores equal scikit-learn's for $n reference rows" test "$n" -ge 25

ctl --json match --mode pair --resume-file "$M/edge/only_stopwords.txt" --jd-file "$M/edge/only_stopwords.txt"
expect_eq "only stop words: exit 1" 1 "$RC"
expect_match "only stop words: the message says so" "stop words" "$ERR"

# ---- stored resume, stored job descriptions ----
ctl resume add main "$M/resume_john_doe.txt"
expect_eq "resume add: exit 0" 0 "$RC"
declare -A ID
for f in "$M"/jd_*.txt; do
	name=$(basename "$f" .txt)
	ctl --json add --company "Co ${name#jd_}" --position "${name#jd_}" --jd-file "$f"
	ID[$name]=$(printf '%s' "$OUT" | jq -r .id)
done
ctl --json add --company "No JD Inc" --position "Clerk"
NOJD=$(printf '%s' "$OUT" | jq -r .id)

java=${ID[jd_java_developer]}
ctl --json match --mode pair "$java"
expect_eq "pair mode on a stored resume and application" "12.613262" "$(printf '%s' "$OUT" | jq -r .score)"
expect_eq "the result names the application" "$java" "$(printf '%s' "$OUT" | jq -r .application.id)"
expect_eq "the result names the resume" "main" "$(printf '%s' "$OUT" | jq -r .resume)"

ctl --json match "$java"
expect_eq "corpus mode is the default" "corpus" "$(printf '%s' "$OUT" | jq -r .mode)"
corpus=$(printf '%s' "$OUT" | jq -r .score)
check "corpus score is in 0..100 and differs from the pair score" \
	awk -v a="$corpus" 'BEGIN { exit !(a > 0 && a <= 100 && (a - 12.613262 > 1e-6 || 12.613262 - a > 1e-6)) }'
check "keywords: matching and missing are lists" \
	test "$(printf '%s' "$OUT" | jq '(.matching_keywords | type) + (.missing_keywords | type)')" = '"arrayarray"'
check "keywords: the Java posting's Java is matched" \
	test "$(printf '%s' "$OUT" | jq '.matching_keywords | map(ascii_downcase) | index("java") != null')" = true
first_missing=$(printf '%s' "$OUT" | jq -r '.missing_keywords[0] // empty')
check "the suggestion names the heaviest missing keyword" \
	test -n "$first_missing" -a -n "$(printf '%s' "$OUT" | jq -r .suggestion | grep -F -- "$first_missing")"

# ---- --all ranks every application with a job description, best first ----
ctl --json match --all
expect_eq "--all: one result per job description" 4 "$(printf '%s' "$OUT" | jq length)"
check "--all: sorted by score" test "$(printf '%s' "$OUT" | jq '[.[].score] == ([.[].score] | sort | reverse)')" = true
check "--all: the Java posting ranks first for a Java resume" \
	test "$(printf '%s' "$OUT" | jq -r '.[0].application.id')" = "$java"
ctl --json match --all --limit 2
expect_eq "--all --limit 2" 2 "$(printf '%s' "$OUT" | jq length)"
ctl match --all
expect_match "--all table for people" "SCORE +ID +COMPANY" "$OUT"

# ---- the profile's skills count as resume terms ----
ctl --json match --mode pair "$java"
before=$(printf '%s' "$OUT" | jq -r .score)
missing=$(printf '%s' "$OUT" | jq -r '.missing_keywords[0]')
ctl profile --skills "$missing"
expect_eq "profile --skills: exit 0" 0 "$RC"
ctl --json match --mode pair "$java"
check "a profile skill moves from missing to matching" \
	test "$(printf '%s' "$OUT" | jq --arg k "$missing" '(.matching_keywords | index($k) != null) and (.missing_keywords | index($k) == null)')" = true
check "and changes the score" test "$(printf '%s' "$OUT" | jq -r .score)" != "$before"

# ---- refusals ----
ctl match
expect_eq "no target: usage error" 2 "$RC"
expect_match "no target: says what to give" "APP_ID, --jd-file F or --all" "$ERR"
ctl match "$java" --all
expect_eq "two targets: usage error" 2 "$RC"
ctl match --mode fancy "$java"
expect_eq "bad mode: usage error" 2 "$RC"
expect_match "bad mode: named" "fancy" "$ERR"
ctl match "$NOJD"
expect_eq "application without a job description: exit 1" 1 "$RC"
expect_match "without a job description: says how to add one" "has no job description.*--jd-file" "$ERR"
ctl match 9999
expect_eq "unknown application: exit 1" 1 "$RC"
expect_match "unknown application: named" "no application with id 9999" "$ERR"
ctl match --resume nosuch "$java"
expect_eq "unknown resume: exit 1" 1 "$RC"
expect_match "unknown resume: named" "nosuch" "$ERR"
ctl match --resume-file "$T/missing.txt" "$java"
expect_eq "unreadable resume file: usage error" 2 "$RC"
ctl match --resume main --resume-file "$M/resume_john_doe.txt" "$java"
expect_eq "--resume with --resume-file: usage error" 2 "$RC"

# ---- the protocol refuses bad parameters with one named error each ----
ctl profile --skills "" # no skills: request 9 compares stop words alone
expect_eq "profile --skills \"\" clears them" 0 "$RC"
cat >"$T/bad.jsonl" <<JSONL
{"id":1,"method":"match","params":{"application":$java,"mode":"fancy"}}
{"id":2,"method":"match","params":{"application":$java,"resume":"main","resume_text":"x"}}
{"id":3,"method":"match","params":{"all":true,"limit":0}}
{"id":4,"method":"match","params":{"application":"seven"}}
{"id":5,"method":"match","params":{"all":true,"application":$java}}
{"id":6,"method":"match","params":{"all":"yes"}}
{"id":7,"method":"match","params":{"jd_text":42}}
{"id":8,"method":"match","params":{"all":true,"colour":"red"}}
{"id":9,"method":"match","params":{"jd_text":"the and of","resume_text":"it was","mode":"pair"}}
JSONL
replies=$(/usr/bin/python3 "$(dirname "$0")/rawsock.py" "$SOCK" lines "$T/bad.jsonl" | grep '"id"')
for want in '1 invalid_params unknown mode' '2 invalid_params not both' '3 invalid_params positive' \
	'4 invalid_params positive integer' '5 invalid_params give one of' '6 invalid_params true or false' \
	'7 invalid_params must be a string' '8 invalid_params colour' '9 invalid_params stop words'; do
	set -- $want
	id=$1 code=$2
	shift 2
	line=$(printf '%s\n' "$replies" | jq -c "select(.id == $id)")
	expect_eq "protocol: request $id refused as $code" "$code" "$(printf '%s' "$line" | jq -r .error.code)"
	expect_match "protocol: request $id says why" "$*" "$(printf '%s' "$line" | jq -r .error.message)"
done
ctl ping
expect_eq "the daemon lives on after the bad requests" 0 "$RC"

finish
