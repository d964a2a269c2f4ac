#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_learn.sh - the user's lessons to the mail model through a real daemon, as a user
# meets them: `learn` and `unlearn` counted by `mail model` and `mail status`; refused whole
# for a file that is not mail, an unknown kind, or a file never learned; stored across a
# restart and a reload and in a `backup` (the CSV export unchanged); `review apply --kind`
# teaches when the kind is not the daemon's guess; five lessons about a sender family the
# shipped model misreads (tests/data/lessons) make it read a sixth message of the family,
# never taught, right; and with the model file missing or corrupt the daemon runs on the
# rules alone, logs one error naming the file, and `mail status`, `mail model` and
# `rules test` say so.
. "$(dirname "$0")/lib.sh"
: "${SHARED_DIR:?SHARED_DIR must name ../shared}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
CORPUS="$SHARED_DIR/corpus/mail"
FAMILY="$SOURCE_DIR/tests/data/lessons"
RAW="python3 $(dirname "$0")/rawsock.py"
REJECTION="$CORPUS/lever_algorithmia_rejection_inferred.eml"
CONFIRMATION="$CORPUS/lever_algorithmia_confirmation_inferred.eml"
use_maildir
lessons() { "$APPTRACKCTL" --json mail model | jq -r .lessons; }
stored() { sqlite3 "$DB" "SELECT count(*) FROM lessons"; }
# guess FILE: the kind of the verdict `rules test` gives FILE (null without one)
guess() { "$APPTRACKCTL" --json rules test "$1" | jq -r '.[0].guess.kind'; }
# log_since N: the daemon's log after its first N lines
log_since() { tail -n +"$(($1 + 1))" "$T/daemon.log"; }
log_lines() { wc -l <"$T/daemon.log"; }
reloaded() { [ "$(log_since "$1" | grep -c 'configuration reloaded')" -ge 1 ]; }

start_daemon || { fail "daemon did not start"; finish; }
ctl --json mail model
expect_eq "mail model: the shipped model is loaded" null "$(printf '%s' "$OUT" | jq -r .problem)"
check "mail model: it was trained on messages" test "$(printf '%s' "$OUT" | jq -r .messages)" -gt 0
expect_match "mail model: it names its file" 'apptrack\.model$' "$(printf '%s' "$OUT" | jq -r .file)"
expect_eq "no lessons yet" 0 "$(printf '%s' "$OUT" | jq -r .lessons)"
ctl add --company Acme --position "Data Engineer"
ctl export
EXPORT_BEFORE=$OUT

# ---- learn, unlearn, and what they refuse ----

ctl learn rejection "$REJECTION"
expect_eq "learn: exit 0" 0 "$RC"
expect_match "learn says what it learned" "learned .*lever_algorithmia_rejection_inferred.eml as rejection" "$OUT"
expect_eq "mail model counts the lesson" 1 "$(lessons)"
ctl mail status
expect_match "mail status shows the model and the lesson" "model: .*apptrack\.model.*1 lesson of yours" "$OUT"
expect_eq "the lesson is stored with its kind and file" "rejection|$REJECTION" \
	"$(sqlite3 "$DB" 'SELECT kind, file FROM lessons')"
ctl --json learn rejection "$REJECTION" "$REJECTION"
expect_eq "learning it again as the same kind changes nothing" "0:already,already:1" \
	"$(printf '%s' "$OUT" | jq -r '"\(.learned):\(.messages | map(.outcome) | join(",")):\(.lessons)"')"
ctl --json learn offer "$REJECTION"
expect_eq "learning it as another kind replaces the lesson" "relearned:rejection:1" \
	"$(printf '%s' "$OUT" | jq -r '"\(.messages[0].outcome):\(.messages[0].previous):\(.lessons)"')"
expect_eq "the stored lesson is of the new kind" offer "$(sqlite3 "$DB" 'SELECT kind FROM lessons')"
ctl export
expect_eq "the CSV export does not change with lessons" "$EXPORT_BEFORE" "$OUT"

