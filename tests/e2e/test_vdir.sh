#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_vdir.sh - [calendar] vdir: one .ics file per feed item, read by khal directly: the
# interview at its time; moved with apptrackctl, it moves in khal; removed, its file goes;
# an unchanged item keeps its file (same inode and mtime); other files are left alone.
. "$(dirname "$0")/lib.sh"
command -v khal >/dev/null || { fail "khal is not installed (Debian package khal)"; finish; }
VDIR="$XDG_DATA_HOME/apptrack/vdir"
mkdir -p "$XDG_CONFIG_HOME/apptrack" "$VDIR"
echo "not ours" >"$VDIR/someone-else.ics"
printf '[calendar]\nvdir = %s\n[reminders]\nfollow_up = 0\ninterview_before = off\n' "$VDIR" >"$XDG_CONFIG_HOME/apptrack/apptrack.conf"
export TZ=UTC
start_daemon || { fail "daemon did not start"; finish; }
ctl add --company Acme --position Engineer
ctl interview add 1 --at "2030-03-10 14:30" --duration 45m --type video
check "the interview's file appears" wait_until 200 test -f "$VDIR/interview-1_apptrack.ics"
khal_config "$VDIR"
OUT=$(khal -c "$T/khal.conf" list 2030-03-10 2d 2>&1)
expect_match "khal lists the interview at its time" "14:30-15:15 Interview \(video\): Acme – Engineer" "$OUT"
ctl interview add 1 --at "2030-04-01 10:00" --type phone
check "a second file" wait_until 200 test -f "$VDIR/interview-2_apptrack.ics"
before=$(stat -c '%i %Y' "$VDIR/interview-2_apptrack.ics")
sleep 1.1
ctl interview edit 1 --at "2030-03-11 09:00"
moved() { khal -c "$T/khal.conf" list 2030-03-10 3d 2>&1 | grep -q "09:00-09:45 Interview (video)"; }
check "a moved interview moves in khal" wait_until 200 moved
OUT=$(khal -c "$T/khal.conf" list 2030-03-10 3d 2>&1)
expect_eq "and is there once" 1 "$(printf '%s\n' "$OUT" | grep -c 'Interview (video)')"
expect_eq "an unchanged item keeps its file and mtime" "$before" "$(stat -c '%i %Y' "$VDIR/interview-2_apptrack.ics")"
ctl interview rm 1
check "a removed interview's file goes" wait_until 200 sh -c "! test -e '$VDIR/interview-1_apptrack.ics'"
OUT=$(khal -c "$T/khal.conf" list 2030-03-10 3d 2>&1)
expect_eq "khal no longer shows it" "" "$(printf '%s' "$OUT" | grep 'Interview (video)')"
expect_eq "other files are left alone" "not ours" "$(cat "$VDIR/someone-else.ics")"
expect_eq "no temporary files are left" "" "$(ls "$VDIR" | grep -v '\.ics$')"
ctl calendar
expect_match "apptrackctl calendar shows the vdir" "vdir: $VDIR" "$OUT"
stop_daemon TERM
expect_eq "daemon stops cleanly" 0 "$DAEMON_RC"
finish
