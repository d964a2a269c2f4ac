#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_jd_url.sh - apptrackctl add/edit --jd-url: the client fetches a job posting from a
# local web server (python3 -m http.server on 127.0.0.1) and stores it as readable text,
# with the final URL; a failed fetch stores nothing and says why in one line.
. "$(dirname "$0")/lib.sh"

# the fetch goes through the user's proxy variables: none for a loopback test
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

WWW="$T/www"
READY="ready-$$-$RANDOM"
HTTP_PID=
HTTP_TRIES=5

web_stop() {
	stop_pid "$HTTP_PID"
	HTTP_PID=
}
at_exit web_stop

# web_ready PORT : the server on PORT is ours (it serves the ready token).
web_ready() {
	local reply
	reply=$({ exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /ready.txt HTTP/1.0\r\n\r\n' >&3 &&
		timeout 2 cat <&3; } 2>/dev/null)
	case $reply in *"$READY"*) return 0 ;; esac
	return 1
}

# start_web : serves $WWW on a free loopback port ($PORT); a few tries against port races.
start_web() {
	local try i
	for try in $(seq 1 "$HTTP_TRIES"); do
		PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		/usr/bin/python3 -m http.server --bind 127.0.0.1 "$PORT" --directory "$WWW" >>"$T/http.log" 2>&1 &
		HTTP_PID=$!
		for i in $(seq 1 100); do
			kill -0 "$HTTP_PID" 2>/dev/null || break
			web_ready "$PORT" && return 0
			sleep 0.05
		done
		web_stop
	done
	echo "python3 -m http.server did not come up; its log:" >&2
	cat "$T/http.log" >&2
	return 1
}

count() {
	"$APPTRACKCTL" --json list | jq length
}

mkdir -p "$WWW/jobs"
printf '%s\n' "$READY" >"$WWW/ready.txt"
cat >"$WWW/job.html" <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Jobs at Initrode</title>
<script>var trackingPixel = "SCRIPT_SECRET";</script>
<style>body { font-family: STYLE_SECRET }</style></head>
<body><nav><a href="/">NAV_LINKS</a></nav>
<h1>Staff Engineer, Storage</h1>
<p>Initrode builds   durable storage in Zürich &amp; Berlin.</p>
<ul><li>Rust or C</li><li>SQLite internals</li></ul>
<script>document.write("INLINE_SECRET")</script>
</body></html>
EOF
cat >"$WWW/job2.html" <<'EOF'
<html><body><h1>Principal Engineer, Databases</h1><p>Query planners &lt;and&gt; B-trees.</p></body></html>
EOF
cp "$WWW/job.html" "$WWW/jobs/index.html"

start_web || { fail "web server did not start"; finish; }
BASE="http://127.0.0.1:$PORT"
start_daemon || { fail "daemon did not start"; finish; }

# --- add --jd-url: readable text and the URL ---
ctl add --company Initrode --position "Staff Engineer" --jd-url "$BASE/job.html"
expect_eq "add --jd-url: exit 0" 0 "$RC"
expect_match "add --jd-url prints the id" '^[0-9]+$' "$OUT"
id=$OUT
ctl --json show "$id"
jd=$(printf '%s' "$OUT" | jq -r .job_description)
expect_match "the job description has the posting's title" 'Staff Engineer, Storage' "$jd"
expect_match "the job description has its text, entities decoded" 'Initrode builds durable storage in Zürich & Berlin\.' "$jd"
expect_match "the job description has the list items on their own lines" $'Rust or C\nSQLite internals' "$jd"
for secret in SCRIPT_SECRET INLINE_SECRET STYLE_SECRET NAV_LINKS '<h1>' '&amp;' 'Jobs at Initrode'; do
	CHECKS=$((CHECKS + 1))
	case $jd in
	*"$secret"*) fail "the job description should not contain $secret: [$jd]" ;;
	*) echo "ok - the job description drops $secret" ;;
	esac