printf 'hello world\nthis is a note, not a message\n' >"$T/note.txt"
: >"$T/empty.eml"
ctl learn rejection "$CONFIRMATION" "$T/note.txt"
expect_eq "learning a file that is not mail: exit 1" 1 "$RC"
expect_match "the error names the file and says it is not mail" "note\.txt: not a mail message.*nothing learned" "$ERR"
expect_eq "and is one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
expect_eq "nothing of the request is learned" 1 "$(stored)"
ctl learn rejection "$T/empty.eml"
expect_eq "learning an empty file: exit 1" 1 "$RC"
expect_match "the error names it" "empty\.eml: .*nothing learned" "$ERR"
ctl learn spam "$CONFIRMATION"
expect_eq "an unknown kind: exit 2" 2 "$RC"
expect_match "the error names the kind and the kinds there are" \
	'unknown kind "spam" \(use confirmation, rejection, interview, assessment, offer, recruiter or noise\)' "$ERR"
ctl learn rejection "$T/nope.eml"
expect_eq "a missing file: exit 2" 2 "$RC"
expect_match "the missing file is named" "nope\.eml" "$ERR"
ctl learn rejection
expect_eq "no file: exit 2" 2 "$RC"
expect_eq "nothing learned by the refused requests" 1 "$(stored)"

# the daemon checks what a client sends, whatever client it is
b64=$(base64 -w0 "$CONFIRMATION")
cat >"$T/requests.jsonl" <<EOF
{"id":1,"method":"mail.learn","params":{"kind":"spam","messages":[{"file":"c.eml","raw":"$b64"}]}}
{"id":2,"method":"mail.learn","params":{"messages":[{"file":"c.eml","raw":"$b64"}]}}
{"id":3,"method":"mail.learn","params":{"kind":"offer","messages":[]}}
{"id":4,"method":"mail.learn","params":{"kind":"offer","messages":[{"file":"c.eml"}]}}
{"id":5,"method":"mail.unlearn","params":{"kind":"offer","messages":[{"file":"c.eml","raw":"$b64"}]}}
{"id":6,"method":"review.apply","params":{"id":1,"kind":"spam"}}
EOF
replies=$($RAW "$SOCK" lines "$T/requests.jsonl" | tail -n +2)
expect_eq "the daemon refuses an unknown kind, a missing kind, no messages, a message without raw, a stray parameter" \
	"1:invalid_params 2:invalid_params 3:invalid_params 4:invalid_params 5:invalid_params 6:invalid_params" \
	"$(printf '%s\n' "$replies" | jq -r '"\(.id):\(.error.code)"' | paste -sd ' ')"
expect_match "naming the kind" 'unknown kind \\"spam\\"' "$(printf '%s\n' "$replies" | head -1)"
expect_eq "nothing learned by them" 1 "$(stored)"

ctl unlearn "$REJECTION" "$CONFIRMATION"
expect_eq "unlearning a file never learned: exit 1" 1 "$RC"
expect_match "the error names the file" "lever_algorithmia_confirmation_inferred\.eml was never learned: nothing unlearned" \
	"$ERR"
expect_eq "nothing of the request is unlearned" 1 "$(stored)"
ctl unlearn "$REJECTION"
expect_eq "unlearn: exit 0" 0 "$RC"
expect_match "unlearn says what the lesson was" "unlearned .*rejection_inferred\.eml \(it was learned as offer\)" "$OUT"
expect_eq "the lesson is gone" 0 "$(lessons)"
ctl --json unlearn "$REJECTION"
expect_eq "unlearning it twice: exit 1" 1 "$RC"

# ---- review apply --kind ----

