#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# web.sh [--before BUILD] BUILD [--sizes "10000"] [--runs K] [--browser] [--no-api] [--keep] - the web
# page's benchmark (issue 17, point 5): at 10,000 generated applications (scale.py's), the API time of
# applications.list (limit 50) and applications.board over the control socket, for BUILD and, with
# --before, an older build beside it; with --browser, navigation start to the page's rendered mark
# for #/board and #/list in headless chromium (selenium). The work is web.py's; tables on stdout,
# progress on stderr. Needs python3 and sqlite3; --browser needs python3-selenium, chromium and
# chromium-driver (Debian's /usr/bin/python3 has selenium, so it is preferred).
set -euo pipefail
if [ $# -lt 1 ]; then
	echo "usage: $0 [--before BUILD] BUILD [--sizes \"10000\"] [--runs K] [--browser] [--no-api] [--keep]" >&2
	exit 2
fi
py=python3
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
	py=/usr/bin/python3
fi
exec "$py" "$(dirname "$0")/web.py" "$@"
