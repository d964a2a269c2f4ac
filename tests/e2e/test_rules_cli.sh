#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_rules_cli.sh - `apptrackctl rules test` through a real daemon on the labelled corpus
# (and the types of the verdict's fields: layer, guess, phrases, review, company
# candidates), user rules overriding shipped ones, and rule-file errors reported as
# FILE:LINE by --check-config and at start-up.
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
CORPUS="$SHARED_DIR/corpus/mail"

start_daemon || { fail "daemon did not start"; finish; }

# the messages added later (web_*, code_*) are the mail-understanding issue's to classify;
# until then only the original corpus is held to its labels
mapfile -t ORIGINAL < <(cd "$CORPUS" && ls -- *.eml | grep -Ev '^(web|code)_')
ctl --json rules test "${ORIGINAL[@]/#/$CORPUS/}"
expect_eq "rules test: exit 0" 0 "$RC"
printf '%s' "$OUT" | jq -r '.[] | "\(.file | split("/") | last)\t\(.kind)"' | sort >"$T/got.tsv"
tail -n +2 "$CORPUS/labels.tsv" | cut -f1,2 | grep -Ev '^(web|code)_' | sort >"$T/want.tsv"
expect_eq "every corpus message classified as labelled" "" "$(diff "$T/want.tsv" "$T/got.tsv")"
for key in file kind company position status rule layer guess phrases review company_candidates; do
	expect_eq "rules test objects carry $key" true "$(printf '%s' "$OUT" | jq "all(has(\"$key\"))")"
done
# the verdict's fields, and their types
check_verdicts() { # JSON: the fields of every object of a rules test have their types
	local json=$1
	expect_eq "layer is rule, model or null" true \
		"$(jq 'all(.layer == "rule" or .layer == "model" or .layer == null)' <<<"$json")"
	expect_eq "a rule that decided is the rule layer" true \
		"$(jq 'all(if .rule != null then .layer == "rule" else true end)' <<<"$json")"
	expect_eq "guess is {kind, confidence 0..1} or null" true \
		"$(jq 'all(.guess == null or ((.guess.kind | type) == "string" and (.guess.confidence | type) == "number"
			and .guess.confidence >= 0 and .guess.confidence <= 1))' <<<"$json")"
	expect_eq "a verdict has a guess and a layer, none has neither" true \
		"$(jq 'all((.guess == null) == (.layer == null))' <<<"$json")"
	expect_eq "phrases is an array of strings" true \
		"$(jq 'all((.phrases | type) == "array" and all(.phrases[]; type == "string"))' <<<"$json")"
	expect_eq "review is a boolean, with review_reason exactly when true" true \
		"$(jq 'all((.review | type) == "boolean" and (.review == ((.review_reason | type) == "string")))' <<<"$json")"
	expect_eq "a message that would be queued is acted on as none, or waits for its company" true \
		"$(jq 'all(if .review then (.kind == "none" and .status == null) or (.kind != "none" and .company == null)
			else true end)' <<<"$json")"
	expect_eq "company_candidates are {name, score, from}" true \
		"$(jq 'all((.company_candidates | type) == "array" and all(.company_candidates[];
			(.name | type) == "string" and (.score | type) == "number" and (.from | type) == "string"))' <<<"$json")"
	expect_eq "with a model, no object says there is none" true "$(jq 'all(has("model_problem") | not)' <<<"$json")"
}
check_verdicts "$OUT"
expect_eq "a confirmation would set applied" applied \
	"$(printf '%s' "$OUT" | jq -r '.[] | select(.kind == "confirmation") | .status' | sort -u)"
expect_eq "rules test stores nothing" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM applications')"

printf 'Subject: lunch\r\nFrom: friend@example.org\r\n\r\nPizza at noon?\r\n' >"$T/lunch.eml"
printf '\r\n\r\n' >"$T/empty.eml"
ctl --json rules test "$T/lunch.eml" "$T/empty.eml"
# no rule claims it; the model, when there is one, reads it as noise: ignored either way
expect_match "an ordinary message is not job-search mail (kind none, or noise for the model)" '^(none|noise)$' \
	"$(printf '%s' "$OUT" | jq -r '.[0].kind')"
expect_eq "and would change no application" null "$(printf '%s' "$OUT" | jq -r '.[0].status')"
expect_eq "a message that is not mail is kind none" none "$(printf '%s' "$OUT" | jq -r '.[1].kind')"
expect_match "and says why" "not a mail message|empty" "$(printf '%s' "$OUT" | jq -r '.[1].error')"
check_verdicts "$OUT"
expect_eq "a message that is not mail has no verdict and would not be queued" \
	'null:null:[]:[]:false' "$(printf '%s' "$OUT" | jq -rc '.[1] | "\(.layer):\(.guess):\(.phrases):\(.company_candidates):\(.review)"')"
ctl rules test "$T/nope.eml"
expect_eq "a missing file: exit 2" 2 "$RC"
expect_match "the missing file is named" "nope.eml" "$ERR"
ctl rules test
expect_eq "no files: exit 2" 2 "$RC"
ctl rules test "$CORPUS/lever_algorithmia_rejection_inferred.eml"
expect_match "rules test (for people) shows the rule" "lever-rejection" "$OUT"
expect_match "and the confidence" "confidence [01]\.[0-9][0-9]" "$OUT"
expect_match "and the company candidates with their scores" "candidates +Algorithmia [0-9]+\.[0-9][0-9] \(" "$OUT"
expect_eq "and no line about a missing model" 0 "$(printf '%s\n' "$OUT" | grep -c 'not loaded')"

# a user rule with a shipped rule's name replaces it (after a reload)
mkdir -p "$XDG_CONFIG_HOME/apptrack/rules.d"
cat >"$XDG_CONFIG_HOME/apptrack/rules.d/mine.rules" <<'RULES'
[rule lever-rejection]
kind = interview
from = lever\.co>
body = unfortunately
priority = 90
RULES
kill -HUP "$DAEMON_PID"
for i in $(seq 1 100); do grep -q 'configuration reloaded' "$T/daemon.log" && break; sleep 0.05; done
ctl --json rules test "$CORPUS/lever_algorithmia_rejection_inferred.eml"
expect_eq "a user rule overrides the shipped one by name" interview "$(printf '%s' "$OUT" | jq -r '.[0].kind')"

# a broken user rule: FILE:LINE from --check-config, refused at start and on reload
printf '[rule broken]\nkind = noise\nbody = (unclosed\n' >"$XDG_CONFIG_HOME/apptrack/rules.d/zz.rules"
out=$("$APPTRACKD" --check-config 2>&1)
expect_eq "--check-config fails on a broken rule" 1 $?
expect_match "the broken rule is named by file and line" "zz.rules:3: bad pattern for body" "$out"
kill -HUP "$DAEMON_PID"
for i in $(seq 1 100); do grep -q 'not reloaded' "$T/daemon.log" && break; sleep 0.05; done
expect_match "a broken rule on SIGHUP keeps the old rules" "not reloaded.*zz.rules:3" "$(cat "$T/daemon.log")"
ctl --json rules test "$CORPUS/lever_algorithmia_rejection_inferred.eml"
expect_eq "the old rules are still in force" interview "$(printf '%s' "$OUT" | jq -r '.[0].kind')"
stop_daemon TERM
"$APPTRACKD" --foreground 2>"$T/err"
expect_eq "the daemon refuses to start with a broken rule" 1 $?
expect_match "and names it" "zz.rules:3" "$(cat "$T/err")"
finish
