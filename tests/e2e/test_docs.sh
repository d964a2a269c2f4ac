#!/usr/bin/env bash
# test_docs.sh - the man pages render without warnings, and every command and option that
# --help lists is documented in them.
. "$(dirname "$0")/lib.sh"
MAN="$SOURCE_DIR/docs/man"

for page in "$MAN"/*.[0-9]; do
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null)
	expect_eq "$(basename "$page") renders without warnings" "" "$warnings"
done

ctl_man=$(cat "$MAN/apptrackctl.1")
# groff escapes hyphens as \-; compare against the unescaped text
ctl_text=$(printf '%s' "$ctl_man" | sed 's/\\-/-/g; s/\\f[BIRP]//g')
commands=$("$APPTRACKCTL" help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 }')
check "apptrackctl help lists commands" test -n "$commands"
for cmd in $commands; do
	expect_match "apptrackctl.1 documents the command $cmd" "(^|[^a-z])$cmd([^a-z]|$)" "$ctl_text"
	opts=$("$APPTRACKCTL" "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	for o in $opts; do
		expect_match "apptrackctl.1 documents $cmd $o" "$o" "$ctl_text"
	done
done
for sub in add list show edit rm link; do
	expect_match "apptrackctl.1 documents contacts $sub" "contacts $sub" "$ctl_text"
done
for o in $("$APPTRACKCTL" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	expect_match "apptrackctl.1 documents the global option $o" "$o" "$ctl_text"
done

d_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN/apptrackd.8")
for o in $("$APPTRACKD" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	expect_match "apptrackd.8 documents $o" "$o" "$d_text"
done

conf_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN/apptrack.conf.5")
for key in database log_level follow_up interview_prep thank_you interview_before listen token file reminders_as; do
	expect_match "apptrack.conf.5 documents $key" "$key" "$conf_text"
	expect_match "the example config shows $key" "#$key = " "$(cat "$SOURCE_DIR/contrib/apptrack.conf.example")"
done
"$APPTRACKD" --check-config --config "$SOURCE_DIR/contrib/apptrack.conf.example" >/dev/null
expect_eq "the example config passes --check-config" 0 $?
finish
