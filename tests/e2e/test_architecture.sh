#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_architecture.sh - the architecture that docs/decisions.md ("Architecture") maps holds
# in the code: every table is written by its owner module only, the other core modules only
# read (those listed as readers), src/daemon and src/ctl hold no SQL, every transaction is
# store_transaction()'s (sql_owners.py); no
# source file is over 700 lines unless it is listed below as one cohesive thing; and every
# source file carries the licence's SPDX line in its first comment (docs/decisions.md, "The licence").
#
# Each check is also seen to fail: on a copy of src/ with a violation put in.
. "$(dirname "$0")/lib.sh"
SRC="$SOURCE_DIR/src"
OWNERS="$(dirname "$0")/sql_owners.py"
MAX_LINES=700
# One cohesive thing each, longer than MAX_LINES: why is in docs/decisions.md.
LONG_OK="core/matching/match.c"

out=$(python3 "$OWNERS" "$SRC" 2>&1)
expect_eq "every table is written by its owner only, and src/daemon, src/ctl hold no SQL" "" "$out"

# The check fails on each kind of violation, naming the file and the owner.
copy="$T/src"
cp -r "$SRC" "$copy"
printf '%s\n' 'static const char stray[] = "UPDATE reminders SET fired_at = ? WHERE id = ?";' >>"$copy/daemon/scheduler.c"
printf '%s\n' 'static const char stray[] = "INSERT INTO contacts (name) VALUES (?)";' >>"$copy/core/tracking/interviews.c"
printf '%s\n' 'static const char stray[] = "SELECT count(*) FROM applications";' >>"$copy/core/base/text.c"
printf '%s\n' 'static void *stray(store *s) { return store_db(s); }' >>"$copy/core/reports/analytics.c"
printf '%s\n' 'static int stray(void) { return sqlite3_changes(0); }' >>"$copy/ctl/main.c"
printf '%s\n' 'static void stray2(store *s) { store_rollback(s); }' >>"$copy/core/mail/lessons.c"
out=$(python3 "$OWNERS" "$copy" 2>&1)
expect_eq "sql_owners.py fails on a copy with violations" 1 $?
expect_match "it names SQL in src/daemon" "daemon/scheduler.c: SQL in src/daemon" "$out"
expect_match "it names a write outside the owner" "core/tracking/interviews.c: writes table contacts, owned by core/tracking/contacts.c" "$out"
expect_match "it names an unlisted reader" "core/base/text.c: reads the database but is neither an owner nor a listed reader" "$out"
expect_match "it names store_db() outside store.c" "core/reports/analytics.c: store_db\(\) outside store.c" "$out"
expect_match "it names sqlite3 calls in src/ctl" "ctl/main.c: sqlite3_changes\( in src/ctl" "$out"
expect_match "it names a transaction by hand" "core/mail/lessons.c: store_rollback\( by hand" "$out"

# File lengths.
long_files() { # DIR: the files over MAX_LINES lines that LONG_OK does not name
	(cd "$1" && find . -name '*.[ch]' -printf '%P\n' | sort | while read -r f; do
		n=$(wc -l <"$f")
		if [ "$n" -gt "$MAX_LINES" ] && ! [[ " $LONG_OK " == *" $f "* ]]; then
			echo "$f: $n lines"
		fi
	done)
}
expect_eq "no file in src/ is over $MAX_LINES lines but those named" "" "$(long_files "$SRC")"
seq 1 $((MAX_LINES + 1)) | sed 's|^|// |' >"$copy/core/long.c"
expect_match "the length check names a long file" "core/long.c: $((MAX_LINES + 1)) lines" "$(long_files "$copy")"

# The licence: every source file, of the kinds below, has the SPDX line in its first three
# lines (after a #!, #compdef or doctype line). Files tracked by git, or in a tree without
# git (a source tarball) all files; never data (fuzz corpora and crashes, training mail).
SPDX='SPDX-License-Identifier: GPL-3.0-or-later'
KINDS='(\.(c|h|inc|sh|py|js|css|html|cmake|in|service|socket|rules|bash|fish|[1-8])|(^|/)CMakeLists\.txt|(^|/)_apptrackctl|^\.ci/run)$'
DATA='^(tests/fuzz/(corpus|crashes)|rules/training|build[^/]*)/'
without_spdx() { # DIR: the source files in DIR without the SPDX line at the top
	(cd "$1" && if [ -e .git ]; then git ls-files; else find . -type f -printf '%P\n'; fi |
		grep -E "$KINDS" | grep -vE "$DATA" | sort | while read -r f; do
			head -n 3 "$f" | grep -qF "$SPDX" || echo "$f: no $SPDX"
		done)
}
expect_eq "every source file carries the SPDX line" "" "$(without_spdx "$SOURCE_DIR")"
mkdir -p "$T/tree/src" "$T/tree/docs" "$T/tree/tests/fuzz/corpus"
printf '/* %s */\n/* ok.c - fine. */\n' "$SPDX" >"$T/tree/src/ok.c"
printf '/* bare.c - no licence line. */\n' >"$T/tree/src/bare.c"
{ printf '.TH X 1\n%.0s' 1 2 3; printf '.\\" %s\n' "$SPDX"; } >"$T/tree/docs/late.1"
printf 'data\n' >"$T/tree/tests/fuzz/corpus/seed.c"
expect_eq "the SPDX check names a file without it and one with it too late, not data" \
	"docs/late.1: no $SPDX src/bare.c: no $SPDX" "$(without_spdx "$T/tree" | tr '\n' ' ' | sed 's/ $//')"

finish