done
expect_eq "without --url, url is the fetched URL" "$BASE/job.html" "$(printf '%s' "$OUT" | jq -r .url)"

ctl --json add --company Initrode --position "Storage SRE" --url "https://initrode.example/jobs/7" \
	--jd-url "$BASE/jobs"
expect_eq "add --url --jd-url: exit 0" 0 "$RC"
ctl --json show "$(printf '%s' "$OUT" | jq -r .id)"
expect_eq "an explicit --url wins over the fetched one" "https://initrode.example/jobs/7" \
	"$(printf '%s' "$OUT" | jq -r .url)"
expect_match "a redirect (/jobs to /jobs/) is followed" 'SQLite internals' "$(printf '%s' "$OUT" | jq -r .job_description)"

ctl --json add --company Initrode --position "Storage Intern" --jd-url "$BASE/jobs"
ctl --json show "$(printf '%s' "$OUT" | jq -r .id)"
expect_eq "url is the URL after redirects" "$BASE/jobs/" "$(printf '%s' "$OUT" | jq -r .url)"

# --- edit --jd-url replaces the description ---
ctl edit "$id" --jd-url "$BASE/job2.html"
expect_eq "edit --jd-url: exit 0" 0 "$RC"
ctl --json show "$id"
jd=$(printf '%s' "$OUT" | jq -r .job_description)
expect_match "edit --jd-url stored the new posting" 'Principal Engineer, Databases' "$jd"
expect_match "edit --jd-url decoded its entities" 'Query planners <and> B-trees\.' "$jd"
expect_eq "edit --jd-url replaced the old posting" false "$(printf '%s' "$jd" | grep -q 'Staff Engineer, Storage' && echo true || echo false)"
expect_eq "edit --jd-url without --url updates url" "$BASE/job2.html" "$(printf '%s' "$OUT" | jq -r .url)"

# --- failures store nothing ---
before=$(count)
expect_match "the application count is read" '^[0-9]+$' "$before"
ctl add --company Nowhere --position Ghost --jd-url "$BASE/missing.html"
expect_eq "a 404 fails with exit 2" 2 "$RC"
expect_match "the 404 message names the URL and the status" "^apptrackctl: add: GET $BASE/missing\.html: .*404" "$ERR"
expect_eq "the 404 message is one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
expect_eq "nothing was added after the 404" "$before" "$(count)"

ctl edit "$id" --notes "should not be saved" --jd-url "$BASE/missing.html"
expect_eq "edit with a 404 fails with exit 2" 2 "$RC"
expect_match "edit's 404 message has the edit prefix" '^apptrackctl: edit: GET .*404' "$ERR"
ctl --json show "$id"
expect_match "edit with a 404 left the description" 'Principal Engineer' "$(printf '%s' "$OUT" | jq -r .job_description)"
expect_eq "edit with a 404 left the other fields" null "$(printf '%s' "$OUT" | jq .notes)"

printf 'From a file.\n' >"$T/jd.txt"
ctl add --company Both --position Ways --jd-file "$T/jd.txt" --jd-url "$BASE/job.html"
expect_eq "--jd-file with --jd-url: usage error, exit 2" 2 "$RC"
expect_match "--jd-file with --jd-url names both" 'jd-file.*jd-url' "$ERR"
expect_match "--jd-file with --jd-url shows the usage" 'usage: apptrackctl add' "$ERR"
ctl edit "$id" --jd-file "$T/jd.txt" --jd-url "$BASE/job.html"
expect_eq "edit --jd-file with --jd-url: exit 2" 2 "$RC"

ctl add --company Ftp --position Site --jd-url "ftp://127.0.0.1/job.txt"
expect_eq "an ftp:// URL: exit 2" 2 "$RC"
expect_match "an ftp:// URL is refused by name" 'ftp://127\.0\.0\.1/job\.txt.* is not an http:// or https:// URL' "$ERR"
expect_eq "nothing was added after the failures" "$before" "$(count)"

stop_daemon
web_stop
finish
