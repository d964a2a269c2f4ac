#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_web_browser.sh - the web page in a real browser (headless chromium driven by
# python3-selenium, web_browser.py) against a real daemon: the board with imported
# applications, moves by drag and drop and by keyboard seen in `apptrackctl show`, a note,
# a review entry applied, a change made with apptrackctl appearing without a reload,
# keyboard-only use of the board, accessible names, no console errors, and screenshots at
# 390x844 and 1280x900 kept in $BUILD_DIR/web-screenshots/.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ] || ! "$PY" -c 'import selenium' 2>/dev/null; then
	fail "needs chromium, chromium-driver and python3-selenium (Debian packages, in README's test command)"
	finish
fi

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
WEB_PORT=$(free_port)
export APPTRACK_WEB_LISTEN="127.0.0.1:$WEB_PORT"

# open_session: prints the login URL of the page, from apptrackd's own server
# (`apptrackctl web`: a single-use key traded for the session cookie).
open_session() {
	"$APPTRACKCTL" web
}

# the data: a review entry first (an assessment for Quantcast, of which nothing is known
# yet), then 101 applications; Acme (1) screen, Globex (2) saved, Initech (3) screen,
# Quantcast (101) applied; more than a column's 20 cards are applied.
use_maildir
start_daemon || { fail "daemon starts"; finish; }
deliver "$SHARED_DIR/corpus/mail/hackerrank_quantcast_code_challenge_invite.eml" quantcast.eml
ctl mail sync
check "the Quantcast mail waits in review" wait_until 100 \
	sh -c '"$APPTRACKCTL" --json review list | grep -q Quantcast'
"$PY" - >"$T/apps.csv" <<'PY'
import datetime, random
random.seed(17)
print("company,position,status,applied_at,source,location,notes")
today = datetime.date.today()
print(f"Acme,Backend Engineer,screen,{today - datetime.timedelta(days=9)},LinkedIn,Berlin,")
print(f"Globex,SRE,saved,{today - datetime.timedelta(days=3)},Indeed,Remote,")
print(f"Initech,Data Engineer,screen,{today - datetime.timedelta(days=20)},Referral,Munich,")
names = ["Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Pied Piper", "Aperture", "Black Mesa",
         "Cyberdyne", "Soylent", "Tyrell", "Vandelay", "Wonka", "Oscorp", "Nakatomi", "Massive Dynamic"]
positions = ["Backend Engineer", "SRE", "Data Engineer", "Frontend Developer", "Platform Engineer"]
statuses = ["applied"] * 12 + ["screen", "technical", "onsite", "offer", "rejected", "rejected", "ghosted", "saved"]
sources = ["LinkedIn", "Indeed", "Company site", "Referral", "Otta"]
for i in range(97):
    d = today - datetime.timedelta(days=random.randint(0, 84))
    print(f"{names[i % len(names)]} {i // len(names) + 1},{random.choice(positions)},{random.choice(statuses)},{d},"
          f"{random.choice(sources)},{random.choice(['Berlin', 'Remote', 'Hamburg'])},")
print(f"Quantcast,Software Engineer,applied,{today - datetime.timedelta(days=12)},Company site,Remote,")
PY
ctl import "$T/apps.csv"
expect_eq "the applications are imported" 0 "$RC"
ctl interview add 3 --at "$(date -u -d '+2 days' +%Y-%m-%dT10:00:00Z)" --type video
expect_eq "an interview for Initech" 0 "$RC"

open_session >"$T/login.url" # not in $(...): a server it starts must be stopped by this shell
URL=$(head -n 1 "$T/login.url")
expect_match "a login URL for the page" '^http://127\.0\.0\.1:[0-9]+/login\?key=' "$URL"

start=$(date +%s)
check "the page in the browser" env APPTRACKCTL="$APPTRACKCTL" timeout 120 "$PY" "$(dirname "$0")/web_browser.py" \
	"$URL" "$BUILD_DIR/web-screenshots"
echo "# browser run: $(($(date +%s) - start)) s"
for f in board-390 board-1280 stats-390 stats-1280; do
	check "screenshot $f.png" test -s "$BUILD_DIR/web-screenshots/$f.png"
done
finish