deliver "$CORPUS/hackerrank_quantcast_code_challenge_invite.eml" 1.hackerrank
deliver "$CORPUS/coderaulic_apptio_phone_interview_confirmation.eml" 2.apptio
ctl mail sync
review_has() { [ "$("$APPTRACKCTL" --json review list | jq length)" -ge "$1" ]; }
check "the two messages wait in the review queue" wait_until 200 review_has 2
ctl --json review list
entries=$OUT
hr_id=$(printf '%s' "$entries" | jq -r '.[] | select(.subject | test("(?i)challenge|hackerrank|quantcast")) | .id' | head -1)
ap_id=$(printf '%s' "$entries" | jq -r '.[] | select(.subject | test("(?i)apptio|interview|phone")) | .id' | head -1)
hr_guess=$(printf '%s' "$entries" | jq -r ".[] | select(.id == $hr_id) | .verdict.guess.kind // .kind")
ap_guess=$(printf '%s' "$entries" | jq -r ".[] | select(.id == $ap_id) | .verdict.guess.kind // .kind")
check "review entries were found" test -n "$hr_id" -a -n "$ap_id" -a "$hr_id" != "$ap_id"
ctl review show "$hr_id"
expect_match "review show gives the verdict the daemon queued it with" "^verdict +$hr_guess, by " "$OUT"
ctl --json add --company Quantcast --position "Software Engineer"
quantcast=$(printf '%s' "$OUT" | jq -r .id)
# a kind other than the guess: applied as that kind, and learned
other=interview
[ "$hr_guess" = interview ] && other=assessment
ctl review apply "$hr_id" --app "$quantcast" --kind "$other"
expect_eq "review apply --kind: exit 0" 0 "$RC"
expect_match "it says the message was learned" "learned as $other" "$OUT"
expect_eq "the lesson is stored, without a file name" "$other|" "$(sqlite3 "$DB" 'SELECT kind, file FROM lessons')"
expect_eq "mail model counts it" 1 "$(lessons)"
# the guess itself: applied, nothing learned
ctl --json add --company Apptio --position "Analyst"
apptio=$(printf '%s' "$OUT" | jq -r .id)
ctl --json review apply "$ap_id" --app "$apptio" --kind "$ap_guess"
expect_eq "review apply --kind of the guess: exit 0" 0 "$RC"
expect_eq "it teaches nothing" false "$(printf '%s' "$OUT" | jq -r .learned)"
expect_eq "no lesson more" 1 "$(lessons)"
ctl review apply 99999 --kind offer
expect_eq "review apply of an unknown entry: exit 1" 1 "$RC"
ctl review apply "$hr_id" --kind spam
expect_eq "review apply --kind with an unknown kind: exit 2" 2 "$RC"
expect_match "it names the kind" 'unknown kind "spam"' "$ERR"

# ---- five lessons about a sender family the shipped model misreads ----

SIXTH="$FAMILY/ferncliff_6.eml"
ctl --json rules test "$FAMILY"/ferncliff_*.eml
expect_eq "rules test of the family: exit 0" 0 "$RC"
expect_eq "no rule decides on the family: the model reads it" "model" \
	"$(printf '%s' "$OUT" | jq -r 'map(.layer) | unique | join(",")')"
check "before any lesson, the model misreads the sixth message" test "$(guess "$SIXTH")" != interview
check "and at least three of the five it will be taught" \
	test "$(printf '%s' "$OUT" | jq '.[0:5] | map(select(.guess.kind != "interview")) | length')" -ge 3
ctl learn interview "$FAMILY"/ferncliff_{1..5}.eml
expect_eq "learn the five: exit 0" 0 "$RC"
expect_eq "five lessons more" 6 "$(lessons)"
ctl --json rules test "$SIXTH"
expect_eq "after five lessons the sixth, never taught, is read as an interview" interview \
	"$(printf '%s' "$OUT" | jq -r '.[0].guess.kind')"
expect_eq "by the model" model "$(printf '%s' "$OUT" | jq -r '.[0].layer')"
check "with the confidence to act on it" \
	test "$(printf '%s' "$OUT" | jq '.[0].guess.confidence >= 0.6')" = true
ctl rules test "$SIXTH"
expect_match "rules test (for people) shows the model deciding, and how sure" "verdict +interview, by the model \(confidence" "$OUT"
expect_match "and the phrases that weighed most" "phrases +[^ ]" "$OUT"

