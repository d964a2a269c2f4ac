#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_resume.sh - apptrackctl resume and profile against a real apptrackd: resumes from a
# text, a Markdown and a PDF file (the PDF written here by hand), the default rules,
# refusals of duplicate names and of unreadable files (nothing stored), and the profile's
# round trip, its tidying and its validation.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# make_pdf FILE [TEXT] : a one-page PDF written by hand (the standard Helvetica font,
# WinAnsi text, correct cross-reference offsets); without TEXT the page shows nothing.
make_pdf() {
	"$PY" - "$@" <<'EOF'
import sys

path = sys.argv[1]
text = sys.argv[2] if len(sys.argv) > 2 else None
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
if text is None:
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >>")
else:
    raw = text.encode("cp1252")
    esc = b"".join(b"\\%03o" % c if c > 126 or c in b"()\\" else bytes([c]) for c in raw)
    stream = b"BT /F1 12 Tf 20 100 Td (" + esc + b") Tj ET"
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
             b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
             b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
             b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
out = b"%PDF-1.4\n"
offsets = []
for i, o in enumerate(objs, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(path, "wb").write(out)
EOF
}

json() { printf '%s' "$OUT" | jq -r "$1"; }
one_line() { expect_eq "$1: one line on stderr" 1 "$(printf '%s\n' "$ERR" | wc -l)"; }

start_daemon || { fail "daemon did not start"; finish; }

# --- nothing stored yet ---
ctl resume list
expect_eq "resume list, none stored: exit 0" 0 "$RC"
expect_match "resume list says how to add one" 'resume add NAME FILE' "$OUT"
ctl --json resume
expect_eq "resume alone lists (--json: [])" "[]" "$(printf '%s' "$OUT" | jq -c .)"
ctl resume show general
expect_eq "show with none stored: exit 1" 1 "$RC"
expect_match "show with none stored says so" 'none is stored' "$ERR"

# --- the three kinds of file ---
printf 'Ada Lovelace\nBackend engineer: Python, SQL, PostgreSQL\n' >"$T/plain.txt"
cat >"$T/cv.md" <<'EOF'
# Ada Lovelace

**Data engineer** in _Zürich_, see [my portfolio](https://ada.example/work)

- Spark
- Kubernetes
EOF
make_pdf "$T/cv.pdf" "Ada Lovelace, Zürich (PDF)"

ctl resume add general "$T/plain.txt"
expect_eq "add a text resume: exit 0" 0 "$RC"
expect_match "the first resume is the default" 'added resume "general" \(7 words\), the default' "$OUT"
ctl resume add data "$T/cv.md"
expect_eq "add a Markdown resume: exit 0" 0 "$RC"
expect_eq "the second is not the default" 'added resume "data" (11 words)' "$OUT"
ctl --json resume add pdf "$T/cv.pdf"
expect_eq "add a PDF resume: exit 0" 0 "$RC"
expect_eq "add --json: the name" pdf "$(json .name)"
expect_eq "add --json: not the default" false "$(json .is_default)"
expect_eq "add --json: not a replacement" false "$(json .replaced)"
expect_eq "add --json: no text in the summary" null "$(json .text)"

ctl resume show general
expect_eq "show prints the text as stored" "$(cat "$T/plain.txt")" "$OUT"
ctl resume show data
expect_eq "Markdown is stored as plain text" "Ada Lovelace

Data engineer in Zürich, see my portfolio

Spark
Kubernetes" "$OUT"
ctl resume show pdf
expect_eq "the PDF's text is extracted" "Ada Lovelace, Zürich (PDF)" "$OUT"
ctl --json resume show pdf
expect_eq "show --json carries the text" "Ada Lovelace, Zürich (PDF)" "$(json .text | head -1)"

ctl --json resume list
expect_eq "list --json: three resumes" 3 "$(json length)"
expect_eq "list --json: general is the default" general "$(json 'map(select(.is_default)) | .[0].name')"
expect_eq "list --json: one default" 1 "$(json 'map(select(.is_default)) | length')"
for key in id name is_default created_at updated_at words chars; do
	expect_eq "list --json objects carry $key" true "$(json "all(has(\"$key\"))")"
done
ctl resume list
expect_match "list table has a header" 'NAME +DEFAULT +WORDS' "$OUT"
expect_match "list table marks the default" 'general +\*' "$OUT"

# --- the default moves ---
ctl resume default pdf
expect_eq "default: exit 0" 0 "$RC"
expect_eq "default says so" '"pdf" is now the default resume' "$OUT"
ctl --json resume list
expect_eq "the default switched" pdf "$(json 'map(select(.is_default)) | .[0].name')"
ctl resume rm pdf
expect_eq "rm the default: exit 0" 0 "$RC"
expect_eq "rm of the default names the new one (the newest left)" 'removed resume "pdf"; "data" is now the default' "$OUT"
ctl --json resume list
expect_eq "two resumes left" "general,data" "$(json 'map(.name) | join(",")')"
expect_eq "the newest remaining is the default" data "$(json 'map(select(.is_default)) | .[0].name')"
ctl resume show 1
expect_eq "a resume is also named by its id" "$(cat "$T/plain.txt")" "$OUT"

# --- duplicate names ---
ctl resume add general "$T/cv.md"
expect_eq "duplicate name: exit 1" 1 "$RC"
expect_eq "duplicate name: the message" 'apptrackctl: a resume named "general" exists (use --replace)' "$ERR"
ctl resume show general
expect_eq "the refused duplicate changed nothing" "$(cat "$T/plain.txt")" "$OUT"
ctl resume add general "$T/cv.md" --replace
expect_eq "--replace: exit 0" 0 "$RC"
expect_match "--replace says so" '^replaced resume "general"' "$OUT"
ctl resume show general
expect_match "--replace swapped the text" '^Ada Lovelace' "$OUT"
expect_match "--replace stored the new text" 'Kubernetes' "$OUT"
ctl --json resume list
expect_eq "--replace kept the default where it was" data "$(json 'map(select(.is_default)) | .[0].name')"

# --- files that are not resumes: exit 2, nothing sent ---
printf 'Z\374rich\n' >"$T/latin1.txt"
printf '\000\001\002\377binary' >"$T/binary.bin"
: >"$T/empty.txt"
make_pdf "$T/scan.pdf"
head -c 100 "$T/cv.pdf" >"$T/cut.pdf"
for bad in "latin1.txt:not UTF-8 text" "binary.bin:not UTF-8 text" "empty.txt:is empty" \
	"scan.pdf:has no text layer \(a scanned image\?\)" "cut.pdf:damaged PDF" "missing.txt:cannot read"; do
	file=${bad%%:*}
	ctl resume add bad "$T/$file"
	expect_eq "$file: exit 2" 2 "$RC"
	expect_match "$file: the reason" "${bad#*:}" "$ERR"
	expect_match "$file: the file is named" "$file" "$ERR"
	one_line "$file"
done
ctl --json resume list
expect_eq "no refused file was stored" "general,data" "$(json 'map(.name) | join(",")')"

# --- usage and unknown names ---
ctl resume add onlyname
expect_eq "add without a file: exit 2" 2 "$RC"
ctl resume frobnicate
expect_eq "unknown subcommand: exit 2" 2 "$RC"
expect_match "unknown subcommand is named" 'frobnicate' "$ERR"
ctl resume show nosuch
expect_eq "unknown name: exit 1" 1 "$RC"
expect_match "unknown name is named" 'no resume named "nosuch"' "$ERR"
ctl resume rm dat
expect_match "a near name is suggested" 'did you mean "data"\?' "$ERR"
ctl resume add "a/b" "$T/plain.txt"
expect_eq "a name with a slash: exit 1" 1 "$RC"
expect_match "a name with a slash: why" "cannot hold a '/'" "$ERR"

# --- profile ---
ctl --json profile
expect_eq "profile: exit 0" 0 "$RC"
expect_eq "an empty profile: nulls and no links" '{"email":null,"links":[],"location":null,"name":null,"phone":null,"position":null,"skills":null,"updated_at":null}' \
	"$(printf '%s' "$OUT" | jq -cS .)"
ctl profile
expect_match "an empty profile says how to set it" 'apptrackctl profile --name' "$OUT"
ctl --json profile --name "Ada Lovelace" --email ada@example.com --position "Backend Engineer" \
	--skills " Python, sql ,python,  Kubernetes  operators" --link https://ada.example --link=github.com/ada
expect_eq "profile set: exit 0" 0 "$RC"
set_out=$(printf '%s' "$OUT" | jq -cS .)
expect_eq "skills are tidied (trimmed, repeats dropped)" "Python, sql, Kubernetes operators" "$(json .skills)"
expect_eq "every --link is kept" "https://ada.example github.com/ada" "$(json '.links | join(" ")')"
ctl --json profile
expect_eq "profile round trip: what was set is what is shown" "$set_out" "$(printf '%s' "$OUT" | jq -cS .)"
ctl profile --location Zürich
expect_eq "profile set (table): exit 0" 0 "$RC"
expect_match "only the given fields change (location set)" 'Location: +Zürich' "$OUT"
expect_match "only the given fields change (name kept)" 'Name: +Ada Lovelace' "$OUT"
expect_match "the links are listed" 'github.com/ada' "$OUT"
ctl profile --email not-an-email
expect_eq "bad email: exit 1" 1 "$RC"
expect_match "bad email: why" 'email "not-an-email" does not look like an address' "$ERR"
one_line "bad email"
ctl --json profile
expect_eq "the bad email changed nothing" ada@example.com "$(json .email)"
ctl profile --emial x@example.com
expect_eq "unknown option: exit 2" 2 "$RC"
ctl profile stray
expect_eq "a stray argument: exit 2" 2 "$RC"
ctl --json profile --link "" --phone ""
expect_eq "--link \"\" clears the links" 0 "$(json '.links | length')"
expect_eq "an empty value clears a field" null "$(json .phone)"

# --- it all survives a restart ---
stop_daemon
start_daemon || { fail "daemon did not restart"; finish; }
ctl --json resume list
expect_eq "resumes survive a restart" "general,data" "$(json 'map(.name) | join(",")')"
ctl --json profile
expect_eq "the profile survives a restart" "Ada Lovelace" "$(json .name)"

finish