# ---- stored: a reload, a restart, a backup ----

n=$(log_lines)
kill -HUP "$DAEMON_PID"
check "the daemon reloads" wait_until 100 reloaded "$n"
expect_eq "after a reload the new model knows the lessons" interview "$(guess "$SIXTH")"
stop_daemon TERM
n=$(log_lines)
start_daemon || { fail "daemon did not start again"; finish; }
expect_eq "the lessons survive a restart" 6 "$(lessons)"
expect_match "the daemon says it learned them at start" "learned 6 stored lessons" "$(log_since "$n")"
expect_eq "and reads the family right after it" interview "$(guess "$SIXTH")"
ctl backup "$T/backup.db"
expect_eq "backup: exit 0" 0 "$RC"
lesson_rows() { sqlite3 "$1" "SELECT key, kind, coalesce(file, '-'), length(raw) FROM lessons ORDER BY key"; }
expect_eq "the backup holds every lesson" 6 "$(sqlite3 "$T/backup.db" 'SELECT count(*) FROM lessons')"
expect_eq "as the database does: keys, kinds, files, messages" "$(lesson_rows "$DB")" "$(lesson_rows "$T/backup.db")"
expect_eq "each message stored whole" "$(stat -c %s "$FAMILY/ferncliff_5.eml")" \
	"$(sqlite3 "$T/backup.db" "SELECT length(raw) FROM lessons WHERE file LIKE '%/ferncliff_5.eml'")"

# ---- a missing or a corrupt model file: the rules alone, said everywhere ----

model_missing_checks() { # WHAT FILE: the daemon started with APPTRACK_MODEL=FILE
	local what=$1 file=$2 name
	name=$(basename "$file")
	expect_eq "$what: the daemon logs one error naming the file" 1 \
		"$(log_since "$n" | grep -c "$name")"
	expect_match "$what: it is an error" "^<3>.*$name" "$(log_since "$n" | grep "$name")"
	ctl --json mail model
	expect_match "$what: mail model says why, naming the file" "$name" "$(printf '%s' "$OUT" | jq -r .problem)"
	expect_eq "$what: mail model has no trained messages" null "$(printf '%s' "$OUT" | jq -r .messages)"
	expect_eq "$what: the lessons are still stored" 6 "$(printf '%s' "$OUT" | jq -r .lessons)"
	ctl mail status
	expect_match "$what: mail status says the model is not loaded" "model: not loaded.*$name" "$OUT"
	ctl --json rules test "$REJECTION" "$SIXTH"
	expect_eq "$what: rules test says so on every message" true \
		"$(printf '%s' "$OUT" | jq --arg n "$name" 'all(.model_problem | test($n))')"
	expect_eq "$what: the rules still classify" "rejection:lever-rejection:rule" \
		"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.kind):\(.rule):\(.layer)"')"
	ctl rules test "$REJECTION"
	expect_match "$what: rules test (for people) says the model is not loaded" \
		"^the mail model is not loaded \(.*$name.*\): the rules alone decide" "$OUT"
	ctl learn rejection "$REJECTION"
	expect_eq "$what: learn still stores: exit 0" 0 "$RC"
	expect_match "$what: and says the model is not loaded" "mail model is not loaded .*lessons are stored" "$OUT"
	ctl unlearn "$REJECTION"
	expect_eq "$what: unlearn: exit 0" 0 "$RC"
}
stop_daemon TERM
n=$(log_lines)
export APPTRACK_MODEL="$T/missing.model"
start_daemon || { fail "daemon did not start without its model"; finish; }
model_missing_checks "a missing model" "$APPTRACK_MODEL"
stop_daemon TERM

printf 'apptrack-model 1\nthis is not a model\n\x01\x02\n' >"$T/corrupt.model"
n=$(log_lines)
export APPTRACK_MODEL="$T/corrupt.model"
start_daemon || { fail "daemon did not start with a corrupt model"; finish; }
model_missing_checks "a corrupt model" "$APPTRACK_MODEL"
unset APPTRACK_MODEL
finish
